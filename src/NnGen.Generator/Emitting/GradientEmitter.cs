using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Gradients in, gradients out (spec §6.1): backpropagation from a gradient ∂C/∂a(L) that the caller
    /// computed for a loss of its own, and the gradient ∂C/∂a(0) with respect to the input, for policy
    /// gradients, custom penalties and networks chained into one model. The three members that take a
    /// gradient share one private method, so an unrolled network carries that backward pass once.
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
            EmitCore(c);
            w.Line();
            PassEmitter.EmitAccumulate(c, withInputGradient: true);
        }

        // A span type as a cref spells it: braces for the type argument, since '<' is not allowed in XML.
        private static string CrefSpan(EmitContext c, string span) => $"global::System.{span}{{{c.T}}}";

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
