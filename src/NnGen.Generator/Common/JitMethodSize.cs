using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Emitting;

namespace NnGen.Generator.Common
{
    /// <summary>
    /// How many IL instructions the straight-line members come to, at most (up to 36,000: see below). .NET's JIT compiles a
    /// method of more than 20,000 IL instructions with MinOpts, without optimisation, and never compiles it again (the
    /// check in Compiler::compSetOptimizationLevel against DEFAULT_MIN_OPTS_INSTR_COUNT; AggressiveOptimization does not
    /// lift it). NativeAOT and ReadyToRun compile ahead of time and have no such limit. Unrolled members run several times
    /// slower past it, so CodeShape.Auto vectorises layers to keep below it (not layers narrower than
    /// NetworkPlan.NarrowLayer, which are slower still vectorised), a member still past it is split between layers into
    /// one method per run (Planning.MemberSplit, with <see cref="EstimatePart"/>), and a forced CodeShape.Unrolled with a
    /// layer too large for one method gets NNG027.
    /// </summary>
    /// <remarks>
    /// <para>
    /// An estimate is two terms. The first is linear in what the emitter writes: the multiply-adds of the unrolled layers,
    /// their inputs and partial sums, and per neuron a count that depends on its activation and, in the output layer, on
    /// the cost. Its coefficients (<see cref="MemberCosts"/>) are the tightest upper bound, found by linear programming,
    /// of the IL that Roslyn wrote in Release for MethodSizeSurvey's random networks (six files, 1,200 declarations), counted
    /// as the JIT counts (nops included), and fitted by benchmarks/method-sizes/fit.py: one to twelve layers of 300 to 4,000
    /// weights, and wide layers of few inputs (1 → N, and N after a bottleneck of one to three neurons) with wide inputs into
    /// bottlenecks, whose neurons cost more than their weights; float and double, every activation, cost and activation
    /// parameter, each unrolled and, where Auto vectorises a layer, under Auto; networks whose members were split between
    /// layers are left out, as their member's own method is only the first run. Then 3% and 50 instructions are added, so
    /// that networks the survey did not draw stay below it: with them the estimate is 9% to 16% above each method it bounds
    /// on average, and at most 14% above Loss past 10,000 instructions (28% and 43% above Accumulate and the input
    /// gradients where a vectorised layer sits before a wide unrolled one). Of the 482 networks the survey compiled
    /// unrolled, every one past the limit is warned of, and 10 within it, each within 6% of it, are warned of too.
    /// </para>
    /// <para>
    /// The second is what Roslyn adds for locals past the 255th: it reads and writes them with the long forms of ldloc and
    /// stloc, each followed by two nops (ILBuilder.EmitLocalLoad and EmitLocalStore write the long form's index as four
    /// bytes, of which the JIT reads two as the index and two as nops), and the JIT counts every nop. So each access to
    /// such a local costs 3 instructions instead of 1. Locals take their slots in the order the emitter declares them
    /// (a(0), then per layer its partial sums, z(l) and a(l), then the cost's, then δ(L) back to δ(1)), and <see
    /// cref="LongFormAccesses"/> counts how often each group is read or written past slot 254. The old estimate multiplied
    /// the whole count by 1.5 once the locals passed 256, which was 1.5 to 2.3 times the real count for deep narrow
    /// networks just past it, and so warned of members that were well within the limit.
    /// </para>
    /// <para>
    /// Past about 40,000 instructions Roslyn's stack scheduler gives up on some temporaries (Optimizer.cs rejects every
    /// def-use span after 5,000), and `grad[k] += …` then goes through a local instead of dup. The estimate leaves that
    /// out: it is a bound up to 36,000 instructions, MethodSizeProperties checks it there, and past that it only has to
    /// be past the limit, which it is by far.
    /// </para>
    /// </remarks>
    internal static class JitMethodSize
    {
        /// <summary>DEFAULT_MIN_OPTS_INSTR_COUNT: past this many IL instructions a method is compiled with MinOpts.</summary>
        public const int InstructionLimit = 20_000;

