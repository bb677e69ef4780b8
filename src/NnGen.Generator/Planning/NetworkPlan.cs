using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Validation;

namespace NnGen.Generator.Planning
{
    /// <summary>
    /// Stage 3: everything the emitter needs decided before it writes a line: where each layer's
    /// parameters sit in the flat array, how the output delta is formed, and which initialiser each
    /// layer gets. Derived from the model alone, so it is not cached separately.
    /// </summary>
    internal sealed class NetworkPlan
    {
        private NetworkPlan(NetworkModel model, IReadOnlyList<LayerPlan> layers, int parameterCount)
        {
            Model = model;
            Layers = layers;
            ParameterCount = parameterCount;
            OutputDelta = ChooseOutputDelta(model.Cost, Output);
        }

        public NetworkModel Model { get; }

        /// <summary>Layers 1..L; Layers[0] is layer 1.</summary>
        public IReadOnlyList<LayerPlan> Layers { get; }

        public LayerPlan Output => Layers[Layers.Count - 1];

        /// <summary>Whether some layer loops over spans (and calls kernels) rather than being unrolled.</summary>
        public bool HasVectorizedLayer => Layers.Any(l => l.IsVectorized);

        public int InputCount => Model.Inputs;

        public int ParameterCount { get; }

        public CostKind Cost => Model.Cost;

        public OutputDeltaForm OutputDelta { get; }

        /// <summary>
        /// A layer with at most this many multiply-adds (fan-in × size) is unrolled under CodeShape.Auto, where
        /// the project compiles against the netstandard2.1 runtime (Unity, Godot before 4.4, netstandard
        /// libraries): its vectorised layers run a Vector&lt;T&gt; dot product per row. Measured
        /// (docs/benchmarks.md): unrolled code is ahead up to 16 × 16 = 256, by 1.2× to 2×.
        /// </summary>
        public const int UnrollLayerLimit = 256;

        /// <summary>
        /// The same limit where the project compiles against .NET 8 or later, whose runtime build runs
        /// vectorised layers through the register-blocked matrix kernels. Measured again on 2026-12-04 (docs/benchmarks.md,
        /// Crossover: two N × N layers, two launches): at 12 × 12 = 144 unrolled code leads Forward by 1.5× and is level
        /// on Accumulate; at 14 × 14 = 196 each shape leads one of the two (vectorised Forward by 1.23×, unrolled
        /// Accumulate by 1.36×); at 16 × 16 = 256 the kernels lead both, Forward by 1.7× and Accumulate by 2.1×.
        /// </summary>
        public const int UnrollLayerLimitWithKernels = 224;

        /// <summary>
        /// Under CodeShape.Auto, the unrolled layers together have at most this many multiply-adds, and their
        /// members stay within <see cref="JitMethodSize.AutoBudget"/> IL instructions: past 20,000 the JIT compiles
        /// a method without optimisation (MinOpts), and Accumulate writes about three statements per multiply-add.
        /// Measured, 512 in all is fine and 1152 is four times slower than the vectorised shape; deep narrow layers
        /// and the members that return an input gradient reach the JIT's limit below 768, so the instruction
        /// estimate decides there (docs/benchmarks.md, "The JIT's size limit").
        /// </summary>
        public const int UnrollBudget = 768;

        /// <summary>
        /// To keep the unrolled layers within <see cref="UnrollBudget"/> and a member within the JIT's instruction limit,
        /// Auto vectorises only layers at least this wide on both sides. Narrower ones stay unrolled, and a member that
        /// passes the limit is split between layers instead (<see cref="MemberSplit"/>): measured (docs/benchmarks.md, "The
        /// JIT's size limit"), 1-6x22-1 ran Forward in 666 ns unrolled and 1,224 ns with half its layers vectorised, and
        /// Accumulate in 3.1 µs unrolled without optimisation (MinOpts, before the split) against 4.0 µs; and
        /// ("Narrow layers past the unroll budget") 1-6x60-1 and 1-4x200-1 ran both 1.4–2× faster unrolled and split than
        /// with their narrow layers vectorised, which also put 1-4x200-1's Accumulate past the limit in a stretch of
        /// vectorised layers that cannot be cut. A single layer too large for one method is vectorised whatever its width.
        /// </summary>
        public const int NarrowLayer = 8;

