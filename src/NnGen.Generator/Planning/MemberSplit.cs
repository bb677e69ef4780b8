using System.Collections.Generic;
using NnGen.Generator.Common;

namespace NnGen.Generator.Planning
{
    /// <summary>Layers <see cref="First"/>..<see cref="Last"/> (0-based: layer 1 is 0) of a straight-line member, written as one method.</summary>
    internal readonly record struct LayerRun(int First, int Last);

    /// <summary>
    /// Where a straight-line member is cut into several methods. .NET's JIT compiles a method of more than 20,000 IL
    /// instructions without optimisation, for good (<see cref="JitMethodSize"/>), and unrolled code is about 7
    /// instructions per weight in Forward and 24 in Accumulate: a deep network of narrow layers, which CodeShape.Auto
    /// leaves unrolled (vectorised, such layers are slower still), or a forced CodeShape.Unrolled, passes it. Such a member
    /// is written as one method per run of layers, each within <see cref="JitMethodSize.AutoBudget"/> by the estimate: the
    /// member computes the first run and calls the next with a(l), which does the same, and each hands δ of its first
    /// layer back to the one before, which goes on with the backward pass from there. The arithmetic and its order are
    /// what one method would do, so the bits are too. A member is cut only between two unrolled layers, whose a(l) and δ
    /// are locals; a single layer past the budget is not cut (NNG027 says so where the shape was forced).
    /// </summary>
    internal static class MemberSplit
    {
        /// <summary>
        /// The runs of layers of one member: the whole network as one run where its estimate is within the budget, else
        /// runs as long as fit, each cut where the next would pass it.
        /// </summary>
        /// <param name="training">Accumulate and the members that return an input gradient; else Forward and Loss.</param>
        public static IReadOnlyList<LayerRun> Runs(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost, IReadOnlyList<bool>? vectorized, bool training) =>
            Runs(inputs, sizes, activations, cost, vectorized, training, JitMethodSize.AutoBudget);

        /// <summary>
        /// Forward's and Loss's runs in a class whose unrolled layers compute in lanes (a snapshot, a baked network on .NET
        /// 8+). Its IL is fewer instructions than the unrolled code's but longer ones (a Vector128 load, multiply or add is a
        /// call with a 4-byte token), and the JIT also compiles a method of more than 60,000 bytes of IL with MinOpts. Measured,
        /// the lanes' IL came to 0.9 to 1.4 bytes per instruction of the unrolled Forward's estimate on deep narrow networks
        /// (1-6x120-1: 66,572 bytes in one method, MinOpts) and to about 3.6 on a 1 → 224 softmax; so each run's unrolled
        /// estimate is held within <see cref="LanesBudget"/>, 4 bytes per instruction below the limit.
        /// </summary>
        public static IReadOnlyList<LayerRun> LanesRuns(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost, IReadOnlyList<bool>? vectorized) =>
            Runs(inputs, sizes, activations, cost, vectorized, training: false, LanesBudget);

        /// <summary>The unrolled Forward estimate that one method in lanes is held to: 56,000 bytes at 4 bytes each, below <see cref="JitMethodSize.IlByteLimit"/>.</summary>
        public const int LanesBudget = 14_000;

        private static IReadOnlyList<LayerRun> Runs(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost, IReadOnlyList<bool>? vectorized, bool training, long budget)
        {
            int count = sizes.Count;
            var runs = new List<LayerRun>();
            if (count == 0 || Size(0, count - 1) <= budget)
            {
                runs.Add(new LayerRun(0, count - 1));
                return runs;
            }

            int first = 0;
            while (first < count)
            {
                int last = first;
                while (last + 1 < count && Size(first, last + 1) <= budget)
                {
                    last++;
                }

                if (last == count - 1)
                {
                    runs.Add(new LayerRun(first, last));
                    break;
                }

                // The latest place within the budget where the member can be cut; where there is none, the first after it.
                int cut = last;
                while (cut >= first && !CanCut(cut))
                {
                    cut--;
                }

                if (cut < first)
                {
                    cut = last + 1;
                    while (cut < count - 1 && !CanCut(cut))
                    {
                        cut++;
                    }
                }

                runs.Add(new LayerRun(first, cut));
                first = cut + 1;
            }

            return runs;

            long Size(int from, int to) => SizeOfRun(inputs, sizes, activations, cost, vectorized, from, to, training);

            // Between layers i and i + 1 (0-based), where both are unrolled: a(i) and δ(i + 1) are locals then, not spans on
            // the stack of the method that would return.
            bool CanCut(int i) => i + 1 < count && !Loops(i) && !Loops(i + 1);

            bool Loops(int i) => vectorized is not null && vectorized[i];
        }

        /// <summary>The estimate of the largest method of one member as <see cref="Runs"/> cuts it.</summary>
        public static long Largest(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost, IReadOnlyList<bool>? vectorized, bool training)
        {
            long largest = 0;
            foreach (LayerRun run in Runs(inputs, sizes, activations, cost, vectorized, training))
            {
                largest = System.Math.Max(largest, SizeOfRun(inputs, sizes, activations, cost, vectorized, run.First, run.Last, training));
            }

            return largest;
        }

        /// <summary>
        /// The estimate of the method that computes layers <paramref name="first"/>..<paramref name="last"/> (0-based), the
        /// size that decides the runs: Forward's for Forward and Loss; for the training runs, the larger of Accumulate's and
        /// the input gradient's, since one cut serves Accumulate and the backward pass of a given gradient alike.
        /// </summary>
        public static long SizeOfRun(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<ActivationKind> activations, CostKind cost, IReadOnlyList<bool>? vectorized, int first, int last, bool training)
        {
            MemberSizes part = JitMethodSize.EstimatePart(inputs, sizes, activations, cost, vectorized, first, last);
            return training ? System.Math.Max(part.Accumulate, part.InputGradient) : part.Forward;
        }
    }
}
