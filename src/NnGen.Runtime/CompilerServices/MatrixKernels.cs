#if NET8_0_OR_GREATER
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// Register-blocked micro-kernels for the three matrix products of a batch (row-major, one sample per row):
    /// Z = A·Wᵀ ⊕ b, ∇W += Δᵀ·A with ∇b += Σ_s δ_s, and G = Δ·W. Each keeps a tile of 8 vector accumulators in
    /// registers (4 samples × 2 rows, 4 rows × 2 vectors of columns, 4 samples × 2 vectors) with the long loop
    /// inside, so a tile costs 6 loads for 8 fused multiply-adds and W is read once per 4 samples, not once
    /// per sample. Eight accumulators and six operands fit the 16 registers of AVX2 as well as AVX-512's 32.
    /// No operand is packed or transposed: W's rows and A's rows are both contiguous along the columns.
    /// Sums over samples run in sample order, and sums over rows in row order, as the per-sample code's do;
    /// dot products along the columns are split across vector lanes, so those differ from a sequential sum
    /// in the last bits.
    /// </summary>
    internal static class MatrixKernels
    {
        private const int Block = 4;

        /// <summary>Z[s, i] = b[i] + Σ_j A[s, j] W[i, j] for s &lt; samples, i &lt; rows, j &lt; columns.</summary>
        public static void Forward<T, TVector, TWidth>(ReadOnlySpan<T> a, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T a0 = ref MemoryMarshal.GetReference(a);
            ref T w0 = ref MemoryMarshal.GetReference(w);
            ref T z0 = ref MemoryMarshal.GetReference(z);
            int s = 0;
            for (; s + Block <= samples; s += Block)
            {
                ref T x0 = ref Unsafe.Add(ref a0, s * columns);
                ref T x1 = ref Unsafe.Add(ref x0, columns);
                ref T x2 = ref Unsafe.Add(ref x1, columns);
                ref T x3 = ref Unsafe.Add(ref x2, columns);
                int i = 0;
                for (; i + 2 <= rows; i += 2)
                {
                    ref T r0 = ref Unsafe.Add(ref w0, i * columns);
                    ref T r1 = ref Unsafe.Add(ref r0, columns);
                    TVector c00 = TWidth.Zero, c01 = TWidth.Zero, c10 = TWidth.Zero, c11 = TWidth.Zero;
                    TVector c20 = TWidth.Zero, c21 = TWidth.Zero, c30 = TWidth.Zero, c31 = TWidth.Zero;
                    int j = 0;
                    for (; j + TWidth.Count <= columns; j += TWidth.Count)
                    {
                        TVector v0 = TWidth.Load(ref Unsafe.Add(ref r0, j));
                        TVector v1 = TWidth.Load(ref Unsafe.Add(ref r1, j));
                        TVector u = TWidth.Load(ref Unsafe.Add(ref x0, j));
                        c00 = TWidth.MultiplyAdd(u, v0, c00);
                        c01 = TWidth.MultiplyAdd(u, v1, c01);
                        u = TWidth.Load(ref Unsafe.Add(ref x1, j));
                        c10 = TWidth.MultiplyAdd(u, v0, c10);
                        c11 = TWidth.MultiplyAdd(u, v1, c11);
                        u = TWidth.Load(ref Unsafe.Add(ref x2, j));
                        c20 = TWidth.MultiplyAdd(u, v0, c20);
                        c21 = TWidth.MultiplyAdd(u, v1, c21);
                        u = TWidth.Load(ref Unsafe.Add(ref x3, j));
                        c30 = TWidth.MultiplyAdd(u, v0, c30);
                        c31 = TWidth.MultiplyAdd(u, v1, c31);
                    }

                    int zi = (s * rows) + i;
                    Unsafe.Add(ref z0, zi) = b[i] + TWidth.Sum(c00) + DotTail(ref x0, ref r0, j, columns);
                    Unsafe.Add(ref z0, zi + 1) = b[i + 1] + TWidth.Sum(c01) + DotTail(ref x0, ref r1, j, columns);
                    Unsafe.Add(ref z0, zi + rows) = b[i] + TWidth.Sum(c10) + DotTail(ref x1, ref r0, j, columns);
                    Unsafe.Add(ref z0, zi + rows + 1) = b[i + 1] + TWidth.Sum(c11) + DotTail(ref x1, ref r1, j, columns);
                    Unsafe.Add(ref z0, zi + (2 * rows)) = b[i] + TWidth.Sum(c20) + DotTail(ref x2, ref r0, j, columns);
                    Unsafe.Add(ref z0, zi + (2 * rows) + 1) = b[i + 1] + TWidth.Sum(c21) + DotTail(ref x2, ref r1, j, columns);
                    Unsafe.Add(ref z0, zi + (3 * rows)) = b[i] + TWidth.Sum(c30) + DotTail(ref x3, ref r0, j, columns);
                    Unsafe.Add(ref z0, zi + (3 * rows) + 1) = b[i + 1] + TWidth.Sum(c31) + DotTail(ref x3, ref r1, j, columns);
                }

                for (; i < rows; i++)
                {
                    ref T r = ref Unsafe.Add(ref w0, i * columns);
                    for (int t = 0; t < Block; t++)
                    {
                        Unsafe.Add(ref z0, ((s + t) * rows) + i) = BiasPlusDot<T, TVector, TWidth>(b[i], ref Unsafe.Add(ref x0, t * columns), ref r, columns);
                    }
                }
            }

            for (; s < samples; s++)
            {
                ForwardSample<T, TVector, TWidth>(ref Unsafe.Add(ref a0, s * columns), ref w0, b, ref Unsafe.Add(ref z0, s * rows), rows, columns);
            }
        }

        // One sample (the matrix-vector product of Forward and of the last samples of a batch): 8 rows per
        // pass, so 8 independent accumulators hide the fused multiply-add's latency and x is loaded once
        // for 8 rows. Each z[i] is accumulated exactly as in the 4-sample tiles, so a sample's outputs are
        // the same bits whichever path computed them.
        private static void ForwardSample<T, TVector, TWidth>(ref T x, ref T w0, ReadOnlySpan<T> b, ref T z, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int i = 0;
            for (; i + 8 <= rows; i += 8)
            {
                ref T r0 = ref Unsafe.Add(ref w0, i * columns);
                ref T r1 = ref Unsafe.Add(ref r0, columns);
                ref T r2 = ref Unsafe.Add(ref r1, columns);
                ref T r3 = ref Unsafe.Add(ref r2, columns);
                ref T r4 = ref Unsafe.Add(ref r3, columns);
                ref T r5 = ref Unsafe.Add(ref r4, columns);
                ref T r6 = ref Unsafe.Add(ref r5, columns);
                ref T r7 = ref Unsafe.Add(ref r6, columns);
                TVector c0 = TWidth.Zero, c1 = TWidth.Zero, c2 = TWidth.Zero, c3 = TWidth.Zero;
                TVector c4 = TWidth.Zero, c5 = TWidth.Zero, c6 = TWidth.Zero, c7 = TWidth.Zero;
                int j = 0;
                for (; j + TWidth.Count <= columns; j += TWidth.Count)
                {
                    TVector u = TWidth.Load(ref Unsafe.Add(ref x, j));
                    c0 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r0, j)), c0);
                    c1 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r1, j)), c1);
                    c2 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r2, j)), c2);
                    c3 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r3, j)), c3);
                    c4 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r4, j)), c4);
                    c5 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r5, j)), c5);
                    c6 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r6, j)), c6);
                    c7 = TWidth.MultiplyAdd(u, TWidth.Load(ref Unsafe.Add(ref r7, j)), c7);
                }

                Unsafe.Add(ref z, i) = b[i] + TWidth.Sum(c0) + DotTail(ref x, ref r0, j, columns);
                Unsafe.Add(ref z, i + 1) = b[i + 1] + TWidth.Sum(c1) + DotTail(ref x, ref r1, j, columns);
                Unsafe.Add(ref z, i + 2) = b[i + 2] + TWidth.Sum(c2) + DotTail(ref x, ref r2, j, columns);
                Unsafe.Add(ref z, i + 3) = b[i + 3] + TWidth.Sum(c3) + DotTail(ref x, ref r3, j, columns);
                Unsafe.Add(ref z, i + 4) = b[i + 4] + TWidth.Sum(c4) + DotTail(ref x, ref r4, j, columns);
                Unsafe.Add(ref z, i + 5) = b[i + 5] + TWidth.Sum(c5) + DotTail(ref x, ref r5, j, columns);
                Unsafe.Add(ref z, i + 6) = b[i + 6] + TWidth.Sum(c6) + DotTail(ref x, ref r6, j, columns);
                Unsafe.Add(ref z, i + 7) = b[i + 7] + TWidth.Sum(c7) + DotTail(ref x, ref r7, j, columns);
            }

            for (; i < rows; i++)
            {
                Unsafe.Add(ref z, i) = BiasPlusDot<T, TVector, TWidth>(b[i], ref x, ref Unsafe.Add(ref w0, i * columns), columns);
            }
        }

        /// <summary>
        /// ∇W[i, j] += Σ_s Δ[s, i] A[s, j] and ∇b[i] += Σ_s Δ[s, i], for s &lt; samples (in order), i &lt; rows,
        /// j &lt; columns.
        /// </summary>
        public static void AccumulateGradient<T, TVector, TWidth>(ReadOnlySpan<T> delta, ReadOnlySpan<T> a, Span<T> gradW, Span<T> gradB, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T d0 = ref MemoryMarshal.GetReference(delta);
            ref T a0 = ref MemoryMarshal.GetReference(a);
            ref T g0 = ref MemoryMarshal.GetReference(gradW);
            int i = 0;
            for (; i + Block <= rows; i += Block)
            {
                ref T q0 = ref Unsafe.Add(ref g0, i * columns);
                ref T q1 = ref Unsafe.Add(ref q0, columns);
                ref T q2 = ref Unsafe.Add(ref q1, columns);
                ref T q3 = ref Unsafe.Add(ref q2, columns);
                int j = 0;
                for (; j + (2 * TWidth.Count) <= columns; j += 2 * TWidth.Count)
                {
                    int k = j + TWidth.Count;
                    TVector c00 = TWidth.Load(ref Unsafe.Add(ref q0, j)), c01 = TWidth.Load(ref Unsafe.Add(ref q0, k));
                    TVector c10 = TWidth.Load(ref Unsafe.Add(ref q1, j)), c11 = TWidth.Load(ref Unsafe.Add(ref q1, k));
                    TVector c20 = TWidth.Load(ref Unsafe.Add(ref q2, j)), c21 = TWidth.Load(ref Unsafe.Add(ref q2, k));
                    TVector c30 = TWidth.Load(ref Unsafe.Add(ref q3, j)), c31 = TWidth.Load(ref Unsafe.Add(ref q3, k));
                    for (int s = 0; s < samples; s++)
                    {
                        ref T x = ref Unsafe.Add(ref a0, s * columns);
                        ref T d = ref Unsafe.Add(ref d0, (s * rows) + i);
                        TVector u0 = TWidth.Load(ref Unsafe.Add(ref x, j));
                        TVector u1 = TWidth.Load(ref Unsafe.Add(ref x, k));
                        TVector e = TWidth.Broadcast(d);
                        c00 = TWidth.MultiplyAdd(e, u0, c00);
                        c01 = TWidth.MultiplyAdd(e, u1, c01);
                        e = TWidth.Broadcast(Unsafe.Add(ref d, 1));
                        c10 = TWidth.MultiplyAdd(e, u0, c10);
                        c11 = TWidth.MultiplyAdd(e, u1, c11);
                        e = TWidth.Broadcast(Unsafe.Add(ref d, 2));
                        c20 = TWidth.MultiplyAdd(e, u0, c20);
                        c21 = TWidth.MultiplyAdd(e, u1, c21);
                        e = TWidth.Broadcast(Unsafe.Add(ref d, 3));
                        c30 = TWidth.MultiplyAdd(e, u0, c30);
                        c31 = TWidth.MultiplyAdd(e, u1, c31);
                    }

                    TWidth.Store(c00, ref Unsafe.Add(ref q0, j));
                    TWidth.Store(c01, ref Unsafe.Add(ref q0, k));
                    TWidth.Store(c10, ref Unsafe.Add(ref q1, j));
                    TWidth.Store(c11, ref Unsafe.Add(ref q1, k));
                    TWidth.Store(c20, ref Unsafe.Add(ref q2, j));
                    TWidth.Store(c21, ref Unsafe.Add(ref q2, k));
                    TWidth.Store(c30, ref Unsafe.Add(ref q3, j));
                    TWidth.Store(c31, ref Unsafe.Add(ref q3, k));
                }

                for (int r = 0; r < Block; r++)
                {
                    AccumulateRow<T, TVector, TWidth>(ref d0, ref a0, ref Unsafe.Add(ref q0, r * columns), i + r, j, samples, rows, columns);
                }
            }

            for (; i < rows; i++)
            {
                AccumulateRow<T, TVector, TWidth>(ref d0, ref a0, ref Unsafe.Add(ref g0, i * columns), i, 0, samples, rows, columns);
            }

            for (int r = 0; r < rows; r++)
            {
                T sum = gradB[r];
                for (int s = 0; s < samples; s++)
                {
                    sum += Unsafe.Add(ref d0, (s * rows) + r);
                }

                gradB[r] = sum;
            }
        }

        /// <summary>G[s, j] = Σ_i Δ[s, i] W[i, j] for s &lt; samples, i &lt; rows (in order), j &lt; columns.</summary>
        public static void Backpropagate<T, TVector, TWidth>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> g, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T d0 = ref MemoryMarshal.GetReference(delta);
            ref T w0 = ref MemoryMarshal.GetReference(w);
            ref T g0 = ref MemoryMarshal.GetReference(g);
            int s = 0;
            for (; s + Block <= samples; s += Block)
            {
                ref T e0 = ref Unsafe.Add(ref d0, s * rows);
                ref T e1 = ref Unsafe.Add(ref e0, rows);
                ref T e2 = ref Unsafe.Add(ref e1, rows);
                ref T e3 = ref Unsafe.Add(ref e2, rows);
                ref T h0 = ref Unsafe.Add(ref g0, s * columns);
                int j = 0;
                for (; j + (2 * TWidth.Count) <= columns; j += 2 * TWidth.Count)
                {
                    int k = j + TWidth.Count;
                    TVector c00 = TWidth.Zero, c01 = TWidth.Zero, c10 = TWidth.Zero, c11 = TWidth.Zero;
                    TVector c20 = TWidth.Zero, c21 = TWidth.Zero, c30 = TWidth.Zero, c31 = TWidth.Zero;
                    for (int i = 0; i < rows; i++)
                    {
                        ref T r = ref Unsafe.Add(ref w0, i * columns);
                        TVector v0 = TWidth.Load(ref Unsafe.Add(ref r, j));
                        TVector v1 = TWidth.Load(ref Unsafe.Add(ref r, k));
                        TVector e = TWidth.Broadcast(Unsafe.Add(ref e0, i));
                        c00 = TWidth.MultiplyAdd(e, v0, c00);
                        c01 = TWidth.MultiplyAdd(e, v1, c01);
                        e = TWidth.Broadcast(Unsafe.Add(ref e1, i));
                        c10 = TWidth.MultiplyAdd(e, v0, c10);
                        c11 = TWidth.MultiplyAdd(e, v1, c11);
                        e = TWidth.Broadcast(Unsafe.Add(ref e2, i));
                        c20 = TWidth.MultiplyAdd(e, v0, c20);
                        c21 = TWidth.MultiplyAdd(e, v1, c21);
                        e = TWidth.Broadcast(Unsafe.Add(ref e3, i));
                        c30 = TWidth.MultiplyAdd(e, v0, c30);
                        c31 = TWidth.MultiplyAdd(e, v1, c31);
                    }

                    TWidth.Store(c00, ref Unsafe.Add(ref h0, j));
                    TWidth.Store(c01, ref Unsafe.Add(ref h0, k));
                    TWidth.Store(c10, ref Unsafe.Add(ref h0, columns + j));
                    TWidth.Store(c11, ref Unsafe.Add(ref h0, columns + k));
                    TWidth.Store(c20, ref Unsafe.Add(ref h0, (2 * columns) + j));
                    TWidth.Store(c21, ref Unsafe.Add(ref h0, (2 * columns) + k));
                    TWidth.Store(c30, ref Unsafe.Add(ref h0, (3 * columns) + j));
                    TWidth.Store(c31, ref Unsafe.Add(ref h0, (3 * columns) + k));
                }

                for (int t = 0; t < Block; t++)
                {
                    BackpropagateSample<T, TVector, TWidth>(ref Unsafe.Add(ref e0, t * rows), ref w0, ref Unsafe.Add(ref h0, t * columns), j, rows, columns);
                }
            }

            for (; s < samples; s++)
            {
                BackpropagateSample<T, TVector, TWidth>(ref Unsafe.Add(ref d0, s * rows), ref w0, ref Unsafe.Add(ref g0, s * columns), 0, rows, columns);
            }
        }

        // One row of ∇W from column `from` on: a vector at a time, then the scalar tail.
        private static void AccumulateRow<T, TVector, TWidth>(ref T d0, ref T a0, ref T q, int i, int from, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int j = from;
            for (; j + (4 * TWidth.Count) <= columns; j += 4 * TWidth.Count)
            {
                ref T g = ref Unsafe.Add(ref q, j);
                TVector c0 = TWidth.Load(ref g), c1 = TWidth.Load(ref Unsafe.Add(ref g, TWidth.Count));
                TVector c2 = TWidth.Load(ref Unsafe.Add(ref g, 2 * TWidth.Count)), c3 = TWidth.Load(ref Unsafe.Add(ref g, 3 * TWidth.Count));
                for (int s = 0; s < samples; s++)
                {
                    ref T x = ref Unsafe.Add(ref a0, (s * columns) + j);
                    TVector d = TWidth.Broadcast(Unsafe.Add(ref d0, (s * rows) + i));
                    c0 = TWidth.MultiplyAdd(d, TWidth.Load(ref x), c0);
                    c1 = TWidth.MultiplyAdd(d, TWidth.Load(ref Unsafe.Add(ref x, TWidth.Count)), c1);
                    c2 = TWidth.MultiplyAdd(d, TWidth.Load(ref Unsafe.Add(ref x, 2 * TWidth.Count)), c2);
                    c3 = TWidth.MultiplyAdd(d, TWidth.Load(ref Unsafe.Add(ref x, 3 * TWidth.Count)), c3);
                }

                TWidth.Store(c0, ref g);
                TWidth.Store(c1, ref Unsafe.Add(ref g, TWidth.Count));
                TWidth.Store(c2, ref Unsafe.Add(ref g, 2 * TWidth.Count));
                TWidth.Store(c3, ref Unsafe.Add(ref g, 3 * TWidth.Count));
            }

            for (; j + TWidth.Count <= columns; j += TWidth.Count)
            {
                TVector c = TWidth.Load(ref Unsafe.Add(ref q, j));
                for (int s = 0; s < samples; s++)
                {
                    c = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref d0, (s * rows) + i)), TWidth.Load(ref Unsafe.Add(ref a0, (s * columns) + j)), c);
                }

                TWidth.Store(c, ref Unsafe.Add(ref q, j));
            }

            for (; j < columns; j++)
            {
                T c = Unsafe.Add(ref q, j);
                for (int s = 0; s < samples; s++)
                {
                    c += Unsafe.Add(ref d0, (s * rows) + i) * Unsafe.Add(ref a0, (s * columns) + j);
                }

                Unsafe.Add(ref q, j) = c;
            }
        }

        // One sample of G from column `from` on: 4 vectors of columns per pass (independent accumulators), then
        // one, then scalars. Every G[s, j] sums over the rows in order, as the tiles do.
        private static void BackpropagateSample<T, TVector, TWidth>(ref T e, ref T w0, ref T h, int from, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int j = from;
            for (; j + (4 * TWidth.Count) <= columns; j += 4 * TWidth.Count)
            {
                TVector c0 = TWidth.Zero, c1 = TWidth.Zero, c2 = TWidth.Zero, c3 = TWidth.Zero;
                for (int i = 0; i < rows; i++)
                {
                    ref T r = ref Unsafe.Add(ref w0, (i * columns) + j);
                    TVector d = TWidth.Broadcast(Unsafe.Add(ref e, i));
                    c0 = TWidth.MultiplyAdd(d, TWidth.Load(ref r), c0);
                    c1 = TWidth.MultiplyAdd(d, TWidth.Load(ref Unsafe.Add(ref r, TWidth.Count)), c1);
                    c2 = TWidth.MultiplyAdd(d, TWidth.Load(ref Unsafe.Add(ref r, 2 * TWidth.Count)), c2);
                    c3 = TWidth.MultiplyAdd(d, TWidth.Load(ref Unsafe.Add(ref r, 3 * TWidth.Count)), c3);
                }

                TWidth.Store(c0, ref Unsafe.Add(ref h, j));
                TWidth.Store(c1, ref Unsafe.Add(ref h, j + TWidth.Count));
                TWidth.Store(c2, ref Unsafe.Add(ref h, j + (2 * TWidth.Count)));
                TWidth.Store(c3, ref Unsafe.Add(ref h, j + (3 * TWidth.Count)));
            }

            for (; j + TWidth.Count <= columns; j += TWidth.Count)
            {
                TVector c = TWidth.Zero;
                for (int i = 0; i < rows; i++)
                {
                    c = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref e, i)), TWidth.Load(ref Unsafe.Add(ref w0, (i * columns) + j)), c);
                }

                TWidth.Store(c, ref Unsafe.Add(ref h, j));
            }

            for (; j < columns; j++)
            {
                T c = T.Zero;
                for (int i = 0; i < rows; i++)
                {
                    c += Unsafe.Add(ref e, i) * Unsafe.Add(ref w0, (i * columns) + j);
                }

                Unsafe.Add(ref h, j) = c;
            }
        }

        // bias + x·y, associated as the tiles associate it: (bias + Σ lanes) + scalar tail.
        private static T BiasPlusDot<T, TVector, TWidth>(T bias, ref T x, ref T y, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            TVector c = TWidth.Zero;
            int j = 0;
            for (; j + TWidth.Count <= columns; j += TWidth.Count)
            {
                c = TWidth.MultiplyAdd(TWidth.Load(ref Unsafe.Add(ref x, j)), TWidth.Load(ref Unsafe.Add(ref y, j)), c);
            }

            return bias + TWidth.Sum(c) + DotTail(ref x, ref y, j, columns);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static T DotTail<T>(ref T x, ref T y, int from, int columns)
            where T : unmanaged, INumber<T>
        {
            T sum = T.Zero;
            for (int j = from; j < columns; j++)
            {
                sum += Unsafe.Add(ref x, j) * Unsafe.Add(ref y, j);
            }

            return sum;
        }
    }
}
#endif
