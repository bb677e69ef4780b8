#if NET8_0_OR_GREATER
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// <see cref="PackedKernels"/> for machines with AVX2 and FMA but no AVX-512: the same packed layout (a panel's
    /// column is 16 floats or 8 doubles, here two Vector256), and the same sums, so a batch's z has the same bits as
    /// on an AVX-512 machine: z[s, i] = b[i], then one fused multiply-add per column in order. A tile is 6 samples × 1
    /// panel: 12 accumulators, and per column 2 loads, 6 broadcasts and 12 multiply-adds (ONNX Runtime's MLAS runs its
    /// AVX2 SGEMM on the same 6 × 16 tile; AVX2 has 16 vector registers, AVX-512's 4 × 4 panels would need 32).
    /// Measured on a 2-core Zen 3, 256 samples × 784 → 128 (packing not counted): 617–896 µs against 810–1,037 for
    /// the dot-product tiles, whose lane sums end every tile.
    /// </summary>
    internal static class PackedKernels256
    {
        public static bool IsSupported { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported; }

        /// <summary>What <see cref="PackedKernels.Pack"/> writes, with 8 × 8 transposes of floats (4 × 4 of doubles).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        public static void Pack<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, int rows, int columns, Span<T> packed)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>(), block = Vector256<T>.Count;
            ref T w0 = ref MemoryMarshal.GetReference(w);
            ref T q0 = ref MemoryMarshal.GetReference(packed);
            int panels = PanelLayout.Panels<T>(rows);
            for (int p = 0; p < panels; p++)
            {
                ref T panel = ref Unsafe.Add(ref q0, p * size * columns);
                for (int half = 0; half < size; half += block)
                {
                    // Rows Pp + half .. + block − 1 of W, as lanes half .. half + block − 1 of each column.
                    int first = (p * size) + half, valid = Math.Max(0, Math.Min(block, rows - first));
                    // Past the last row (the second half of a short panel) nothing of W is read: no reference beyond it.
                    ref T source = ref valid > 0 ? ref Unsafe.Add(ref w0, first * columns) : ref w0;
                    int j = 0;
                    for (; j + block <= columns; j += block)
                    {
                        ref T destination = ref Unsafe.Add(ref panel, (j * size) + half);
                        if (typeof(T) == typeof(float))
                        {
                            Transpose8(ref Unsafe.As<T, float>(ref Unsafe.Add(ref source, j)), columns, valid, ref Unsafe.As<T, float>(ref destination), size);
                        }
                        else
                        {
                            Transpose4(ref Unsafe.As<T, double>(ref Unsafe.Add(ref source, j)), columns, valid, ref Unsafe.As<T, double>(ref destination), size);
                        }
                    }

                    for (; j < columns; j++)
                    {
                        for (int r = 0; r < block; r++)
                        {
                            Unsafe.Add(ref panel, (j * size) + half + r) = r < valid ? Unsafe.Add(ref source, (r * columns) + j) : T.Zero;
                        }
                    }
                }

                ref T bias = ref Unsafe.Add(ref q0, (panels * size * columns) + (p * size));
                for (int r = 0; r < size; r++)
                {
                    Unsafe.Add(ref bias, r) = (p * size) + r < rows ? b[(p * size) + r] : T.Zero;
                }
            }
        }

        /// <summary>Z[s, i] = b[i] + Σ_j A[s, j] W[i, j] from a packed W and b, the columns in order.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)] // see PackedKernels.Forward
        public static void Forward<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> packed, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T a0 = ref MemoryMarshal.GetReference(a);
            ref T q0 = ref MemoryMarshal.GetReference(packed);
            ref T z0 = ref MemoryMarshal.GetReference(z);
            int panels = PanelLayout.Panels<T>(rows), stride = size * columns;
            ref T bias0 = ref Unsafe.Add(ref q0, panels * stride);
            int s = 0;
            for (; s + 6 <= samples; s += 6)
            {
                ref T x = ref Unsafe.Add(ref a0, s * columns);
                ref T zs = ref Unsafe.Add(ref z0, s * rows);
                for (int p = 0; p < panels; p++)
                {
                    Tile6x1(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * size), ref Unsafe.Add(ref zs, p * size), columns, rows, Math.Min(size, rows - (p * size)));
                }
            }

            // The last samples, one at a time: the panel kernels' product with one chain a row is these sums (b, then
            // the columns in order) over four panels at once, where a panel at a time kept two multiply-adds in flight.
            for (; s < samples; s++)
            {
                PanelKernels.RunWide<T, Vector256<T>, Simd256<T>>(ref Unsafe.Add(ref a0, s * columns), ref q0, ref bias0, ref Unsafe.Add(ref z0, s * rows), rows, columns, chains: 1);
            }
        }

        // 6 samples × 1 panel, which may be the last, partial one.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Tile6x1<T>(ref T x0, ref T q, ref T bias, ref T z, int columns, int rows, int valid)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>(), half = Vector256<T>.Count;
            ref T x1 = ref Unsafe.Add(ref x0, columns);
            ref T x2 = ref Unsafe.Add(ref x1, columns);
            ref T x3 = ref Unsafe.Add(ref x2, columns);
            ref T x4 = ref Unsafe.Add(ref x3, columns);
            ref T x5 = ref Unsafe.Add(ref x4, columns);
            Vector256<T> l0 = Vector256.LoadUnsafe(ref bias), h0 = Vector256.LoadUnsafe(ref bias, (nuint)half);
            Vector256<T> l1 = l0, l2 = l0, l3 = l0, l4 = l0, l5 = l0, h1 = h0, h2 = h0, h3 = h0, h4 = h0, h5 = h0;
            for (int j = 0; j < columns; j++)
            {
                Vector256<T> lo = Vector256.LoadUnsafe(ref q, (nuint)(size * j)), hi = Vector256.LoadUnsafe(ref q, (nuint)((size * j) + half));
                Vector256<T> e = Vector256.Create(Unsafe.Add(ref x0, j));
                l0 = Simd256<T>.MultiplyAdd(e, lo, l0);
                h0 = Simd256<T>.MultiplyAdd(e, hi, h0);
                e = Vector256.Create(Unsafe.Add(ref x1, j));
                l1 = Simd256<T>.MultiplyAdd(e, lo, l1);
                h1 = Simd256<T>.MultiplyAdd(e, hi, h1);
                e = Vector256.Create(Unsafe.Add(ref x2, j));
                l2 = Simd256<T>.MultiplyAdd(e, lo, l2);
                h2 = Simd256<T>.MultiplyAdd(e, hi, h2);
                e = Vector256.Create(Unsafe.Add(ref x3, j));
                l3 = Simd256<T>.MultiplyAdd(e, lo, l3);
                h3 = Simd256<T>.MultiplyAdd(e, hi, h3);
                e = Vector256.Create(Unsafe.Add(ref x4, j));
                l4 = Simd256<T>.MultiplyAdd(e, lo, l4);
                h4 = Simd256<T>.MultiplyAdd(e, hi, h4);
                e = Vector256.Create(Unsafe.Add(ref x5, j));
                l5 = Simd256<T>.MultiplyAdd(e, lo, l5);
                h5 = Simd256<T>.MultiplyAdd(e, hi, h5);
            }

            StoreRow(l0, h0, ref z, valid);
            StoreRow(l1, h1, ref Unsafe.Add(ref z, rows), valid);
            StoreRow(l2, h2, ref Unsafe.Add(ref z, 2 * rows), valid);
            StoreRow(l3, h3, ref Unsafe.Add(ref z, 3 * rows), valid);
            StoreRow(l4, h4, ref Unsafe.Add(ref z, 4 * rows), valid);
            StoreRow(l5, h5, ref Unsafe.Add(ref z, 5 * rows), valid);
        }

        // The first `valid` lanes of lo then hi: past them are the padding rows of a partial panel, and z's next
        // values belong to the next sample.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void StoreRow<T>(Vector256<T> lo, Vector256<T> hi, ref T z, int valid)
            where T : unmanaged
        {
            int half = Vector256<T>.Count;
            if (valid == 2 * half)
            {
                lo.StoreUnsafe(ref z);
                hi.StoreUnsafe(ref z, (nuint)half);
                return;
            }

            int at = 0;
            if (valid >= half)
            {
                lo.StoreUnsafe(ref z);
                lo = hi;
                at = half;
            }

            // From the vector's own bytes, spilled once (see PackedKernels.StoreRow).
            ref T lanes = ref Unsafe.As<Vector256<T>, T>(ref lo);
            for (int r = at; r < valid; r++)
            {
                Unsafe.Add(ref z, r) = Unsafe.Add(ref lanes, r - at);
            }
        }

        // dst[k · stride + r] = src[r · columns + k] for r < valid (0 for the rest), k < 8: an 8 × 8 transpose of floats
        // (pairs, then pairs of pairs, then 128-bit halves).
        [MethodImpl(CompileOptions.Optimized)]
        private static void Transpose8(ref float src, int columns, int valid, ref float dst, int stride)
        {
            Vector256<float> r0 = Row(ref src, 0, columns, valid), r1 = Row(ref src, 1, columns, valid);
            Vector256<float> r2 = Row(ref src, 2, columns, valid), r3 = Row(ref src, 3, columns, valid);
            Vector256<float> r4 = Row(ref src, 4, columns, valid), r5 = Row(ref src, 5, columns, valid);
            Vector256<float> r6 = Row(ref src, 6, columns, valid), r7 = Row(ref src, 7, columns, valid);
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref dst);
            Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref dst, (nuint)stride);
            Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref dst, (nuint)(2 * stride));
            Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref dst, (nuint)(3 * stride));
            Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref dst, (nuint)(4 * stride));
            Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref dst, (nuint)(5 * stride));
            Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref dst, (nuint)(6 * stride));
            Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref dst, (nuint)(7 * stride));
        }

        // The same for 4 × 4 doubles.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Transpose4(ref double src, int columns, int valid, ref double dst, int stride)
        {
            Vector256<double> r0 = Row(ref src, 0, columns, valid), r1 = Row(ref src, 1, columns, valid);
            Vector256<double> r2 = Row(ref src, 2, columns, valid), r3 = Row(ref src, 3, columns, valid);
            Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref dst);
            Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref dst, (nuint)stride);
            Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref dst, (nuint)(2 * stride));
            Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref dst, (nuint)(3 * stride));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static Vector256<T> Row<T>(ref T src, int r, int columns, int valid)
            where T : unmanaged =>
            r < valid ? Vector256.LoadUnsafe(ref src, (nuint)(r * columns)) : Vector256<T>.Zero;
    }
}
#endif