        /// <summary>
        /// DEFAULT_MIN_OPTS_CODE_SIZE: past this many bytes of IL a method is compiled with MinOpts too, whatever its
        /// instructions. Unrolled code reaches the instruction limit first; Vector128 code in lanes this one (MemberSplit.LanesRuns).
        /// </summary>
        public const int IlByteLimit = 60_000;

        /// <summary>
        /// What CodeShape.Auto leaves to unrolled members: 5% below the limit, for other compilers' IL (Unity's and Godot's
        /// Roslyn, later SDKs; Roslyn 4.3 and the .NET 10 SDK's wrote the same count where compared). Each layer vectorised
        /// for it costs Accumulate (measured: 12-12x5-4, 1.24 → 1.60 µs with two), so the margin is kept small.
        /// </summary>
        public const int AutoBudget = 19_000;

        /// <summary>The slots that ldloc.s and stloc.s reach: Roslyn writes the long forms from slot 255 on.</summary>
        private const int ShortFormSlots = 255;

        // Locals before a(0): the spans p and grad, and what the guards and a loss function's call need.
        private const int LeadingLocals = 8;

        private const double Margin = 1.03;
        private const int MarginInstructions = 50;

        /// <summary>The largest members' estimated IL instructions.</summary>
        /// <param name="inputs">N(0).</param>
        /// <param name="sizes">N(1..L).</param>
        /// <param name="activations">h(1..L).</param>
        /// <param name="cost">The declared cost.</param>
        /// <param name="vectorized">Which layers loop over spans; null when all are unrolled.</param>
        public static MemberSizes Estimate(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost, IReadOnlyList<bool>? vectorized = null)
        {
            var network = new Shape(inputs, sizes, activations, cost, vectorized);
            return new MemberSizes(
                MemberSize(MemberCosts.Forward, network, Member.Forward),
                MemberSize(MemberCosts.Accumulate, network, Member.Accumulate),
                MemberSize(MemberCosts.InputGradient, network, Member.InputGradient));
        }

        /// <summary>
        /// What each method of a member split between layers comes to, at most (<see cref="Planning.MemberSplit"/>): the
        /// one that computes layers <paramref name="first"/>..<paramref name="last"/> (0-based). It is the estimate of a
        /// network of just those layers, with a(first − 1) as its input and layer last as its output (whose cost and δ(L)
        /// count for more than a hidden layer's activation), plus, for the training members where a layer follows, what
        /// δ(last) = h'(z(last)) ⊙ W(last + 1)ᵀ δ(last + 1) adds: a term per weight of the next layer (7 instructions, as a
        /// forward one) and the hidden activation's own count per neuron; and at each boundary what passes a(l) and δ(l + 1)
        /// across it. For the whole network (first 0, last L − 1) it is <see cref="Estimate"/>.
        /// </summary>
        public static MemberSizes EstimatePart(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost, IReadOnlyList<bool>? vectorized, int first, int last)
        {
            int count = last - first + 1;
            MemberSizes part = Estimate(
                first == 0 ? inputs : sizes[first - 1],
                Slice(sizes, first, count),
                Slice(activations, first, count),
                cost,
                vectorized is null ? null : Slice(vectorized, first, count));
            bool followed = last + 1 < sizes.Count;
            long boundaries = (first > 0 ? Boundary(sizes[first - 1], sizes[first]) : 0) + (followed ? Boundary(sizes[last], sizes[last + 1]) : 0);
            long deltas = !followed ? 0 : (long)Math.Ceiling(
                (PerDeltaTerm * (long)sizes[last] * sizes[last + 1]) + (Math.Max(MemberCosts.Accumulate.PerHiddenNeuron(activations[last]), MemberCosts.InputGradient.PerHiddenNeuron(activations[last])) * sizes[last]));
            return new MemberSizes(part.Forward + boundaries, part.Accumulate + boundaries + deltas, part.InputGradient + boundaries + deltas);

            static T[] Slice<T>(IReadOnlyList<T> list, int start, int length) => Enumerable.Range(start, length).Select(i => list[i]).ToArray();
        }

        // A term p[k] · δ_i of W(l + 1)ᵀ δ(l + 1): ldloca, ldc.i4, call get_Item, ldind, ldloc, mul, add; one more for margin.
        private const double PerDeltaTerm = 8;

