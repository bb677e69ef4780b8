using NnGen.Generator.Planning;
using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Gradients in, gradients out (spec §6.1): backpropagation from a gradient ∂C/∂a(L) that the caller
    /// computed for a loss of its own, and the gradient ∂C/∂a(0) with respect to the input, for policy
    /// gradients, custom penalties and networks chained into one model; and Accumulate with a
    /// <c>LossFunction</c> of the caller's, which computes that gradient between the two passes. The four
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
            w.Line($"public void {AccumulateGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient) => {Core}(input, outputGradient, default, null, default, accumulate: true, writeInputGradient: false);");
            w.Line();
            w.Summary($"<see cref=\"{AccumulateGradient}({CrefSpan(c, "ReadOnlySpan")}, {CrefSpan(c, "ReadOnlySpan")})\"/>, and writes ∂C/∂a(0) into <paramref name=\"inputGradient\"/>.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            w.Line($"public void {AccumulateGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.Span} inputGradient) => {Core}(input, outputGradient, default, null, inputGradient, accumulate: true, writeInputGradient: true);");
            w.Line();
            w.Summary(
                "Writes ∂C/∂a(0) into <paramref name=\"inputGradient\"/> for one sample, given g = ∂C/∂a(L) in",
                $"<paramref name=\"outputGradient\"/>. <see cref=\"{Gradients}\"/> and <see cref=\"{AccumulatedSamples}\"/> are left as they were.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length; nothing is changed.</exception>");
            w.GeneratedCode();
            w.Line($"public void {InputGradient}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.Span} inputGradient) => {Core}(input, outputGradient, default, null, inputGradient, accumulate: false, writeInputGradient: true);");
            w.Line();
            w.Summary(
                "Runs the forward pass and backpropagation for one sample with <paramref name=\"lossFunction\"/> in place of the",
                "declared cost: a(L) goes to its Evaluate, which returns the loss and writes g = ∂C/∂a(L); g is backpropagated,",
                $"the sample's parameter gradient added into <see cref=\"{Gradients}\"/> and the sample counted. Returns the loss.",
                "<paramref name=\"target\"/> holds as many values as the loss function's TargetCount gives.");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or lossFunction is null; nothing is changed.</exception>");
            w.GeneratedCode();
            w.Line($"public {c.T} {Accumulate}({c.ReadOnlySpan} input, {c.ReadOnlySpan} target, {LossFunctionType(c)} lossFunction) => {Core}(input, default, target, lossFunction ?? throw new global::System.ArgumentNullException(\"lossFunction\"), default, accumulate: true, writeInputGradient: false);");
            w.Line();
            EmitCore(c);
            w.Line();
            PassEmitter.EmitAccumulate(c, withInputGradient: true);
        }

        // A span type as a cref spells it: braces for the type argument, since '<' is not allowed in XML.
        private static string CrefSpan(EmitContext c, string span) => $"global::System.{span}{{{c.T}}}";

        /// <summary>The runtime's LossFunction of the network's precision, as a parameter type.</summary>
        public static string LossFunctionType(EmitContext c) => $"{RuntimeNames.LossFunction}<{c.T}>";

        private static void EmitCore(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.GeneratedCode();
            using (w.Block($"private {c.T} {Core}({c.ReadOnlySpan} input, {c.ReadOnlySpan} outputGradient, {c.ReadOnlySpan} target, {LossFunctionType(c)}? lossFunction, {c.Span} inputGradient, bool accumulate, bool writeInputGradient)"))
            {
                using (w.Block($"if (writeInputGradient && inputGradient.Length != {InputCount})"))
                {
                    w.Line($"throw {RuntimeNames.SpanGuard}.LengthMismatch(\"inputGradient\", {InputCount}, inputGradient.Length);");
                }

                using (w.Block("if (lossFunction is null)"))
                {
                    PassEmitter.EmitLengthCheck(c, "outputGradient", OutputCount);
                }

                using (w.Block("else"))
                {
                    w.Line($"int targetCount = {RuntimeNames.SpanGuard}.TargetCount(lossFunction, {OutputCount});");
                    using (w.Block("if (target.Length != targetCount)"))
                    {
                        w.Line($"throw {RuntimeNames.SpanGuard}.LengthMismatch(\"target\", targetCount, target.Length);");
                    }
                }

                PassEmitter.EmitChecksAndForwardPass(c, outputSpan: null, withGradients: true);
                EmitLossFunctionCall(c);
                CostEmitter.EmitOutputDeltaFromGradient(c, "gradient");
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

                w.Line("return loss;");
            }
        }

        // g = ∂C/∂a(L): the caller's outputGradient, or what the caller's loss function writes for a(L) and the target.
        private static void EmitLossFunctionCall(EmitContext c)
        {
            CodeWriter w = c.Writer;
            LayerPlan output = c.Plan.Output;
            w.Comment("g = ∂C/∂a(L): given, or written by the loss function from a(L) and t, into a span that starts at 0  (§6.1)");
            w.Line($"{c.T} loss = {c.Zero};");
            w.Line($"{c.Span} lossGradient = stackalloc {c.T}[{OutputCount}];");
            if (!output.A.InSpan)
            {
                w.Line($"{c.Span} lossOutput = stackalloc {c.T}[{OutputCount}];");
            }

            using (w.Block("if (lossFunction is not null)"))
            {
                if (!output.A.InSpan)
                {
                    PassEmitter.EmitCopyOutput(c, "lossOutput");
                }

                w.Line("lossGradient.Clear();");
                w.Line($"loss = lossFunction.Evaluate({(output.A.InSpan ? output.A.Name : "lossOutput")}, target, lossGradient);");
            }

            w.Line($"{c.ReadOnlySpan} gradient = lossFunction is null ? outputGradient : lossGradient;");
        }
    }
}
