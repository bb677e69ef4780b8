using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The forward pass (spec §1; Dey, "Basic Operations of Neural Networks", eq. 1a–1b). An unrolled layer writes every multiply-add out
    /// with its constant parameter index; a vectorised layer takes one SIMD dot product per row of W(l),
    /// which is contiguous in the flat layout.
    /// </summary>
    internal static class ForwardEmitter
    {
        /// <summary>Layers <paramref name="first"/>..<paramref name="last"/> (0-based) forward, and a(0) first where the run starts at layer 1.</summary>
        public static void Emit(EmitContext c, int first, int last)
        {
            CodeWriter w = c.Writer;
            Slot input = c.Plan.Input;
            if (first > 0)
            {
                LayerPlan before = c.Plan.Layers[first - 1];
                w.Comment($"a({before.Number}) = the arguments {before.A[0]}..{before.A[before.Size - 1]}");
            }
            else if (input.InSpan)
            {
                w.Comment("a(0) = input, read as a span by the vectorised layer 1");
            }
            else if (LaneEmitter.InLanes(c, c.Plan.Layers[0]))
            {
                w.Comment("a(0) = input, read by layer 1 straight into its vectors");
            }
            else
            {
                w.Comment("a(0) = input");
                for (int j = 0; j < c.Plan.InputCount; j++)
                {
                    w.Line($"{c.T} {input[j]} = input[{j}];");
                }
            }

            for (int index = first; index <= last; index++)
            {
                w.Line();
                EmitLayer(c, c.Plan.Layers[index]);
            }
        }

        /// <summary>How many partial sums an unrolled z of this fan-in is split into: 1 below 16 terms, 4 up to 31, then 8 (measured on 64-32-10, docs/benchmarks.md).</summary>
        public static int PartialSums(int fanIn) => fanIn >= 32 ? 8 : fanIn >= 16 ? 4 : 1;

        // One long sum is a chain of dependent additions: each waits for the one before (about four
        // cycles), so a 64-term z costs some 256 cycles whatever the CPU's width. Partial sums over every
        // fourth (or eighth) term let the CPU overlap the chains. The order stays fixed in the code, so the
        // result is still the same bits on every machine, under the JIT and under NativeAOT.
        private static void EmitWithPartialSums(EmitContext c, LayerPlan layer, Slot previous)
        {
            CodeWriter w = c.Writer;
            int count = PartialSums(layer.FanIn);
            string[] parts = Enumerable.Range(0, count).Select(k => Locals.PartialSum(layer.Number, k)).ToArray();
            w.Comment($"z({layer.Number}) = W({layer.Number}) a({layer.Number - 1}) + b({layer.Number})  (§1)");
            w.Comment($"each z as {count} partial sums over every {count}th term, added pairwise: independent chains the CPU overlaps, in a fixed order");
            w.Line($"{c.T} {string.Join(", ", parts)};");
            for (int i = 0; i < layer.Size; i++)
            {
                for (int k = 0; k < count; k++)
                {
                    w.Sum($"{parts[k]} = ", Enumerable.Range(0, layer.FanIn).Where(j => j % count == k).Select(j => $"{EmitContext.P(layer.WeightIndex(i, j))} * {previous[j]}").ToList());
                }

                w.Line($"{c.T} {layer.Z[i]} = {EmitContext.P(layer.BiasIndex(i))} + {Pairwise(parts, 0, parts.Length)};");
            }
        }

        // ((s0 + s1) + (s2 + s3)) ...: a balanced tree, so the last additions overlap too.
        internal static string Pairwise(string[] parts, int start, int count) =>
            count == 1 ? parts[start] : $"({Pairwise(parts, start, count / 2)} + {Pairwise(parts, start + (count / 2), count - (count / 2))})";

        /// <summary>The comment over an unrolled float tanh layer's activation, in lanes or not.</summary>
        internal static string TanhByFoursComment(LayerPlan layer) =>
            ActivationCode.Equation(layer) + ", four neurons per call: FastMath.Tanh is within 4e-7 of tanh and SIMD where the target allows  (§2)";

        private static void EmitLayer(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            Slot previous = c.Plan.Activations(l - 1);
            string shape = layer.IsVectorized ? "vectorised" : "unrolled";
            w.Comment($"Layer {l}: {layer.FanIn} → {layer.Size}, {layer.Describe()}, {shape}. W({l}) at p[{layer.WeightOffset}..{layer.BiasOffset - 1}], row by row; b({l}) at p[{layer.BiasOffset}..{layer.End - 1}].");

            if (layer.IsVectorized && c.PackedField is { } packedTanh && layer.Activation == ActivationKind.Tanh && c.Scalar == Scalar.Single)
            {
                w.Comment($"a({l}) = tanh(W({l}) a({l - 1}) + b({l})): the product from W({l}) packed in panels of rows, column by column (no sum");
                w.Comment("crosses vector lanes), then FastMath's tanh (the bits of Kernels.Tanh at any width), in one pass: one panel never stores z  (§1, §2)");
                DeclareA(c, layer);
                w.Line($"{RuntimeNames.BatchKernels}.ForwardPackedTanh({previous.Name}, {packedTanh}[{l - 1}], {layer.A.Name});");
                return;
            }

            if (layer.IsVectorized && c.PackedField is { } packed)
            {
                w.Comment($"z({l}) = W({l}) a({l - 1}) + b({l}) from W({l}) packed in panels of rows, column by column: a({l - 1})_j times column j of a panel, added");
                w.Comment("lane by lane, so no sum crosses vector lanes; each z_i in the same order on every machine  (§1)");
                DeclareZ(c, layer);
                w.Line($"{RuntimeNames.BatchKernels}.ForwardPacked({previous.Name}, {packed}[{l - 1}], {layer.Z.Name});");
            }
            else if (layer.IsVectorized && c.PackedInFields)
            {
                if (layer.Activation == ActivationKind.Tanh && c.Scalar == Scalar.Single)
                {
                    // As the snapshot's ForwardPackedTanh: tanh in the register, z never stored.
                    DeclareA(c, layer);
                    LaneEmitter.EmitPanelProduct(c, layer, previous.Name, layer.A.Name, tanh: true);
                    return;
                }

                DeclareZ(c, layer);
                LaneEmitter.EmitPanelProduct(c, layer, previous.Name, layer.Z.Name);
            }
            else if (layer.IsVectorized)
            {
                w.Comment($"z({l}) = W({l}) a({l - 1}) + b({l}), eight rows of W({l}) per pass of the matrix kernel, one shuffle tree for their eight sums  (§1)");
                DeclareZ(c, layer);
                w.Line($"{RuntimeNames.BatchKernels}.Forward({previous.Name}, p.Slice({layer.WeightOffset}, {layer.WeightCount}), p.Slice({layer.BiasOffset}, {layer.Size}), {layer.Z.Name});");
            }
            else if (LaneEmitter.InLanes(c, layer))
            {
                if (LaneEmitter.EmitLayer(c, layer, previous))
                {
                    return;
                }
            }
            else if (PartialSums(layer.FanIn) > 1)
            {
                EmitWithPartialSums(c, layer, previous);
            }
            else
            {
                w.Comment($"z({l}) = W({l}) a({l - 1}) + b({l})  (§1)");
                for (int i = 0; i < layer.Size; i++)
                {
                    var terms = new List<string> { EmitContext.P(layer.BiasIndex(i)) };
                    terms.AddRange(Enumerable.Range(0, layer.FanIn).Select(j => $"{EmitContext.P(layer.WeightIndex(i, j))} * {previous[j]}"));
                    w.Sum($"{c.T} {layer.Z[i]} = ", terms);
                }
            }

            if (layer.Activation == ActivationKind.Softmax)
            {
                EmitSoftmax(c, layer);
                return;
            }

            if (!layer.IsVectorized && layer.Activation == ActivationKind.Tanh && c.Scalar == Scalar.Single)
            {
                w.Comment(TanhByFoursComment(layer));
                Neurons.Declare(c, layer.A, layer.Size);
                EmitTanhByFours(c, layer);
                return;
            }

            w.Comment(ActivationCode.Equation(layer) + "  (§2)");
            if (!layer.IsVectorized)
            {
                Neurons.Declare(c, layer.A, layer.Size);
                Neurons.Assign(c, loop: false, layer.Size, layer.A, i => ActivationCode.Apply(c, layer, layer.Z[i]));
            }
            else if (layer.Activation == ActivationKind.Identity)
            {
                w.Line($"{c.Span} {layer.A.Name} = {layer.Z.Name};");
            }
            else
            {
                DeclareA(c, layer);
                w.Line(ActivationCode.KernelCall(c, layer));
            }
        }

        /// <summary>
        /// Whether <paramref name="layer"/> writes a(L) straight into the caller's span (<see cref="EmitContext.OutputSpan"/>):
        /// the output layer of Forward, when it reads W packed (a snapshot, a baked network), or when it computes an
        /// identity in lanes (its vectors are stored as they are, see <see cref="LaneEmitter.EmitLayer"/>). Its z and a are then that
        /// span, which saves stack buffers and a copy per call (16 × 16: 18 to 9 ns). The
        /// trainable network's row-major kernel keeps its stack buffer: written straight into the caller's span, a
        /// 64 × 64 layer took 570 ns instead of 130 in BenchmarkDotNet's layout of the arrays (not in every layout).
        /// </summary>
        public static bool WritesIntoOutput(EmitContext c, LayerPlan layer) =>
            c.OutputSpan is not null && layer.Number == c.Plan.Layers.Count &&
            (layer.IsVectorized ? c.PackedField is not null || c.PackedInFields : LaneEmitter.InLanes(c, layer) && layer.Activation == ActivationKind.Identity);

        // The output layer computes z straight into output, and its activation then runs in place there: every
        // activation kernel reads element i before it writes element i, and softmax reads z only before it writes
        // a. If it is also the first layer and the caller passes an output that overlaps the input (a Forward in
        // place), the runtime's kernels read the input from a copy: they write z while they still read x.
        private static void DeclareZ(EmitContext c, LayerPlan layer)
        {
            if (!WritesIntoOutput(c, layer))
            {
                Neurons.Declare(c, layer.Z, layer.Size);
                return;
            }

            c.Writer.Comment($"z({layer.Number}) goes straight into {c.OutputSpan}");
            c.Writer.Line($"{c.Span} {layer.Z.Name} = {c.OutputSpan};");
        }

        private static void DeclareA(EmitContext c, LayerPlan layer)
        {
            if (WritesIntoOutput(c, layer))
            {
                c.Writer.Line($"{c.Span} {layer.A.Name} = {c.OutputSpan};");
                return;
            }

            Neurons.Declare(c, layer.A, layer.Size);
        }

        // (a_0, a_1, a_2, a_pad3) = FastMath.Tanh(z_0, z_1, z_2, 0): a layer's tanh in calls of four lanes. The
        // unused lanes go to named locals rather than the discard '_', which a user type named '_' would capture.
        private static void EmitTanhByFours(EmitContext c, LayerPlan layer)
        {
            for (int start = 0; start < layer.Size; start += 4)
            {
                var targets = new List<string>();
                var arguments = new List<string>();
                for (int i = start; i < start + 4; i++)
                {
                    bool real = i < layer.Size;
                    string pad = $"{layer.A.Name}_pad{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                    if (!real && layer.A.InSpan)
                    {
                        // C# 9 cannot mix declarations and assignments in one deconstruction.
                        c.Writer.Line($"{c.T} {pad};");
                    }

                    targets.Add(!real ? (layer.A.InSpan ? pad : $"{c.T} {pad}") : layer.A.InSpan ? layer.A[i] : $"{c.T} {layer.A[i]}");
                    arguments.Add(real ? layer.Z[i] : c.Zero);
                }

                c.Writer.Line($"({string.Join(", ", targets)}) = {RuntimeNames.FastMath}.Tanh({string.Join(", ", arguments)});");
            }
        }

        private static void EmitSoftmax(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            string max = Locals.Max(l);
            string sum = Locals.Sum(l);

            w.Comment($"a({l})_i = e^(z_i − m) / Σ_p e^(z_p − m), m = max_p z_p: subtracting m changes nothing but keeps e^z finite  (§2)");
            if (layer.IsVectorized)
            {
                Neurons.Declare(c, layer.Exp, layer.Size);
                DeclareA(c, layer);
                w.Line($"({c.T} {max}, {c.T} {sum}) = {RuntimeNames.Kernels}.Softmax({layer.Z.Name}, {layer.Exp.Name}, {layer.A.Name});");
                return;
            }

            w.Line($"{c.T} {max} = {layer.Z[0]};");
            for (int i = 1; i < layer.Size; i++)
            {
                w.Line($"{max} = {c.Math}.Max({max}, {layer.Z[i]});");
            }

            Neurons.Assign(c, loop: false, layer.Size, layer.Exp, i => $"{c.Exp}({layer.Z[i]} - {max})");
            w.Sum($"{c.T} {sum} = ", Enumerable.Range(0, layer.Size).Select(i => layer.Exp[i]).ToList());
            Neurons.Declare(c, layer.A, layer.Size);
            Neurons.Assign(c, loop: false, layer.Size, layer.A, i => $"{layer.Exp[i]} / {sum}");
        }
    }
}
