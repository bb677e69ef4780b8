using NnGen.Generator.Planning;
using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Gradients in, gradients out (spec §6.1): backpropagation from a gradient ∂C/∂a(L) that the caller
    /// computed for a loss of its own, and the gradient ∂C/∂a(0) with respect to the input, for policy
    /// gradients, custom penalties and networks chained into one model; and Accumulate with a
    /// <c>LossFunction</c> of the caller's, which computes that gradient from a(L). The four members share
    /// one private method, so an unrolled network carries that backward pass once.
    /// </summary>
    internal static class GradientEmitter
    {
        private const string Core = BackpropagateGradient;

        public static void Emit(EmitContext c)
        {
            CodeWriter w = c.Writer;

            w.Summary(
                "Backpropagates a gradient of the caller's own loss for one sample: runs the forward pass, takes",
                "<paramref name=\"outputGradient\"/> as g = ∂C/∂a(L), adds the sample's parameter gradient into",
                $"<see cref=\"{Gradients}\"/> and counts it in <see cref=\"{AccumulatedSamples}\"/>. The declared cost is not used.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            EmitCounted(c, $"public void {AccumulateGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient)", $"{Core}(input, outputGradient, {NoLoss(c)}default, accumulate: true, writeInputGradient: false, {GradientsField})", returns: false);
            w.Line();
            w.Summary($"<see cref=\"{AccumulateGradient}({CrefSpan(c, "ReadOnlySpan")}, {CrefSpan(c, "ReadOnlySpan")})\"/>, and writes ∂C/∂a(0) into <paramref name=\"inputGradient\"/>.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            EmitCounted(c, $"public void {AccumulateGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.Span} inputGradient)", $"{Core}(input, outputGradient, {NoLoss(c)}inputGradient, accumulate: true, writeInputGradient: true, {GradientsField})", returns: false);
            w.Line();
            w.Summary(
                "Writes ∂C/∂a(0) into <paramref name=\"inputGradient\"/> for one sample, given g = ∂C/∂a(L) in",
                $"<paramref name=\"outputGradient\"/>. <see cref=\"{Gradients}\"/> and <see cref=\"{AccumulatedSamples}\"/> are left as they were.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            w.Line($"public void {InputGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.Span} inputGradient) => {Core}(input, outputGradient, {NoLoss(c)}inputGradient, accumulate: false, writeInputGradient: true, {GradientsField});");
            w.Line();
            EmitAccumulateWithLossFunction(c);
            w.Line();
            EmitCore(c);
            w.Line();
            PassEmitter.EmitAccumulate(c, withInputGradient: true);
        }

        // A member that runs the shared pass into the network's own gradient sums, then counts the sample (the pass does
        // not count: AccumulateBatch into a buffer of the caller's runs it too, and must leave the network as it was).
        private static void EmitCounted(EmitContext c, string declaration, string call, bool returns)
        {
            CodeWriter w = c.Writer;
            using (w.Block(declaration))
            {
                w.Line(returns ? $"{c.T} loss = {call};" : call + ";");
                w.Line($"{AccumulatedSamplesField}++;");
                if (returns)
                {
                    w.Line("return loss;");
                }
            }
        }

        // A span type as a cref spells it: braces for the type argument, since '<' is not allowed in XML.
        private static string CrefSpan(EmitContext c, string span) => $"global::System.{span}{{{c.T}}}";

        /// <summary>The runtime's LossFunction of the network's precision, as a parameter type.</summary>
        public static string LossFunctionType(EmitContext c) => $"{RuntimeNames.LossFunction}<{c.T}>";

        /// <summary>
        /// Whether the loss function is evaluated inside the shared pass (one forward pass) rather than after a Forward of
        /// its own (two). Inside, its call falls between the forward and the backward pass; where every layer is unrolled,
        /// every activation then lives across a call, and AccumulateGradient, which shares the method, went from 51.7 to
        /// 58.5 ns on 2-3-4-2. A network with a vectorised layer calls kernels there anyway and keeps its activations in
        /// spans: 64-32-10's Accumulate with a loss function took 925 ns with two forward passes (declared cost: 702).
        /// </summary>
        private static bool InsidePass(EmitContext c) => c.Plan.HasVectorizedLayer;

        // The arguments for "no loss function" of the shared pass, where it takes one.
        private static string NoLoss(EmitContext c) => InsidePass(c) ? "default, null, " : string.Empty;

        private static void EmitAccumulateWithLossFunction(EmitContext c)
        {
            CodeWriter w = c.Writer;
            bool inside = InsidePass(c);
            w.Summary(
                "Runs the forward pass and backpropagation for one sample with <paramref name=\"lossFunction\"/> in place of the",
                "declared cost: a(L) goes to its Evaluate, which returns the loss and writes g = ∂C/∂a(L); g is backpropagated,",
                $"the sample's parameter gradient added into <see cref=\"{Gradients}\"/> and the sample counted. Returns the loss.",
                "<paramref name=\"target\"/> holds as many values as the loss function's TargetCount gives.",
                inside ? "One forward pass." : "The forward pass runs twice (Forward, then the backward pass's own): this network is all unrolled.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, lossFunction is null, or the target is one it cannot read (its CheckTarget); nothing is changed.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            if (inside)
            {
                EmitCounted(c, $"public {c.T} {Accumulate}({c.ReadOnlySpan} input, {c.ReadOnlySpan} target, {LossFunctionType(c)} lossFunction)", $"{Core}(input, default, target, lossFunction ?? throw new global::System.ArgumentNullException(\"lossFunction\"), default, accumulate: true, writeInputGradient: false, {GradientsField})", returns: true);
                return;
            }

            using (w.Block($"public {c.T} {Accumulate}({c.ReadOnlySpan} input, {c.ReadOnlySpan} target, {LossFunctionType(c)} lossFunction)"))
            {
                EmitTargetCheck(c);
                PassEmitter.EmitLengthCheck(c, "input", InputCount);
                w.Comment("a(L) and g = ∂C/∂a(L) (from 0) in an array made on the first call, then g backpropagated  (§6.1, §6.2)");
                EmitLossScratch(c, "output", "gradient");
                EmitLossFunctionSample(c, "target", $"{c.T} loss =", GradientsField);
                w.Line($"{AccumulatedSamplesField}++;");
                w.Line("return loss;");
            }
        }

        /// <summary>
        /// One sample with a loss function, where every layer is unrolled: a(L) into <c>output</c> by Forward, g = ∂C/∂a(L)
        /// into <c>gradient</c> (from 0) by the loss function, whose loss goes to <paramref name="loss"/> ("T loss =" or
        /// "total +="), then g backpropagated with the sums added into <paramref name="gradients"/>. Accumulate and
        /// AccumulateBatch into a buffer of the caller's both write it here, so that they keep the same bits.
        /// </summary>
        internal static void EmitLossFunctionSample(EmitContext c, string target, string loss, string gradients)
        {
            CodeWriter w = c.Writer;
            w.Line($"{Forward}(input, output);");
            w.Line("gradient.Clear();");
            w.Line($"{loss} lossFunction.Evaluate(output, {target}, gradient);");
            w.Line($"{Core}(input, gradient, default, accumulate: true, writeInputGradient: false, {gradients});");
        }

        // The array a loss function reads a(L) from and writes g into, made on the first call with one: g in its first
        // OutputCount values, a(L) (where it needs a span) in the rest.
        private static void EmitLossScratch(EmitContext c, string? output, string gradient)
        {
            CodeWriter w = c.Writer;
            w.Line($"{c.T}[] scratch = {LossScratchField} ??= new {c.T}[2 * {OutputCount}];");
            if (output is not null)
            {
                w.Line($"{c.Span} {output} = new {c.Span}(scratch, {OutputCount}, {OutputCount});");
            }

            w.Line($"{c.Span} {gradient} = new {c.Span}(scratch, 0, {OutputCount});");
        }

        // The loss function's target length, checked (a null loss function or a negative length throws there), then its content.
        private static void EmitTargetCheck(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.Line($"int targetCount = {RuntimeNames.SpanGuard}.TargetCount(lossFunction, {Architecture});");
            using (w.Block("if (target.Length != targetCount)"))
            {
                w.Line($"throw {RuntimeNames.SpanGuard}.TargetMismatch(\"target\", targetCount, target.Length);");
            }

            w.Line($"{RuntimeNames.SpanGuard}.RequireReadableTarget(lossFunction, target, {OutputCount}, \"target\");");
        }

        private static void EmitCore(EmitContext c)
        {
            CodeWriter w = c.Writer;
            bool inside = InsidePass(c);
            ParameterList parameters = new ParameterList()
                .Add(c.ReadOnlySpan, "input")
                .Add(c.ReadOnlySpan, "outputGradient")
                .AddIf(inside, c.ReadOnlySpan, "target")
                .AddIf(inside, LossFunctionType(c) + "?", "lossFunction")
                .Add(c.Span, "inputGradient")
                .Add("bool", "accumulate")
                .Add("bool", "writeInputGradient")
                .Add(c.Span, "gradients");
            c = c.WithGradientsIn("gradients");
            var pass = new StraightLinePass(Core, inside ? c.T : "void", parameters, training: true, accumulateIf: "accumulate", tail: c =>
            {
                if (inside)
                {
                    EmitLossFunctionCall(c);
                    CostEmitter.EmitOutputDeltaFromGradient(c, "gradient");
                }
                else
                {
                    CostEmitter.EmitOutputDeltaFromGradient(c, "outputGradient");
                }
            });
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"private {(inside ? c.T : "void")} {Core}({parameters.Declaration})"))
            {
                using (w.Block($"if (writeInputGradient && inputGradient.Length != {InputCount})"))
                {
                    w.Line($"throw {RuntimeNames.SpanGuard}.LengthMismatch(\"inputGradient\", {InputCount}, inputGradient.Length);");
                }

                if (inside)
                {
                    using (w.Block("if (lossFunction != null)"))
                    {
                        EmitTargetCheck(c);
                    }

                    using (w.Block($"else if (outputGradient.Length != {OutputCount})"))
                    {
                        w.Line($"throw {RuntimeNames.SpanGuard}.LengthMismatch(\"outputGradient\", {OutputCount}, outputGradient.Length);");
                    }

                    PassEmitter.EmitChecks(c, outputSpan: null);
                }
                else
                {
                    PassEmitter.EmitChecks(c, "outputGradient");
                }

                pass.EmitFirstRun(c);
                w.Line();
                using (w.Block("if (writeInputGradient)"))
                {
                    BackwardEmitter.EmitInputGradient(c);
                }

                if (inside)
                {
                    w.Line("return loss;");
                }

                pass.EmitOtherRuns(c);
            }
        }

        // g = ∂C/∂a(L): the caller's outputGradient, or what the caller's loss function writes for a(L) and the target,
        // through an array the network makes on the first call with a loss function.
        private static void EmitLossFunctionCall(EmitContext c)
        {
            CodeWriter w = c.Writer;
            LayerPlan output = c.Plan.Output;
            w.Comment("g = ∂C/∂a(L): given, or written by the loss function from a(L) and t into a span that starts at 0  (§6.1, §6.2)");
            w.Line($"{c.T} loss = {c.Zero};");
            w.Line($"{c.ReadOnlySpan} gradient = outputGradient;");
            using (w.Block("if (lossFunction != null)"))
            {
                // a(L) already in a span is handed over as it is; a(L) in locals is copied into the scratch array.
                string a = output.A.InSpan ? output.A.Name : "lossOutput";
                EmitLossScratch(c, output.A.InSpan ? null : a, "lossGradient");
                if (!output.A.InSpan)
                {
                    PassEmitter.EmitCopyOutput(c, a);
                }

                w.Line("lossGradient.Clear();");
                w.Line($"loss = lossFunction.Evaluate({a}, target, lossGradient);");
                w.Line("gradient = lossGradient;");
            }

            w.Comment("Never true: it tells the JIT g's length, so that no read of g below checks its bounds.");
            PassEmitter.EmitLengthCheck(c, "gradient", OutputCount);
        }
    }
}
