namespace NnGen
{
    /// <summary>
    /// What the network's number types and arrays can hold, checked the same way by the generator (declarations,
    /// literals, baked weights) and the runtime (weights files, safetensors, CSV).
    /// </summary>
    internal static class NumericLimits
    {
        /// <summary>Array.MaxLength: the most elements a single array, such as Parameters, can hold.</summary>
        public const int MaxArrayLength = 0x7FFFFFC7;

        /// <summary>True when <paramref name="value"/> is finite, and stays finite once rounded to float if <paramref name="asSingle"/>.</summary>
        public static bool IsFinite(double value, bool asSingle) =>
            !double.IsNaN(value) && !double.IsInfinity(value) && !(asSingle && float.IsInfinity((float)value));

        /// <summary>True when <paramref name="value"/> is finite as a double but rounds to infinity as a float (1e39).</summary>
        public static bool OverflowsSingle(double value) => !double.IsInfinity(value) && float.IsInfinity((float)value);
    }
}
