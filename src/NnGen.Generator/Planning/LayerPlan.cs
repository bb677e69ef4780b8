using System.Globalization;
using NnGen.Generator.Common;
using NnGen.Generator.Validation;

namespace NnGen.Generator.Planning
{
    /// <summary>One layer l: its size, fan-in, where W(l) and b(l) start, and its initialiser.</summary>
    internal sealed class LayerPlan
    {
        public LayerPlan(int number, LayerModel model, int fanIn, int weightOffset, bool isVectorized, bool nextIsVectorized)
        {
            Number = number;
            Model = model;
            FanIn = fanIn;
            WeightOffset = weightOffset;
            IsVectorized = isVectorized;

            int l = number;
            Z = new Slot($"z{l}", isVectorized);
            A = new Slot($"a{l}", isVectorized || nextIsVectorized);
            Delta = new Slot($"d{l}", isVectorized);
            Upstream = new Slot($"g{l}", isVectorized);
            Exp = new Slot($"e{l}", isVectorized);
        }

        /// <summary>Loops over spans with SIMD kernels rather than straight-line code.</summary>
        public bool IsVectorized { get; }

        /// <summary>z(l), the weighted input.</summary>
        public Slot Z { get; }

        /// <summary>a(l); in a span when this layer or the next is vectorised, since kernels read spans.</summary>
        public Slot A { get; }

        /// <summary>δ(l) = ∂C/∂z(l).</summary>
        public Slot Delta { get; }

        /// <summary>∂C/∂a(l), where a softmax Jacobian or a vectorised layer needs it on its own.</summary>
        public Slot Upstream { get; }

        /// <summary>e^(z(l)_i − max z(l)) of a softmax layer.</summary>
        public Slot Exp { get; }

        /// <summary>l, counting the first hidden layer as 1.</summary>
        public int Number { get; }

        public LayerModel Model { get; }

        /// <summary>The layer's size, activation and the activation's parameters.</summary>
        public LayerSpec Spec => Model.Spec;

        public int Size => Model.Size;

        public ActivationKind Activation => Model.Activation;

        /// <summary>N(l−1).</summary>
        public int FanIn { get; }

        public int WeightOffset { get; }

        public int WeightCount => Size * FanIn;

        public int BiasOffset => WeightOffset + WeightCount;

        public int End => BiasOffset + Size;

        /// <summary>The flat index of W(l)[i, j]: row i, column j.</summary>
        public int WeightIndex(int i, int j) => WeightOffset + (i * FanIn) + j;

        public int BiasIndex(int i) => BiasOffset + i;

        public bool IsDefaultLogistic => Spec.Max == LayerText.DefaultMax && Spec.Steepness == LayerText.DefaultSteepness && Spec.Midpoint == LayerText.DefaultMidpoint;

        /// <summary>Spec §5 (the weight initialisation of the derivation "Basic Algorithm", section 1.6).</summary>
        public Initializer Initializer => Activation switch
        {
            ActivationKind.Relu or ActivationKind.Elu => Initializer.He,
            ActivationKind.Logistic => Initializer.XavierTimesFour,
            _ => Initializer.Xavier,
        };

        public string Describe() => Text(Spec);

        /// <summary>"Tanh", "Elu(α = 0.5)": the activation as comments and diagnostics write it.</summary>
        public static string Text(LayerSpec layer)
        {
            var activation = (ActivationKind)layer.Activation;
            return layer.DescribeActivation(
                System.Enum.IsDefined(typeof(ActivationKind), activation) ? activation.ToString() : "activation " + layer.Activation.ToString(CultureInfo.InvariantCulture));
        }
    }

    internal enum Initializer
    {
        /// <summary>U(±√(6 / fan_in)), He et al.</summary>
        He,

        /// <summary>U(±√(6 / (fan_in + fan_out))), Glorot and Bengio.</summary>
        Xavier,

        /// <summary>4 × the Xavier bound, for logistic layers.</summary>
        XavierTimesFour,
    }
}