        // A call between two parts: each value of a(l) passed (a load), each δ(l + 1) returned through an out argument (an
        // address, then a load and a store in the callee), counted at 6 apiece, with the spans, the call and the loss taken
        // back; generous, as the rest of the estimate is.
        private static long Boundary(long activations, long deltas) => (6 * (activations + deltas)) + 40;

        private static long MemberSize(MemberCosts costs, Shape network, Member member)
        {
            double linear = costs.Base;
            long fanIn = network.Inputs;
            int last = network.Sizes.Count - 1;
            for (int i = 0; i <= last; i++)
            {
                long size = network.Sizes[i];
                if (network.Loops(i))
                {
                    linear += costs.PerVectorizedLayer;
                }
                else
                {
                    long weights = fanIn * size;
                    linear += i == 0 ? (costs.PerFirstLayerWeight * weights) + (costs.PerInput * fanIn) : costs.PerLaterWeight * weights;
                    linear += network.Loops(i - 1) ? costs.PerWeightReadingSpan * weights : 0;
                    int partialSums = ForwardEmitter.PartialSums((int)fanIn);
                    linear += partialSums > 1 ? costs.PerPartialSum * partialSums * size : 0;
                    linear += (i == last ? costs.PerOutputNeuron(network.Activations[i], network.Cost) : costs.PerHiddenNeuron(network.Activations[i])) * size;
                    linear += network.Loops(i - 1) || network.Loops(i + 1) ? costs.PerNeuronNextToVectorized * size : 0;
                }

                fanIn = size;
            }

            return (long)Math.Ceiling((linear * Margin) + MarginInstructions) + (2 * LongFormAccesses(network, member));
        }

        /// <summary>
        /// Reads and writes of locals past slot 254, each of which costs two nops more. Every group of locals is listed in
        /// the order the emitter declares it, with how often each of its locals is read or written (at most).
        /// </summary>
        private static long LongFormAccesses(Shape network, Member member)
        {
            var groups = new List<(long Count, long Accesses)> { (LeadingLocals, 0) };
            IReadOnlyList<int> sizes = network.Sizes;
            int layers = sizes.Count;
            bool trains = member != Member.Forward;

            // a(0) is read once per neuron of layer 1, and again in ∇W(1) when training.
            groups.Add((network.Loops(0) ? 0 : network.Inputs, ((trains ? 2 : 1) * sizes[0]) + 1));
            for (int i = 0; i < layers; i++)
            {
                long size = sizes[i];
                long fanIn = i == 0 ? network.Inputs : sizes[i - 1];
                long fanOut = i + 1 < layers ? sizes[i + 1] : 0;
                if (network.Loops(i))
                {
                    // Its spans: read a few times by its loops, and once per weight by an unrolled next layer.
                    groups.Add((6, (fanOut > 0 && !network.Loops(i + 1) ? (trains ? 2 : 1) * size * fanOut : 0) + 20));
                    continue;
                }

                int partialSums = ForwardEmitter.PartialSums((int)fanIn);
                if (partialSums > 1)
                {
                    groups.Add((partialSums, 2 * size));
                }

                groups.Add((size, 4));
                if (network.Activations[i] == ActivationKind.Softmax)
                {
                    // m, e(l) and s; the cost reads an output layer's again.
                    bool output = i == layers - 1;
                    (long maxReads, long sumReads) = output ? SoftmaxReadsOfTheCost(member, size, network.Cost) : (0, 0);
                    groups.Add((1, (3 * size) + maxReads));
                    groups.Add((size, output ? 4 : 2));
                    groups.Add((1, size + 1 + sumReads));
                }

                groups.Add((size, fanOut > 0 ? ((trains ? 2 : 1) * fanOut) + 3 : 4));
                if (network.Activations[i] == ActivationKind.Tanh && size % 4 != 0)
                {
                    groups.Add((4 - (size % 4), 0));
                }
            }

            groups.AddRange(CostGroups(member, sizes[layers - 1], network.Activations[layers - 1] == ActivationKind.Softmax, network.Cost, unrolled: !network.Loops(layers - 1)));
            if (trains)
            {
                // δ(l) is read in ∇W(l) and ∇b(l), in δ(l−1) = W(l)ᵀ δ(l), and δ(1) in the input gradient.
                for (int i = layers - 1; i >= 0; i--)
                {
                    if (!network.Loops(i))
                    {
                        long fanIn = i == 0 ? network.Inputs : sizes[i - 1];
                        long reads = 2 + fanIn + (i > 0 ? fanIn : 0) + (i == 0 && member == Member.InputGradient ? network.Inputs : 0);
                        groups.Add((sizes[i], reads));
                    }
                }
            }

            long slot = 0, accesses = 0;
            foreach ((long count, long each) in groups)
            {
                long past = Math.Max(0, slot + count - ShortFormSlots) - Math.Max(0, slot - ShortFormSlots);
                accesses += Math.Min(count, past) * each;
                slot += count;
            }

            return accesses;
        }

