using NnGen.Generator.Planning;
using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Forward, Loss and Accumulate: each checks its spans before it touches anything, then runs as
    /// one straight-line method whose locals hold every activation and delta (no heap, no arrays); past the JIT's
    /// limit, as a chain of local functions, one per run of layers (<see cref="StraightLinePass"/>).
    /// </summary>
    internal static class PassEmitter
    {
        private const string LengthMismatch = RuntimeNames.SpanGuard + ".LengthMismatch";

        /// <summary>Forward; with <paramref name="inline"/>, marked for inlining (the InferenceValue struct, whose fields only stay in registers in the caller's loop).</summary>
        public static void EmitForward(EmitContext c, bool inline = false)
        {
            CodeWriter w = c.Writer;
            w.Summary("Computes the output a(L) for one input.");
            w.Line($"/// <param name=\"input\">The {c.Plan.InputCount} input values a(0).</param>");
            w.Line($"/// <param name=\"output\">Receives the {c.Plan.Output.Size} output values.</param>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall(inline);

            ParameterList parameters = new ParameterList().Add(c.ReadOnlySpan, "input").Add(c.Span, "output");
            var pass = new StraightLinePass(Forward, "void", parameters, training: false, accumulateIf: null, tail: c =>
            {
                if (!ForwardEmitter.WritesIntoOutput(c, c.Plan.Output))
                {
                    EmitCopyOutput(c);
                }
            });
            using (w.Block($"public void {Forward}({parameters.Declaration})"))
            using (c.IntoOutput("output"))
            {
                EmitChecks(c, "output");
                pass.EmitFirstRun(c);
                pass.EmitOtherRuns(c);
            }
        }

        // a(L) into the span named `span`: the caller's output, or the one a loss function reads.
        internal static void EmitCopyOutput(EmitContext c, string span = "output")
        {
            LayerPlan output = c.Plan.Output;
            if (output.A.InSpan)
            {
                c.Writer.Line($"{output.A.Name}.CopyTo({span});");
                return;
            }

            for (int k = 0; k < output.Size; k++)
            {
                c.Writer.Line($"{span}[{k}] = {output.A[k]};");
            }
        }

        public static void EmitForwardBatch(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.Summary(
                $"<see cref=\"{Forward}(global::System.ReadOnlySpan{{{c.T}}}, global::System.Span{{{c.T}}})\"/> for many samples: <paramref name=\"inputs\"/> holds N inputs one after another",
                $"({c.Plan.InputCount} values each), <paramref name=\"outputs\"/> receives their N outputs in the same order ({c.Plan.Output.Size} each).",
                BatchSummary(c, "Each output is bit for bit what Forward gives for that input alone", "so an output may differ from what Forward gives in the last bits."));
            w.Line("/// <remarks><paramref name=\"outputs\"/> may share memory with <paramref name=\"inputs\"/> where it starts at or before it (in place, for one) and an output is no longer than an input.</remarks>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The spans do not hold whole, matching samples, or outputs would overwrite inputs not yet read; nothing is written.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"public void {ForwardBatch}({c.ReadOnlySpan} inputs, {c.Span} outputs)"))
            {
                EmitBatchChecks(w, "outputs");
                w.Line($"{RuntimeNames.SpanGuard}.RequireBatchOverlap<{c.T}>(inputs, outputs, {InputCount}, {OutputCount});");
                if (BatchEmitter.ChunksInference(c))
                {
                    BatchEmitter.EmitForwardInChunks(c);
                    return;
                }

                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line($"{Forward}(inputs.Slice(s * {InputCount}, {InputCount}), outputs.Slice(s * {OutputCount}, {OutputCount}));");
                }
            }
        }

        // The last line of ForwardBatch's and LossBatch's summaries: what their bits are, and why.
        private static string BatchSummary(EmitContext c, string same, string differs) =>
            !BatchEmitter.ChunksInference(c)
                ? same + (c.Plan.HasVectorizedLayer ? "." : " (every layer is unrolled).")
                : c.FixedParameters
                    ? same + ": the packed layers run a chunk of samples at a time, each sample's sums in Forward's order."
                    : "The matrix products run a chunk of samples at a time, " + differs;

        /// <summary>
        /// The checks of a batch method: <c>inputs</c> must hold whole samples, and <paramref name="perSampleSpan"/>
        /// one output-sized row for each, before anything is touched. Declares <c>count</c>.
        /// </summary>
        public static void EmitBatchChecks(CodeWriter w, string perSampleSpan, string perSample = OutputCount)
        {
            using (w.Block($"if (inputs.Length % {InputCount} != 0)"))
            {
                w.Line($"throw {RuntimeNames.SpanGuard}.PartialSample(\"inputs\", {InputCount}, inputs.Length);");
            }

            w.Line($"int count = inputs.Length / {InputCount};");

            // In long, so that a huge batch cannot wrap around to a length that happens to match.
            using (w.Block($"if ({perSampleSpan}.Length != (long)count * {perSample})"))
            {
                w.Line($"throw {RuntimeNames.SpanGuard}.LengthMismatch(\"{perSampleSpan}\", (long)count * {perSample}, {perSampleSpan}.Length);");
            }
        }

        /// <summary>Loss; with <paramref name="withOutput"/>, the overload that also writes a(L), so that an evaluation runs one forward pass per sample, not two.</summary>
        public static void EmitLoss(EmitContext c, bool withOutput = false)
        {
            CodeWriter w = c.Writer;
            if (withOutput)
            {
                w.Summary($"Computes the cost C of one sample ({c.Plan.Cost}) and writes its output a(L) into <paramref name=\"output\"/>: Forward and Loss in one forward pass.");
            }
            else
            {
                w.Summary($"Computes the cost C of one sample: {c.Plan.Cost}.");
            }

            if (withOutput)
            {
                w.Line("/// <remarks><paramref name=\"output\"/> may overlap <paramref name=\"input\"/> or <paramref name=\"target\"/>: both are read before it is written.</remarks>");
            }

            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is written.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            ParameterList parameters = new ParameterList().Add(c.ReadOnlySpan, "input").Add(c.ReadOnlySpan, "target").AddIf(withOutput, c.Span, "output");
            var pass = new StraightLinePass(Loss, c.T, parameters, training: false, accumulateIf: null, tail: c =>
            {
                CostEmitter.EmitLoss(c, forBackward: false);
                if (withOutput)
                {
                    c.Writer.Comment("a(L) into output last: input and target have been read, so output may overlap either");
                    EmitCopyOutput(c);
                }
            });
            using (w.Block($"public {c.T} {Loss}({parameters.Declaration})"))
            {
                EmitChecks(c, "target", outputSizedSpan: withOutput ? "output" : null);
                pass.EmitFirstRun(c);
                w.Line("return loss;");
                pass.EmitOtherRuns(c);
            }
        }

        /// <summary>
        /// LossBatch: Loss with the output for many samples, so that an evaluation of a dataset runs the matrix kernels
        /// instead of one forward pass per sample. The costs come back per sample, so the caller sums them in an order
        /// and a precision of its own, the same whatever the chunks.
        /// </summary>
        public static void EmitLossBatch(EmitContext c)
        {
            CodeWriter w = c.Writer;
            bool chunks = BatchEmitter.ChunksInference(c);
            w.Summary(
                $"<see cref=\"{Loss}(global::System.ReadOnlySpan{{{c.T}}}, global::System.ReadOnlySpan{{{c.T}}}, global::System.Span{{{c.T}}})\"/> for many samples: <paramref name=\"inputs\"/> holds N inputs one after another",
                $"({c.Plan.InputCount} values each) and <paramref name=\"targets\"/> their targets ({c.Plan.Output.Size} each); <paramref name=\"outputs\"/> receives their N outputs and",
                "<paramref name=\"losses\"/> their N costs, in the same order.",
                BatchSummary(c, "Each output and cost is bit for bit what Loss gives for that sample alone", "as in ForwardBatch, so an output or a cost may differ from what Loss gives in the last bits."));
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The spans do not hold whole, matching samples, or outputs or losses share memory with inputs, targets or each other; nothing is written.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"public void {LossBatch}({c.ReadOnlySpan} inputs, {c.ReadOnlySpan} targets, {c.Span} outputs, {c.Span} losses)"))
            {
                EmitBatchChecks(w, "targets");
                using (w.Block($"if (outputs.Length != (long)count * {OutputCount})"))
                {
                    w.Line($"throw {LengthMismatch}(\"outputs\", (long)count * {OutputCount}, outputs.Length);");
                }

                using (w.Block("if (losses.Length != count)"))
                {
                    w.Line($"throw {LengthMismatch}(\"losses\", count, losses.Length);");
                }

                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(outputs, \"outputs\", inputs, \"inputs\", targets, \"targets\");");
                w.Line($"{RuntimeNames.SpanGuard}.RequireSeparate<{c.T}>(losses, \"losses\", inputs, \"inputs\", targets, \"targets\");");
                w.Line($"{RuntimeNames.SpanGuard}.RequireApart<{c.T}>(outputs, \"outputs\", losses, \"losses\");");
                if (chunks)
                {
                    BatchEmitter.EmitLossInChunks(c);
                    return;
                }

                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line($"losses[s] = {Loss}(inputs.Slice(s * {InputCount}, {InputCount}), targets.Slice(s * {OutputCount}, {OutputCount}), outputs.Slice(s * {OutputCount}, {OutputCount}));");
                }
            }
        }

        /// <summary>
        /// Accumulate with the declared cost; with <paramref name="withInputGradient"/>, the overload that also
        /// writes ∂C/∂a(0) into the caller's span (spec §6.1).
        /// </summary>
        public static void EmitAccumulate(EmitContext c, bool withInputGradient = false)
        {
            CodeWriter w = c.Writer;
            if (withInputGradient)
            {
                w.Summary($"<see cref=\"{Accumulate}(global::System.ReadOnlySpan{{{c.T}}}, global::System.ReadOnlySpan{{{c.T}}})\"/>, and writes ∂C/∂a(0) of the declared cost into <paramref name=\"inputGradient\"/>.");
            }
            else
            {
                w.Summary(
                    "Runs the forward pass and backpropagation for one sample, adds its gradient into",
                    $"<see cref=\"{Gradients}\"/>, counts it in <see cref=\"{AccumulatedSamples}\"/> and returns its cost.");
            }

            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            ParameterList parameters = new ParameterList().Add(c.ReadOnlySpan, "input").Add(c.ReadOnlySpan, "target").AddIf(withInputGradient, c.Span, "inputGradient");
            if (withInputGradient || c.Plan.AccumulatesBatchInMatrixForm)
            {
                EmitAccumulatePass(c, $"public {c.T} {Accumulate}", Accumulate, parameters, withInputGradient, counts: true);
                return;
            }

            // A network that accumulates one sample at a time (every layer unrolled, and AccumulateBatch loops over the
            // samples): the statements are AccumulateInto's, whose gradient sums go into the span it is given, so that
            // AccumulateBatch into a buffer of the caller's (the Trainer's threads) runs them too, with Accumulate's bits on
            // every machine, and the network carries that pass once.
            using (w.Block($"public {c.T} {Accumulate}({parameters.Declaration})"))
            {
                w.Line($"{c.T} loss = {AccumulateInto}(input, target, {GradientsField});");
                w.Line($"{AccumulatedSamplesField}++;");
                w.Line("return loss;");
            }

            w.Line();
            w.Comment("Accumulate's statements, the sample's gradient added into gradients: Accumulate passes the network's own sums, and");
            w.Comment("AccumulateBatch into a buffer of the caller's passes that buffer, one sample after another.");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            EmitAccumulatePass(c.WithGradientsIn("gradients"), $"private {c.T} {AccumulateInto}", AccumulateInto, new ParameterList().Add(c.ReadOnlySpan, "input").Add(c.ReadOnlySpan, "target").Add(c.Span, "gradients"), withInputGradient: false, counts: false);
        }

        /// <summary>
        /// The method of Accumulate's straight-line pass, after its attributes: the checks, the forward pass, the cost, δ(L)
        /// and the backward pass, then ∂C/∂a(0) with <paramref name="withInputGradient"/>, the count with
        /// <paramref name="counts"/>, and the cost returned.
        /// </summary>
        private static void EmitAccumulatePass(EmitContext c, string header, string name, ParameterList parameters, bool withInputGradient, bool counts)
        {
            CodeWriter w = c.Writer;
            var pass = new StraightLinePass(name, c.T, parameters, training: true, accumulateIf: null, tail: c =>
            {
                CostEmitter.EmitLoss(c, forBackward: true);
                c.Writer.Line();
                CostEmitter.EmitOutputDelta(c);
            });
            using (w.Block($"{header}({parameters.Declaration})"))
            {
                EmitChecks(c, "target", withInputGradient ? "inputGradient" : null);
                pass.EmitFirstRun(c);
                if (withInputGradient)
                {
                    w.Line();
                    BackwardEmitter.EmitInputGradient(c);
                }

                w.Line();
                if (counts)
                {
                    w.Line($"{AccumulatedSamplesField}++;");
                }

                w.Line("return loss;");
                pass.EmitOtherRuns(c);
            }
        }

        /// <summary>
        /// From δ(L), or from δ of the layer after <paramref name="last"/> where a later run computed it, down to layer
        /// <paramref name="first"/> (0-based): δ(l) of every hidden layer and the gradient sums of every layer (spec §4). With
        /// <paramref name="accumulateIf"/>, the sums are added only when that condition holds at run time.
        /// </summary>
        public static void EmitBackward(EmitContext c, string? accumulateIf, int first, int last)
        {
            CodeWriter w = c.Writer;
            void Gradients(LayerPlan layer)
            {
                w.Line();
                if (accumulateIf is null)
                {
                    BackwardEmitter.EmitGradients(c, layer);
                    return;
                }

                using (w.Block($"if ({accumulateIf})"))
                {
                    BackwardEmitter.EmitGradients(c, layer);
                }
            }

            int index = last;
            if (last == c.Plan.Layers.Count - 1)
            {
                Gradients(c.Plan.Output);
                index--;
            }

            for (; index >= first; index--)
            {
                w.Line();
                BackwardEmitter.EmitHiddenDelta(c, c.Plan.Layers[index], c.Plan.Layers[index + 1]);
                Gradients(c.Plan.Layers[index]);
            }
        }

        // The throw is written here, not in a helper, so the JIT knows the length after the check.
        internal static void EmitLengthCheck(EmitContext c, string span, string expected)
        {
            using (c.Writer.Block($"if ({span}.Length != {expected})"))
            {
                c.Writer.Line($"throw {LengthMismatch}(\"{span}\", {expected}, {span}.Length);");
            }
        }

        // Every pass checks all its spans before it reads or writes anything. A null outputSpan: the caller has checked
        // the output-sized span or the target itself.
        internal static void EmitChecks(EmitContext c, string? outputSpan, string? inputSizedSpan = null, string? outputSizedSpan = null)
        {
            EmitLengthCheck(c, "input", InputCount);
            if (outputSpan is not null)
            {
                EmitLengthCheck(c, outputSpan, OutputCount);
            }

            if (outputSizedSpan is not null)
            {
                EmitLengthCheck(c, outputSizedSpan, OutputCount);
            }

            if (inputSizedSpan is not null)
            {
                EmitLengthCheck(c, inputSizedSpan, InputCount);
            }
        }

        /// <summary>The spans over the parameters (and the gradient sums) that the layers read: in the member, and again in each local function of a run.</summary>
        internal static void EmitSpans(EmitContext c, bool withGradients)
        {
            CodeWriter w = c.Writer;

            // Spans of constant length let the JIT drop the bounds check on every constant index.
            if (LaneEmitter.ReadsParameters(c) || withGradients)
            {
                w.Line($"{c.ReadOnlySpan} p = new {c.ReadOnlySpan}({ParametersField}, 0, {ParameterCount});");
            }

            LaneEmitter.EmitSpan(c);
            if (withGradients)
            {
                // A slice of constant length, as the field's span: no bounds check on the constant indices either.
                w.Line(c.GradientsParameter is { } buffer
                    ? $"{c.Span} grad = {buffer}.Slice(0, {ParameterCount});"
                    : $"{c.Span} grad = new {c.Span}({GradientsField}, 0, {ParameterCount});");
            }
        }
    }
}
