namespace NnGen
{
    /// <summary>How to read samples from CSV.</summary>
    public sealed class CsvOptions
    {
        /// <summary>Skip the first line.</summary>
        public bool HasHeader { get; init; }

        /// <summary>The column separator; ',' by default.</summary>
        public char Separator { get; init; } = ',';

        /// <summary>
        /// For classification: the column that holds a class index 0..ClassCount−1, turned into a one-hot
        /// target; −1 (the default) is the last column. Every other column is an input.
        /// Ignored when <see cref="TargetColumnCount"/> is set.
        /// </summary>
        public int LabelColumn { get; init; } = -1;

        /// <summary>
        /// The largest number of classes that <see cref="ClassCount"/> = 0 infers from the labels. A label
        /// beyond it is far more often a damaged file or a wrong column than a real class, and would make a
        /// one-hot target row as wide as the label is large. Set <see cref="ClassCount"/> for more classes.
        /// </summary>
        public const int MaxInferredClassCount = 4096;

        /// <summary>
        /// The number of classes; 0 (the default) takes the largest label + 1, up to
        /// <see cref="MaxInferredClassCount"/>. A label at or past the class count is a <see cref="CsvFormatException"/>.
        /// </summary>
        public int ClassCount { get; init; }

        /// <summary>
        /// For regression: the number of trailing columns that are numeric targets, taken as they are.
        /// 0 (the default) reads a class label instead.
        /// </summary>
        public int TargetColumnCount { get; init; }
    }
}
