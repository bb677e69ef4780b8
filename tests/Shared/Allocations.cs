using System;

namespace NnGen.Testing
{
    /// <summary>
    /// What a warmed-up piece of code allocates on the current thread. The runtime itself sometimes allocates on a
    /// thread mid-measurement (tiered compilation promoting a hot method, on a loaded machine; see
    /// dotnet/BenchmarkDotNet#1542), so a single window can report bytes the code under test never asked for. A real
    /// allocation in the code shows in every window, so the least of a few windows keeps the assertion exact.
    /// </summary>
    internal static class Allocations
    {
        /// <summary>The fewest bytes <paramref name="run"/> allocated in up to five runs; stops at the first that allocated none.</summary>
        public static long Least(Action run)
        {
            long least = long.MaxValue;
            for (int window = 0; window < 5 && least > 0; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                run();
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return least;
        }
    }
}
