using System;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>Seeded Fisher–Yates shuffles over index arrays, the same on every platform.</summary>
    public static class Shuffling
    {
        /// <summary>0..count−1 in a random order fixed by <paramref name="seed"/>.</summary>
        public static int[] Permutation(int count, int seed)
        {
            var order = new int[count];
            for (int i = 0; i < count; i++)
            {
                order[i] = i;
            }

            var random = new SeededUniform(seed);
            Shuffle(order, ref random);
            return order;
        }

        /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates); allocates nothing.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Shuffle(Span<int> items, ref SeededUniform random)
        {
            for (int i = items.Length - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }
}
