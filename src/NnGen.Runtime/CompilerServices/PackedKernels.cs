#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// Z = A·Wᵀ ⊕ b for many samples with W packed once into panels of 16 rows, column by column: panel p holds
    /// W[16p .. 16p + 15, j] for each j in turn, so a column of a panel is one Vector512. A tile of 4 samples ×
    /// 3 panels keeps 12 accumulators of 16 outputs each; per column it loads 3 panel vectors and broadcasts 4
    /// inputs for 12 fused multiply-adds, and no accumulator ever needs its lanes summed. This is how ONNX
    /// Runtime's MLAS runs its GEMM; the dot-product tiles of <see cref="MatrixKernels"/> need no packing but end
    /// every tile in lane sums. Packing costs a 16 × 16 transpose in registers per block (64 shuffles for 256
    /// values), so it pays off from a few dozen samples on (see <see cref="BatchKernels.Pack(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/>).
    /// Every z[s, i] = (…((b[i] + a[s,0] W[i,0]) + a[s,1] W[i,1]) + …), fused, the columns in order, in every
    /// tile: a sample's outputs do not depend on its place in the batch or on the vector width.
    /// AVX-512 and float only; elsewhere <see cref="BatchKernels"/> does not pack.
    /// </summary>
    internal static class PackedKernels
    {
        public const int Panel = 16;

        public static bool IsSupported => Avx512F.IsSupported;

        /// <summary>Values in a packed W and b of rows × columns: whole panels, the last padded with zero rows.</summary>
        public static long PackedLength(int rows, int columns) => (long)Panels(rows) * Panel * (columns + 1L);

        private static int Panels(int rows) => (rows + Panel - 1) / Panel;

        /// <summary>packed[(p · columns + j) · 16 + r] = W[16p + r, j], then the biases, 16 per panel; zero past the last row.</summary>
        public static void Pack(ReadOnlySpan<float> w, ReadOnlySpan<float> b, int rows, int columns, Span<float> packed)
        {
            ref float w0 = ref MemoryMarshal.GetReference(w);
            ref float q0 = ref MemoryMarshal.GetReference(packed);
            int panels = Panels(rows);
            for (int p = 0; p < panels; p++)
            {
                int valid = Math.Min(Panel, rows - (p * Panel));
                ref float source = ref Unsafe.Add(ref w0, p * Panel * columns);
                ref float panel = ref Unsafe.Add(ref q0, p * Panel * columns);
                int j = 0;
                for (; j + Panel <= columns; j += Panel)
                {
                    Transpose(ref Unsafe.Add(ref source, j), columns, valid, ref Unsafe.Add(ref panel, j * Panel));
                }

                for (; j < columns; j++)
                {
                    for (int r = 0; r < Panel; r++)
                    {
                        Unsafe.Add(ref panel, (j * Panel) + r) = r < valid ? Unsafe.Add(ref source, (r * columns) + j) : 0f;
                    }
                }

                ref float bias = ref Unsafe.Add(ref q0, (panels * Panel * columns) + (p * Panel));
                for (int r = 0; r < Panel; r++)
                {
                    Unsafe.Add(ref bias, r) = r < valid ? b[(p * Panel) + r] : 0f;
                }
            }
        }

        /// <summary>Z[s, i] = b[i] + Σ_j A[s, j] W[i, j] from a packed W and b.</summary>
        public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> packed, Span<float> z, int samples, int rows, int columns)
        {
            ref float a0 = ref MemoryMarshal.GetReference(a);
            ref float q0 = ref MemoryMarshal.GetReference(packed);
            ref float z0 = ref MemoryMarshal.GetReference(z);
            int panels = Panels(rows), full = rows / Panel, stride = Panel * columns;
            ref float bias0 = ref Unsafe.Add(ref q0, panels * stride);
            int s = 0;
            for (; s + 4 <= samples; s += 4)
            {
                ref float x = ref Unsafe.Add(ref a0, s * columns);
                ref float zs = ref Unsafe.Add(ref z0, s * rows);
                int p = 0;
                for (; p + 3 <= full; p += 3)
                {
                    Tile4x3(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * Panel), ref Unsafe.Add(ref zs, p * Panel), columns, rows);
                }

                for (; p < panels; p++)
                {
                    Tile4x1(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * Panel), ref Unsafe.Add(ref zs, p * Panel), columns, rows, Math.Min(Panel, rows - (p * Panel)));
                }
            }

            for (; s < samples; s++)
            {
                ref float x = ref Unsafe.Add(ref a0, s * columns);
                ref float zs = ref Unsafe.Add(ref z0, s * rows);
                int p = 0;
                for (; p + 4 <= full; p += 4)
                {
                    Tile1x4(ref x, ref Unsafe.Add(ref q0, p * stride), ref Unsafe.Add(ref bias0, p * Panel), ref Unsafe.Add(ref zs, p * Panel), columns);
                }

                for (; p < panels; p++)
                {
                    Vector512<float> c = Vector512.LoadUnsafe(ref Unsafe.Add(ref bias0, p * Panel));
                    ref float q = ref Unsafe.Add(ref q0, p * stride);
                    for (int j = 0; j < columns; j++)
                    {
                        c = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, j)), Vector512.LoadUnsafe(ref q, (nuint)(Panel * j)), c);
                    }

                    StoreRow(c, ref Unsafe.Add(ref zs, p * Panel), Math.Min(Panel, rows - (p * Panel)));
                }
            }
        }

        // 4 samples × 3 whole panels: 12 accumulators, 3 loads and 4 broadcasts per 12 fused multiply-adds.
        private static void Tile4x3(ref float x0, ref float q0, ref float bias, ref float z, int columns, int rows)
        {
            ref float x1 = ref Unsafe.Add(ref x0, columns);
            ref float x2 = ref Unsafe.Add(ref x1, columns);
            ref float x3 = ref Unsafe.Add(ref x2, columns);
            ref float q1 = ref Unsafe.Add(ref q0, Panel * columns);
            ref float q2 = ref Unsafe.Add(ref q1, Panel * columns);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bias), b1 = Vector512.LoadUnsafe(ref bias, Panel), b2 = Vector512.LoadUnsafe(ref bias, 2 * Panel);
            Vector512<float> c00 = b0, c01 = b1, c02 = b2, c10 = b0, c11 = b1, c12 = b2;
            Vector512<float> c20 = b0, c21 = b1, c22 = b2, c30 = b0, c31 = b1, c32 = b2;
            for (int j = 0; j < columns; j++)
            {
                nuint at = (nuint)(Panel * j);
                Vector512<float> v0 = Vector512.LoadUnsafe(ref q0, at), v1 = Vector512.LoadUnsafe(ref q1, at), v2 = Vector512.LoadUnsafe(ref q2, at);
                Vector512<float> e = Vector512.Create(Unsafe.Add(ref x0, j));
                c00 = Avx512F.FusedMultiplyAdd(e, v0, c00);
                c01 = Avx512F.FusedMultiplyAdd(e, v1, c01);
                c02 = Avx512F.FusedMultiplyAdd(e, v2, c02);
                e = Vector512.Create(Unsafe.Add(ref x1, j));
                c10 = Avx512F.FusedMultiplyAdd(e, v0, c10);
                c11 = Avx512F.FusedMultiplyAdd(e, v1, c11);
                c12 = Avx512F.FusedMultiplyAdd(e, v2, c12);
                e = Vector512.Create(Unsafe.Add(ref x2, j));
                c20 = Avx512F.FusedMultiplyAdd(e, v0, c20);
                c21 = Avx512F.FusedMultiplyAdd(e, v1, c21);
                c22 = Avx512F.FusedMultiplyAdd(e, v2, c22);
                e = Vector512.Create(Unsafe.Add(ref x3, j));
                c30 = Avx512F.FusedMultiplyAdd(e, v0, c30);
                c31 = Avx512F.FusedMultiplyAdd(e, v1, c31);
                c32 = Avx512F.FusedMultiplyAdd(e, v2, c32);
            }

            // No call between the loop and these stores: every vector register is caller-saved, and a call
            // would make the JIT spill all twelve accumulators on every iteration.
            c00.StoreUnsafe(ref z);
            c01.StoreUnsafe(ref z, Panel);
            c02.StoreUnsafe(ref z, 2 * Panel);
            ref float z1 = ref Unsafe.Add(ref z, rows);
            c10.StoreUnsafe(ref z1);
            c11.StoreUnsafe(ref z1, Panel);
            c12.StoreUnsafe(ref z1, 2 * Panel);
            ref float z2 = ref Unsafe.Add(ref z1, rows);
            c20.StoreUnsafe(ref z2);
            c21.StoreUnsafe(ref z2, Panel);
            c22.StoreUnsafe(ref z2, 2 * Panel);
            ref float z3 = ref Unsafe.Add(ref z2, rows);
            c30.StoreUnsafe(ref z3);
            c31.StoreUnsafe(ref z3, Panel);
            c32.StoreUnsafe(ref z3, 2 * Panel);
        }

        // 4 samples × 1 panel, which may be the last, partial one.
        private static void Tile4x1(ref float x0, ref float q, ref float bias, ref float z, int columns, int rows, int valid)
        {
            ref float x1 = ref Unsafe.Add(ref x0, columns);
            ref float x2 = ref Unsafe.Add(ref x1, columns);
            ref float x3 = ref Unsafe.Add(ref x2, columns);
            Vector512<float> c0 = Vector512.LoadUnsafe(ref bias), c1 = c0, c2 = c0, c3 = c0;
            for (int j = 0; j < columns; j++)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref q, (nuint)(Panel * j));
                c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x0, j)), v, c0);
                c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x1, j)), v, c1);
                c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x2, j)), v, c2);
                c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x3, j)), v, c3);
            }

            StoreRow(c0, ref z, valid);
            StoreRow(c1, ref Unsafe.Add(ref z, rows), valid);
            StoreRow(c2, ref Unsafe.Add(ref z, 2 * rows), valid);
            StoreRow(c3, ref Unsafe.Add(ref z, 3 * rows), valid);
        }

        // 1 sample × 4 whole panels: four independent chains, where one would wait on each multiply-add in turn.
        private static void Tile1x4(ref float x, ref float q0, ref float bias, ref float z, int columns)
        {
            ref float q1 = ref Unsafe.Add(ref q0, Panel * columns);
            ref float q2 = ref Unsafe.Add(ref q1, Panel * columns);
            ref float q3 = ref Unsafe.Add(ref q2, Panel * columns);
            Vector512<float> c0 = Vector512.LoadUnsafe(ref bias), c1 = Vector512.LoadUnsafe(ref bias, Panel);
            Vector512<float> c2 = Vector512.LoadUnsafe(ref bias, 2 * Panel), c3 = Vector512.LoadUnsafe(ref bias, 3 * Panel);
            for (int j = 0; j < columns; j++)
            {
                nuint at = (nuint)(Panel * j);
                Vector512<float> e = Vector512.Create(Unsafe.Add(ref x, j));
                c0 = Avx512F.FusedMultiplyAdd(e, Vector512.LoadUnsafe(ref q0, at), c0);
                c1 = Avx512F.FusedMultiplyAdd(e, Vector512.LoadUnsafe(ref q1, at), c1);
                c2 = Avx512F.FusedMultiplyAdd(e, Vector512.LoadUnsafe(ref q2, at), c2);
                c3 = Avx512F.FusedMultiplyAdd(e, Vector512.LoadUnsafe(ref q3, at), c3);
            }

            c0.StoreUnsafe(ref z);
            c1.StoreUnsafe(ref z, Panel);
            c2.StoreUnsafe(ref z, 2 * Panel);
            c3.StoreUnsafe(ref z, 3 * Panel);
        }

        // The first `valid` lanes: the rows of a partial panel past the last are padding, and the next values in z
        // belong to the next sample.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow(Vector512<float> c, ref float z, int valid)
        {
            if (valid == Panel)
            {
                c.StoreUnsafe(ref z);
                return;
            }

            for (int r = 0; r < valid; r++)
            {
                Unsafe.Add(ref z, r) = c.GetElement(r);
            }
        }

        // dst[16k + r] = src[r · stride + k] for r < valid, 0 for r >= valid: a 16 × 16 transpose in registers,
        // in four rounds of shuffles (pairs of floats, pairs of doubles, then 128-bit blocks twice).
        private static void Transpose(ref float src, int stride, int valid, ref float dst)
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
                Avx512F.UnpackLow(a0, a2).AsSingle(), Avx512F.UnpackLow(a4, a6).AsSingle(), Avx512F.UnpackLow(a8, a10).AsSingle(), Avx512F.UnpackLow(a12, a14).AsSingle(), ref dst, 0);
            Finish(
                Avx512F.UnpackHigh(a0, a2).AsSingle(), Avx512F.UnpackHigh(a4, a6).AsSingle(), Avx512F.UnpackHigh(a8, a10).AsSingle(), Avx512F.UnpackHigh(a12, a14).AsSingle(), ref dst, 1);
            Finish(
                Avx512F.UnpackLow(a1, a3).AsSingle(), Avx512F.UnpackLow(a5, a7).AsSingle(), Avx512F.UnpackLow(a9, a11).AsSingle(), Avx512F.UnpackLow(a13, a15).AsSingle(), ref dst, 2);
            Finish(
                Avx512F.UnpackHigh(a1, a3).AsSingle(), Avx512F.UnpackHigh(a5, a7).AsSingle(), Avx512F.UnpackHigh(a9, a11).AsSingle(), Avx512F.UnpackHigh(a13, a15).AsSingle(), ref dst, 3);
        }

        // Columns c, 4 + c, 8 + c and 12 + c: block L of each output from block L of the four groups' vectors.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Finish(Vector512<float> g0, Vector512<float> g1, Vector512<float> g2, Vector512<float> g3, ref float dst, int c)
        {
            Vector512<float> e0 = Avx512F.Shuffle4x128(g0, g1, 0x88), e1 = Avx512F.Shuffle4x128(g0, g1, 0xDD);
            Vector512<float> f0 = Avx512F.Shuffle4x128(g2, g3, 0x88), f1 = Avx512F.Shuffle4x128(g2, g3, 0xDD);
            Avx512F.Shuffle4x128(e0, f0, 0x88).StoreUnsafe(ref dst, (nuint)(Panel * c));
            Avx512F.Shuffle4x128(e1, f1, 0x88).StoreUnsafe(ref dst, (nuint)(Panel * (4 + c)));
            Avx512F.Shuffle4x128(e0, f0, 0xDD).StoreUnsafe(ref dst, (nuint)(Panel * (8 + c)));
            Avx512F.Shuffle4x128(e1, f1, 0xDD).StoreUnsafe(ref dst, (nuint)(Panel * (12 + c)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Row(ref float src, int r, int stride, int valid) =>
            r < valid ? Vector512.LoadUnsafe(ref src, (nuint)(r * stride)) : Vector512<float>.Zero;
    }
}
#endif
