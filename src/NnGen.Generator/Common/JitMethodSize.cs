using System;
using System.Collections.Generic;

namespace NnGen.Generator.Common
{
    /// <summary>
    /// How many IL instructions the straight-line members come to, at most. .NET's JIT compiles a method of more than
    /// 20,000 IL instructions with MinOpts, without optimisation, and never compiles it again (the check in
    /// Compiler::compSetOptimizationLevel against DEFAULT_MIN_OPTS_INSTR_COUNT; AggressiveOptimization does not lift it).
    /// NativeAOT and ReadyToRun compile ahead of time and have no such limit. Unrolled members run several times slower
    /// past it, so CodeShape.Auto vectorises layers to keep below it (not layers narrower than NetworkPlan.NarrowLayer,
    /// which are slower still vectorised) and a forced CodeShape.Unrolled gets NNG027 past it.
    /// </summary>
    /// <remarks>
    /// Each count is what the C# compiler makes of a statement the emitter writes, measured on Release builds with
    /// System.Reflection.Metadata (docs/benchmarks.md, "The JIT's size limit"); MethodSizeProperties checks that every
    /// estimate is at least the real count on random networks. The JIT's other limits (60,000 bytes of IL, 8,000 local
    /// references, 2,000 locals) are never reached first by this code.
    /// </remarks>
    internal static class JitMethodSize
    {
        /// <summary>DEFAULT_MIN_OPTS_INSTR_COUNT: past this many IL instructions a method is compiled with MinOpts.</summary>
        public const int InstructionLimit = 20_000;

        /// <summary>
        /// What CodeShape.Auto leaves to unrolled members: 5% below the limit, for other compilers' IL (Unity's and Godot's
        /// Roslyn, later SDKs; Roslyn 4.3 and the .NET 10 SDK's wrote the same count where compared). The estimate is itself
        /// an upper bound, 3% to 15% above the real count on networks of two or three layers, more on deep ones. Each layer
        /// vectorised for it costs Accumulate (measured: 12-12x5-4, 1.24 → 1.60 µs with two), so the margin is kept small.
        /// </summary>
        public const int AutoBudget = 19_000;

        // A multiply-add of z = W a + b: ldloca p, ldc.i4 k, call get_Item, ldind, ldloc a, mul, add.
        private const int ForwardPerWeight = 7;

        // An unrolled layer after a vectorised one reads a(l−1) from its span in every multiply-add (ldloca a, ldc.i4 j,
        // call get_Item, ldind in place of ldloc a): 28-17-20-10 under Auto, whose last layer alone is unrolled, has a
        // Forward of 2,275 instructions. Accumulate's gradient term reads it too, but there δ(l−1) goes back through
        // the layer by one kernel call per neuron instead of a term per weight, which more than pays for it.
        private const int SpanReadPerWeight = 3;

        // Per neuron: the partial sums, the bias, the activation and, in Loss, the cost's term.
        private const int ForwardPerNeuron = 25;

        // Per input of an unrolled first layer: a0_i = input[i], and the first partial sums over it.
        private const int ForwardPerInput = 30;

        // Accumulate, per weight of layer 1: the forward multiply-add and ∇W += δ aᵀ (ldloca grad, ldc.i4 k, call
        // get_Item, dup, ldind, ldloc δ, ldloc a, mul, add, stind), measured at 20 with the partial sums.
        private const int AccumulatePerFirstWeight = 20;

        // Per weight of a later layer, also the term of δ(l−1) = Wᵀ δ(l) that goes back through it.
        private const int AccumulatePerWeight = 24;

        // The members that return ∂C/∂a(0) also send δ(1) back through W(1).
        private const int InputGradientPerFirstWeight = 27;

        // Per neuron: the forward work, the activation's derivative, δ and the bias gradient.
        private const int AccumulatePerNeuron = 50;

        // A vectorised layer in an otherwise unrolled member: its spans, kernel calls and the copies to and from locals.
        private const int PerVectorizedLayer = 150;
        private const int PerNeuronNextToVectorized = 10;

