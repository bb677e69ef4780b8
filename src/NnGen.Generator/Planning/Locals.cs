namespace NnGen.Generator.Planning
{
    /// <summary>
    /// The names of the generated scalars, one scheme for every method: the letter is the symbol in the
    /// equations, the number the layer l. Vectors are <see cref="Slot"/>s of <see cref="LayerPlan"/>.
    /// </summary>
    internal static class Locals
    {
        /// <summary>max_i z(l)_i in a softmax layer.</summary>
        public static string Max(int layer) => $"m{layer}";

        /// <summary>Σ_i e(l)_i in a softmax layer.</summary>
        public static string Sum(int layer) => $"s{layer}";

        /// <summary>ln s(l), the log of a softmax layer's normaliser.</summary>
        public static string LogSum(int layer) => $"lns{layer}";

        /// <summary>Σ_k a(l)_k ∂C/∂a(l)_k, the shared term of a softmax Jacobian product.</summary>
        public static string UpstreamDot(int layer) => $"ag{layer}";

        /// <summary>Partial sum k of an unrolled z(l)_i (reused for each i).</summary>
        public static string PartialSum(int layer, int k) => $"zp{layer}_{k}";

        /// <summary>Σ_j t_j.</summary>
        public const string TargetSum = "tSum";

        /// <summary>Σ_k q_k.</summary>
        public const string QSum = "qSum";
    }
}
