using System;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// The random source of <c>InitializeParameters(seed)</c>: SplitMix64, chosen because it is tiny,
    /// passes BigCrush, and gives the same bits on every runtime. (System.Random's seeded sequence is
    /// an implementation detail of each runtime: Mono and Unity need not match .NET.)
    /// </summary>
    public struct SeededUniform
    {
        private ulong _state;

        /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
        public SeededUniform(int seed)
        {
            // Sign-extension keeps distinct ints distinct; the odd constant keeps seed 0 away from state 0.
            _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
        }

        /// <summary>The next 64 random bits.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public ulong NextUInt64()
        {
            unchecked
            {
                ulong z = _state += 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        /// <summary>An int uniform in [0, <paramref name="bound"/>), without modulo bias (Lemire's method).</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public int NextInt(int bound)
        {
            if (bound <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
            }

            // Multiply-shift maps 32 random bits onto [0, bound); rejecting the few low products that
            // would make some results one count more likely keeps the distribution exact.
            uint range = (uint)bound;
            ulong product = (NextUInt64() >> 32) * range;
            uint low = unchecked((uint)product);
            if (low < range)
            {
                uint threshold = unchecked(0u - range) % range;
                while (low < threshold)
                {
                    product = (NextUInt64() >> 32) * range;
                    low = unchecked((uint)product);
                }
            }

            return (int)(product >> 32);
        }

        /// <summary>A double uniform in [0, 1), from the top 53 bits.</summary>
        public double NextUnit() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>A double uniform in [−bound, bound).</summary>
        public double NextSymmetric(double bound) => (2.0 * NextUnit() - 1.0) * bound;

        /// <summary>Fills <paramref name="destination"/> with values uniform in [−bound, bound).</summary>
        public void Fill(Span<double> destination, double bound)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = NextSymmetric(bound);
            }
        }

        /// <summary>
        /// Fills <paramref name="destination"/> with values uniform in [−bound, bound), drawn in double
        /// and rounded, so a float network and a double network with the same seed start alike.
        /// </summary>
        public void Fill(Span<float> destination, double bound)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)NextSymmetric(bound);
            }
        }
    }
}
