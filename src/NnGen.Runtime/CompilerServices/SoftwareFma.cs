#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// a · b + c rounded once, lane by lane, where the machine has SIMD but no fused multiply-add instruction: x64
    /// without FMA3, which is NativeAOT's default target, .NET under Rosetta 2 and older or low-power x86. The panel
    /// kernels promise every machine the bits of chains of fused multiply-adds; there
    /// <see cref="Math.FusedMultiplyAdd(double, double, double)"/> calls the C library's software fma, about 15
    /// cycles per element plus a call, which made a snapshot of 784-128-10 some 80 times slower than with FMA.
    /// <para>
    /// Float: a · b is exact in double (24 + 24 bits), and a sum rounded to odd in a format of at least 24 + 2 bits,
    /// then rounded to nearest in float, is the exact sum rounded to nearest in float (S. Boldo, G. Melquiond,
    /// "Emulation of FMA and correctly rounded sums: proved algorithms using rounding to odd", IEEE Trans.
    /// Computers 57(4), 2008, theorem 1). Every float, float product and float-range sum is a normal double, so
    /// this holds for all inputs, subnormal floats, signed zeros, overflow to ∞ and NaN included. Rounding to odd is
    /// only needed where the sum rounded to nearest in double lands on a float midpoint or below float's normal
    /// range; elsewhere that sum, rounded to float, is already the answer, so the rounding to odd is skipped.
    /// </para>
    /// <para>
    /// Double: the same paper's emulated FMA: (uh, ul) = a · b exactly (Dekker), (th, tl) = c + uh exactly
    /// (TwoSum), v = tl + ul rounded to odd, z = th + v rounded to nearest. It needs a · b's low part to be a
    /// double and Dekker's split not to overflow, so it is only used where <see cref="Covers"/> says every operand
    /// is 0 or between 2^-240 and 2^240 (see there); other layers keep the C library's fma.
    /// </para>
    /// </summary>
    internal static class SoftwareFma
    {
        /// <summary>The exactly rounded a · b + c in each lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        {
            (Vector128<double> a0, Vector128<double> a1) = Vector128.Widen(a);
            (Vector128<double> b0, Vector128<double> b1) = Vector128.Widen(b);
            (Vector128<double> c0, Vector128<double> c1) = Vector128.Widen(c);
            Vector128<double> p0 = a0 * b0, p1 = a1 * b1;
            Vector128<double> t0 = p0 + c0, t1 = p1 + c1;

            // t rounded to float is already the exact sum rounded once, unless t landed on a midpoint between two
            // floats (a float midpoint is a double, so an exact sum on the other side of it would have rounded to it
            // or beyond) or below float's normal range (whose midpoints lie elsewhere). That is rare: only then the
            // sum is rounded to odd instead, which costs three times as much.
            if ((Suspect(t0) | Suspect(t1)) != Vector128<long>.Zero)
            {
                t0 = AddRoundedToOdd(p0, c0);
                t1 = AddRoundedToOdd(p1, c1);
            }

            return Vector128.Narrow(t0, t1);
        }

        // A double on a float midpoint (the 29 bits below float's last one are 1000…0; ∞ is not), or of magnitude
        // above 0 and below float's smallest normal, 2^-126 (0x381 is its biased exponent in double).
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static Vector128<long> Suspect(Vector128<double> t)
        {
            Vector128<long> bits = t.AsInt64();
            Vector128<long> magnitude = bits & Vector128.Create(long.MaxValue);
            Vector128<long> midpoint = Vector128.Equals(bits & Vector128.Create(0x1FFF_FFFFL), Vector128.Create(0x1000_0000L));
            Vector128<long> tiny = Vector128.LessThan(magnitude, Vector128.Create(0x3810_0000_0000_0000L)) & ~Vector128.Equals(magnitude, Vector128<long>.Zero);
            return midpoint | tiny;
        }

        /// <summary>
        /// The exactly rounded a · b + c in each lane, for operands that <see cref="Covers"/> accepts (each 0 or of
        /// magnitude 2^-240 to 2^240; c any double below 2^900 in magnitude).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c)
        {
            Vector128<double> uh = a * b;
            Vector128<double> ul = ProductError(a, b, uh);
            Vector128<double> th = c + uh;
            Vector128<double> tl = SumError(c, uh, th);
            Vector128<double> z = th + AddRoundedToOdd(tl, ul);

            // a · b exactly 0: then a · b + c is c + uh as one addition rounds it, whose signed zero (−0 + −0 = −0)
            // th + v above would lose when v is +0.
            return Vector128.ConditionalSelect(Vector128.Equals(uh, Vector128<double>.Zero), th, z);
        }

        // 2^-240 and 2^240, the bounds of Covers.
        private static readonly double Smallest = Math.ScaleB(1.0, -240), Largest = Math.ScaleB(1.0, 240);

        /// <summary>
        /// Whether <see cref="MultiplyAdd(Vector128{double}, Vector128{double}, Vector128{double})"/> is exact for a
        /// layer with these inputs and this packed W and b: each value 0 or of magnitude 2^-240 to 2^240. Products are
        /// then 0 or 2^-480 to 2^480, so Dekker's split (a · (2^27 + 1)) cannot overflow, a product's low part is a
        /// normal double, and no sum of a chain of fewer than 2^400 columns comes near overflow; an exact a · b + c can
        /// only be as small as a subnormal where the addition that gives it is exact. Weights and activations of a
        /// trained network are nowhere near these bounds; a layer that is gets the C library's fma.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static bool Covers(ReadOnlySpan<double> values)
        {
            var low = Vector128.Create(Smallest);
            var high = Vector128.Create(Largest);
            ref double v0 = ref MemoryMarshal.GetReference(values);
            int i = 0;
            Vector128<double> outside = Vector128<double>.Zero;
            for (; i + 2 <= values.Length; i += 2)
            {
                Vector128<double> m = Vector128.Abs(Vector128.LoadUnsafe(ref v0, (nuint)i));

                // NaN fails both comparisons of the first term, so it counts as outside.
                outside |= ~(Vector128.LessThanOrEqual(m, high) & (Vector128.GreaterThanOrEqual(m, low) | Vector128.Equals(m, Vector128<double>.Zero)));
            }

            if (outside != Vector128<double>.Zero)
            {
                return false;
            }

            for (; i < values.Length; i++)
            {
                double m = Math.Abs(values[i]);
                if (!(m <= Largest && (m >= Smallest || m == 0)))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// x + y rounded to odd: rounded to nearest, then, if that was inexact and its last bit is even, moved one
        /// unit in the last place toward the exact sum, onto the odd neighbour (TwoSum gives the exact error).
        /// NaN and ∞ lanes, whose error is NaN, stay as they are.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        internal static Vector128<double> AddRoundedToOdd(Vector128<double> x, Vector128<double> y)
        {
            Vector128<double> s = x + y;
            Vector128<double> e = SumError(x, y, s);
            Vector128<long> bits = s.AsInt64();
            Vector128<long> inexact = (Vector128.LessThan(e, Vector128<double>.Zero) | Vector128.GreaterThan(e, Vector128<double>.Zero)).AsInt64();
            Vector128<long> even = Vector128.Equals(bits & Vector128<long>.One, Vector128<long>.Zero);

            // One step up in the bits is away from zero: toward e when e has s's sign (s is not 0 when e is not).
            // (The masks are compared as integers: all ones is a NaN as a double, and NaN is never equal.)
            Vector128<long> away = Vector128.Equals(Vector128.LessThan(s, Vector128<double>.Zero).AsInt64(), Vector128.LessThan(e, Vector128<double>.Zero).AsInt64());
            Vector128<long> step = (away & Vector128.Create(2L)) - Vector128<long>.One;
            return (bits + (inexact & even & step)).AsDouble();
        }

        /// <summary>x + y − s exactly, for s = x + y rounded to nearest (Knuth's TwoSum: no condition on the order).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static Vector128<double> SumError(Vector128<double> x, Vector128<double> y, Vector128<double> s)
        {
            Vector128<double> yv = s - x;
            Vector128<double> xv = s - yv;
            return (x - xv) + (y - yv);
        }

        /// <summary>a · b − p exactly, for p = a · b rounded to nearest (Dekker's product, with Veltkamp's split at 27 bits).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static Vector128<double> ProductError(Vector128<double> a, Vector128<double> b, Vector128<double> p)
        {
            var split = Vector128.Create(134217729.0); // 2^27 + 1
            Vector128<double> ta = a * split;
            Vector128<double> ah = ta - (ta - a);
            Vector128<double> al = a - ah;
            Vector128<double> tb = b * split;
            Vector128<double> bh = tb - (tb - b);
            Vector128<double> bl = b - bh;
            return (((ah * bh) - p) + (ah * bl) + (al * bh)) + (al * bl);
        }
    }

    /// <summary>
    /// <see cref="Simd128{T}"/> with <see cref="SoftwareFma"/>'s exactly rounded multiply-add: the panel kernels'
    /// chains on a machine without a fused multiply-add instruction, with the bits they have where there is one.
    /// </summary>
    internal readonly struct Simd128SoftwareFma<T> : ISimdWidth<T, Vector128<T>>
        where T : unmanaged, System.Numerics.INumber<T>
    {
        public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector128<T>.Count; }

        public static Vector128<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector128<T>.Zero; }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Load(ref T source) => Simd128<T>.Load(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Store(Vector128<T> value, ref T destination) => Simd128<T>.Store(value, ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Broadcast(T value) => Simd128<T>.Broadcast(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        {
            if (typeof(T) == typeof(float))
            {
                return SoftwareFma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            return SoftwareFma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> LastLanes(int valid) => Simd128<T>.LastLanes(valid);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> MultiplyMasked(Vector128<T> a, Vector128<T> b, Vector128<T> mask) => Simd128<T>.MultiplyMasked(a, b, mask);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Select(Vector128<T> mask, Vector128<T> ifOnes, Vector128<T> ifZeros) => Simd128<T>.Select(mask, ifOnes, ifZeros);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Clamp(Vector128<T> x, T low, T high) => Simd128<T>.Clamp(x, low, high);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> AtMost(Vector128<T> x, T high) => Simd128<T>.AtMost(x, high);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void AddSums(ref T bias, Vector128<T> c0, Vector128<T> c1, Vector128<T> c2, Vector128<T> c3, Vector128<T> c4, Vector128<T> c5, Vector128<T> c6, Vector128<T> c7, ref T destination) =>
            Simd128<T>.AddSums(ref bias, c0, c1, c2, c3, c4, c5, c6, c7, ref destination);
    }
}
#endif
