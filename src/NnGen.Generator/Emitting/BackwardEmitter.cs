using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The delta recursion through the hidden layers and the gradient sums (spec §4). Parameters are
    /// not changed until Step, so every W(l+1) read here is the one the forward pass used. Vectorised
    /// layers never read W by column: Wᵀδ is built as Σ_i δ_i · row_i and δ aᵀ row by row, both AXPYs
    /// on contiguous memory.
    /// </summary>
    internal static class BackwardEmitter
    {
        /// <summary>δ(l) from δ(l+1), for a hidden layer l.</summary>
        public static void EmitHiddenDelta(EmitContext c, LayerPlan layer, LayerPlan next)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            bool softmax = layer.Activation == ActivationKind.Softmax;

            w.Comment(softmax
                ? $"δ({l}) = J({l})ᵀ W({l + 1})ᵀ δ({l + 1}), J_ik = a_i (δ_ik − a_k): δ_i = a_i (g_i − Σ_k a_k g_k) with g = W({l + 1})ᵀ δ({l + 1})  (§4)"
                : $"δ({l}) = h'(z({l})) ⊙ W({l + 1})ᵀ δ({l + 1}), {ActivationCode.DerivativeEquation(layer)}  (§4)");

            if (layer.IsVectorized)
            {
                // g = W(l+1)ᵀ δ(l+1) = Σ_i δ(l+1)_i · (row i of W(l+1)).
                EmitUpstreamSpan(c, layer, next, layer.Upstream.Name);

                if (softmax)
                {
                    EmitSoftmaxJacobianProduct(c, layer);
                    return;
                }

                string? derivative = ActivationCode.Derivative(c, layer, "i");
                if (derivative is null)
                {
                    w.Line($"{c.Span} {layer.Delta.Name} = {layer.Upstream.Name};");
                    return;
                }

                Neurons.Declare(c, layer.Delta, layer.Size);
                if (ActivationCode.DerivativeKernelCall(c, layer) is { } call)
                {
                    w.Line(call);
                    return;
                }

                Neurons.Assign(c, loop: true, layer.Size, layer.Delta, i => $"{ActivationCode.Derivative(c, layer, i)} * {layer.Upstream[i]}");
                return;
            }

            if (next.IsVectorized)
            {
                // A small unrolled layer before a wide vectorised one: column j of W(l+1) has as many terms as
                // the wide layer has neurons, so g is built by rows in a span, and only δ(l) is unrolled.
                string upstream = layer.Upstream.Name;
                EmitUpstreamSpan(c, layer, next, upstream);
                for (int j = 0; j < layer.Size; j++)
                {
                    string gj = $"{upstream}[{j.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
                    if (softmax)
                    {
                        w.Line($"{c.T} {layer.Upstream[j]} = {gj};");
                        continue;
                    }

                    string? derivative = ActivationCode.Derivative(c, layer, j.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.Line(derivative is null ? $"{c.T} {layer.Delta[j]} = {gj};" : $"{c.T} {layer.Delta[j]} = {derivative} * {gj};");
                }

                if (softmax)
                {
                    EmitSoftmaxJacobianProduct(c, layer);
                }

                return;
            }

            if (softmax)
            {
                for (int j = 0; j < layer.Size; j++)
                {
                    w.Sum($"{c.T} {layer.Upstream[j]} = ", BackpropagatedTerms(next, j));
                }

                EmitSoftmaxJacobianProduct(c, layer);
                return;
            }

            for (int j = 0; j < layer.Size; j++)
            {
                string? derivative = ActivationCode.Derivative(c, layer, j.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (derivative is null)
                {
                    w.Sum($"{c.T} {layer.Delta[j]} = ", BackpropagatedTerms(next, j));
                }
                else
                {
                    w.Sum($"{c.T} {layer.Delta[j]} = {derivative} * (", BackpropagatedTerms(next, j), tail: ");");
                }
            }
        }

        /// <summary>
        /// δ(l)_i = a_i (g_i − Σ_k a_k g_k): the product of a softmax Jacobian with the gradient g(l)
        /// (the derivation "Basic Algorithm", eq. 2.12). A hidden softmax layer's own step of the delta recursion; a softmax output applies it too, to the cost's gradient or the caller's.
        /// </summary>
        public static void EmitSoftmaxJacobianProduct(EmitContext c, LayerPlan layer)
        {
            string dot = Locals.UpstreamDot(layer.Number);
            Neurons.Sum(c, layer.IsVectorized, layer.Size, dot, k => $"{layer.A[k]} * {layer.Upstream[k]}");
            Neurons.Declare(c, layer.Delta, layer.Size);
            Neurons.Assign(c, layer.IsVectorized, layer.Size, layer.Delta, i => $"{layer.A[i]} * ({layer.Upstream[i]} - {dot})");
        }

        /// <summary>Adds ∇W(l) C = δ(l) a(l−1)ᵀ and ∇b(l) C = δ(l) into the gradient sums.</summary>
        public static void EmitGradients(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            Slot previous = c.Plan.Activations(l - 1);
            w.Comment($"∇W({l}) C = δ({l}) a({l - 1})ᵀ and ∇b({l}) C = δ({l}), added to the sums  (§4)");

            if (layer.IsVectorized)
            {
                w.Line($"{RuntimeNames.BatchKernels}.AccumulateGradient({layer.Delta.Name}, {previous.Name}, grad.Slice({layer.WeightOffset}, {layer.WeightCount}), grad.Slice({layer.BiasOffset}, {layer.Size}), 1, {layer.Size}, {layer.FanIn});");
                return;
            }

            for (int i = 0; i < layer.Size; i++)
            {
                for (int j = 0; j < layer.FanIn; j++)
                {
                    w.Line($"grad[{layer.WeightIndex(i, j)}] += {layer.Delta[i]} * {previous[j]};");
                }
            }

            for (int i = 0; i < layer.Size; i++)
            {
                w.Line($"grad[{layer.BiasIndex(i)}] += {layer.Delta[i]};");
            }
        }

        // One statement per neuron of `layer`: a loop over its span when it is vectorised, one line per
        // neuron when its deltas are locals.
        private static void ForEachNeuron(EmitContext c, LayerPlan layer, System.Func<string, string> statement)
        {
            if (layer.IsVectorized)
            {
                using (c.Writer.Block($"for (int i = 0; i < {layer.Size}; i++)"))
                {
                    c.Writer.Line(statement("i"));
                }

                return;
            }

            for (int i = 0; i < layer.Size; i++)
            {
                c.Writer.Line(statement(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        // g = Σ_i δ(l+1)_i · (row i of W(l+1)) into a stack span. The span is cleared before the sums: under
        // [module: SkipLocalsInit] stackalloc memory holds whatever the stack held before.
        private static void EmitUpstreamSpan(EmitContext c, LayerPlan layer, LayerPlan next, string name)
        {
            c.Writer.Line($"{c.Span} {name} = stackalloc {c.T}[{layer.Size}];");
            EmitTransposedProduct(c, next, name);
        }

        /// <summary>
        /// ∂C/∂a(0) = W(1)ᵀ δ(1) into the caller's <c>inputGradient</c> (spec §6.1): by rows of W(1) when layer 1
        /// is vectorised, as one written-out sum per input when it is unrolled (at most 256 terms in all).
        /// </summary>
        public static void EmitInputGradient(EmitContext c)
        {
            LayerPlan first = c.Plan.Layers[0];
            c.Writer.Comment("∂C/∂a(0) = W(1)ᵀ δ(1), written into inputGradient  (§6.1)");
            if (first.IsVectorized)
            {
                EmitTransposedProduct(c, first, "inputGradient");
                return;
            }

            for (int j = 0; j < first.FanIn; j++)
            {
                c.Writer.Sum($"inputGradient[{j.ToString(System.Globalization.CultureInfo.InvariantCulture)}] = ", BackpropagatedTerms(first, j));
            }
        }

        // target = Σ_i δ(next)_i · (row i of W(next)): one kernel call when δ(next) is a span, else cleared and
        // summed row by row.
        private static void EmitTransposedProduct(EmitContext c, LayerPlan next, string target)
        {
            if (next.IsVectorized)
            {
                c.Writer.Line($"{RuntimeNames.BatchKernels}.Backpropagate({next.Delta.Name}, p.Slice({next.WeightOffset}, {next.WeightCount}), {target}, 1, {next.Size}, {next.FanIn});");
                return;
            }

            c.Writer.Line($"{target}.Clear();");
            ForEachNeuron(c, next, i =>
                $"{RuntimeNames.Kernels}.MultiplyAdd(p.Slice({EmitContext.RowStart(next.WeightOffset, i, next.FanIn)}, {next.FanIn}), {next.Delta[i]}, {target});");
        }

        // (W(l+1)ᵀ δ(l+1))_j = Σ_i W(l+1)[i, j] δ(l+1)_i: column j of the next layer's weights.
        private static List<string> BackpropagatedTerms(LayerPlan next, int j) =>
            Enumerable.Range(0, next.Size)
                .Select(i => $"{EmitContext.P(next.WeightIndex(i, j))} * {next.Delta[i]}")
                .ToList();
    }
}
