using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The delta recursion through the hidden layers and the gradient sums (spec §4). Parameters are
    /// not changed until Step, so every W(l+1) read here is the one the forward pass used.
    /// </summary>
    internal static class BackwardEmitter
    {
        /// <summary>δ(l) from δ(l+1), for a hidden layer l.</summary>
        public static void EmitHiddenDelta(EmitContext c, LayerPlan layer, LayerPlan next)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;

            if (layer.Activation == ActivationKind.Softmax)
            {
                w.Comment($"δ({l}) = J({l})ᵀ W({l + 1})ᵀ δ({l + 1}), J_ik = a_i (δ_ik − a_k): δ_i = a_i (g_i − Σ_k a_k g_k) with g = W({l + 1})ᵀ δ({l + 1})  (§4)");
                for (int j = 0; j < layer.Size; j++)
                {
                    w.Sum($"{c.T} {Locals.Upstream(l, j)} = ", BackpropagatedTerms(next, j));
                }

                CostEmitter.EmitSoftmaxJacobianProduct(c, layer);
                return;
            }

            w.Comment($"δ({l}) = h'(z({l})) ⊙ W({l + 1})ᵀ δ({l + 1}), {ActivationCode.DerivativeEquation(layer)}  (§4)");
            for (int j = 0; j < layer.Size; j++)
            {
                string? derivative = ActivationCode.Derivative(c, layer, j);
                if (derivative is null)
                {
                    w.Sum($"{c.T} {Locals.Delta(l, j)} = ", BackpropagatedTerms(next, j));
                }
                else
                {
                    w.Sum($"{c.T} {Locals.Delta(l, j)} = {derivative} * (", BackpropagatedTerms(next, j), tail: ");");
                }
            }
        }

        /// <summary>Adds ∇W(l) C = δ(l) a(l−1)ᵀ and ∇b(l) C = δ(l) into the gradient sums.</summary>
        public static void EmitGradients(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            w.Comment($"∇W({l}) C = δ({l}) a({l - 1})ᵀ and ∇b({l}) C = δ({l}), added to the sums  (§4)");
            for (int i = 0; i < layer.Size; i++)
            {
                for (int j = 0; j < layer.FanIn; j++)
                {
                    w.Line($"grad[{layer.WeightIndex(i, j)}] += {Locals.Delta(l, i)} * {Locals.A(l - 1, j)};");
                }
            }

            for (int i = 0; i < layer.Size; i++)
            {
                w.Line($"grad[{layer.BiasIndex(i)}] += {Locals.Delta(l, i)};");
            }
        }

        // (W(l+1)ᵀ δ(l+1))_j = Σ_i W(l+1)[i, j] δ(l+1)_i: column j of the next layer's weights.
        private static List<string> BackpropagatedTerms(LayerPlan next, int j) =>
            Enumerable.Range(0, next.Size)
                .Select(i => $"{EmitContext.P(next.WeightIndex(i, j))} * {Locals.Delta(next.Number, i)}")
                .ToList();
    }
}