        /// <summary>
        /// The cost's locals (CostEmitter), in the order it declares them, with how often each is read or written: Loss's for
        /// Forward (whose estimate bounds Loss too), with δ(L)'s for the training members. Locals per output only where the
        /// output layer is unrolled: a vectorised one keeps them in spans.
        /// </summary>
        private static IEnumerable<(long Count, long Accesses)> CostGroups(Member member, long outputs, bool softmax, CostKind cost, bool unrolled)
        {
            long perOutput = unrolled ? outputs : 0;
            bool trains = member != Member.Forward;
            bool squared = cost is CostKind.SquaredError or CostKind.HalfSquaredError or CostKind.MeanSquaredError;
            if (squared || (trains && cost == CostKind.BinaryCrossEntropy && !softmax))
            {
                yield return (perOutput, (squared ? 3 : 1) + (trains ? 1 : 0));     // r = a − t
            }

            if (softmax && cost == CostKind.BinaryCrossEntropy)
            {
                // ln s, the running maximum, m', f, Σ f, O, the log-likelihood and the loss; with δ(L): Σ t, u, Σ u and Σ v.
                yield return (1, (2 * outputs) + 2);
                yield return (1, (2 * outputs) + 1);
                yield return (1, (3 * outputs) + 2);
                yield return (perOutput, trains ? 3 : 2);
                yield return (1, 2);
                yield return (1, ((trains ? 2 : 1) * outputs) + 2);
                yield return (2, 2);
                if (trains)
                {
                    yield return (1, outputs + 1);
                    yield return (perOutput, 3);
                    yield return (1, outputs + 1);
                    yield return (1, outputs + 1);
                }
            }
            else if (softmax && cost == CostKind.CrossEntropy)
            {
                yield return (1, outputs + 2);      // ln s
                yield return (2, 2);
                if (trains)
                {
                    yield return (1, outputs + 1);  // Σ t
                }
            }
            else
            {
                yield return (2, 2);
                if (trains && softmax)
                {
                    yield return (perOutput, 3);    // g = ∇a C
                    yield return (1, outputs + 1);  // Σ a g
                }
            }

            // The members that return an input gradient keep a softmax output's Jacobian product apart.
            if (member == Member.InputGradient && softmax)
            {
                yield return (perOutput, 2);
                yield return (unrolled ? 1 : 0, outputs + 1);
            }
        }

        // What the cost reads of a softmax output's m and s, once per output and term.
        private static (long Max, long Sum) SoftmaxReadsOfTheCost(Member member, long outputs, CostKind cost)
        {
            bool trains = member != Member.Forward;
            return cost switch
            {
                CostKind.BinaryCrossEntropy => ((trains ? 5 : 2) * outputs, (trains ? 3 : 1) * outputs),
                CostKind.CrossEntropy => (outputs, 0),
                _ => (0, 0),
            };
        }

        private enum Member
        {
            Forward,
            Accumulate,
            InputGradient,
        }

        private readonly record struct Shape(int Inputs, IReadOnlyList<int> Sizes, IReadOnlyList<ActivationKind> Activations, CostKind Cost, IReadOnlyList<bool>? Vectorized)
        {
            public bool Loops(int layer) => Vectorized is not null && layer >= 0 && layer < Sizes.Count && Vectorized[layer];
        }

