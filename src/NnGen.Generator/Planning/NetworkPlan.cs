using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Validation;

namespace NnGen.Generator.Planning
{
    /// <summary>
    /// Stage 3: everything the emitter needs decided before it writes a line: where each layer's
    /// parameters sit in the flat array, how the output delta is formed, and which initialiser each
    /// layer gets. Derived from the model alone, so it is not cached separately.
    /// </summary>
    internal sealed class NetworkPlan
    {
        private NetworkPlan(NetworkModel model, IReadOnlyList<LayerPlan> layers, int parameterCount)
        {
            Model = model;
            Layers = layers;
            ParameterCount = parameterCount;
            OutputDelta = ChooseOutputDelta(model.Cost, Output);
        }

        public NetworkModel Model { get; }

        /// <summary>Layers 1..L; Layers[0] is layer 1.</summary>
        public IReadOnlyList<LayerPlan> Layers { get; }

        public LayerPlan Output => Layers[Layers.Count - 1];

        public int InputCount => Model.Inputs;

        public int ParameterCount { get; }

        public CostKind Cost => Model.Cost;

        public OutputDeltaForm OutputDelta { get; }

        public static NetworkPlan Create(NetworkModel model)
        {
            var layers = new List<LayerPlan>();
            int offset = 0;
            int fanIn = model.Inputs;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                LayerModel layer = model.Layers[i];
                layers.Add(new LayerPlan(i + 1, layer, fanIn, offset));
                offset += (fanIn + 1) * layer.Size;
                fanIn = layer.Size;
            }

            return new NetworkPlan(model, layers, offset);
        }

        /// <summary>"2 → 3 Tanh → 2 Identity", for comments.</summary>
        public string Describe() =>
            InputCount + " inputs → " + string.Join(" → ", Layers.Select(l => l.Size + " " + l.Describe()));

        // Where the general δ(L) = J(L)ᵀ ∇a C would divide by a, the pair is fused into a form that
        // does not (spec §3); everything else takes the general chain rule.
        private static OutputDeltaForm ChooseOutputDelta(CostKind cost, LayerPlan output)
        {
            bool softmax = output.Activation == ActivationKind.Softmax;
            return cost switch
            {
                CostKind.CrossEntropy => softmax ? OutputDeltaForm.SoftmaxCrossEntropy : OutputDeltaForm.LogisticCrossEntropy,
                CostKind.BinaryCrossEntropy => softmax ? OutputDeltaForm.SoftmaxBinaryCrossEntropy : OutputDeltaForm.LogisticBinaryCrossEntropy,
                _ => softmax ? OutputDeltaForm.SoftmaxChain : OutputDeltaForm.ElementwiseChain,
            };
        }
    }

    /// <summary>How δ(L) is computed from the output and the target.</summary>
    internal enum OutputDeltaForm
    {
        /// <summary>δ = h'(z) ⊙ ∇a C, for a squared cost after an element-wise activation.</summary>
        ElementwiseChain,

        /// <summary>δ = J(L)ᵀ ∇a C with the softmax Jacobian, for a squared cost after softmax.</summary>
        SoftmaxChain,

        /// <summary>δ_i = a_i Σ_j t_j − t_i (spec §3, fused).</summary>
        SoftmaxCrossEntropy,

        /// <summary>δ = −k t (1 − a / Max): the chain rule with a cancelled.</summary>
        LogisticCrossEntropy,

        /// <summary>δ = J(L)ᵀ ∇a C, with a_k (∂C/∂a_k) = (a_k − t_k) / (1 − a_k) so that nothing divides by a.</summary>
        SoftmaxBinaryCrossEntropy,

        /// <summary>δ = k (a − t) for Max = 1 (spec §3, fused); k (1 − a / Max)(a − t) / (1 − a) otherwise.</summary>
        LogisticBinaryCrossEntropy,
    }
}
