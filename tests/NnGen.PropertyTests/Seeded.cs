using System;
using CsCheck;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Runs a CsCheck generator over a fixed sequence of cases. CsCheck's own Sample fixes only the first
    /// iteration's seed and draws the rest at random; CI must run the same cases every time, so case i is
    /// generated from its own PCG seeded with i, and a failure names the case and prints its input.
    /// </summary>
    internal static class Seeded
    {
        public static void Sample<T>(this Gen<T> gen, Action<T> check, int cases, uint stream, Func<T, string>? print = null)
        {
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