        /// <summary>
        /// From this many weights, an Auto network whose layers are all unrolled still runs AccumulateBatch(inputs, targets)
        /// in matrix form (where the runtime has the matrix kernels) rather than Accumulate once per sample. Measured at
        /// minibatches of 32 and 64 (docs/benchmarks.md, "Minibatches of small networks", SmallBatchBenchmarks): from 112
        /// weights on (4-8-8-2, 4-32-2, 10-10-10, 2-16-16-1, 1-6x6-1) the matrix form was 1.37–1.54× faster; at 72 and below
        /// (2-3-4-2, 3-5-3, 1-8-1, 2-8-2, 4-6-6-2, 8-8, 4-4-4) it was 0.34–1.06×. A forced CodeShape.Unrolled network keeps the per-sample loop,
        /// and with it the bits of Accumulate.
        /// </summary>
        public const int BatchMatrixFromWeights = 96;

        /// <summary>
        /// Whether AccumulateBatch runs the matrix form (both overloads, into Gradients and into a buffer of the caller's)
        /// rather than Accumulate's statements once per sample: where a layer is vectorised, or under Auto from
        /// <see cref="BatchMatrixFromWeights"/> weights on where the runtime has the matrix kernels.
        /// </summary>
        public bool AccumulatesBatchInMatrixForm =>
            HasVectorizedLayer
            || (Model.CodeShape == CodeShapeKind.Auto && HasMatrixKernels && Layers.Sum(l => (long)l.WeightCount) >= BatchMatrixFromWeights);

        /// <summary>a(0): the input span itself when layer 1 is vectorised, or one local per input.</summary>
        public Slot Input { get; private set; } = null!;

        /// <summary>a(L) − t.</summary>
        public Slot Residual { get; private set; } = null!;

        /// <summary>f_k = e^(min(z(L)_k − m', 0)) for binary cross-entropy after softmax: m' is the largest z but one.</summary>
        public Slot Scaled { get; private set; } = null!;

        /// <summary>u_k = (1 − t_k) e(L)_k / o_k below the maximum, 0 at it, for binary cross-entropy after softmax.</summary>
        public Slot Odds { get; private set; } = null!;

        /// <summary>a(l) for l = 0..L.</summary>
        public Slot Activations(int layer) => layer == 0 ? Input : Layers[layer - 1].A;

        /// <summary>Forward's and Loss's methods: one run of every layer, or more where one method would pass the JIT's limit (<see cref="MemberSplit"/>).</summary>
        public IReadOnlyList<LayerRun> ForwardRuns { get; private set; } = null!;

        /// <summary>The same for Accumulate and the members that return an input gradient.</summary>
        public IReadOnlyList<LayerRun> TrainingRuns { get; private set; } = null!;

        /// <summary>Forward's and Loss's methods in a class whose unrolled layers compute in lanes (<see cref="MemberSplit.LanesRuns"/>).</summary>
        public IReadOnlyList<LayerRun> LanesRuns { get; private set; } = null!;

        /// <summary>Whether the project's runtime build has the SIMD matrix kernels (it targets .NET 8 or later).</summary>
        public bool HasMatrixKernels { get; private set; }

        /// <summary>Whether the project's runtime build has LaneLayout, for unrolled layers in lanes (see LaneEmitter).</summary>
        public bool HasLanes { get; private set; }

        /// <summary>Whether the project's MethodImplOptions names AggressiveOptimization (see TargetRuntime).</summary>
        public bool NamesAggressiveOptimization { get; private set; }

        /// <summary>Whether the project's C# allows attributes on local functions (C# 9; see TargetRuntime).</summary>
        public bool AllowsLocalFunctionAttributes { get; private set; }

        public static NetworkPlan Create(NetworkModel model, bool hasMatrixKernels, bool hasLanes = false, bool namesAggressiveOptimization = true, bool allowsLocalFunctionAttributes = true)
        {
            bool[] vectorized = ChooseShapes(model, hasMatrixKernels);
            var layers = new List<LayerPlan>();
            int offset = 0;
            int fanIn = model.Inputs;
            for (int i = 0; i < model.Layers.Count; i++)
            {
                LayerModel layer = model.Layers[i];
                bool nextIsVectorized = i + 1 < vectorized.Length && vectorized[i + 1];
                layers.Add(new LayerPlan(i + 1, layer, fanIn, offset, vectorized[i], nextIsVectorized));
                offset += (fanIn + 1) * layer.Size;
                fanIn = layer.Size;
            }

            bool outputVectorized = vectorized[vectorized.Length - 1];
            int[] sizes = model.Layers.Select(l => l.Size).ToArray();
            ActivationKind[] activations = model.Layers.Select(l => l.Activation).ToArray();
            return new NetworkPlan(model, layers, offset)
            {
                ForwardRuns = MemberSplit.Runs(model.Inputs, sizes, activations, model.Cost, vectorized, training: false),
                TrainingRuns = MemberSplit.Runs(model.Inputs, sizes, activations, model.Cost, vectorized, training: true),
                LanesRuns = MemberSplit.LanesRuns(model.Inputs, sizes, activations, model.Cost, vectorized),
                HasMatrixKernels = hasMatrixKernels,
                HasLanes = hasLanes,
                NamesAggressiveOptimization = namesAggressiveOptimization,
                AllowsLocalFunctionAttributes = allowsLocalFunctionAttributes,
                Input = vectorized[0] ? new Slot("input", inSpan: true) : new Slot("a0", inSpan: false),
                Residual = new Slot("r", outputVectorized, separator: string.Empty),
                Scaled = new Slot("f", outputVectorized, separator: string.Empty),
                Odds = new Slot("u", outputVectorized, separator: string.Empty),
            };
        }

