using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Gradients in, gradients out (spec §6.1): backpropagation from a gradient ∂C/∂a(L) that the caller
    /// computed for a loss of its own, and the gradient ∂C/∂a(0) with respect to the input, for policy
    /// gradients, custom penalties and networks chained into one model; and Accumulate with a
    /// <c>LossFunction</c> of the caller's, which computes that gradient from Forward's output. The four
    /// members share one private method, so an unrolled network carries that backward pass once.
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
            w.Line($"public void {AccumulateGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient) => {Core}(input, outputGradient, default, accumulate: true, writeInputGradient: false);");
            w.Line();
            w.Summary($"<see cref=\"{AccumulateGradient}({CrefSpan(c, "ReadOnlySpan")}, {CrefSpan(c, "ReadOnlySpan")})\"/>, and writes ∂C/∂a(0) into <paramref name=\"inputGradient\"/>.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            w.Line($"public void {AccumulateGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.Span} inputGradient) => {Core}(input, outputGradient, inputGradient, accumulate: true, writeInputGradient: true);");
            w.Line();
            w.Summary(
                "Writes ∂C/∂a(0) into <paramref name=\"inputGradient\"/> for one sample, given g = ∂C/∂a(L) in",
                $"<paramref name=\"outputGradient\"/>. <see cref=\"{Gradients}\"/> and <see cref=\"{AccumulatedSamples}\"/> are left as they were.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            w.Line($"public void {InputGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.Span} inputGradient) => {Core}(input, outputGradient, inputGradient, accumulate: false, writeInputGradient: true);");
            w.Line();
            EmitAccumulateWithLossFunction(c);
            w.Line();
            EmitCore(c);
            w.Line();
            PassEmitter.EmitAccumulate(c, withInputGradient: true);
        }

        // A span type as a cref spells it: braces for the type argument, since '<' is not allowed in XML.
        private static string CrefSpan(EmitContext c, string span) => $"global::System.{span}{{{c.T}}}";

        /// <summary>The runtime's LossFunction of the network's precision, as a parameter type.</summary>
        public static string LossFunctionType(EmitContext c) => $"{RuntimeNames.LossFunction}<{c.T}>";

        // Forward, the loss function, then the shared backward pass: the forward pass runs twice. Evaluating the loss
        // inside that pass ran once, but a call there (the loss) made every unrolled activation live across it, and
        // AccumulateGradient, which shares the method, went from 51.7 to 58.5 ns on 2-3-4-2 (docs/benchmarks.md).
        // AccumulateBatch with a loss function runs the forward pass once.
        private static void EmitAccumulateWithLossFunction(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.Summary(
                "Runs the forward pass and backpropagation for one sample with <paramref name=\"lossFunction\"/> in place of the",
                "declared cost: a(L) goes to its Evaluate, which returns the loss and writes g = ∂C/∂a(L); g is backpropagated,",
                $"the sample's parameter gradient added into <see cref=\"{Gradients}\"/> and the sample counted. Returns the loss.",
                "<paramref name=\"target\"/> holds as many values as the loss function's TargetCount gives. The forward pass runs",
                "twice (Forward, then the backward pass's own); AccumulateBatch with a loss function runs it once per sample.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or lossFunction is null; nothing is changed.</exception>");
            w.GeneratedCode();
            using (w.Block($"public {c.T} {Accumulate}({c.ReadOnlySpan} input, {c.ReadOnlySpan} target, {LossFunctionType(c)} lossFunction)"))
            {
                w.Line($"int targetCount = {RuntimeNames.SpanGuard}.TargetCount(lossFunction, {OutputCount});");
                PassEmitter.EmitLengthCheck(c, "input", InputCount);
                using (w.Block("if (target.Length != targetCount)"))
                {
                    w.Line($"throw {RuntimeNames.SpanGuard}.TargetMismatch(\"target\", targetCount, target.Length);");
                }

                w.Comment("a(L) and g = ∂C/∂a(L) (from 0) in an array made on the first call, then g backpropagated  (§6.1, §6.2)");
                w.Line($"{c.T}[] scratch = {LossScratchField} ??= new {c.T}[2 * {OutputCount}];");
                w.Line($"{c.Span} output = new {c.Span}(scratch, {OutputCount}, {OutputCount});");
                w.Line($"{c.Span} gradient = new {c.Span}(scratch, 0, {OutputCount});");
                w.Line($"{Forward}(input, output);");
                w.Line("gradient.Clear();");
                w.Line($"{c.T} loss = lossFunction.Evaluate(output, target, gradient);");
                w.Line($"{Core}(input, gradient, default, accumulate: true, writeInputGradient: false);");
                w.Line("return loss;");
            }
        }

        private static void EmitCore(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.GeneratedCode();
            using (w.Block($"private void {Core}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.Span} inputGradient, bool accumulate, bool writeInputGradient)"))
            {
                using (w.Block($"if (writeInputGradient && inputGradient.Length != {InputCount})"))
                {
                    w.Line($"throw {RuntimeNames.SpanGuard}.LengthMismatch(\"inputGradient\", {InputCount}, inputGradient.Length);");
                }

                PassEmitter.EmitChecksAndForwardPass(c, "outputGradient", withGradients: true);
                CostEmitter.EmitOutputDeltaFromGradient(c, "outputGradient");
                PassEmitter.EmitBackward(c, accumulateIf: "accumulate");
                w.Line();
                using (w.Block("if (writeInputGradient)"))
                {
                    BackwardEmitter.EmitInputGradient(c);
                }

                w.Line();
                using (w.Block("if (accumulate)"))
                {
                    w.Line($"{AccumulatedSamplesField}++;");
                }
            }
        }
    }
}
