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
    /// Z = A·Wᵀ ⊕ b for many samples with W packed once into panels of P rows (P = 16 floats or 8 doubles, one
    /// Vector512), column by column: panel p holds W[Pp .. Pp + P − 1, j] for each j in turn, so a column of a
    /// panel is one Vector512. A tile of 4 samples × 3 panels keeps 12 accumulators of P outputs each; per column it loads 3 panel vectors and broadcasts 4
    /// inputs for 12 fused multiply-adds, and no accumulator ever needs its lanes summed. This is how ONNX
    /// Runtime's MLAS runs its GEMM; the dot-product tiles of <see cref="MatrixKernels"/> need no packing but end
    /// every tile in lane sums. Packing costs a P × P transpose in registers per block (64 shuffles for 256
    /// floats, 24 for 64 doubles), so it pays off from about a dozen samples on (see <see cref="BatchKernels.PackFrom"/>).
    /// The layout is <see cref="PanelLayout"/>'s, whose panel is exactly one Vector512 of T.
    /// Every z[s, i] = (…((b[i] + a[s,0] W[i,0]) + a[s,1] W[i,1]) + …), fused, the columns in order, in every
    /// tile: a sample's outputs do not depend on its place in the batch or on the vector width.
    /// AVX-512 only; with AVX2 and FMA <see cref="PackedKernels256"/> runs the same sums on the same layout, and elsewhere
    /// <see cref="BatchKernels"/> does not pack.
    /// </summary>
    internal static class PackedKernels
    {
        // Vector512 accelerated, not only AVX-512 present: where the runtime prefers narrower vectors (some CPUs
        // slow down on 512-bit code; DOTNET_PreferredVectorBitWidth) the dot-product tiles run at that width instead.
        public static bool IsSupported { [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)] get => Vector512.IsHardwareAccelerated && Avx512F.IsSupported; }

        /// <summary>packed[(p · columns + j) · P + r] = W[Pp + r, j], then the biases, P per panel; zero past the last row.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)] // see Forward
        public static void Pack<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, int rows, int columns, Span<T> packed)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T w0 = ref MemoryMarshal.GetReference(w);
            ref T q0 = ref MemoryMarshal.GetReference(packed);
            int panels = PanelLayout.Panels<T>(rows);
            for (int p = 0; p < panels; p++)
            {
                int valid = Math.Min(size, rows - (p * size));
                ref T source = ref Unsafe.Add(ref w0, p * size * columns);
                ref T panel = ref Unsafe.Add(ref q0, p * size * columns);
                int j = 0;
                for (; j + size <= columns; j += size)
                {
                    if (typeof(T) == typeof(float))
                    {
                        Transpose16(ref Unsafe.As<T, float>(ref Unsafe.Add(ref source, j)), columns, valid, ref Unsafe.As<T, float>(ref Unsafe.Add(ref panel, j * size)));
                    }
                    else
                    {
                        Transpose8(ref Unsafe.As<T, double>(ref Unsafe.Add(ref source, j)), columns, valid, ref Unsafe.As<T, double>(ref Unsafe.Add(ref panel, j * size)));
                    }
                }

                for (; j < columns; j++)
                {
                    for (int r = 0; r < size; r++)
                    {
                        Unsafe.Add(ref panel, (j * size) + r) = r < valid ? Unsafe.Add(ref source, (r * columns) + j) : T.Zero;
                    }
                }

                ref T bias = ref Unsafe.Add(ref q0, (panels * size * columns) + (p * size));
                for (int r = 0; r < size; r++)
                {
                    Unsafe.Add(ref bias, r) = r < valid ? b[(p * size) + r] : T.Zero;
                }
            }
        }

        /// <summary>Z[s, i] = b[i] + Σ_j A[s, j] W[i, j] from a packed W and b.</summary>
        // Never inlined, nor are the other batch products: Dynamic PGO inlined this loop nest into a generated caller
        // without loops of its own (IRowSplitTraining.ForwardRows, once tiered up) and it ran about four times slower
        // there (784 × 48, 64 samples: 88 µs, then 385 µs for the same call). A call costs nothing against the work.
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        public static void Forward<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> packed, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T a0 = ref MemoryMarshal.GetReference(a);
            ref T q0 = ref MemoryMarshal.GetReference(packed);
            ref T z0 = ref MemoryMarshal.GetReference(z);
            int panels = PanelLayout.Panels<T>(rows), full = rows / size, stride = size * columns;
            ref T bias0 = ref Unsafe.Add(ref q0, panels * stride);
            int fours = PanelLayout.FourPanelTiles(full), narrow = PanelLayout.WholeTilePanels(full);

            // Panels left to one-panel tiles (a 10-row output layer, 64-32's two panels), 8 samples at a time: 8 chains of
            // multiply-adds keep both FMA pipes busy, where 4 chains wait on each one's latency (about 4 cycles).
            int eights = 0;
            for (; eights + 8 <= samples; eights += 8)
            {
                ref T x = ref Unsafe.Add(ref a0, eights * columns);
                ref T zs = ref Unsafe.Add(ref z0, eights * rows);
                for (int p = narrow; p < panels; p++)
                {
                    Tile8x1(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * size), ref Unsafe.Add(ref zs, p * size), columns, rows, Math.Min(size, rows - (p * size)));
                }
            }

            int s = 0;
            for (; s + 4 <= samples; s += 4)
            {
                ref T x = ref Unsafe.Add(ref a0, s * columns);
                ref T zs = ref Unsafe.Add(ref z0, s * rows);
                int p = 0;
                for (; p < 4 * fours; p += 4)
                {
                    Tile4x4(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * size), ref Unsafe.Add(ref zs, p * size), columns, rows);
                }

                for (; p < narrow; p += 3)
                {
                    Tile4x3(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * size), ref Unsafe.Add(ref zs, p * size), columns, rows);
                }

                for (p = s < eights ? panels : p; p < panels; p++)
                {
                    Tile4x1(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * size), ref Unsafe.Add(ref zs, p * size), columns, rows, Math.Min(size, rows - (p * size)));
                }
            }

            for (; s < samples; s++)
            {
                ref T x = ref Unsafe.Add(ref a0, s * columns);
                ref T zs = ref Unsafe.Add(ref z0, s * rows);
                int p = 0;
                for (; p + 4 <= full; p += 4)
                {
                    Tile1x4(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * size), ref Unsafe.Add(ref zs, p * size), columns);
                }

                for (; p < panels; p++)
                {
                    Vector512<T> c = Vector512.LoadUnsafe(ref Unsafe.Add(ref bias0, p * size));
                    ref T q = ref Unsafe.Add(ref q0, p * stride);
                    for (int j = 0; j < columns; j++)
                    {
                        c = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x, j)), Vector512.LoadUnsafe(ref q, (nuint)(size * j)), c);
                    }

                    StoreRow(c, ref Unsafe.Add(ref zs, p * size), Math.Min(size, rows - (p * size)));
                }
            }
        }

        // 4 samples × 4 whole panels: 16 accumulators, 4 loads and 4 broadcasts per 16 fused multiply-adds (21 of the 32
        // vector registers).
        [MethodImpl(CompileOptions.Optimized)]
        private static void Tile4x4<T>(ref T x0, ref T q0, ref T bias, ref T z, int columns, int rows)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T x1 = ref Unsafe.Add(ref x0, columns);
            ref T x2 = ref Unsafe.Add(ref x1, columns);
            ref T x3 = ref Unsafe.Add(ref x2, columns);
            ref T q1 = ref Unsafe.Add(ref q0, size * columns);
            ref T q2 = ref Unsafe.Add(ref q1, size * columns);
            ref T q3 = ref Unsafe.Add(ref q2, size * columns);
            Vector512<T> b0 = Vector512.LoadUnsafe(ref bias), b1 = Vector512.LoadUnsafe(ref bias, (nuint)size);
            Vector512<T> b2 = Vector512.LoadUnsafe(ref bias, (nuint)(2 * size)), b3 = Vector512.LoadUnsafe(ref bias, (nuint)(3 * size));
            Vector512<T> c00 = b0, c01 = b1, c02 = b2, c03 = b3, c10 = b0, c11 = b1, c12 = b2, c13 = b3;
            Vector512<T> c20 = b0, c21 = b1, c22 = b2, c23 = b3, c30 = b0, c31 = b1, c32 = b2, c33 = b3;
            for (int j = 0; j < columns; j++)
            {
                nuint at = (nuint)(size * j);
                Vector512<T> v0 = Vector512.LoadUnsafe(ref q0, at), v1 = Vector512.LoadUnsafe(ref q1, at);
                Vector512<T> v2 = Vector512.LoadUnsafe(ref q2, at), v3 = Vector512.LoadUnsafe(ref q3, at);
                Vector512<T> e = Vector512.Create(Unsafe.Add(ref x0, j));
                c00 = Simd512<T>.MultiplyAdd(e, v0, c00);
                c01 = Simd512<T>.MultiplyAdd(e, v1, c01);
                c02 = Simd512<T>.MultiplyAdd(e, v2, c02);
                c03 = Simd512<T>.MultiplyAdd(e, v3, c03);
                e = Vector512.Create(Unsafe.Add(ref x1, j));
                c10 = Simd512<T>.MultiplyAdd(e, v0, c10);
                c11 = Simd512<T>.MultiplyAdd(e, v1, c11);
                c12 = Simd512<T>.MultiplyAdd(e, v2, c12);
                c13 = Simd512<T>.MultiplyAdd(e, v3, c13);
                e = Vector512.Create(Unsafe.Add(ref x2, j));
                c20 = Simd512<T>.MultiplyAdd(e, v0, c20);
                c21 = Simd512<T>.MultiplyAdd(e, v1, c21);
                c22 = Simd512<T>.MultiplyAdd(e, v2, c22);
                c23 = Simd512<T>.MultiplyAdd(e, v3, c23);
                e = Vector512.Create(Unsafe.Add(ref x3, j));
                c30 = Simd512<T>.MultiplyAdd(e, v0, c30);
                c31 = Simd512<T>.MultiplyAdd(e, v1, c31);
                c32 = Simd512<T>.MultiplyAdd(e, v2, c32);
                c33 = Simd512<T>.MultiplyAdd(e, v3, c33);
            }

            // As in Tile4x3: no call between the loop and the stores.
            c00.StoreUnsafe(ref z);
            c01.StoreUnsafe(ref z, (nuint)size);
            c02.StoreUnsafe(ref z, (nuint)(2 * size));
            c03.StoreUnsafe(ref z, (nuint)(3 * size));
            ref T z1 = ref Unsafe.Add(ref z, rows);
            c10.StoreUnsafe(ref z1);
            c11.StoreUnsafe(ref z1, (nuint)size);
            c12.StoreUnsafe(ref z1, (nuint)(2 * size));
            c13.StoreUnsafe(ref z1, (nuint)(3 * size));
            ref T z2 = ref Unsafe.Add(ref z1, rows);
            c20.StoreUnsafe(ref z2);
            c21.StoreUnsafe(ref z2, (nuint)size);
            c22.StoreUnsafe(ref z2, (nuint)(2 * size));
            c23.StoreUnsafe(ref z2, (nuint)(3 * size));
            ref T z3 = ref Unsafe.Add(ref z2, rows);
            c30.StoreUnsafe(ref z3);
            c31.StoreUnsafe(ref z3, (nuint)size);
            c32.StoreUnsafe(ref z3, (nuint)(2 * size));
            c33.StoreUnsafe(ref z3, (nuint)(3 * size));
        }

        // 4 samples × 3 whole panels: 12 accumulators, 3 loads and 4 broadcasts per 12 fused multiply-adds.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Tile4x3<T>(ref T x0, ref T q0, ref T bias, ref T z, int columns, int rows)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T x1 = ref Unsafe.Add(ref x0, columns);
            ref T x2 = ref Unsafe.Add(ref x1, columns);
            ref T x3 = ref Unsafe.Add(ref x2, columns);
            ref T q1 = ref Unsafe.Add(ref q0, size * columns);
            ref T q2 = ref Unsafe.Add(ref q1, size * columns);
            Vector512<T> b0 = Vector512.LoadUnsafe(ref bias), b1 = Vector512.LoadUnsafe(ref bias, (nuint)size), b2 = Vector512.LoadUnsafe(ref bias, (nuint)(2 * size));
            Vector512<T> c00 = b0, c01 = b1, c02 = b2, c10 = b0, c11 = b1, c12 = b2;
            Vector512<T> c20 = b0, c21 = b1, c22 = b2, c30 = b0, c31 = b1, c32 = b2;
            for (int j = 0; j < columns; j++)
            {
                nuint at = (nuint)(size * j);
                Vector512<T> v0 = Vector512.LoadUnsafe(ref q0, at), v1 = Vector512.LoadUnsafe(ref q1, at), v2 = Vector512.LoadUnsafe(ref q2, at);
                Vector512<T> e = Vector512.Create(Unsafe.Add(ref x0, j));
                c00 = Simd512<T>.MultiplyAdd(e, v0, c00);
                c01 = Simd512<T>.MultiplyAdd(e, v1, c01);
                c02 = Simd512<T>.MultiplyAdd(e, v2, c02);
                e = Vector512.Create(Unsafe.Add(ref x1, j));
                c10 = Simd512<T>.MultiplyAdd(e, v0, c10);
                c11 = Simd512<T>.MultiplyAdd(e, v1, c11);
                c12 = Simd512<T>.MultiplyAdd(e, v2, c12);
                e = Vector512.Create(Unsafe.Add(ref x2, j));
                c20 = Simd512<T>.MultiplyAdd(e, v0, c20);
                c21 = Simd512<T>.MultiplyAdd(e, v1, c21);
                c22 = Simd512<T>.MultiplyAdd(e, v2, c22);
                e = Vector512.Create(Unsafe.Add(ref x3, j));
                c30 = Simd512<T>.MultiplyAdd(e, v0, c30);
                c31 = Simd512<T>.MultiplyAdd(e, v1, c31);
                c32 = Simd512<T>.MultiplyAdd(e, v2, c32);
            }

            // No call between the loop and these stores: every vector register is caller-saved, and a call
            // would make the JIT spill all twelve accumulators on every iteration.
            c00.StoreUnsafe(ref z);
            c01.StoreUnsafe(ref z, (nuint)size);
            c02.StoreUnsafe(ref z, (nuint)(2 * size));
            ref T z1 = ref Unsafe.Add(ref z, rows);
            c10.StoreUnsafe(ref z1);
            c11.StoreUnsafe(ref z1, (nuint)size);
            c12.StoreUnsafe(ref z1, (nuint)(2 * size));
            ref T z2 = ref Unsafe.Add(ref z1, rows);
            c20.StoreUnsafe(ref z2);
            c21.StoreUnsafe(ref z2, (nuint)size);
            c22.StoreUnsafe(ref z2, (nuint)(2 * size));
            ref T z3 = ref Unsafe.Add(ref z2, rows);
            c30.StoreUnsafe(ref z3);
            c31.StoreUnsafe(ref z3, (nuint)size);
            c32.StoreUnsafe(ref z3, (nuint)(2 * size));
        }

        // 8 samples × 1 panel, which may be the last, partial one: each sample's chain as in Tile4x1, twice as many at once.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Tile8x1<T>(ref T x0, ref T q, ref T bias, ref T z, int columns, int rows, int valid)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T x1 = ref Unsafe.Add(ref x0, columns);
            ref T x2 = ref Unsafe.Add(ref x1, columns);
            ref T x3 = ref Unsafe.Add(ref x2, columns);
            ref T x4 = ref Unsafe.Add(ref x3, columns);
            ref T x5 = ref Unsafe.Add(ref x4, columns);
            ref T x6 = ref Unsafe.Add(ref x5, columns);
            ref T x7 = ref Unsafe.Add(ref x6, columns);
            Vector512<T> c0 = Vector512.LoadUnsafe(ref bias), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            for (int j = 0; j < columns; j++)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref q, (nuint)(size * j));
                c0 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x0, j)), v, c0);
                c1 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x1, j)), v, c1);
                c2 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x2, j)), v, c2);
                c3 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x3, j)), v, c3);
                c4 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x4, j)), v, c4);
                c5 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x5, j)), v, c5);
                c6 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x6, j)), v, c6);
                c7 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x7, j)), v, c7);
            }

            StoreRow(c0, ref z, valid);
            StoreRow(c1, ref Unsafe.Add(ref z, rows), valid);
            StoreRow(c2, ref Unsafe.Add(ref z, 2 * rows), valid);
            StoreRow(c3, ref Unsafe.Add(ref z, 3 * rows), valid);
            StoreRow(c4, ref Unsafe.Add(ref z, 4 * rows), valid);
            StoreRow(c5, ref Unsafe.Add(ref z, 5 * rows), valid);
            StoreRow(c6, ref Unsafe.Add(ref z, 6 * rows), valid);
            StoreRow(c7, ref Unsafe.Add(ref z, 7 * rows), valid);
        }

        // 4 samples × 1 panel, which may be the last, partial one.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Tile4x1<T>(ref T x0, ref T q, ref T bias, ref T z, int columns, int rows, int valid)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T x1 = ref Unsafe.Add(ref x0, columns);
            ref T x2 = ref Unsafe.Add(ref x1, columns);
            ref T x3 = ref Unsafe.Add(ref x2, columns);
            Vector512<T> c0 = Vector512.LoadUnsafe(ref bias), c1 = c0, c2 = c0, c3 = c0;
            for (int j = 0; j < columns; j++)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref q, (nuint)(size * j));
                c0 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x0, j)), v, c0);
                c1 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x1, j)), v, c1);
                c2 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x2, j)), v, c2);
                c3 = Simd512<T>.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x3, j)), v, c3);
            }

            StoreRow(c0, ref z, valid);
            StoreRow(c1, ref Unsafe.Add(ref z, rows), valid);
            StoreRow(c2, ref Unsafe.Add(ref z, 2 * rows), valid);
            StoreRow(c3, ref Unsafe.Add(ref z, 3 * rows), valid);
        }

        // 1 sample × 4 whole panels: four independent chains, where one would wait on each multiply-add in turn.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Tile1x4<T>(ref T x, ref T q0, ref T bias, ref T z, int columns)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>();
            ref T q1 = ref Unsafe.Add(ref q0, size * columns);
            ref T q2 = ref Unsafe.Add(ref q1, size * columns);
            ref T q3 = ref Unsafe.Add(ref q2, size * columns);
            Vector512<T> c0 = Vector512.LoadUnsafe(ref bias), c1 = Vector512.LoadUnsafe(ref bias, (nuint)size);
            Vector512<T> c2 = Vector512.LoadUnsafe(ref bias, (nuint)(2 * size)), c3 = Vector512.LoadUnsafe(ref bias, (nuint)(3 * size));
            for (int j = 0; j < columns; j++)
            {
                nuint at = (nuint)(size * j);
                Vector512<T> e = Vector512.Create(Unsafe.Add(ref x, j));
                c0 = Simd512<T>.MultiplyAdd(e, Vector512.LoadUnsafe(ref q0, at), c0);
                c1 = Simd512<T>.MultiplyAdd(e, Vector512.LoadUnsafe(ref q1, at), c1);
                c2 = Simd512<T>.MultiplyAdd(e, Vector512.LoadUnsafe(ref q2, at), c2);
                c3 = Simd512<T>.MultiplyAdd(e, Vector512.LoadUnsafe(ref q3, at), c3);
            }

            c0.StoreUnsafe(ref z);
            c1.StoreUnsafe(ref z, (nuint)size);
            c2.StoreUnsafe(ref z, (nuint)(2 * size));
            c3.StoreUnsafe(ref z, (nuint)(3 * size));
        }

        // The first `valid` lanes: the rows of a partial panel past the last are padding, and the next values in z
        // belong to the next sample.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void StoreRow<T>(Vector512<T> c, ref T z, int valid)
            where T : unmanaged
        {
            if (valid == Vector512<T>.Count)
            {
                c.StoreUnsafe(ref z);
                return;
            }

            // From the vector's own bytes: c.GetElement(r) with a variable r stored the whole vector to the stack again for
            // every element; taking c's address spills it once (64 samples through a 10-row layer: about 0.2–0.3 µs less).
            ref T lanes = ref Unsafe.As<Vector512<T>, T>(ref c);
            for (int r = 0; r < valid; r++)
            {
                Unsafe.Add(ref z, r) = Unsafe.Add(ref lanes, r);
            }
        }

        // dst[16k + r] = src[r · stride + k] for r < valid, 0 for r >= valid: a 16 × 16 transpose of floats in
        // registers, in four rounds of shuffles (pairs of floats, pairs of doubles, then 128-bit blocks twice).
        [MethodImpl(CompileOptions.Optimized)]
        private static void Transpose16(ref float src, int stride, int valid, ref float dst)
        {
            Vector512<float> r0 = Row(ref src, 0, stride, valid), r1 = Row(ref src, 1, stride, valid);
            Vector512<float> r2 = Row(ref src, 2, stride, valid), r3 = Row(ref src, 3, stride, valid);
            Vector512<float> r4 = Row(ref src, 4, stride, valid), r5 = Row(ref src, 5, stride, valid);
            Vector512<float> r6 = Row(ref src, 6, stride, valid), r7 = Row(ref src, 7, stride, valid);
            Vector512<float> r8 = Row(ref src, 8, stride, valid), r9 = Row(ref src, 9, stride, valid);
            Vector512<float> r10 = Row(ref src, 10, stride, valid), r11 = Row(ref src, 11, stride, valid);
            Vector512<float> r12 = Row(ref src, 12, stride, valid), r13 = Row(ref src, 13, stride, valid);
            Vector512<float> r14 = Row(ref src, 14, stride, valid), r15 = Row(ref src, 15, stride, valid);

            // Per 128-bit block L: a(2k) = [r2k[4L], r2k+1[4L], r2k[4L+1], r2k+1[4L+1]], a(2k+1) the same for 4L+2, 4L+3.
            Vector512<double> a0 = Avx512F.UnpackLow(r0, r1).AsDouble(), a1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
            Vector512<double> a2 = Avx512F.UnpackLow(r2, r3).AsDouble(), a3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
            Vector512<double> a4 = Avx512F.UnpackLow(r4, r5).AsDouble(), a5 = Avx512F.UnpackHigh(r4, r5).AsDouble();
            Vector512<double> a6 = Avx512F.UnpackLow(r6, r7).AsDouble(), a7 = Avx512F.UnpackHigh(r6, r7).AsDouble();
            Vector512<double> a8 = Avx512F.UnpackLow(r8, r9).AsDouble(), a9 = Avx512F.UnpackHigh(r8, r9).AsDouble();
            Vector512<double> a10 = Avx512F.UnpackLow(r10, r11).AsDouble(), a11 = Avx512F.UnpackHigh(r10, r11).AsDouble();
            Vector512<double> a12 = Avx512F.UnpackLow(r12, r13).AsDouble(), a13 = Avx512F.UnpackHigh(r12, r13).AsDouble();
            Vector512<double> a14 = Avx512F.UnpackLow(r14, r15).AsDouble(), a15 = Avx512F.UnpackHigh(r14, r15).AsDouble();

            // b(4g + c), block L: column 4L + c of rows 4g .. 4g + 3.
            Finish(
                Avx512F.UnpackLow(a0, a2), Avx512F.UnpackLow(a4, a6), Avx512F.UnpackLow(a8, a10), Avx512F.UnpackLow(a12, a14), ref dst, 0, 4);
            Finish(
                Avx512F.UnpackHigh(a0, a2), Avx512F.UnpackHigh(a4, a6), Avx512F.UnpackHigh(a8, a10), Avx512F.UnpackHigh(a12, a14), ref dst, 1, 4);
            Finish(
                Avx512F.UnpackLow(a1, a3), Avx512F.UnpackLow(a5, a7), Avx512F.UnpackLow(a9, a11), Avx512F.UnpackLow(a13, a15), ref dst, 2, 4);
            Finish(
                Avx512F.UnpackHigh(a1, a3), Avx512F.UnpackHigh(a5, a7), Avx512F.UnpackHigh(a9, a11), Avx512F.UnpackHigh(a13, a15), ref dst, 3, 4);
        }

        // dst[8k + r] = src[r · stride + k] for r < valid, 0 for r >= valid: an 8 × 8 transpose of doubles, in three
        // rounds (pairs of doubles, then 128-bit blocks twice, as the last two rounds of Transpose16).
        [MethodImpl(CompileOptions.Optimized)]
        private static void Transpose8(ref double src, int stride, int valid, ref double dst)
        {
            Vector512<double> r0 = Row(ref src, 0, stride, valid), r1 = Row(ref src, 1, stride, valid);
            Vector512<double> r2 = Row(ref src, 2, stride, valid), r3 = Row(ref src, 3, stride, valid);
            Vector512<double> r4 = Row(ref src, 4, stride, valid), r5 = Row(ref src, 5, stride, valid);
            Vector512<double> r6 = Row(ref src, 6, stride, valid), r7 = Row(ref src, 7, stride, valid);

            // Per 128-bit block L: [r(2k)[2L], r(2k+1)[2L]] and [r(2k)[2L+1], r(2k+1)[2L+1]]: column 2L + h of a row pair.
            Finish(Avx512F.UnpackLow(r0, r1), Avx512F.UnpackLow(r2, r3), Avx512F.UnpackLow(r4, r5), Avx512F.UnpackLow(r6, r7), ref Unsafe.As<double, float>(ref dst), 0, 2);
            Finish(Avx512F.UnpackHigh(r0, r1), Avx512F.UnpackHigh(r2, r3), Avx512F.UnpackHigh(r4, r5), Avx512F.UnpackHigh(r6, r7), ref Unsafe.As<double, float>(ref dst), 1, 2);
        }

        // Four vectors whose block L holds column c + perBlock · L of four groups of rows: output column
        // c + perBlock · L is block L of each, in group order. Only 128-bit blocks move, so the element type does
        // not matter; a column of a panel is 64 bytes (16 floats) whatever it holds.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void Finish(Vector512<double> g0, Vector512<double> g1, Vector512<double> g2, Vector512<double> g3, ref float dst, int c, int perBlock)
        {
            Vector512<float> e0 = Avx512F.Shuffle4x128(g0.AsSingle(), g1.AsSingle(), 0x88), e1 = Avx512F.Shuffle4x128(g0.AsSingle(), g1.AsSingle(), 0xDD);
            Vector512<float> f0 = Avx512F.Shuffle4x128(g2.AsSingle(), g3.AsSingle(), 0x88), f1 = Avx512F.Shuffle4x128(g2.AsSingle(), g3.AsSingle(), 0xDD);
            Avx512F.Shuffle4x128(e0, f0, 0x88).StoreUnsafe(ref dst, (nuint)(16 * c));
            Avx512F.Shuffle4x128(e1, f1, 0x88).StoreUnsafe(ref dst, (nuint)(16 * (c + perBlock)));
            Avx512F.Shuffle4x128(e0, f0, 0xDD).StoreUnsafe(ref dst, (nuint)(16 * (c + (2 * perBlock))));
            Avx512F.Shuffle4x128(e1, f1, 0xDD).StoreUnsafe(ref dst, (nuint)(16 * (c + (3 * perBlock))));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static Vector512<T> Row<T>(ref T src, int r, int stride, int valid)
            where T : unmanaged =>
            r < valid ? Vector512.LoadUnsafe(ref src, (nuint)(r * stride)) : Vector512<T>.Zero;
    }
}
#endif