        /// <summary>
        /// This plan with its straight-line members written in the runs given instead of those <see cref="MemberSplit"/>
        /// chose: the tests cut small networks between every two unrolled layers, and check the bits against one method.
        /// Everything else is this plan's own (a member-wise copy, so that nothing added to the plan is left behind).
        /// </summary>
        internal NetworkPlan WithRuns(IReadOnlyList<LayerRun> forward, IReadOnlyList<LayerRun> training)
        {
            var plan = (NetworkPlan)MemberwiseClone();
            plan.ForwardRuns = forward;
            plan.TrainingRuns = training;
            plan.LanesRuns = forward;
            return plan;
        }

        /// <summary>
        /// The plan of AccumulateBatch: every layer vectorised, so that per-sample code works on span
        /// views into the batch storage.
        /// </summary>
        public NetworkPlan ForBatch() => Create(Model with { CodeShape = CodeShapeKind.Vectorized }, HasMatrixKernels, HasLanes, NamesAggressiveOptimization, AllowsLocalFunctionAttributes);

        /// <summary>
        /// Samples per chunk of AccumulateBatch: up to 32 (a multiple of 4 from 4 on), fewer where the chunk's z, a, δ, ∂C/∂a and e^z
        /// would pass 96 KiB of stack (never more than one sample's storage where that alone is larger, which NNG validates up to
        /// 256 KiB). Every chunk loads and stores each ∇W(l) once more and streams each packed W(l) once more, so fewer chunks
        /// pay: at 64 KiB, 784-128-10 took a minibatch of 64 as 20, 20, 20 and 4 samples, at 96 KiB as 32 and 32
        /// (AccumulateBatch 152.6–157.6 → 147.2–151.7 µs). Chunks change no sum's order.
        /// </summary>
        public int BatchChunk
        {
            get
            {
                long bytesPerSample = Layers.Sum(l => (long)l.Size) * 5 * (Model.Precision == PrecisionKind.Double ? 8 : 4);
                int chunk = (int)System.Math.Max(1, System.Math.Min(32, (96 * 1024) / bytesPerSample));

                // A multiple of the batch kernels' 4-sample block where it can be, so no chunk but the last has a ragged block.
                return chunk >= 4 ? chunk & ~3 : chunk;
            }
        }

        /// <summary>Which layers to vectorise: all, none, or (Auto) the wide ones and then the largest until the rest fits the budget.</summary>
        public static bool[] ChooseShapes(NetworkModel model, bool hasMatrixKernels) =>
            ChooseShapes(model.Inputs, model.Layers.Select(l => l.Size).ToArray(), model.Layers.Select(l => l.Activation).ToArray(), model.Cost, model.CodeShape, hasMatrixKernels);

