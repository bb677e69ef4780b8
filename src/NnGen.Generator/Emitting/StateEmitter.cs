using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NnGen.Generator.Planning;
using NnGen.Generator.Validation;
using static NnGen.Generator.Common.GeneratedMembers;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The network's state and the members that manage it: sizes, the two flat arrays (allocated
    /// once, with the instance), Step, ClearGradients and InitializeParameters.
    /// </summary>
    internal static class StateEmitter
    {
        public static void EmitSizesAndStorage(EmitContext c)
        {
            CodeWriter w = c.Writer;
            EmitSizes(c);
            w.Line();
            w.GeneratedCode();
            w.Line($"private readonly {c.T}[] {ParametersField} = {CreateInitialParameters}();");
            w.GeneratedCode();
            w.Line($"private readonly {c.T}[] {GradientsField} = new {c.T}[{ParameterCount}];");
            w.GeneratedCode();
            w.Line($"private int {AccumulatedSamplesField};");
            w.GeneratedCode();
            w.Line($"private {c.T}[]? {LossScratchField};");
            w.Line();
            w.Summary(
                "Every parameter, flat: for each layer l, W(l) row by row (N(l) rows of N(l−1)), then b(l).",
                $"A new instance holds the values of <c>{InitializeParameters}(0)</c>.");
            w.GeneratedCode();
            w.Line($"public {c.Span} {Parameters} => {ParametersField};");
            w.Line();
            w.Summary($"The sum of per-sample gradients since the last <see cref=\"{Step}({c.T})\"/> or <see cref=\"{ClearGradients}()\"/>, laid out like <see cref=\"{Parameters}\"/>.");
            w.GeneratedCode();
            w.Line($"public {c.Span} {Gradients} => {GradientsField};");
            w.Line();
            w.Summary($"How many samples <see cref=\"{Gradients}\"/> holds.");
            w.GeneratedCode();
            w.Line($"public int {AccumulatedSamples} => {AccumulatedSamplesField};");
            w.Line();
            EmitInterfaceSizes(c, explicitParameters: true);
        }

        /// <summary>
        /// A baked network's parameters as one array initializer, laid out and commented row by row. The C#
        /// compiler stores such an initializer as constant data in the assembly: no file to ship, nothing
        /// to load, and a static array shared by every instance.
        /// </summary>
        public static void EmitBakedParameters(EmitContext c)
        {
            const int PerLine = 8;
            CodeWriter w = c.Writer;
            BakedWeights baked = c.Plan.Model.Baked!;
            w.Comment($"The parameters of {baked.FileName} ({baked.Description}), read at compile time and rounded to {c.T}");
            w.Comment("as WeightsFile.Load rounds them, so this network computes what the same file loaded at run time does.");
            w.GeneratedCode();
            using (w.Block($"private static readonly {c.T}[] {ParametersField} = new {c.T}[{ParameterCount}]", "};"))
            {
                foreach (LayerPlan layer in c.Plan.Layers)
                {
                    for (int row = 0; row < layer.Size; row++)
                    {
                        w.Comment($"W({layer.Number}) row {row}: the weights into neuron {row} of layer {layer.Number}  [{layer.WeightOffset + (row * layer.FanIn)}, {layer.WeightOffset + ((row + 1) * layer.FanIn)})");
                        EmitValues(layer.WeightOffset + (row * layer.FanIn), layer.FanIn);
                    }

                    w.Comment($"b({layer.Number})  [{layer.BiasOffset}, {layer.End})");
                    EmitValues(layer.BiasOffset, layer.Size);
                }
            }

            w.Line();
            w.SummaryBlock($"Every parameter, flat: for each layer l, W(l) row by row (N(l) rows of N(l−1)), then b(l); baked in from {baked.FileName}.");
            w.GeneratedCode();
            w.Line($"public {c.ReadOnlySpan} {Parameters} => {ParametersField};");

            void EmitValues(int start, int count)
            {
                for (int i = 0; i < count; i += PerLine)
                {
                    IEnumerable<int> indices = Enumerable.Range(start + i, Math.Min(PerLine, count - i));
                    w.Line(string.Join(" ", indices.Select(k => c.Literal(baked.Values[k]) + ",")));
                }
            }
        }

        /// <summary>
        /// The packed copy of every layer's W and b that the vectorised layers of a class with fixed parameters read
        /// (<see cref="EmitContext.PackedField"/>): an initializer of the static field of a baked network, or the
        /// constructor's assignment in an inference snapshot.
        /// </summary>
        public static void EmitPackedWeights(EmitContext c, bool isStatic)
        {
            CodeWriter w = c.Writer;
            string field = c.PackedField!;
            if (isStatic)
            {
                CommentPackedField(w);
                w.GeneratedCode();
            }

            using (w.Block(isStatic ? $"private static readonly {c.T}[][] {field} = new {c.T}[][]" : $"{field} = new {c.T}[][]", "};"))
            {
                foreach (LayerPlan layer in c.Plan.Layers)
                {
                    w.Line($"{RuntimeNames.BatchKernels}.PackPanels(new {c.ReadOnlySpan}({ParametersField}, {layer.WeightOffset}, {layer.WeightCount}), new {c.ReadOnlySpan}({ParametersField}, {layer.BiasOffset}, {layer.Size}), {layer.Size}, {layer.FanIn}),");
                }
            }
        }

        /// <summary>The instance field an inference snapshot's constructor fills with <see cref="EmitPackedWeights"/>.</summary>
        public static void EmitPackedFieldDeclaration(EmitContext c)
        {
            CommentPackedField(c.Writer);
            c.Writer.GeneratedCode();
            c.Writer.Line($"private readonly {c.T}[][] {c.PackedField};");
        }

        private static void CommentPackedField(CodeWriter w)
        {
            w.Comment("W(l) and b(l) of every layer, packed once in panels of rows, column by column, for the vectorised layers and");
            w.Comment("ForwardBatch: a column of a panel is one vector, so z = W a + b needs no sums across vector lanes.");
        }

        /// <summary>The three size constants and the architecture, which every network has.</summary>
        public static void EmitSizes(EmitContext c)
        {
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;

            w.Summary("N(0), the length of every input.");
            w.GeneratedCode();
            w.Line($"public const int {InputCount} = {plan.InputCount};");
            w.Line();
            w.Summary("N(L), the length of every output and target.");
            w.GeneratedCode();
            w.Line($"public const int {OutputCount} = {plan.Output.Size};");
            w.Line();
            w.Summary("The number of weights and biases.");
            w.GeneratedCode();
            w.Line($"public const int {ParameterCount} = {plan.ParameterCount};");
            w.Line();
            EmitArchitecture(c);
        }

        /// <summary>
        /// The interface's sizes are instance properties; the class's are constants, usable in array
        /// sizes and stackalloc. Explicit implementations let both have the same names.
        /// </summary>
        /// <param name="explicitParameters">
        /// Whether the interface's read-only Parameters is implemented explicitly: a trainable network's public
        /// Parameters is a writable Span.
        /// </param>
        public static void EmitInterfaceSizes(EmitContext c, bool explicitParameters)
        {
            CodeWriter w = c.Writer;
            string network = $"{RuntimeNames.IInferenceNetwork}<{c.T}>";
            w.GeneratedCode();
            w.Line($"{RuntimeNames.NetworkArchitecture} {network}.{Architecture} => {Architecture};");
            w.Line();
            w.GeneratedCode();
            w.Line($"int {network}.{InputCount} => {InputCount};");
            w.Line();
            w.GeneratedCode();
            w.Line($"int {network}.{OutputCount} => {OutputCount};");
            w.Line();
            w.GeneratedCode();
            w.Line($"int {network}.{ParameterCount} => {ParameterCount};");

            if (explicitParameters)
            {
                w.Line();
                w.GeneratedCode();
                w.Line($"{c.ReadOnlySpan} {network}.{Parameters} => {ParametersField};");
            }
        }

        // The declaration as a value, for code that must check a network's shape at run time
        // (the weights file). Built once per type; doubles are written as double literals.
        private static void EmitArchitecture(EmitContext c)
        {
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;
            var layers = new List<string>();
            foreach (LayerPlan layer in plan.Layers)
            {
                var arguments = new List<string> { layer.Size.ToString(CultureInfo.InvariantCulture), RuntimeNames.Activation + "." + layer.Activation };
                LayerSpec m = layer.Spec;
                AddIfNot(arguments, "alpha", m.Alpha, LayerText.DefaultAlpha);
                AddIfNot(arguments, "max", m.Max, LayerText.DefaultMax);
                AddIfNot(arguments, "steepness", m.Steepness, LayerText.DefaultSteepness);
                AddIfNot(arguments, "midpoint", m.Midpoint, LayerText.DefaultMidpoint);
                layers.Add($"new {RuntimeNames.LayerArchitecture}({string.Join(", ", arguments)})");
            }

            w.Summary("The declared architecture: sizes, activations and their parameters, cost and precision.");
            w.GeneratedCode();
            w.Line($"public static {RuntimeNames.NetworkArchitecture} {Architecture} {{ get; }} = new {RuntimeNames.NetworkArchitecture}(");
            w.Line($"    {plan.InputCount},");
            w.Line($"    {RuntimeNames.Cost}.{plan.Cost},");
            w.Line($"    {RuntimeNames.Precision}.{plan.Model.Precision},");
            for (int i = 0; i < layers.Count; i++)
            {
                w.Line("    " + layers[i] + (i == layers.Count - 1 ? ");" : ","));
            }

            static void AddIfNot(List<string> arguments, string name, double value, double defaultValue)
            {
                if (value != defaultValue)
                {
                    arguments.Add($"{name}: {Scalar.Double.Literal(value)}");
                }
            }
        }

        public static void EmitStep(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.Summary(
                $"Moves every parameter against the mean gradient of the accumulated samples, p ← p − (η / M) Σ_i ∇p C[i]",
                $"with M = <see cref=\"{AccumulatedSamples}\"/>, then clears the gradients. Does nothing when M is 0.");
            w.Line("/// <param name=\"learningRate\">η, finite and not negative.</param>");
            w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The learning rate is negative, infinite or NaN; nothing is changed.</exception>");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"public void {Step}({c.T} learningRate)"))
            {
                w.Line($"{RuntimeNames.SpanGuard}.RequireLearningRate(learningRate, \"learningRate\");");
                using (w.Block($"if ({AccumulatedSamplesField} == 0)"))
                {
                    w.Line("return;");
                }

                w.Line();
                w.Comment("p ← p − (η / M) Σ_i ∇p C[i]: minibatch SGD  (§4)");
                w.Line($"{c.T} scale = learningRate / {AccumulatedSamplesField};");
                w.Comment("in vectors, each value as p[i] -= scale * grad[i] computes it (a multiply, then a subtract), then g ← 0");
                w.Line($"{RuntimeNames.Kernels}.Step({ParametersField}, {GradientsField}, scale);");

                w.Line();
                w.Line($"{AccumulatedSamplesField} = 0;");
            }
        }

        public static void EmitClearGradients(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.Summary($"Zeroes <see cref=\"{Gradients}\"/> and <see cref=\"{AccumulatedSamples}\"/>.");
            w.GeneratedCode();
            c.OptimizedFromFirstCall();
            using (w.Block($"public void {ClearGradients}()"))
            {
                w.Line($"global::System.Array.Clear({GradientsField}, 0, {ParameterCount});");
                w.Line($"{AccumulatedSamplesField} = 0;");
            }
        }

        public static void EmitInitialization(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.Summary(
                "Draws every weight uniformly within its layer's bound (He for Relu and Elu, Glorot/Xavier otherwise,",
                "four times Xavier for Logistic), sets every bias to 0 and clears the gradients. The same seed",
                "gives the same parameters on every platform.");
            w.GeneratedCode();
            using (w.Block($"public void {InitializeParameters}(int seed)"))
            {
                w.Line($"{WriteInitialParameters}({ParametersField}, seed);");
                w.Line($"{ClearGradients}();");
            }

            w.Line();
            w.GeneratedCode();
            using (w.Block($"private static {c.T}[] {CreateInitialParameters}()"))
            {
                w.Line($"{c.T}[] parameters = new {c.T}[{ParameterCount}];");
                w.Line($"{WriteInitialParameters}(parameters, 0);");
                w.Line("return parameters;");
            }

            w.Line();
            w.GeneratedCode();
            using (w.Block($"private static void {WriteInitialParameters}({c.Span} p, int seed)"))
            {
                w.Comment("Weights uniform in [−bound, bound) per layer, biases 0  (§5)");
                w.Line($"{RuntimeNames.SeededUniform} random = new {RuntimeNames.SeededUniform}(seed);");
                foreach (LayerPlan layer in c.Plan.Layers)
                {
                    (string rule, string bound) = Bound(layer);
                    w.Comment($"Layer {layer.Number} ({layer.Describe()}, {layer.FanIn} → {layer.Size}): {rule}");
                    w.Line($"random.Fill(p.Slice({layer.WeightOffset}, {layer.WeightCount}), {bound});");
                    w.Line($"p.Slice({layer.BiasOffset}, {layer.Size}).Clear();");
                }
            }
        }

        private static (string Rule, string Bound) Bound(LayerPlan layer)
        {
            string xavier = $"global::System.Math.Sqrt(6.0 / ({layer.FanIn} + {layer.Size}))";
            return layer.Initializer switch
            {
                Initializer.He => ("He, bound √(6 / fan_in)", $"global::System.Math.Sqrt(6.0 / {layer.FanIn})"),
                Initializer.XavierTimesFour => ("4 × Glorot/Xavier, bound 4 √(6 / (fan_in + fan_out))", "4.0 * " + xavier),
                Initializer.Xavier => ("Glorot/Xavier, bound √(6 / (fan_in + fan_out))", xavier),
                _ => throw new InvalidOperationException(layer.Initializer.ToString()),
            };
        }
    }
}
