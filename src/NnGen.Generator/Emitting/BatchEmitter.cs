using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;
using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// AccumulateBatch: Accumulate for many samples, with the matrix products done for a chunk of samples
    /// together (the 2-3-4-2 notebook's "Row Vector Input and Batching"; Wichmann, "General feed forward neural networks", eq. 1.3–1.4):
    /// Z(l) = A(l−1) W(l)ᵀ ⊕ b(l)ᵀ, ∇W(l) += Δ(l)ᵀ A(l−1), G(l−1) = Δ(l) W(l). Each product is one call to
    /// the runtime's register-blocked BatchKernels, which read a tile of W once for several samples. The
    /// per-sample steps (activations, cost, deltas) are the vectorised shape's code on span views into the
    /// chunk's storage.
    /// </summary>
    internal static class BatchEmitter
    {
        public static void Emit(EmitContext outer)
        {
            // A forced-Unrolled network, or an Auto one of fewer than NetworkPlan.BatchMatrixFromWeights weights, loops
            // over straight-line Accumulate per sample: the same bits as Accumulate, and for the smallest networks the
            // faster way (measured in docs/benchmarks.md).
            foreach (bool lossFunction in new[] { false, true })
            {
                if (!outer.Plan.AccumulatesBatchInMatrixForm)
                {
                    EmitPerSampleLoop(outer, lossFunction);
                }
                else
                {
                    EmitCountingCall(outer, lossFunction);
                }

                outer.Writer.Line();
                EmitIntoGradients(outer, lossFunction);
                if (!lossFunction)
                {
                    outer.Writer.Line();
                }
            }
        }

        // ", lossFunction": the argument that the overloads with a loss function of the caller's pass on.
        private static string LossArgument(bool lossFunction) => lossFunction ? ", lossFunction" : string.Empty;

        // AccumulateBatch(inputs, targets) of a network with a vectorised layer: the matrix form into the
        // network's own gradients, then the count.
        private static void EmitCountingCall(EmitContext c, bool lossFunction)
        {
            CodeWriter w = c.Writer;
            using (OpenMethod(
                c,
                " at once",
                withGradients: false,
                lossFunction,
                "Adds every sample's gradient into <see cref=\"Gradients\"/>, counts them in <see cref=\"AccumulatedSamples\"/>,",
                "and returns the sum of their costs. The same result as one Accumulate per sample, up to the order",
                "of floating-point sums, but W is read once for several samples, in register-blocked tiles."))
            {
                w.Line($"{c.T} total = {AccumulateBatch}(inputs, targets, {GradientsField}{LossArgument(lossFunction)});");
                w.Line($"{AccumulatedSamplesField} += count;");
                w.Line("return total;");
            }
        }

        // AccumulateBatch(inputs, targets, gradients): the matrix form into the caller's gradient sums. It
        // writes nothing of the network's, so threads with gradient buffers of their own can share one network.
        private static void EmitIntoGradients(EmitContext outer, bool lossFunction)
        {
            if (!outer.Plan.AccumulatesBatchInMatrixForm)
            {
                EmitIntoGradientsPerSample(outer, lossFunction);
                return;
            }

            var c = outer.For(outer.Plan.ForBatch());
            using (OpenMethod(c, " at once", withGradients: true, lossFunction, IntoGradientsSummary("Matrix products in register-blocked tiles.")))
            {
                EmitReadableTargetsCheck(c, lossFunction);
                EmitChunkedPass(c, firstLayer: 0, accumulate: null, lossFunction);
            }
        }

        // The summary of AccumulateBatch into a buffer of the caller's, ending with how this network computes it.
        private static string[] IntoGradientsSummary(string how, params string[] more)
        {
            var lines = new List<string>
            {
                "Adds every sample's gradient into <paramref name=\"gradients\"/> (laid out like <see cref=\"Parameters\"/>) and returns",
                "the sum of their costs; <see cref=\"Gradients\"/> and <see cref=\"AccumulatedSamples\"/> are left as they were. Nothing",
                "of the network's is written, so several threads may call this at once on one network, each with",
                "gradients of its own, while nothing changes the parameters. " + how,
            };
            lines.AddRange(more);
            return lines.ToArray();
        }

        // Every target before any sample, where the method computes them itself (the counting call leaves it to the
        // method it calls): a target that the loss function cannot read must not leave the samples before it added.
        private static void EmitReadableTargetsCheck(EmitContext c, bool lossFunction)
        {
            if (lossFunction)
            {
                c.Writer.Line($"{RuntimeNames.SpanGuard}.RequireReadableTargets(lossFunction, targets, count, targetCount, {OutputCount}, \"targets\");");
            }
        }

        /// <summary>
        /// AccumulateBatch(inputs, targets, gradients)'s body after its checks, from layer firstLayer + 1 on: storage for a
        /// chunk of samples, W packed once, then per chunk the forward pass, the cost and the backward pass. From layer 1
        /// the chunk's inputs are chunkInputs. From layer 2 (IRowSplitTraining) A(1) is the caller's activations and the
        /// pass ends with G(1) written into the caller's upstream. Where <paramref name="accumulate"/> names a bool, the
        /// gradient sums run only when it is true. One writer for both, so that both keep the same sums in the same order.
        /// With <paramref name="lossFunction"/>, the caller's loss function takes the cost's place (targets of targetCount values).
        /// </summary>
        internal static void EmitChunkedPass(EmitContext c, int firstLayer, string? accumulate, bool lossFunction = false)
        {
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;
            int chunk = plan.BatchChunk;
            LayerPlan first = plan.Layers[0];
            int n1 = first.Size;
            w.Line($"{c.ReadOnlySpan} p = new {c.ReadOnlySpan}({ParametersField}, 0, {ParameterCount});");
            w.Line($"{c.Span} grad = gradients;");
            w.Line();
            int last = plan.Output.Number;
            string layers = firstLayer == 0 ? string.Empty : last == 2 ? " of layer 2" : $" of layers 2..{last}";
            w.Comment($"Storage for a chunk of up to {chunk} samples{layers}, one row per sample; on the stack, declared once.");
            DeclareChunkStorage(c, forTraining: true, firstLayer);
            if (lossFunction)
            {
                w.Line($"{c.Span} lossGradient = stackalloc {c.T}[{OutputCount}];");
            }
            else
            {
                DeclareCostTemporaries(c);
            }

            DeclarePacked(c, firstLayer);
            w.Line($"{c.T} total = {c.Zero};");
            w.Line();
            using (w.Block($"for (int start = 0; start < count; start += {chunk})"))
            {
                w.Line($"int n = global::System.Math.Min({chunk}, count - start);");
                if (firstLayer == 0)
                {
                    string targetCount = lossFunction ? "targetCount" : OutputCount;
                    w.Line($"{c.ReadOnlySpan} chunkInputs = inputs.Slice(start * {InputCount}, n * {InputCount});");
                    w.Line($"{c.ReadOnlySpan} chunkTargets = targets.Slice(start * {targetCount}, n * {targetCount});");
                }
                else
                {
                    string targetCount = lossFunction ? "targetCount" : OutputCount;
                    w.Line($"{c.ReadOnlySpan} chunkTargets = targets.Slice(start * {targetCount}, n * {targetCount});");
                    w.Line($"{c.ReadOnlySpan} {Batch(first.A)} = activations.Slice(start * {n1}, n * {n1});");
                    w.Line($"{c.Span} {Batch(first.Upstream)} = upstream.Slice(start * {n1}, n * {n1});");
                }

                foreach (LayerPlan layer in plan.Layers.Skip(firstLayer))
                {
                    w.Line();
                    EmitForward(c, layer);
                }

                w.Line();
                if (lossFunction)
                {
                    EmitLossFunction(c);
                }
                else
                {
                    EmitCost(c);
                }

                for (int index = plan.Layers.Count - 1; index >= firstLayer; index--)
                {
                    w.Line();
                    if (accumulate is null)
                    {
                        EmitGradients(c, plan.Layers[index]);
                    }
                    else
                    {
                        using (w.Block($"if ({accumulate})"))
                        {
                            EmitGradients(c, plan.Layers[index]);
                        }
                    }

                    if (index > firstLayer)
                    {
                        w.Line();
                        EmitHiddenDelta(c, plan.Layers[index - 1], plan.Layers[index]);
                    }
                    else if (firstLayer > 0)
                    {
                        LayerPlan second = plan.Layers[1];
                        w.Line();
                        w.Comment("G(1) = Δ(2) W(2) for the chunk's n samples at once, for the threads that own W(1)'s rows  (§4)");
                        w.Line($"{RuntimeNames.BatchKernels}.Backpropagate({Batch(second.Delta)}, {Weights("p", second)}, {Batch(first.Upstream)}, n, {second.Size}, {second.FanIn});");
                    }
                }
            }

            w.Line();
            ReturnPacked(c, firstLayer);
            w.Line("return total;");
        }

        /// <summary>
        /// Whether ForwardBatch takes the matrix form: when a layer is vectorised. Its sums then run in another
        /// order than Forward's, so the outputs may differ from Forward's in the last bits. A network whose
        /// layers are all unrolled keeps the loop over Forward: the same bits as Forward are why one chooses
        /// unrolled code.
        /// </summary>
        public static bool CanForwardInChunks(NetworkPlan plan) => plan.HasVectorizedLayer;

        /// <summary>
        /// Whether this class's ForwardBatch and LossBatch run a chunk of samples at a time. A trainable network does
        /// wherever <see cref="CanForwardInChunks"/>. A class whose parameters are fixed (a snapshot, a baked network)
        /// promises the bits of Forward and Loss on every machine, so it does only where every layer reads the packed
        /// panels, whose batch kernel gives each sample the one-sample expression; a layer computed unrolled or in
        /// lanes, or no packed panels (netstandard2.1), sums in another order there, so it loops over Forward and Loss.
        /// </summary>
        public static bool ChunksInference(EmitContext c) =>
            c.FixedParameters ? c.PackedField is not null && c.Plan.Layers.All(l => l.IsVectorized) : CanForwardInChunks(c.Plan);

        /// <summary>ForwardBatch's body after the span checks: Z(l) = A(l−1) W(l)ᵀ ⊕ b(l)ᵀ a chunk of samples at a time.</summary>
        public static void EmitForwardInChunks(EmitContext outer) => EmitInferenceInChunks(outer, withCost: false);

        /// <summary>
        /// LossBatch's body after the span checks: the layers as ForwardBatch runs them, a chunk of samples at a time, then
        /// per sample a(L) into outputs and the cost, by the code AccumulateBatch uses for it, into losses.
        /// </summary>
        public static void EmitLossInChunks(EmitContext outer) => EmitInferenceInChunks(outer, withCost: true);

        // One writer for ForwardBatch and LossBatch, so that both compute the layers the same way.
        private static void EmitInferenceInChunks(EmitContext outer, bool withCost)
        {
            var c = outer.For(outer.Plan.ForBatch());
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;
            LayerPlan output = plan.Output;
            int chunk = plan.BatchChunk;
            w.Line($"{c.ReadOnlySpan} p = new {c.ReadOnlySpan}({ParametersField}, 0, {ParameterCount});");
            w.Comment($"Storage for a chunk of up to {chunk} samples, one row per sample; the output layer writes into outputs.");
            DeclareChunkStorage(c, forTraining: false);
            if (withCost)
            {
                DeclareCostTemporaries(c, forBackward: false);
            }

            DeclarePacked(c);

            w.Line();
            using (w.Block($"for (int start = 0; start < count; start += {chunk})"))
            {
                w.Line($"int n = global::System.Math.Min({chunk}, count - start);");
                w.Line($"{c.ReadOnlySpan} chunkInputs = inputs.Slice(start * {InputCount}, n * {InputCount});");
                if (withCost)
                {
                    w.Line($"{c.ReadOnlySpan} chunkTargets = targets.Slice(start * {OutputCount}, n * {OutputCount});");
                }

                foreach (LayerPlan layer in plan.Layers)
                {
                    w.Line();
                    EmitForward(c, layer);
                }

                w.Comment(withCost
                    ? $"Per sample: a({output.Number}) into outputs, and the cost C into losses  (§2, §3)"
                    : ActivationCode.Equation(output) + ", per sample, into outputs  (§2)");
                using (w.Block("for (int s = 0; s < n; s++)"))
                {
                    if (withCost)
                    {
                        w.Line($"{c.ReadOnlySpan} target = chunkTargets.Slice(s * {output.Size}, {output.Size});");
                    }

                    DeclareViews(c, output, output.Z, output.Activation == ActivationKind.Softmax ? output.Exp : null);
                    w.Line($"{c.Span} {output.A.Name} = outputs.Slice((start + s) * {OutputCount}, {OutputCount});");
                    EmitActivation(c, output, keepSoftmaxSums: withCost);
                    if (withCost)
                    {
                        using (c.ViewsOnly())
                        {
                            CostEmitter.EmitLoss(c, forBackward: false);
                        }

                        w.Line("losses[start + s] = loss;");
                    }
                }
            }

            ReturnPacked(c);
        }

        // The documentation, header and span checks that both forms of AccumulateBatch share.
        private static System.IDisposable OpenMethod(EmitContext c, string atOnce, bool withGradients, bool lossFunction, params string[] summary)
        {
            CodeWriter w = c.Writer;
            string loss = lossFunction ? $", {GradientEmitter.LossFunctionType(c).Replace('<', '{').Replace('>', '}')}" : string.Empty;
            var lines = new List<string>
            {
                $"<see cref=\"Accumulate(global::System.ReadOnlySpan{{{c.T}}}, global::System.ReadOnlySpan{{{c.T}}}{loss})\"/> for every sample of a batch{atOnce}: <paramref name=\"inputs\"/> holds the samples'",
                lossFunction
                    ? $"inputs one after another ({c.Plan.InputCount} values each), <paramref name=\"targets\"/> their targets (as many values each as the loss function's TargetCount gives)."
                    : $"inputs one after another ({c.Plan.InputCount} values each), <paramref name=\"targets\"/> their targets ({c.Plan.Output.Size} each).",
            };
            lines.AddRange(summary);
            if (lossFunction)
            {
                lines.Add("The caller's <paramref name=\"lossFunction\"/> takes the declared cost's place: its losses are summed and its gradients backpropagated.");
            }

            w.SummaryBlock(lines.ToArray());
            string nullLoss = lossFunction ? ", lossFunction is null, or a target is one it cannot read (its CheckTarget)" : string.Empty;
            w.Line(withGradients
                ? $"/// <exception cref=\"global::System.ArgumentException\">The spans do not hold whole, matching samples, gradients does not hold {c.Plan.ParameterCount} values, or it shares memory with inputs, targets or the parameters{nullLoss}; nothing is changed.</exception>"
                : $"/// <exception cref=\"global::System.ArgumentException\">The spans do not hold whole, matching samples{nullLoss}; nothing is changed.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            string lossParameter = lossFunction ? $", {GradientEmitter.LossFunctionType(c)} lossFunction" : string.Empty;
            System.IDisposable method = w.Block(withGradients
                ? $"public {c.T} {AccumulateBatch}({c.ReadOnlySpan} inputs, {c.ReadOnlySpan} targets, {c.Span} gradients{lossParameter})"
                : $"public {c.T} {AccumulateBatch}({c.ReadOnlySpan} inputs, {c.ReadOnlySpan} targets{lossParameter})");
            if (lossFunction)
            {
                w.Line($"int targetCount = {RuntimeNames.SpanGuard}.TargetCount(lossFunction, {Architecture});");
            }

            PassEmitter.EmitBatchChecks(w, "targets", lossFunction ? "targetCount" : OutputCount);
            if (withGradients)
            {
                using (w.Block($"if (gradients.Length != {ParameterCount})"))
                {
                    w.Line($"throw {RuntimeNames.SpanGuard}.LengthMismatch(\"gradients\", {ParameterCount}, gradients.Length);");
                }

                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparateGradients<{c.T}>(gradients, inputs, targets, {ParametersField});");
            }

            return method;
        }

        /// <summary>
        /// AccumulateBatch(inputs, targets, gradients) of a network that accumulates one sample at a time (forced Unrolled, or
        /// Auto below <see cref="NetworkPlan.BatchMatrixFromWeights"/> weights): Accumulate's own statements (AccumulateInto)
        /// once per sample, the sums added into the caller's gradients. The Trainer's threads go through this overload, so a
        /// forced-Unrolled network trains to the same bits on every machine with any thread count, as with one; the matrix
        /// form, which this overload used to run for every network, sums across vector lanes. With a loss function: Forward,
        /// its Evaluate and the shared backward pass of the given gradient, as that Accumulate overload runs them.
        /// </summary>
        private static void EmitIntoGradientsPerSample(EmitContext c, bool lossFunction)
        {
            CodeWriter w = c.Writer;
            using (OpenMethod(
                c,
                string.Empty,
                withGradients: true,
                lossFunction,
                IntoGradientsSummary("Every layer of this network is unrolled, so each sample", "runs Accumulate's own statements, with its sums added into gradients: the bits of one Accumulate per sample.")))
            {
                EmitReadableTargetsCheck(c, lossFunction);
                if (lossFunction)
                {
                    w.Comment("a(L) and g = ∂C/∂a(L) of each sample on the stack: the network's own scratch array is not this call's to write  (§6.1, §6.2)");
                    w.Line($"{c.Span} output = stackalloc {c.T}[{OutputCount}];");
                    w.Line($"{c.Span} gradient = stackalloc {c.T}[{OutputCount}];");
                }

                w.Line($"{c.T} total = {c.Zero};");
                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    if (lossFunction)
                    {
                        w.Line($"{c.ReadOnlySpan} input = inputs.Slice(s * {InputCount}, {InputCount});");
                        GradientEmitter.EmitLossFunctionSample(c, "targets.Slice(s * targetCount, targetCount)", "total +=", "gradients");
                    }
                    else
                    {
                        w.Line($"total += {AccumulateInto}(inputs.Slice(s * {InputCount}, {InputCount}), targets.Slice(s * {OutputCount}, {OutputCount}), gradients);");
                    }
                }

                w.Line("return total;");
            }
        }

        private static void EmitPerSampleLoop(EmitContext c, bool lossFunction)
        {
            CodeWriter w = c.Writer;
            using (OpenMethod(
                c,
                string.Empty,
                withGradients: false,
                lossFunction,
                "Returns the sum of their costs. Every layer of this network is small enough to be unrolled, and",
                "unrolled code is fastest one sample at a time, so this calls Accumulate for each sample."))
            {
                EmitReadableTargetsCheck(c, lossFunction);
                string targetCount = lossFunction ? "targetCount" : OutputCount;
                w.Line($"{c.T} total = {c.Zero};");
                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line($"total += {Accumulate}(inputs.Slice(s * {InputCount}, {InputCount}), targets.Slice(s * {targetCount}, {targetCount}){LossArgument(lossFunction)});");
                }

                w.Line("return total;");
            }
        }

        // Z(l) = A(l−1) W(l)ᵀ ⊕ b(l)ᵀ, then a(l) = h(z(l)) per sample (the output's is taken with the cost).
        private static void EmitForward(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            w.Comment($"Layer {l}: Z({l}) = A({l - 1}) W({l})ᵀ ⊕ b({l})ᵀ for the chunk's n samples at once  (§1)");
            w.Line(c.PackedField is { } packed
                ? $"{RuntimeNames.BatchKernels}.ForwardPacked({Previous(c, layer)}, {packed}[{l - 1}], {Batch(layer.Z)}, n, {layer.Size}, {layer.FanIn});"
                : $"{RuntimeNames.BatchKernels}.Forward({Previous(c, layer)}, {Weights("p", layer)}, {Packed(layer)}, {Biases("p", layer)}, {Batch(layer.Z)}, n, {layer.Size}, {layer.FanIn});");

            if (layer == c.Plan.Output)
            {
                return;
            }

            w.Comment(ActivationCode.Equation(layer) + ", per sample  (§2)");
            using (w.Block("for (int s = 0; s < n; s++)"))
            {
                DeclareViews(c, layer, layer.Z, layer.A, layer.Activation == ActivationKind.Softmax ? layer.Exp : null);
                EmitActivation(c, layer, keepSoftmaxSums: false);
            }
        }

        // Per sample: a(L), the cost, and δ(L), by the vectorised shape's own code.
        private static void EmitCost(EmitContext c)
        {
            CodeWriter w = c.Writer;
            LayerPlan output = c.Plan.Output;
            w.Comment($"Per sample: a({output.Number}), the cost C and δ({output.Number})  (§2, §3)");
            using (w.Block("for (int s = 0; s < n; s++)"))
            {
                w.Line($"{c.ReadOnlySpan} target = chunkTargets.Slice(s * {output.Size}, {output.Size});");
                DeclareViews(c, output, output.Z, output.A, output.Delta, output.Activation == ActivationKind.Softmax ? output.Exp : null);
                EmitActivation(c, output, keepSoftmaxSums: true);
                using (c.ViewsOnly())
                {
                    CostEmitter.EmitLoss(c, forBackward: true);
                    CostEmitter.EmitOutputDelta(c);
                }

                w.Line("total += loss;");
            }
        }

        // Per sample: a(L), then the caller's loss function gives C and g = ∂C/∂a(L), and δ(L) follows from g.
        private static void EmitLossFunction(EmitContext c)
        {
            CodeWriter w = c.Writer;
            LayerPlan output = c.Plan.Output;
            int l = output.Number;
            w.Comment($"Per sample: a({l}), then the loss function's C and g = ∂C/∂a({l}) (from 0), and δ({l}) from g  (§2, §6.1)");
            using (w.Block("for (int s = 0; s < n; s++)"))
            {
                w.Line($"{c.ReadOnlySpan} target = chunkTargets.Slice(s * targetCount, targetCount);");
                DeclareViews(c, output, output.Z, output.A, output.Delta, output.Activation == ActivationKind.Softmax ? output.Exp : null);
                EmitActivation(c, output, keepSoftmaxSums: false);
                w.Line("lossGradient.Clear();");
                w.Line($"total += lossFunction.Evaluate({output.A.Name}, target, lossGradient);");
                using (c.ViewsOnly())
                {
                    CostEmitter.EmitOutputDeltaFromGradient(c, "lossGradient");
                }
            }
        }

        // ∇W(l) += Δ(l)ᵀ A(l−1) and ∇b(l) += Σ_s δ(l)_s for the whole chunk.
        private static void EmitGradients(EmitContext c, LayerPlan layer)
        {
            int l = layer.Number;
            c.Writer.Comment($"∇W({l}) C += Δ({l})ᵀ A({l - 1}) and ∇b({l}) C += Σ_s δ({l})_s, the samples in order  (§4)");
            c.Writer.Line($"{RuntimeNames.BatchKernels}.AccumulateGradient({Batch(layer.Delta)}, {Previous(c, layer)}, {Weights("grad", layer)}, {Biases("grad", layer)}, n, {layer.Size}, {layer.FanIn});");
        }

        // G(l) = Δ(l+1) W(l+1), a row of W(l+1) against every sample; then δ(l) from g(l) per sample.
        private static void EmitHiddenDelta(EmitContext c, LayerPlan layer, LayerPlan next)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            string upstream = Batch(layer.Upstream);
            w.Comment($"G({l}) = Δ({l + 1}) W({l + 1}) for the chunk's n samples at once  (§4)");
            w.Line($"{RuntimeNames.BatchKernels}.Backpropagate({Batch(next.Delta)}, {Weights("p", next)}, {upstream}, n, {next.Size}, {next.FanIn});");

            w.Comment(layer.Activation == ActivationKind.Softmax
                ? $"δ({l}) = J({l})ᵀ g({l}), J_ik = a_i (δ_ik − a_k), per sample  (§4)"
                : $"δ({l}) = h'(z({l})) ⊙ g({l}), {ActivationCode.DerivativeEquation(layer)}, per sample  (§4)");
            using (w.Block("for (int s = 0; s < n; s++)"))
            {
                DeclareViews(c, layer, layer.Z, layer.A, layer.Upstream, layer.Delta);
                using (c.ViewsOnly())
                {
                    if (layer.Activation == ActivationKind.Softmax)
                    {
                        BackwardEmitter.EmitSoftmaxJacobianProduct(c, layer);
                    }
                    else if (ActivationCode.Derivative(c, layer, "i") is null)
                    {
                        w.Line($"{layer.Upstream.Name}.CopyTo({layer.Delta.Name});");
                    }
                    else if (ActivationCode.DerivativeKernelCall(c, layer) is { } call)
                    {
                        w.Line(call);
                    }
                    else
                    {
                        Neurons.Assign(c, loop: true, layer.Size, layer.Delta, i => $"{ActivationCode.Derivative(c, layer, i)} * {layer.Upstream[i]}");
                    }
                }
            }
        }

        internal static void EmitActivation(EmitContext c, LayerPlan layer, bool keepSoftmaxSums)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            switch (layer.Activation)
            {
                case ActivationKind.Softmax when keepSoftmaxSums:
                    w.Line($"({c.T} {Locals.Max(l)}, {c.T} {Locals.Sum(l)}) = {RuntimeNames.Kernels}.Softmax({layer.Z.Name}, {layer.Exp.Name}, {layer.A.Name});");
                    break;
                case ActivationKind.Softmax:
                    w.Line($"{RuntimeNames.Kernels}.Softmax({layer.Z.Name}, {layer.Exp.Name}, {layer.A.Name});");
                    break;
                case ActivationKind.Identity:
                    w.Line($"{layer.Z.Name}.CopyTo({layer.A.Name});");
                    break;
                default:
                    w.Line(ActivationCode.KernelCall(c, layer));
                    break;
            }
        }

        // Z, A, e^z (softmax) of every layer, and for training δ and ∂C/∂a as well; inference writes the
        // output layer's A straight into outputs.
        private static void DeclareChunkStorage(EmitContext c, bool forTraining, int firstLayer = 0)
        {
            NetworkPlan plan = c.Plan;
            foreach (LayerPlan layer in plan.Layers.Skip(firstLayer))
            {
                bool output = layer == plan.Output;
                Slot?[] slots =
                {
                    layer.Z,
                    forTraining || !output ? layer.A : null,
                    forTraining ? layer.Delta : null,
                    forTraining && !output ? layer.Upstream : null,
                    layer.Activation == ActivationKind.Softmax ? layer.Exp : null,
                };
                foreach (Slot? slot in slots)
                {
                    if (slot is not null)
                    {
                        c.Writer.Line($"{c.Span} {Batch(slot)} = stackalloc {c.T}[{plan.BatchChunk * layer.Size}];");
                    }
                }
            }
        }

        // The cost's per-sample temporaries (a(L) − t, and what softmax outputs need), reused by every sample; without
        // forBackward, only what the cost itself reads (CostEmitter.EmitLoss without δ).
        private static void DeclareCostTemporaries(EmitContext c, bool forBackward = true)
        {
            NetworkPlan plan = c.Plan;
            LayerPlan output = plan.Output;
            if (CostEmitter.UsesResidual(plan, forBackward))
            {
                Neurons.Declare(c, plan.Residual, output.Size);
            }

            if (plan.OutputDelta == OutputDeltaForm.SoftmaxBinaryCrossEntropy)
            {
                if (forBackward)
                {
                    Neurons.Declare(c, plan.Odds, output.Size);
                }

                Neurons.Declare(c, plan.Scaled, output.Size);
            }

            if (forBackward && plan.OutputDelta == OutputDeltaForm.SoftmaxChain)
            {
                Neurons.Declare(c, output.Upstream, output.Size);
            }
        }

        // "Span<T> z2 = z2b.Slice(s * 10, 10);" for each slot: the per-sample code sees its usual names.
        private static void DeclareViews(EmitContext c, LayerPlan layer, params Slot?[] slots)
        {
            foreach (Slot? slot in slots)
            {
                if (slot is not null)
                {
                    c.Writer.Line($"{c.Span} {slot.Name} = {Batch(slot)}.Slice(s * {layer.Size}, {layer.Size});");
                }
            }
        }

        // A(l−1), the chunk's inputs to the layer, one sample per row: the inputs for layer 1, the batch storage otherwise.
        private static string Previous(EmitContext c, LayerPlan layer) =>
            layer.Number == 1 ? "chunkInputs" : Batch(c.Plan.Layers[layer.Number - 2].A);

        // W(l) and b(l) in the flat parameters (or gradients).
        private static string Weights(string flat, LayerPlan layer) => $"{flat}.Slice({layer.WeightOffset}, {layer.WeightCount})";

        private static string Biases(string flat, LayerPlan layer) => $"{flat}.Slice({layer.BiasOffset}, {layer.Size})";

        private static string Batch(Slot slot) => slot.Name + "b";

        private static string Packed(LayerPlan layer) => "packed" + layer.Number;

        // Before the chunks: W(l) and b(l) packed once for all of them (the parameters do not change during the call),
        // unless the class keeps them packed already.
        private static void DeclarePacked(EmitContext c, int firstLayer = 0)
        {
            CodeWriter w = c.Writer;
            if (c.PackedField is not null)
            {
                w.Comment($"W(l) and b(l) as {c.PackedField} holds them, packed in panels of rows when the parameters were fixed.");
                return;
            }

            w.Comment("W(l) and b(l) packed once for every chunk, in panels of one vector of rows, column by column: the runtime's GEMM tiles then");
            w.Comment("need no sums across vector lanes. Null where packing does not pay (few samples, small layers, no AVX-512).");
            foreach (LayerPlan layer in c.Plan.Layers.Skip(firstLayer))
            {
                w.Line($"{c.T}[]? {Packed(layer)} = {RuntimeNames.BatchKernels}.Pack({Weights("p", layer)}, {Biases("p", layer)}, count, {layer.Size}, {layer.FanIn});");
            }
        }

        private static void ReturnPacked(EmitContext c, int firstLayer = 0)
        {
            if (c.PackedField is not null)
            {
                return;
            }

            foreach (LayerPlan layer in c.Plan.Layers.Skip(firstLayer))
            {
                c.Writer.Line($"{RuntimeNames.BatchKernels}.Return({Packed(layer)});");
            }
        }
    }
}