        /// <inheritdoc cref="ChooseShapes(NetworkModel, bool)"/>
        public static bool[] ChooseShapes(int inputs, int[] sizes, ActivationKind[] activations, CostKind cost, CodeShapeKind shape, bool hasMatrixKernels)
        {
            int count = sizes.Length;
            var multiplyAdds = new long[count];
            long fanIn = inputs;
            for (int i = 0; i < count; i++)
            {
                multiplyAdds[i] = fanIn * sizes[i];
                fanIn = sizes[i];
            }

            switch (shape)
            {
                case CodeShapeKind.Unrolled:
                    return new bool[count];
                case CodeShapeKind.Vectorized:
                    return Enumerable.Repeat(true, count).ToArray();
            }

            int limit = hasMatrixKernels ? UnrollLayerLimitWithKernels : UnrollLayerLimit;
            bool[] vectorized = multiplyAdds.Select(m => m > limit).ToArray();
            while (true)
            {
                int[] unrolled = Enumerable.Range(0, count).Where(i => !vectorized[i]).OrderByDescending(i => multiplyAdds[i]).ToArray();
                int next = -1;
                if (unrolled.Sum(i => multiplyAdds[i]) > UnrollBudget
                    || JitMethodSize.Estimate(inputs, sizes, activations, cost, vectorized).Largest(trains: true) > JitMethodSize.AutoBudget)
                {
                    next = unrolled.Where(i => sizes[i] >= NarrowLayer && (i == 0 ? inputs : sizes[i - 1]) >= NarrowLayer).DefaultIfEmpty(-1).First();
                }

                // What is left unrolled is split between layers (MemberSplit), but only between two unrolled layers. A run
                // still past the budget holds a single layer too large for one method, a wide layer from a narrow input
                // (1 → 224 softmax), or an unrolled layer that cannot be cut from the vectorised one beside it (1,179 → 1
                // vectorised → 213 Relu: 20,007 IL instructions in Accumulate). Vectorising the largest unrolled layer of
                // such a run keeps it optimised.
                if (next < 0)
                {
                    next = new[] { false, true }
                        .SelectMany(training => MemberSplit.Runs(inputs, sizes, activations, cost, vectorized, training)
                            .Where(run => MemberSplit.SizeOfRun(inputs, sizes, activations, cost, vectorized, run.First, run.Last, training) > JitMethodSize.AutoBudget))
                        .SelectMany(run => Enumerable.Range(run.First, run.Last - run.First + 1))
                        .Where(i => !vectorized[i])
                        .Distinct()
                        .Select(i => (Layer: i, Alone: JitMethodSize.EstimatePart(inputs, sizes, activations, cost, vectorized, i, i).Largest(trains: true)))
                        .OrderByDescending(l => l.Alone)
                        .Select(l => l.Layer)
                        .DefaultIfEmpty(-1)
                        .First();
                }

                if (next < 0)
                {
                    return vectorized;
                }

                vectorized[next] = true;
            }
        }

        /// <summary>"2 → 3 Tanh → 2 Identity", for comments.</summary>
        public string Describe() =>
            InputCount + " inputs → " + string.Join(" → ", Layers.Select(l => l.Size + " " + l.Describe()));

        /// <summary>"unrolled, unrolled, vectorised", for the header.</summary>
        public string DescribeShapes() => string.Join(", ", Layers.Select(l => $"layer {l.Number} {(l.IsVectorized ? "vectorised" : "unrolled")}"));

        // Where the general δ(L) = J(L)ᵀ ∇a C would divide by a, the pair is fused into a form that
        // does not (spec §3); everything else takes the general chain rule.
        private static OutputDeltaForm ChooseOutputDelta(CostKind cost, LayerPlan output)
        {
            bool softmax = output.Activation == ActivationKind.Softmax;
            return cost switch
            {
                CostKind.CrossEntropy => softmax ? OutputDeltaForm.SoftmaxCrossEntropy : OutputDeltaForm.LogisticCrossEntropy,
                CostKind.BinaryCrossEntropy => softmax ? OutputDeltaForm.SoftmaxBinaryCrossEntropy : OutputDeltaForm.LogisticBinaryCrossEntropy,
                _ => softmax ? OutputDeltaForm.SoftmaxChain : OutputDeltaForm.ElementwiseChain,
            };
        }
    }

    /// <summary>How δ(L) is computed from the output and the target.</summary>
    internal enum OutputDeltaForm
    {
        /// <summary>δ = h'(z) ⊙ ∇a C, for a squared cost after an element-wise activation.</summary>
        ElementwiseChain,

        /// <summary>δ = J(L)ᵀ ∇a C with the softmax Jacobian, for a squared cost after softmax.</summary>
        SoftmaxChain,

        /// <summary>δ_i = a_i Σ_j t_j − t_i (spec §3, fused).</summary>
        SoftmaxCrossEntropy,

        /// <summary>δ = −k t (1 − a / Max): the chain rule with a cancelled.</summary>
        LogisticCrossEntropy,

        /// <summary>δ = J(L)ᵀ ∇a C, with a_k (∂C/∂a_k) = (a_k − t_k) / (1 − a_k) so that nothing divides by a.</summary>
        SoftmaxBinaryCrossEntropy,

        /// <summary>δ = k (a − t) for Max = 1 (spec §3, fused); k (1 − a / Max)(a − t) / (1 − a) otherwise.</summary>
        LogisticBinaryCrossEntropy,
    }
}
