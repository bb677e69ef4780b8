namespace NnGen.Generator.Common
{
    /// <summary>
    /// How large one unrolled layer comes to where it computes in Vector128 lanes: a baked network on .NET 8+ (and a
    /// snapshot). A lane runs its neuron's unrolled sum, so the IL is a vector load, multiply and add per group of
    /// neurons and input, each a call with a 4-byte token: fewer instructions than the scalar code's, but longer ones. The
    /// JIT's 60,000-byte limit then comes first for wide layers (a 96 × 96 float layer: 74,685 bytes, 19,761
    /// instructions), its 20,000-instruction limit for layers of many neurons and few inputs (1 → 224 softmax: 13,695
    /// instructions in 30,059 bytes). The lanes are cut between layers (MemberSplit.LanesRuns), never within one, so what
    /// can pass a limit is one layer on its own.
    /// </summary>
    /// <remarks>
    /// The coefficients bound, with about 5% to spare, what Roslyn wrote in Release for the largest lanes method (Loss with
    /// the output) of 53 baked single-layer networks (fan-in 1 to 96, 16 to 600 neurons, Identity, Tanh, Elu and Softmax)
    /// and 24 hidden layers of 300 neurons (fan-in 1 and 16, every activation), float and double, of those past 12,000
    /// bytes. The bound is at most about 1.4 times the real count for an output layer, and up to about 1.8 for a hidden
    /// layer, whose cost per weight varies more (Tanh's 4.2 bytes to Relu's 7.6 at fan-in 16 in float).
    /// MethodSizeProperties checks NNG027 against the IL of baked networks near both limits.
    /// </remarks>
    internal static class LanesMethodSize
    {
        /// <summary>IL bytes, at most: 7.8 a weight in float (four lanes), 15.2 in double (two), and per neuron its activation's and, in the output layer, the cost's.</summary>
        public static long Bytes(int fanIn, int size, ActivationKind activation, PrecisionKind precision, bool output) =>
            (long)(((precision == PrecisionKind.Double ? 15.2 : 7.8) * fanIn * size) + (PerNeuron(activation, output).Bytes * size));

        /// <summary>IL instructions, at most: 2.0 a weight in float, 3.9 in double, and per neuron its activation's and, in the output layer, the cost's.</summary>
        public static long Instructions(int fanIn, int size, ActivationKind activation, PrecisionKind precision, bool output) =>
            (long)(((precision == PrecisionKind.Double ? 3.9 : 2.0) * fanIn * size) + (PerNeuron(activation, output).Instructions * size));

        // The output layer's neurons carry the cost and a(L)'s writes too. Per neuron more past 255 locals, whose loads and
        // stores Roslyn writes in the long form: 1 → 300 softmax in double came to 20,515 instructions, 68.4 a neuron.
        // Softmax, and a value outside the enum (a declaration with errors), count as the dearest.
        private static (double Bytes, double Instructions) PerNeuron(ActivationKind activation, bool output) => (activation, output) switch
        {
            (ActivationKind.Identity or ActivationKind.Tanh or ActivationKind.Relu, true) => (103, 44),
            (ActivationKind.Logistic or ActivationKind.Elu, true) => (132, 53),
            (_, true) => (148, 68),
            (ActivationKind.Identity or ActivationKind.Tanh or ActivationKind.Relu or ActivationKind.Logistic or ActivationKind.Elu, false) => (80, 30),
            _ => (104, 48),
        };
    }
}
