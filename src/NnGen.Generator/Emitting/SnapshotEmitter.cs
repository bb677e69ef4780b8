using NnGen.Generator.Common;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// ToInference and the nested Inference class it returns: the inference members of a baked network over a copy
    /// of the parameters taken when it is made, so that a loaded or trained network can run with W packed too (its
    /// own Parameters span may be written at any time, so it cannot keep W packed itself).
    /// </summary>
    internal static class SnapshotEmitter
    {
        public static void Emit(EmitContext outer)
        {
            CodeWriter w = outer.Writer;
            string inference = GeneratedMembers.InferenceClass;
            var c = new EmitContext(outer.Plan, w, SourceEmitter.PackedFieldFor(outer.Plan), LaneEmitter.FieldFor(outer.Plan)) { FixedParameters = true };
            w.SummaryBlock(
                $"An inference-only copy of the current <see cref=\"{GeneratedMembers.Parameters}\"/>: what is written to them afterwards (by a",
                $"<see cref=\"{GeneratedMembers.Step}({c.T})\"/>, a load or the caller) does not reach it. Where the runtime has its matrix kernels",
                "(.NET 8 or later), its vectorised layers read W packed in panels of rows, the fastest form for one sample at a",
                "time, which this network cannot keep: its Parameters span may be written at any time. Outputs may differ from",
                "this network's in the last bits, as the sums run in another order; unrolled layers compute exactly the same.");
            w.GeneratedCode();
            w.Line($"public {inference} {GeneratedMembers.ToInference}() => new {inference}({GeneratedMembers.ParametersField});");
            w.Line();
            w.SummaryBlock(
                $"The inference members of this network over a fixed copy of its parameters: see <see cref=\"{GeneratedMembers.ToInference}()\"/>.",
                "Nothing is allocated after construction, and no call writes to the instance: unlike the network, one instance",
                "may serve several threads at once.");
            w.GeneratedCode();
            using (w.Block($"public sealed class {inference} : {RuntimeNames.IInferenceNetwork}<{c.T}>"))
            {
                w.GeneratedCode();
                w.Line($"private readonly {c.T}[] {GeneratedMembers.ParametersField};");
                if (c.PackedField is not null)
                {
                    w.Line();
                    StateEmitter.EmitPackedFieldDeclaration(c);
                }

                if (c.LanesField is not null)
                {
                    w.Line();
                    LaneEmitter.EmitFieldDeclaration(c);
                }

                w.Line();
                EmitConstructorDoc(outer);
                w.GeneratedCode();
                using (w.Block($"public {inference}({c.ReadOnlySpan} parameters)"))
                {
                    PassEmitter.EmitLengthCheck(c, "parameters", GeneratedMembers.ParameterCount);
                    w.Line($"{GeneratedMembers.ParametersField} = parameters.ToArray();");
                    if (c.PackedField is not null)
                    {
                        StateEmitter.EmitPackedWeights(c, isStatic: false);
                    }

                    if (c.LanesField is not null)
                    {
                        LaneEmitter.EmitPack(c, isStatic: false);
                    }
                }

                w.Line();
                w.Summary("Every parameter, flat: for each layer l, W(l) row by row (N(l) rows of N(l−1)), then b(l); as copied when this was made.");
                w.GeneratedCode();
                w.Line($"public {c.ReadOnlySpan} {GeneratedMembers.Parameters} => {GeneratedMembers.ParametersField};");
                w.Line();
                StateEmitter.EmitInterfaceSizes(c, explicitParameters: false);
                w.Line();
                SourceEmitter.EmitInferencePasses(c);
            }

            w.Line();
            if (LaneEmitter.FitsInValue(outer.Plan))
            {
                EmitValue(outer);
            }
            else
            {
                EmitWrappingValue(outer);
            }
        }

        // The documentation of a constructor that copies a span of parameters: Inference's and both kinds of InferenceValue.
        private static void EmitConstructorDoc(EmitContext c)
        {
            c.Writer.Summary($"A copy of <paramref name=\"parameters\"/>, laid out like <see cref=\"{GeneratedMembers.Parameters}\"/>.");
            c.Writer.Line($"/// <param name=\"parameters\">{c.Plan.ParameterCount} values: for each layer l, W(l) row by row, then b(l).</param>");
            c.Writer.Line("/// <exception cref=\"global::System.ArgumentException\">parameters has the wrong length.</exception>");
        }

        // Where the weights do not fit in a value's fields (or the runtime has no lanes), InferenceValue holds an Inference
        // and forwards to it: every network with ToInference has ToInferenceValue, so code that uses it keeps compiling when
        // a layer grows or the project also targets netstandard2.1.
        private static void EmitWrappingValue(EmitContext outer)
        {
            CodeWriter w = outer.Writer;
            string value = GeneratedMembers.InferenceValueStruct;
            string inference = GeneratedMembers.InferenceClass;
            string t = outer.T;
            w.SummaryBlock(
                $"<see cref=\"{GeneratedMembers.ToInference}()\"/> as a value. This network's weights do not fit in the fields of a value (that takes",
                "a .NET 8 runtime and layers that all compute in lanes, or are each one panel), so the value holds an Inference",
                "snapshot and forwards to it: the same outputs, at the same speed.");
            w.GeneratedCode();
            w.Line($"public {value} {GeneratedMembers.ToInferenceValue}() => new {value}({GeneratedMembers.ParametersField});");
            w.Line();
            w.SummaryBlock(
                $"The Forward of <see cref=\"{inference}\"/>, through an Inference snapshot this value holds (see <see cref=\"{GeneratedMembers.ToInferenceValue}()\"/>).",
                "Make one with ToInferenceValue or the constructor: default(InferenceValue) holds no parameters, and its Forward",
                "throws InvalidOperationException. Read-only: one value may serve several threads at once.");
            w.GeneratedCode();
            using (w.Block($"public readonly struct {value}"))
            {
                w.Line($"private readonly {inference}? _inference;");
                w.Line();
                EmitConstructorDoc(outer);
                w.GeneratedCode();
                w.Line($"public {value}({outer.ReadOnlySpan} parameters) => _inference = new {inference}(parameters);");
                w.Line();
                w.Summary("Computes the output a(L) for one input, as Inference.Forward does.");
                w.Line($"/// <param name=\"input\">The {outer.Plan.InputCount} input values a(0).</param>");
                w.Line($"/// <param name=\"output\">Receives the {outer.Plan.Output.Size} output values.</param>");
                w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
                w.Line("/// <exception cref=\"global::System.InvalidOperationException\">This is default(InferenceValue), which holds no parameters.</exception>");
                w.GeneratedCode();
                outer.OptimizedFromFirstCall();
                w.Line($"public void Forward(global::System.ReadOnlySpan<{t}> input, global::System.Span<{t}> output) =>");
                w.Line($"    (_inference ?? throw new global::System.InvalidOperationException(\"default({value}) holds no parameters: make one with {GeneratedMembers.ToInferenceValue}() or its constructor.\")).Forward(input, output);");
            }
        }

        // ToInferenceValue and the InferenceValue struct: Inference's Forward with the lanes or panels in fields of a value,
        // for a network whose every layer computes in lanes or is one panel (LaneEmitter.FitsInValue). A struct in a local is
        // the one place the JIT keeps weights in registers from one call to the next (an array's or a class's fields may be
        // written through the output span).
        private static void EmitValue(EmitContext outer)
        {
            CodeWriter w = outer.Writer;
            string value = GeneratedMembers.InferenceValueStruct;
            EmitContext c = outer.ForValueFields("_v");
            w.SummaryBlock(
                $"<see cref=\"{GeneratedMembers.ToInference}()\"/> as a value: the current <see cref=\"{GeneratedMembers.Parameters}\"/> copied into the fields of a struct,",
                "whose Forward gives Inference's outputs bit for bit. Copied into a local before a loop of calls, it keeps every",
                "weight in registers from one call to the next.");
            w.GeneratedCode();
            w.Line($"public {value} {GeneratedMembers.ToInferenceValue}() => new {value}({GeneratedMembers.ParametersField});");
            w.Line();
            w.SummaryBlock(
                $"The Forward of <see cref=\"{GeneratedMembers.InferenceClass}\"/> over a copy of the parameters held in this value itself: every layer of this",
                "network computes in lanes, or is one packed panel, so the copy is a few vectors. Copy it into a local before a loop of calls (a local is",
                "what the JIT keeps in registers; a field of a class is read from memory on every call). Make one with ToInferenceValue",
                "or the constructor: default(InferenceValue) holds no parameters, and computes as if every one were 0. Read-only: one value",
                "may serve several threads at once.");
            w.GeneratedCode();
            using (w.Block($"public readonly struct {value}"))
            {
                LaneEmitter.EmitValueFields(c);
                w.Line();
                EmitConstructorDoc(outer);
                w.GeneratedCode();
                using (w.Block($"public {value}({c.ReadOnlySpan} parameters)"))
                {
                    PassEmitter.EmitLengthCheck(c, "parameters", GeneratedMembers.ParameterCount);
                    LaneEmitter.EmitValueFill(c, "parameters");
                }

                w.Line();
                PassEmitter.EmitForward(c, inline: true);
            }
        }
    }
}
