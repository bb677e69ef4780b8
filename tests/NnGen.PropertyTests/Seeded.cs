using System;
using CsCheck;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Runs a CsCheck generator over a fixed sequence of cases. CsCheck's own Sample fixes only the first
    /// iteration's seed and draws the rest at random; CI must run the same cases every time, so case i is
    /// generated from its own PCG seeded with i, and a failure names the case and prints its input.
    /// </summary>
    /// <remarks>
    /// To look past CI's cases, set NNGEN_FUZZ_STREAM to a number: every property then runs three times as many cases
    /// of its stream plus that number (<c>NNGEN_FUZZ_STREAM=1000 dotnet test tests/NnGen.PropertyTests -c Release</c>).
    /// What such a run finds becomes a named case with CI's streams left as they are. 2026-12-04, streams + 1000 found
    /// JitMethodSize's Forward bound too low for an unrolled layer after vectorised ones (MethodSizeProperties' edge
    /// 28-17-20-10), and a softmax of one neuron drawn by SnapshotProperties (NNG012; now two neurons).
    /// </remarks>
    internal static class Seeded
    {
        /// <summary>
        /// Whether NNGEN_FUZZ_STREAM moves the streams: a check that a fixed sample covers enough (so many networks of a
        /// kind) holds for CI's cases, and is no finding elsewhere.
        /// </summary>
        public static bool Fuzzing => StreamOffset > 0;

        private static uint StreamOffset => uint.TryParse(Environment.GetEnvironmentVariable("NNGEN_FUZZ_STREAM"), out uint offset) ? offset : 0;

        public static void Sample<T>(this Gen<T> gen, Action<T> check, int cases, uint stream, Func<T, string>? print = null)
        {
            if (Fuzzing)
            {
                stream += StreamOffset;
                cases *= 3;
            }

            for (int i = 0; i < cases; i++)
            {
                T value = gen.Generate(new PCG(stream, (ulong)i), null!, out _);
                try
                {
                    check(value);
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException(
                        $"Case {i} of stream {stream} failed: {e.Message}\n--- input ---\n{(print is null ? Check.Print(value) : print(value))}", e);
                }
            }
        }
    }
}
