using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;
using NnGen.Generator.Reading;

namespace NnGen.Generator.Emitting
{
    /// <summary>Stage 4: writes the whole generated file for one planned network.</summary>
    internal static class SourceEmitter
    {
        public static string Emit(NetworkPlan plan)
        {
            var c = plan.Model.Baked is null ? new EmitContext(plan) : new EmitContext(plan, new CodeWriter(), PackedFieldFor(plan), LaneEmitter.FieldFor(plan)) { FixedParameters = true };
            CodeWriter w = c.Writer;
            TypeShape type = plan.Model.Type;

            EmitHeader(c);
            var blocks = new Stack<IDisposable>();
            if (type.Namespace.Length > 0)
            {
                blocks.Push(w.Block($"namespace {type.Namespace}"));
            }

            foreach (ContainingType outer in type.ContainingTypes)
            {
                blocks.Push(w.Block($"partial {outer.Keyword} {outer.NameWithTypeParameters}"));
            }

            if (plan.Model.Baked is not null)
            {
                EmitBaked(c);
            }
            else
            {
                EmitTrainable(c);
            }

            while (blocks.Count > 0)
            {
                blocks.Pop().Dispose();
            }

            return w.ToString();
        }

        private static void EmitTrainable(EmitContext c)
        {
            CodeWriter w = c.Writer;
            bool rowSplit = RowSplitEmitter.Applies(c.Plan);
            using (OpenClass(c, $"{RuntimeNames.INetwork}<{c.T}>" + (rowSplit ? ", " + RowSplitEmitter.Interface(c) : string.Empty)))
            {
                StateEmitter.EmitSizesAndStorage(c);
                w.Line();
                EmitInferencePasses(c);
                w.Line();
                PassEmitter.EmitAccumulate(c);
                w.Line();
                GradientEmitter.Emit(c);
                w.Line();
                BatchEmitter.Emit(c);
                if (rowSplit)
                {
                    w.Line();
                    RowSplitEmitter.Emit(c);
                }

                w.Line();
                StateEmitter.EmitStep(c);
                w.Line();
                StateEmitter.EmitClearGradients(c);
                w.Line();
                StateEmitter.EmitInitialization(c);
                if (GeneratedMembers.HasInferenceSnapshot(baked: false, c.Plan.Model.CodeShape))
                {
                    w.Line();
                    SnapshotEmitter.Emit(c);
                }
            }
        }

        // Where the runtime has the matrix kernels and some layer is vectorised (else nothing would read it), a
        // class with fixed parameters keeps every layer's W and b packed: ForwardBatch runs every layer vectorised.
        internal static string? PackedFieldFor(NetworkPlan plan) =>
            plan.HasMatrixKernels && BatchEmitter.CanForwardInChunks(plan) ? GeneratedMembers.PackedField : null;

        // Inference only: the parameters are compiled in, so there is nothing to train, step or initialise.
        private static void EmitBaked(EmitContext c)
        {
            CodeWriter w = c.Writer;
            using (OpenClass(c, $"{RuntimeNames.IInferenceNetwork}<{c.T}>"))
            {
                StateEmitter.EmitSizes(c);
                w.Line();
                StateEmitter.EmitBakedParameters(c);
                if (c.PackedField is not null)
                {
                    w.Line();
                    StateEmitter.EmitPackedWeights(c, isStatic: true);
                }

                if (c.LanesField is not null)
                {
                    w.Line();
                    LaneEmitter.EmitPack(c, isStatic: true);
                }

                w.Line();
                StateEmitter.EmitInterfaceSizes(c, explicitParameters: false);
                w.Line();
                EmitInferencePasses(c);
            }
        }

        // What IInferenceNetwork<T> computes: the same code for trainable and baked networks.
        internal static void EmitInferencePasses(EmitContext c)
        {
            PassEmitter.EmitForward(c);
            c.Writer.Line();
            PassEmitter.EmitForwardBatch(c);
            c.Writer.Line();
            PassEmitter.EmitLoss(c);
            c.Writer.Line();
            PassEmitter.EmitLoss(c, withOutput: true);
            c.Writer.Line();
            PassEmitter.EmitLossBatch(c);
        }

        // "Accumulate and the input gradient's members in layers 1-15 and 16-23".
        private static string DescribeSplit(NetworkPlan plan)
        {
            string Runs(System.Collections.Generic.IReadOnlyList<LayerRun> runs) =>
                string.Join(", ", runs.Select(r => $"{plan.Layers[r.First].Number}-{plan.Layers[r.Last].Number}"));

            var parts = new System.Collections.Generic.List<string>();
            if (plan.ForwardRuns.Count > 1)
            {
                parts.Add("Forward and Loss in layers " + Runs(plan.ForwardRuns));
            }

            if (plan.LanesRuns.Count > 1 && LaneEmitter.FieldFor(plan) is not null)
            {
                parts.Add((plan.Model.Baked is null ? "the snapshot's" : "in lanes,") + " Forward and Loss in layers " + Runs(plan.LanesRuns));
            }

            if (plan.TrainingRuns.Count > 1 && plan.Model.Baked is null)
            {
                parts.Add("Accumulate and the backward pass of a given gradient in layers " + Runs(plan.TrainingRuns));
            }

            return string.Join("; ", parts);
        }

        private static IDisposable OpenClass(EmitContext c, string implementedInterface)
        {
            TypeShape type = c.Plan.Model.Type;
            return c.Writer.Block($"partial {type.Keyword} {type.Name}{type.TypeParameters} : {implementedInterface}");
        }

