using NnGen.Generator.Common;
using NnGen.Generator.Planning;
using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The runtime's IRowSplitTraining: AccumulateBatch(inputs, targets, gradients) taken apart at layer 1, so that the
    /// Trainer's threads can each own a block of W(1)'s rows (model parallelism). The three methods are the batch
    /// path's own code, cut at the two points where a thread needs another's rows: A(1) after the forward pass,
    /// G(1) = ∂C/∂A(1) after the backward pass through layers 2..L. Each row keeps its sums and their order, so the
    /// Trainer gets AccumulateBatch's bits.
    /// </summary>
    internal static class RowSplitEmitter
    {
        /// <summary>
        /// Whether the class implements IRowSplitTraining: its AccumulateBatch runs matrix products (some layer is
        /// vectorised), layer 1's activation is element-wise (a softmax needs every row), and a layer follows layer 1.
        /// </summary>
        public static bool Applies(NetworkPlan plan) =>
            plan.Model.Baked is null
            && plan.Layers.Count >= 2
            && plan.Layers[0].Activation != ActivationKind.Softmax
            && BatchEmitter.CanForwardInChunks(plan);

        /// <summary>The interface as the class's base list names it.</summary>
        public static string Interface(EmitContext c) => $"global::NnGen.CompilerServices.IRowSplitTraining<{c.T}>";

        public static void Emit(EmitContext outer)
        {
            var c = outer.For(outer.Plan.ForBatch());
            EmitForwardRows(c);
            c.Writer.Line();
            EmitAccumulateAfterRows(c, lossFunction: false);
            c.Writer.Line();
            EmitAccumulateAfterRows(c, lossFunction: true);
            c.Writer.Line();
            EmitAccumulateRows(c);
        }

        // Z(1) = A(0) W(1)ᵀ ⊕ b(1)ᵀ and a(1) = h(z(1)) for a block of rows: W(1)'s rows are contiguous in the flat
        // parameters, so the block is a smaller layer of its own.
        private static void EmitForwardRows(EmitContext c)
        {
            CodeWriter w = c.Writer;
            LayerPlan first = c.Plan.Layers[0];
            w.Line("/// <inheritdoc/>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"void {Interface(c)}.ForwardRows({c.ReadOnlySpan} inputs, int from, int rows, {c.Span} z, {c.Span} a)"))
            {
                w.Line($"int count = {RuntimeNames.SpanGuard}.RowBlock(inputs.Length, {InputCount}, from, rows, {first.Size}, z.Length, \"z\", a.Length, \"a\");");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(z, \"z\", inputs, \"inputs\", a, \"a\");");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(a, \"a\", inputs, \"inputs\", z, \"z\");");
                w.Line($"{c.ReadOnlySpan} p = new {c.ReadOnlySpan}({ParametersField}, 0, {ParameterCount});");
                DeclareBlock(c, "p", first, "w1", "b1");
                w.Comment("The block's W(1) and b(1) packed for the GEMM tiles where AccumulateBatch packs the whole layer (else null), so its sums run in the same order.");
                w.Line($"{c.T}[]? packed = {RuntimeNames.BatchKernels}.PackRows(w1, b1, count, rows, {first.FanIn}, {first.Size});");
                w.Comment("Z(1) = A(0) W(1)ᵀ ⊕ b(1)ᵀ for the block's rows, every sample at once  (§1)");
                w.Line($"{RuntimeNames.BatchKernels}.Forward(inputs, w1, packed, b1, z, count, rows, {first.FanIn});");
                w.Line($"{RuntimeNames.BatchKernels}.Return(packed);");
                w.Comment(ActivationCode.Equation(first) + ", per sample  (§2)");
                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line($"{c.Span} {first.Z.Name} = z.Slice(s * rows, rows);");
                    w.Line($"{c.Span} {first.A.Name} = a.Slice(s * rows, rows);");
                    BatchEmitter.EmitActivation(c, first, keepSoftmaxSums: false);
                }
            }
        }

        // Layers 2..L exactly as AccumulateBatch runs them, chunk by chunk, reading A(1) from the caller and
        // writing G(1) there instead of into stack storage; with a loss function, as AccumulateBatch runs that.
        private static void EmitAccumulateAfterRows(EmitContext c, bool lossFunction)
        {
            CodeWriter w = c.Writer;
            int n1 = c.Plan.Layers[0].Size;
            string loss = lossFunction ? $", {GradientEmitter.LossFunctionType(c)} lossFunction" : string.Empty;
            string targetCount = lossFunction ? "targetCount" : OutputCount;
            w.Line("/// <inheritdoc/>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"{c.T} {Interface(c)}.AccumulateAfterRows({c.ReadOnlySpan} activations, {c.ReadOnlySpan} targets, {c.Span} upstream, {c.Span} gradients, bool accumulate{loss})"))
            {
                if (lossFunction)
                {
                    w.Line($"int targetCount = {RuntimeNames.SpanGuard}.TargetCount(lossFunction, {Architecture});");
                }

                using (w.Block($"if (activations.Length % {n1} != 0)"))
                {
                    w.Line($"throw {RuntimeNames.SpanGuard}.PartialSample(\"activations\", {n1}, activations.Length);");
                }

                w.Line($"int count = activations.Length / {n1};");
                Require(w, "targets", $"(long)count * {targetCount}", $"LengthMismatch(\"targets\", (long)count * {targetCount}, targets.Length)");
                Require(w, "upstream", $"(long)count * {n1}", $"LengthMismatch(\"upstream\", (long)count * {n1}, upstream.Length)");
                Require(w, "gradients", ParameterCount, $"LengthMismatch(\"gradients\", {ParameterCount}, gradients.Length)");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparateGradients<{c.T}>(gradients, activations, targets, {ParametersField});");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(upstream, \"upstream\", activations, \"activations\", targets, \"targets\");");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(upstream, \"upstream\", gradients, \"gradients\", {ParametersField}, \"the network's parameters\");");
                if (lossFunction)
                {
                    w.Line($"{RuntimeNames.SpanGuard}.RequireReadableTargets(lossFunction, targets, count, targetCount, {OutputCount}, \"targets\");");
                }

                BatchEmitter.EmitChunkedPass(c, firstLayer: 1, accumulate: "accumulate", lossFunction);
            }
        }

        // δ(1) = h'(z(1)) ⊙ g(1) and ∇W(1) += Δ(1)ᵀ A(0), ∇b(1) += Σ_s δ(1)_s for a block of rows.
        private static void EmitAccumulateRows(EmitContext c)
        {
            CodeWriter w = c.Writer;
            LayerPlan first = c.Plan.Layers[0];
            int n1 = first.Size;
            w.Line("/// <inheritdoc/>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"void {Interface(c)}.AccumulateRows({c.ReadOnlySpan} inputs, int from, int rows, {c.ReadOnlySpan} z, {c.ReadOnlySpan} a, {c.ReadOnlySpan} upstream, {c.Span} delta, {c.Span} gradients)"))
            {
                w.Line($"int count = {RuntimeNames.SpanGuard}.RowBlock(inputs.Length, {InputCount}, from, rows, {n1}, z.Length, \"z\", a.Length, \"a\");");
                Require(w, "delta", "(long)count * rows", "LengthMismatch(\"delta\", (long)count * rows, delta.Length)");
                Require(w, "upstream", $"(long)count * {n1}", $"LengthMismatch(\"upstream\", (long)count * {n1}, upstream.Length)");
                Require(w, "gradients", ParameterCount, $"LengthMismatch(\"gradients\", {ParameterCount}, gradients.Length)");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparateGradients<{c.T}>(gradients, inputs, upstream, {ParametersField});");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(delta, \"delta\", inputs, \"inputs\", upstream, \"upstream\");");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(delta, \"delta\", gradients, \"gradients\", {ParametersField}, \"the network's parameters\");");
                DeclareBlock(c, "gradients", first, "gw1", "gb1");
                w.Comment($"δ(1) = h'(z(1)) ⊙ g(1), {ActivationCode.DerivativeEquation(first)}, per sample, for the block's rows  (§4)");
                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line($"{c.ReadOnlySpan} {first.Z.Name} = z.Slice(s * rows, rows);");
                    w.Line($"{c.ReadOnlySpan} {first.A.Name} = a.Slice(s * rows, rows);");
                    w.Line($"{c.ReadOnlySpan} {first.Upstream.Name} = upstream.Slice((s * {n1}) + from, rows);");
                    w.Line($"{c.Span} {first.Delta.Name} = delta.Slice(s * rows, rows);");
                    string? derivative = ActivationCode.Derivative(c, first, "i");
                    if (derivative is null)
                    {
                        w.Line($"{first.Upstream.Name}.CopyTo({first.Delta.Name});");
                    }
                    else if (ActivationCode.DerivativeKernelCall(c, first) is { } call)
                    {
                        w.Line(call);
                    }
                    else
                    {
                        using (w.Block("for (int i = 0; i < rows; i++)"))
                        {
                            w.Line($"{first.Delta["i"]} = {derivative} * {first.Upstream["i"]};");
                        }
                    }
                }

                w.Comment("∇W(1) C += Δ(1)ᵀ A(0) and ∇b(1) C += Σ_s δ(1)_s for the block's rows, the samples in order  (§4)");
                w.Line($"{RuntimeNames.BatchKernels}.AccumulateGradient(delta, inputs, gw1, gb1, count, rows, {first.FanIn});");
            }
        }

        // The block's rows of W(1) and b(1) in the flat parameters (or gradients).
        private static void DeclareBlock(EmitContext c, string flat, LayerPlan first, string weights, string biases)
        {
            string span = flat == "p" ? c.ReadOnlySpan : c.Span;
            c.Writer.Line($"{span} {weights} = {flat}.Slice({EmitContext.RowStart(first.WeightOffset, "from", first.FanIn)}, rows * {first.FanIn});");
            c.Writer.Line($"{span} {biases} = {flat}.Slice({first.BiasOffset} + from, rows);");
        }

        private static void Require(CodeWriter w, string span, string length, string exception)
        {
            using (w.Block($"if ({span}.Length != {length})"))
            {
                w.Line($"throw {RuntimeNames.SpanGuard}.{exception};");
            }
        }
    }
}
