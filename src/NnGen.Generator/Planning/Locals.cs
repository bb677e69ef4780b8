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

        /// <summary>The largest z(l) but one in a softmax output under binary cross-entropy (m itself where the maximum is shared).</summary>
        public static string SecondMax(int layer) => $"mo{layer}";

        /// <summary>The running maximum that <see cref="SecondMax"/> is found beside.</summary>
        public static string RunningMax(int layer) => $"mr{layer}";

        /// <summary>Σ_p f_p, the outputs' e^(min(z_p − m', 0)).</summary>
        public static string ScaledSum(int layer) => $"fs{layer}";

        /// <summary>O = Σ_{p≠k} e^(z_p − m') for k at the maximum: o_k relative to the largest z but one.</summary>
        public static string OthersOfMax(int layer) => $"os{layer}";

        /// <summary>Σ_k u_k, the odds terms (1 − t_k) e_k / o_k of the outputs below the maximum.</summary>
        public const string OddsSum = "uSum";

        /// <summary>Σ_k v_k, the 1 − t_k of the outputs at the maximum.</summary>
        public const string AtMaxSum = "vSum";
    }
}