        private static void EmitHeader(EmitContext c)
        {
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;
            w.Line("// <auto-generated>");
            w.Line($"{KnownNames.GeneratedHeader}{plan.Model.Type.DisplayName}.");
            w.Line("//     Edit those attributes, not this file: it is rewritten on every build.");
            w.Line("// </auto-generated>");
            w.Line("//");
            w.Line($"// Network:    {plan.Describe()}");
            w.Line($"// Cost:       {plan.Cost}");
            w.Line($"// Precision:  {c.T}");
            w.Line($"// Code shape: {plan.DescribeShapes()}");
            if (DescribeSplit(plan) is { Length: > 0 } split)
            {
                w.Line($"// Split:      {split}, where one method each would pass the JIT's limit (see the local functions)");
            }

            if (plan.Model.Baked is { } baked)
            {
                w.Line($"// Weights:    baked in from {baked.FileName} ({baked.Description}); inference only");
            }

            w.Line($"// Parameters: {plan.ParameterCount}, flat in Parameters{(plan.Model.Baked is null ? " and Gradients" : string.Empty)}:");
            foreach (LayerPlan layer in plan.Layers)
            {
                w.Line($"//   layer {layer.Number}: W({layer.Number}) {layer.Size}×{layer.FanIn} at [{layer.WeightOffset}, {layer.BiasOffset}), b({layer.Number}) {layer.Size} at [{layer.BiasOffset}, {layer.End})");
            }

            w.Line("//");
            w.Line("// Unrolled layers write every sum out with constant indices and keep a(l) and δ(l) in locals;");
            if (c.PackedField is not null)
            {
                w.Line("// vectorised layers read W packed once in panels of rows, column by column (the parameters never change),");
                w.Line("// with a(l) in stack spans. Nothing is allocated on the heap after the class is first used.");
            }
            else
            {
                w.Line("// vectorised layers loop over SIMD dot products on rows of W, with a(l) and δ(l) in stack spans.");
                w.Line("// Nothing is allocated on the heap, but ForwardBatch and AccumulateBatch of 16 samples or more through a");
                w.Line("// wide layer rent its packed W from ArrayPool<T>.Shared (with AVX-512; from 64 samples with AVX2 and FMA):");
                w.Line("// allocated on the first call, then reused.");
            }

            w.Line("// The members that run per sample or per minibatch are [MethodImpl(AggressiveOptimization)]: the JIT compiles");
            w.Line("// them optimised at their first call, rather than first as unoptimised tier-0 code for the first calls.");
            if (plan.Model.Baked is null && GeneratedMembers.HasInferenceSnapshot(baked: false, plan.Model.CodeShape))
            {
                w.Line("// ToInference() returns an Inference: the inference members over a copy of the parameters, whose");
                w.Line(plan.HasMatrixKernels
                    ? "// vectorised layers read W packed in panels, for the fastest one-sample inference."
                    : "// vectorised layers read W packed in panels against the .NET 8+ runtime, and its rows as here against this one.");
            }
            w.Line("//");
            w.Line("// Names: the letter is the symbol in the equations, the number the layer l; z1_3 is neuron 3 of z(1) in");
            w.Line("// unrolled code, z1[3] in a span.");
            w.Line("//   p, grad   the parameters and the gradient sums, flat (W(l) row by row, then b(l))");
            w.Line("//   a0        the input a(0)        zl   z(l) = W(l) a(l−1) + b(l)     al   a(l) = h(z(l))");
            w.Line("//   dl        δ(l) = ∂C/∂z(l)        gl   ∂C/∂a(l), where it is kept on its own");
            w.Line("//   el        e^(z − m) of a softmax layer, with ml = max z(l), sl = Σ e(l), lnsl = ln sl");
            w.Line("//   agl       Σ_k a_k g_k, the shared term of a softmax Jacobian product");
            w.Line("//   zpl_k     partial sum k of an unrolled z(l) (independent chains the CPU overlaps)");
            w.Line("//   r         a(L) − t");
            w.Line("//   f, u      binary cross-entropy after softmax: f_k = e^(min(z_k − mol, 0)), mol the largest z(l) but one;");
            w.Line("//             u_k = (1 − t_k) e_k / Σ_{p≠k} e_p below the maximum");
            w.Line("//   Xb        in AccumulateBatch and ForwardBatch, the storage of X for a chunk of samples, one row per sample");
            w.Line("//   packedl   in the batch members, W(l) and b(l) packed in panels of rows for the runtime's GEMM tiles");
            if (LaneEmitter.FieldFor(plan) is not null)
            {
                w.Line(plan.Model.Baked is null ? "// In the Inference class, unrolled layers of two neurons or more compute in Vector128 lanes, each lane exactly its" : "// Unrolled layers of two neurons or more compute in Vector128 lanes, each lane exactly its");
                w.Line("// neuron's scalar sum:  pv  W and b in lanes (_lanes)   xvl_j  a(l−1)_j in every lane   zvl_g, avl_g  group g of z(l), a(l)");
                w.Line("//   zpvl_k    partial sum k of a group of z(l) in lanes");
            }

            w.Line("// Comments give the equation each block computes; § numbers refer to docs/spec.md, which the NnGen");
            w.Line("// package carries (docs/spec.md in the NuGet package, Documentation~/spec.md in the Unity package).");
            w.Line();
            w.Line("#nullable enable");
            w.Line();
        }
    }
}
