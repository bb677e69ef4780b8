namespace NnGen.Generator.Planning
{
    /// <summary>
    /// The names of the generated locals, one scheme for every method: the letter is the symbol in
    /// the equations, the first number the layer l, the second the neuron. a0_j is input j.
    /// </summary>
    internal static class Locals
    {
        /// <summary>z(l)_i, the weighted input.</summary>
        public static string Z(int layer, int i) => $"z{layer}_{i}";

        /// <summary>a(l)_i, the activation; a(0) is the input.</summary>
        public static string A(int layer, int i) => $"a{layer}_{i}";

        /// <summary>δ(l)_i = ∂C/∂z(l)_i.</summary>
        public static string Delta(int layer, int i) => $"d{layer}_{i}";

        /// <summary>∂C/∂a(l)_i, needed where a softmax Jacobian follows.</summary>
        public static string Upstream(int layer, int i) => $"g{layer}_{i}";

        /// <summary>Σ_k a(l)_k ∂C/∂a(l)_k, the shared term of a softmax Jacobian product.</summary>
        public static string UpstreamDot(int layer) => $"ag{layer}";

        /// <summary>e^(z(l)_i − max z(l)) in a softmax layer.</summary>
        public static string Exp(int layer, int i) => $"e{layer}_{i}";

        /// <summary>max_i z(l)_i in a softmax layer.</summary>
        public static string Max(int layer) => $"m{layer}";

        /// <summary>Σ_i e(l)_i in a softmax layer.</summary>
        public static string Sum(int layer) => $"s{layer}";

        /// <summary>ln s(l), the log of a softmax layer's normaliser.</summary>
        public static string LogSum(int layer) => $"lns{layer}";

        /// <summary>Σ_j t_j.</summary>
        public const string TargetSum = "tSum";

        /// <summary>q_k = a_k ∂C/∂a_k for binary cross-entropy after softmax.</summary>
        public static string Q(int k) => $"q{k}";

        /// <summary>Σ_k q_k.</summary>
        public const string QSum = "qSum";

        /// <summary>a(L)_k − t_k, the residual.</summary>
        public static string Residual(int k) => $"r{k}";

        /// <summary>Σ_{p≠k} e(L)_p = s(L)(1 − a(L)_k), computed without cancellation.</summary>
        public static string Others(int k) => $"o{k}";
    }
}