        // Past 256 locals Roslyn pads each access to a local beyond the 256th with two nops, and the JIT counts nops:
        // measured, 14% to 16% more instructions in deep networks near the limit (1-6x22-1), 25% in 52-52-10's Accumulate
        // (past the limit at twice its size) and up to 42% in single layers far past it. Locals, measured: about 3.1 per
        // neuron in Accumulate (z, a, δ and temporaries) and 2 in Forward, 1.6 and 1.4 per input of an unrolled first
        // layer, fewer per layer (partial sums are reused), a few more per output neuron; the bounds below add 30 to 40
        // to the fitted counts.
        private const int ShortLocalForms = 256;
        private const double ManyLocalsFactor = 1.5;

        /// <summary>The largest members' estimated IL instructions.</summary>
        /// <param name="inputs">N(0).</param>
        /// <param name="sizes">N(1..L).</param>
        /// <param name="vectorized">Which layers loop over spans; null when all are unrolled.</param>
        public static MemberSizes Estimate(int inputs, IReadOnlyList<int> sizes, IReadOnlyList<bool>? vectorized = null)
        {
            long forward = 150, accumulate = 300, inputGradient = 300;
            double forwardLocals = 40, accumulateLocals = 30;
            bool Loops(int layer) => vectorized is not null && layer >= 0 && layer < sizes.Count && vectorized[layer];

            long fanIn = inputs;
            for (int i = 0; i < sizes.Count; i++)
            {
                long size = sizes[i];
                if (Loops(i))
                {
                    forward += PerVectorizedLayer;
                    accumulate += PerVectorizedLayer;
                    inputGradient += PerVectorizedLayer;
                    forwardLocals += 5;
                    accumulateLocals += 5;
                }
                else
                {
                    long weights = fanIn * size;
                    forward += ((ForwardPerWeight + (Loops(i - 1) ? SpanReadPerWeight : 0)) * weights) + (ForwardPerNeuron * size);
                    accumulate += (i == 0 ? AccumulatePerFirstWeight : AccumulatePerWeight) * weights + AccumulatePerNeuron * size;
                    inputGradient += (i == 0 ? InputGradientPerFirstWeight : AccumulatePerWeight) * weights + AccumulatePerNeuron * size;
                    forwardLocals += (2 * size) - 0.9;
                    accumulateLocals += (3.1 * size) - 1.2;
                    if (i == 0)
                    {
                        forward += ForwardPerInput * fanIn;
                        forwardLocals += 1.4 * fanIn;
                        accumulateLocals += 1.6 * fanIn;
                    }

                    if (i == sizes.Count - 1)
                    {
                        forwardLocals += 0.8 * size;
                        accumulateLocals += 0.6 * size;
                    }

                    if (Loops(i - 1) || Loops(i + 1))
                    {
                        forward += PerNeuronNextToVectorized * size;
                        accumulate += PerNeuronNextToVectorized * size;
                        inputGradient += PerNeuronNextToVectorized * size;
                    }
                }

                fanIn = size;
            }

            return new MemberSizes(
                WithManyLocals(forward, forwardLocals),
                WithManyLocals(accumulate, accumulateLocals),
                WithManyLocals(inputGradient, accumulateLocals));
        }

        private static long WithManyLocals(long instructions, double locals) =>
            locals > ShortLocalForms ? (long)Math.Ceiling(instructions * ManyLocalsFactor) : instructions;
    }

    /// <summary>Estimated IL instructions of Forward and Loss, of Accumulate, and of the members that return an input gradient.</summary>
    internal readonly record struct MemberSizes(long Forward, long Accumulate, long InputGradient)
    {
        /// <summary>The largest of the three; a network that only infers (baked weights) has Forward alone.</summary>
        public long Largest(bool trains) => trains ? Math.Max(Forward, Math.Max(Accumulate, InputGradient)) : Forward;
    }
}
