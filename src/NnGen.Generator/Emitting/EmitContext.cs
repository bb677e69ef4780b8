using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>What every part of the emitter needs: the plan, the number type and the writer.</summary>
    internal sealed class EmitContext
    {
        public EmitContext(NetworkPlan plan)
            : this(plan, new CodeWriter())
        {
        }

        /// <summary>A context for another plan of the same network writing into the same file.</summary>
        public EmitContext(NetworkPlan plan, CodeWriter writer)
        {
            Plan = plan;
            Scalar = Scalar.For(plan.Model.Precision);
            Writer = writer;
        }

        public NetworkPlan Plan { get; }

        public Scalar Scalar { get; }

        public CodeWriter Writer { get; }

        /// <summary>
        /// False while writing per-sample code inside the batch loop, where every span is a view into
        /// storage declared once before the loop: a stackalloc there would grow the stack per sample.
        /// </summary>
        public bool DeclareSpans { get; set; } = true;

        /// <summary>"float" or "double".</summary>
        public string T => Scalar.Keyword;

        public string Math => Scalar.Math;

        public string Zero => Scalar.Zero;

        public string One => Scalar.One;

        public string Literal(double value) => Scalar.Literal(value);

        /// <summary>The parameter at a flat index, read through the local span p.</summary>
        public static string P(int index) => $"p[{index}]";

        public static string Target(string k) => $"target[{k}]";

        /// <summary>The flat index of row <paramref name="row"/> of a matrix at <paramref name="offset"/> with <paramref name="columns"/> columns.</summary>
        public static string RowStart(int offset, string row, int columns)
        {
            if (int.TryParse(row, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int constant))
            {
                return (offset + (constant * columns)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return offset == 0 ? $"{row} * {columns}" : $"{offset} + ({row} * {columns})";
        }

        public static string Target(int k) => $"target[{k}]";
    }
}