        /// <summary>
        /// One member's coefficients, fitted (see the remarks above). A weight costs about 7 instructions in Forward
        /// (ldloca p, ldc.i4 k, call get_Item, ldind, ldloc a, mul, add) and 17 to 24 in Accumulate (the gradient adds
        /// dup, ldind, …, stind, later layers the term of δ(l−1)); a neuron 7 to 50, by its activation and cost.
        /// Hidden and Output are by ActivationKind (Identity, Logistic, Tanh, Relu, Elu, Softmax), Costs by CostKind
        /// (SquaredError, HalfSquaredError, MeanSquaredError, CrossEntropy, BinaryCrossEntropy), and SoftmaxBinary is what
        /// an output of binary cross-entropy after softmax adds (its loss takes m', f and O; its δ u and v). A hidden
        /// softmax layer, which the survey did not draw, is counted as an output one.
        /// </summary>
        private sealed record MemberCosts(
            double Base, double PerFirstLayerWeight, double PerLaterWeight, double PerWeightReadingSpan, double PerInput, double PerPartialSum,
            double PerVectorizedLayer, double PerNeuronNextToVectorized, double[] Hidden, double[] Output, double[] Costs, double SoftmaxBinary)
        {
            public static readonly MemberCosts Forward = new(
                Base: 126.5, PerFirstLayerWeight: 7, PerLaterWeight: 7, PerWeightReadingSpan: 3, PerInput: 5.25, PerPartialSum: 2.25, PerVectorizedLayer: 30, PerNeuronNextToVectorized: 3.25,
                Hidden: new[] { 7, 15.75, 10, 11.75, 17 },
                Output: new[] { 22.25, 31.25, 24, 27.25, 32, 35 },
                Costs: new[] { 0, 0.25, 0.25, 4.25, 4.25 },
                SoftmaxBinary: 42);

            public static readonly MemberCosts Accumulate = new(
                Base: 366, PerFirstLayerWeight: 16.75, PerLaterWeight: 23.5, PerWeightReadingSpan: 0, PerInput: 5, PerPartialSum: 1.75, PerVectorizedLayer: 84, PerNeuronNextToVectorized: 7,
                Hidden: new[] { 14.5, 35.5, 26.5, 25.25, 33 },
                Output: new[] { 25.5, 46, 35.25, 37.75, 45.25, 47.5 },
                Costs: new[] { 2.5, 0.75, 2.5, 1, 0 },
                SoftmaxBinary: 111.5);

            public static readonly MemberCosts InputGradient = new(
                Base: 395.75, PerFirstLayerWeight: 23.75, PerLaterWeight: 23.75, PerWeightReadingSpan: 0, PerInput: 8, PerPartialSum: 1.25, PerVectorizedLayer: 76.75, PerNeuronNextToVectorized: 8.25,
                Hidden: new[] { 14.5, 32.25, 23.5, 25, 32.5 },
                Output: new[] { 0, 20.5, 10, 12.75, 19.75, 16.25 },
                Costs: new[] { 27.5, 25.75, 27.25, 30, 25.5 },
                SoftmaxBinary: 111);

            public double PerHiddenNeuron(ActivationKind activation) =>
                activation == ActivationKind.Softmax ? PerOutputNeuron(activation, CostKind.CrossEntropy) : At(Hidden, (int)activation);

            public double PerOutputNeuron(ActivationKind activation, CostKind cost) =>
                At(Output, (int)activation) + At(Costs, (int)cost) + (activation == ActivationKind.Softmax && cost == CostKind.BinaryCrossEntropy ? SoftmaxBinary : 0);

            // A value outside the enum (a declaration with errors still gets its NNG027 checked) counts as the dearest.
            private static double At(double[] values, int index) => index >= 0 && index < values.Length ? values[index] : System.Linq.Enumerable.Max(values);
        }
    }

    /// <summary>Estimated IL instructions of Forward and Loss, of Accumulate, and of the members that return an input gradient.</summary>
    internal readonly record struct MemberSizes(long Forward, long Accumulate, long InputGradient)
    {
        /// <summary>The largest of the three; a network that only infers (baked weights) has Forward alone.</summary>
        public long Largest(bool trains) => trains ? Math.Max(Forward, Math.Max(Accumulate, InputGradient)) : Forward;
    }
}
