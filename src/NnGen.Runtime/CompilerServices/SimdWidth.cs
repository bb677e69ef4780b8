#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// One vector width as a type argument, so that <see cref="MatrixKernels"/> writes each micro-kernel once
    /// and the JIT compiles it for Vector512, Vector256 or Vector128: a generic method over a struct is
    /// specialised per type, and these static members inline to single instructions.
    /// </summary>
    internal interface ISimdWidth<T, TVector>
        where T : unmanaged, System.Numerics.INumber<T>
        where TVector : struct
    {
        static abstract int Count { get; }

        static abstract TVector Zero { get; }

        static abstract TVector Load(ref T source);

        static abstract void Store(TVector value, ref T destination);

        static abstract TVector Broadcast(T value);

        /// <summary>a · b + c, fused where the hardware has it (one rounding, as a scalar loop would not have).</summary>
        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

        /// <summary>
        /// All ones in the last <paramref name="valid"/> lanes, zero in the others. Read from a static table, so
        /// take it before a kernel's loops: a static base's first-use check is a call, and the JIT spills every
        /// vector register live across a call, even one on a cold path.
        /// </summary>
        static abstract TVector LastLanes(int valid);

        /// <summary>a · b with the lanes outside <paramref name="mask"/> set to zero (to add a row's last, overlapping chunk).</summary>
        static abstract TVector MultiplyMasked(TVector a, TVector b, TVector mask);

        /// <summary>Lane by lane, <paramref name="ifOnes"/> where <paramref name="mask"/> is all ones, else <paramref name="ifZeros"/>: bits, no arithmetic.</summary>
        static abstract TVector Select(TVector mask, TVector ifOnes, TVector ifZeros);

        static abstract TVector Add(TVector a, TVector b);

        static abstract TVector Multiply(TVector a, TVector b);

        static abstract TVector Divide(TVector a, TVector b);

        /// <summary>x limited to [low, high] by compare-and-select, so that a NaN (which compares false) stays NaN; Min/Max differ by platform there.</summary>
        static abstract TVector Clamp(TVector x, T low, T high);

        /// <summary>high &lt; x ? high : x lane by lane, so that a NaN (which compares false) stays NaN: the upper half of <see cref="Clamp"/>.</summary>
        static abstract TVector AtMost(TVector x, T high);

        /// <summary>
        /// destination[k] = bias[k] + Σ lanes of c_k, for k &lt; 8. A transpose-and-add tree: 8 accumulators cost
        /// about two shuffles and one add each, where eight separate lane sums cost about four of each. Every
        /// accumulator's lanes are added in the same order whichever place it takes, so a dot product gets the
        /// same bits in every tile that computes it.
        /// </summary>
        static abstract void AddSums(ref T bias, TVector c0, TVector c1, TVector c2, TVector c3, TVector c4, TVector c5, TVector c6, TVector c7, ref T destination);
    }

    /// <summary>All-zero then all-one lanes: a window of it is the mask that keeps a chunk's last lanes.</summary>
    internal static class TailMasks<T>
        where T : unmanaged
    {
        public static readonly int MaxCount = 64 / Unsafe.SizeOf<T>();

        public static readonly T[] Table = Create();

        // Lane l of the Count-lane window starting at MaxCount - Count + valid is all ones exactly when
        // l >= Count - valid, that is for the last valid lanes.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static ref T Window(int count, int valid) => ref Table[MaxCount - count + valid];

        [MethodImpl(CompileOptions.Optimized)]
        private static T[] Create()
        {
            var table = new T[2 * MaxCount];
            Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(table.AsSpan(MaxCount));
            bytes.Fill(0xFF);
            return table;
        }
    }

    internal readonly struct Simd512<T> : ISimdWidth<T, Vector512<T>>
        where T : unmanaged, System.Numerics.INumber<T>
    {
        public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector512<T>.Count; }

        public static Vector512<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector512<T>.Zero; }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> Load(ref T source) => Vector512.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Store(Vector512<T> value, ref T destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        {
            if (Avx512F.IsSupported)
            {
                if (typeof(T) == typeof(float))
                {
                    return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
                }

                if (typeof(T) == typeof(double))
                {
                    return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
                }
            }

            return (a * b) + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> LastLanes(int valid) => Vector512.LoadUnsafe(ref TailMasks<T>.Window(Vector512<T>.Count, valid));

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> MultiplyMasked(Vector512<T> a, Vector512<T> b, Vector512<T> mask) => (a * b) & mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> Select(Vector512<T> mask, Vector512<T> ifOnes, Vector512<T> ifZeros) => Vector512.ConditionalSelect(mask, ifOnes, ifZeros);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> Clamp(Vector512<T> x, T low, T high)
        {
            Vector512<T> l = Vector512.Create(low);
            x = AtMost(x, high);
            // MAXPS(l, y) is l > y ? l : y: the comparison below lane by lane, NaN included (it fails and passes
            // through), in one instruction instead of a compare and a blend.
            if (Avx512F.IsSupported && typeof(T) == typeof(float))
            {
                return Avx512F.Max(l.AsSingle(), x.AsSingle()).As<float, T>();
            }

            return Vector512.ConditionalSelect(Vector512.LessThan(x, l), l, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<T> AtMost(Vector512<T> x, T high)
        {
            Vector512<T> h = Vector512.Create(high);
            // MINPS(h, x) is h < x ? h : x, NaN in x included, in one instruction instead of a compare and a blend.
            if (Avx512F.IsSupported && typeof(T) == typeof(float))
            {
                return Avx512F.Min(h.AsSingle(), x.AsSingle()).As<float, T>();
            }

            return Vector512.ConditionalSelect(Vector512.GreaterThan(x, h), h, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void AddSums(ref T bias, Vector512<T> c0, Vector512<T> c1, Vector512<T> c2, Vector512<T> c3, Vector512<T> c4, Vector512<T> c5, Vector512<T> c6, Vector512<T> c7, ref T destination)
        {
            if (Avx512F.IsSupported && typeof(T) == typeof(float))
            {
                // Per 128-bit block: lanes (0+2, 1+3) of each pair, then all four lanes of four accumulators,
                // then blocks (0+2, 1+3), then the two halves.
                Vector512<float> t01 = Avx512F.UnpackLow(c0.AsSingle(), c1.AsSingle()) + Avx512F.UnpackHigh(c0.AsSingle(), c1.AsSingle());
                Vector512<float> t23 = Avx512F.UnpackLow(c2.AsSingle(), c3.AsSingle()) + Avx512F.UnpackHigh(c2.AsSingle(), c3.AsSingle());
                Vector512<float> t45 = Avx512F.UnpackLow(c4.AsSingle(), c5.AsSingle()) + Avx512F.UnpackHigh(c4.AsSingle(), c5.AsSingle());
                Vector512<float> t67 = Avx512F.UnpackLow(c6.AsSingle(), c7.AsSingle()) + Avx512F.UnpackHigh(c6.AsSingle(), c7.AsSingle());
                Vector512<float> u0 = Avx512F.Shuffle(t01, t23, 0b01_00_01_00) + Avx512F.Shuffle(t01, t23, 0b11_10_11_10);
                Vector512<float> u1 = Avx512F.Shuffle(t45, t67, 0b01_00_01_00) + Avx512F.Shuffle(t45, t67, 0b11_10_11_10);
                Vector512<float> v = Avx512F.Shuffle4x128(u0, u1, 0b01_00_01_00) + Avx512F.Shuffle4x128(u0, u1, 0b11_10_11_10);
                v = Avx512F.Shuffle4x128(v, v, 0b11_01_10_00);
                Vector256<float> sums = Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref bias)) + (v.GetLower() + v.GetUpper());
                sums.StoreUnsafe(ref Unsafe.As<T, float>(ref destination));
                return;
            }

            if (Avx512F.IsSupported && typeof(T) == typeof(double))
            {
                // Per 128-bit block: the two lanes of each pair, then blocks (0+1, 2+3), then the two halves.
                Vector512<double> t01 = Avx512F.UnpackLow(c0.AsDouble(), c1.AsDouble()) + Avx512F.UnpackHigh(c0.AsDouble(), c1.AsDouble());
                Vector512<double> t23 = Avx512F.UnpackLow(c2.AsDouble(), c3.AsDouble()) + Avx512F.UnpackHigh(c2.AsDouble(), c3.AsDouble());
                Vector512<double> t45 = Avx512F.UnpackLow(c4.AsDouble(), c5.AsDouble()) + Avx512F.UnpackHigh(c4.AsDouble(), c5.AsDouble());
                Vector512<double> t67 = Avx512F.UnpackLow(c6.AsDouble(), c7.AsDouble()) + Avx512F.UnpackHigh(c6.AsDouble(), c7.AsDouble());
                Vector512<double> u0 = Avx512F.Shuffle4x128(t01, t23, 0b10_00_10_00) + Avx512F.Shuffle4x128(t01, t23, 0b11_01_11_01);
                Vector512<double> u1 = Avx512F.Shuffle4x128(t45, t67, 0b10_00_10_00) + Avx512F.Shuffle4x128(t45, t67, 0b11_01_11_01);
                Vector512<double> v = Avx512F.Shuffle4x128(u0, u1, 0b10_00_10_00) + Avx512F.Shuffle4x128(u0, u1, 0b11_01_11_01);
                (Vector512.LoadUnsafe(ref Unsafe.As<T, double>(ref bias)) + v).StoreUnsafe(ref Unsafe.As<T, double>(ref destination));
                return;
            }

            SimdSums.AddEach(ref bias, Vector512.Sum(c0), Vector512.Sum(c1), Vector512.Sum(c2), Vector512.Sum(c3), Vector512.Sum(c4), Vector512.Sum(c5), Vector512.Sum(c6), Vector512.Sum(c7), ref destination);
        }
    }

    internal readonly struct Simd256<T> : ISimdWidth<T, Vector256<T>>
        where T : unmanaged, System.Numerics.INumber<T>
    {
        public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector256<T>.Count; }

        public static Vector256<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector256<T>.Zero; }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Store(Vector256<T> value, ref T destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        {
            if (Fma.IsSupported)
            {
                if (typeof(T) == typeof(float))
                {
                    return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
                }

                if (typeof(T) == typeof(double))
                {
                    return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
                }
            }

            return (a * b) + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> LastLanes(int valid) => Vector256.LoadUnsafe(ref TailMasks<T>.Window(Vector256<T>.Count, valid));

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> MultiplyMasked(Vector256<T> a, Vector256<T> b, Vector256<T> mask) => (a * b) & mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> Select(Vector256<T> mask, Vector256<T> ifOnes, Vector256<T> ifZeros) => Vector256.ConditionalSelect(mask, ifOnes, ifZeros);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> Clamp(Vector256<T> x, T low, T high)
        {
            Vector256<T> l = Vector256.Create(low);
            x = AtMost(x, high);
            // MAXPS(l, y) is l > y ? l : y: the comparison below lane by lane, NaN included (it fails and passes
            // through), in one instruction instead of a compare and a blend.
            if (Avx.IsSupported && typeof(T) == typeof(float))
            {
                return Avx.Max(l.AsSingle(), x.AsSingle()).As<float, T>();
            }

            return Vector256.ConditionalSelect(Vector256.LessThan(x, l), l, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<T> AtMost(Vector256<T> x, T high)
        {
            Vector256<T> h = Vector256.Create(high);
            // MINPS(h, x) is h < x ? h : x, NaN in x included, in one instruction instead of a compare and a blend.
            if (Avx.IsSupported && typeof(T) == typeof(float))
            {
                return Avx.Min(h.AsSingle(), x.AsSingle()).As<float, T>();
            }

            return Vector256.ConditionalSelect(Vector256.GreaterThan(x, h), h, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void AddSums(ref T bias, Vector256<T> c0, Vector256<T> c1, Vector256<T> c2, Vector256<T> c3, Vector256<T> c4, Vector256<T> c5, Vector256<T> c6, Vector256<T> c7, ref T destination)
        {
            if (Avx.IsSupported && typeof(T) == typeof(float))
            {
                // Per 128-bit block as in Simd512, then the two blocks.
                Vector256<float> t01 = Avx.UnpackLow(c0.AsSingle(), c1.AsSingle()) + Avx.UnpackHigh(c0.AsSingle(), c1.AsSingle());
                Vector256<float> t23 = Avx.UnpackLow(c2.AsSingle(), c3.AsSingle()) + Avx.UnpackHigh(c2.AsSingle(), c3.AsSingle());
                Vector256<float> t45 = Avx.UnpackLow(c4.AsSingle(), c5.AsSingle()) + Avx.UnpackHigh(c4.AsSingle(), c5.AsSingle());
                Vector256<float> t67 = Avx.UnpackLow(c6.AsSingle(), c7.AsSingle()) + Avx.UnpackHigh(c6.AsSingle(), c7.AsSingle());
                Vector256<float> u0 = Avx.Shuffle(t01, t23, 0b01_00_01_00) + Avx.Shuffle(t01, t23, 0b11_10_11_10);
                Vector256<float> u1 = Avx.Shuffle(t45, t67, 0b01_00_01_00) + Avx.Shuffle(t45, t67, 0b11_10_11_10);
                Vector256<float> v = Avx.Permute2x128(u0, u1, 0x20) + Avx.Permute2x128(u0, u1, 0x31);
                (Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref bias)) + v).StoreUnsafe(ref Unsafe.As<T, float>(ref destination));
                return;
            }

            SimdSums.AddEach(ref bias, Vector256.Sum(c0), Vector256.Sum(c1), Vector256.Sum(c2), Vector256.Sum(c3), Vector256.Sum(c4), Vector256.Sum(c5), Vector256.Sum(c6), Vector256.Sum(c7), ref destination);
        }
    }

    internal readonly struct Simd128<T> : ISimdWidth<T, Vector128<T>>
        where T : unmanaged, System.Numerics.INumber<T>
    {
        public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector128<T>.Count; }

        public static Vector128<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector128<T>.Zero; }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Load(ref T source) => Vector128.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Store(Vector128<T> value, ref T destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        {
            if (typeof(T) == typeof(float))
            {
                if (Fma.IsSupported)
                {
                    return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
                }

                if (AdvSimd.IsSupported)
                {
                    return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
                }
            }

            if (typeof(T) == typeof(double))
            {
                if (Fma.IsSupported)
                {
                    return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
                }

                if (AdvSimd.Arm64.IsSupported)
                {
                    return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
                }
            }

            return (a * b) + c;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> LastLanes(int valid) => Vector128.LoadUnsafe(ref TailMasks<T>.Window(Vector128<T>.Count, valid));

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> MultiplyMasked(Vector128<T> a, Vector128<T> b, Vector128<T> mask) => (a * b) & mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Select(Vector128<T> mask, Vector128<T> ifOnes, Vector128<T> ifZeros) => Vector128.ConditionalSelect(mask, ifOnes, ifZeros);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> Clamp(Vector128<T> x, T low, T high)
        {
            Vector128<T> l = Vector128.Create(low);
            x = AtMost(x, high);
            // MAXPS(l, y) is l > y ? l : y: the comparison below lane by lane, NaN included (it fails and passes
            // through), in one instruction instead of a compare and a blend.
            if (Sse.IsSupported && typeof(T) == typeof(float))
            {
                return Sse.Max(l.AsSingle(), x.AsSingle()).As<float, T>();
            }

            return Vector128.ConditionalSelect(Vector128.LessThan(x, l), l, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<T> AtMost(Vector128<T> x, T high)
        {
            Vector128<T> h = Vector128.Create(high);
            // MINPS(h, x) is h < x ? h : x, NaN in x included, in one instruction instead of a compare and a blend.
            if (Sse.IsSupported && typeof(T) == typeof(float))
            {
                return Sse.Min(h.AsSingle(), x.AsSingle()).As<float, T>();
            }

            return Vector128.ConditionalSelect(Vector128.GreaterThan(x, h), h, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void AddSums(ref T bias, Vector128<T> c0, Vector128<T> c1, Vector128<T> c2, Vector128<T> c3, Vector128<T> c4, Vector128<T> c5, Vector128<T> c6, Vector128<T> c7, ref T destination)
        {
            if (Sse.IsSupported && typeof(T) == typeof(float))
            {
                AddSums4(ref bias, c0.AsSingle(), c1.AsSingle(), c2.AsSingle(), c3.AsSingle(), ref destination);
                AddSums4(ref Unsafe.Add(ref bias, 4), c4.AsSingle(), c5.AsSingle(), c6.AsSingle(), c7.AsSingle(), ref Unsafe.Add(ref destination, 4));
                return;
            }

            SimdSums.AddEach(ref bias, Vector128.Sum(c0), Vector128.Sum(c1), Vector128.Sum(c2), Vector128.Sum(c3), Vector128.Sum(c4), Vector128.Sum(c5), Vector128.Sum(c6), Vector128.Sum(c7), ref destination);
        }

        // Lanes (0+2, 1+3) of each pair, then the two halves, as in each block of Simd512.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void AddSums4(ref T bias, Vector128<float> c0, Vector128<float> c1, Vector128<float> c2, Vector128<float> c3, ref T destination)
        {
            Vector128<float> t01 = Sse.UnpackLow(c0, c1) + Sse.UnpackHigh(c0, c1);
            Vector128<float> t23 = Sse.UnpackLow(c2, c3) + Sse.UnpackHigh(c2, c3);
            Vector128<float> v = Sse.MoveLowToHigh(t01, t23) + Sse.MoveHighToLow(t23, t01);
            (Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref bias)) + v).StoreUnsafe(ref Unsafe.As<T, float>(ref destination));
        }
    }

    /// <summary>The lane sums where no shuffle tree is written for the type or the machine.</summary>
    internal static class SimdSums
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void AddEach<T>(ref T bias, T s0, T s1, T s2, T s3, T s4, T s5, T s6, T s7, ref T destination)
            where T : unmanaged, System.Numerics.INumber<T>
        {
            destination = bias + s0;
            Unsafe.Add(ref destination, 1) = Unsafe.Add(ref bias, 1) + s1;
            Unsafe.Add(ref destination, 2) = Unsafe.Add(ref bias, 2) + s2;
            Unsafe.Add(ref destination, 3) = Unsafe.Add(ref bias, 3) + s3;
            Unsafe.Add(ref destination, 4) = Unsafe.Add(ref bias, 4) + s4;
            Unsafe.Add(ref destination, 5) = Unsafe.Add(ref bias, 5) + s5;
            Unsafe.Add(ref destination, 6) = Unsafe.Add(ref bias, 6) + s6;
            Unsafe.Add(ref destination, 7) = Unsafe.Add(ref bias, 7) + s7;
        }
    }
}
#endif
