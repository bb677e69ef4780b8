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
    /// per sample. Eight accumulators and six operands fit the 16 registers of AVX2 as well as AVX-512's 32; with
    /// 512-bit vectors ∇W takes 4 rows × 4 vectors (16 accumulators) where the columns allow.
    /// No operand is packed or transposed: W's rows and A's rows are both contiguous along the columns.
    /// Sums over samples run in sample order, and sums over rows in row order, as the per-sample code's do;
    /// dot products along the columns are split across vector lanes, so those differ from a sequential sum
    /// in the last bits.
    /// </summary>
    internal static class MatrixKernels
    {
        private const int Block = 4;

        /// <summary>Z[s, i] = b[i] + Σ_j A[s, j] W[i, j] for s &lt; samples, i &lt; rows, j &lt; columns.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)] // never inlined: see PackedKernels.Forward
        public static void Forward<T, TVector, TWidth>(ReadOnlySpan<T> a, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T a0 = ref MemoryMarshal.GetReference(a);
            ref T w0 = ref MemoryMarshal.GetReference(w);
            ref T b0 = ref MemoryMarshal.GetReference(b);
            ref T z0 = ref MemoryMarshal.GetReference(z);
            if (columns < TWidth.Count)
            {
                ForwardNarrow(ref a0, ref w0, ref b0, ref z0, samples, rows, columns);
                return;
            }

            // A row's last partial chunk is the last whole vector of the row, overlapping the one before,
            // with the lanes already counted masked out of the products.
            int valid = columns % TWidth.Count, last = columns - TWidth.Count;
            TVector mask = valid != 0 ? TWidth.LastLanes(valid) : TWidth.Zero;
            Span<T> scratch = stackalloc T[16];
            ref T bias = ref scratch[0];
            ref T sums = ref scratch[8];
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

                    if (valid != 0)
                    {
                        TVector v0 = TWidth.Load(ref Unsafe.Add(ref r0, last));
                        TVector v1 = TWidth.Load(ref Unsafe.Add(ref r1, last));
                        TVector u = TWidth.Load(ref Unsafe.Add(ref x0, last));
                        c00 = TWidth.Add(c00, TWidth.MultiplyMasked(u, v0, mask));
                        c01 = TWidth.Add(c01, TWidth.MultiplyMasked(u, v1, mask));
                        u = TWidth.Load(ref Unsafe.Add(ref x1, last));
                        c10 = TWidth.Add(c10, TWidth.MultiplyMasked(u, v0, mask));
                        c11 = TWidth.Add(c11, TWidth.MultiplyMasked(u, v1, mask));
                        u = TWidth.Load(ref Unsafe.Add(ref x2, last));
                        c20 = TWidth.Add(c20, TWidth.MultiplyMasked(u, v0, mask));
                        c21 = TWidth.Add(c21, TWidth.MultiplyMasked(u, v1, mask));
                        u = TWidth.Load(ref Unsafe.Add(ref x3, last));
                        c30 = TWidth.Add(c30, TWidth.MultiplyMasked(u, v0, mask));
                        c31 = TWidth.Add(c31, TWidth.MultiplyMasked(u, v1, mask));
                    }

                    for (int k = 0; k < 8; k += 2)
                    {
                        Unsafe.Add(ref bias, k) = Unsafe.Add(ref b0, i);
                        Unsafe.Add(ref bias, k + 1) = Unsafe.Add(ref b0, i + 1);
                    }

                    TWidth.AddSums(ref bias, c00, c01, c10, c11, c20, c21, c30, c31, ref sums);
                    for (int t = 0; t < Block; t++)
                    {
                        ref T zt = ref Unsafe.Add(ref z0, ((s + t) * rows) + i);
                        zt = Unsafe.Add(ref sums, 2 * t);
                        Unsafe.Add(ref zt, 1) = Unsafe.Add(ref sums, (2 * t) + 1);
                    }
                }

                for (int t = 0; i < rows && t < Block; t++)
                {
                    ForwardSample<T, TVector, TWidth>(ref Unsafe.Add(ref x0, t * columns), ref w0, ref b0, ref Unsafe.Add(ref z0, (s + t) * rows), i, rows, columns);
                }
            }

            for (; s < samples; s++)
            {
                ForwardSample<T, TVector, TWidth>(ref Unsafe.Add(ref a0, s * columns), ref w0, ref b0, ref Unsafe.Add(ref z0, s * rows), 0, rows, columns);
            }
        }

        /// <summary>z[i] = b[i] + Σ_j x[j] W[i, j] for i &lt; rows, j &lt; columns: one sample.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void ForwardOne<T, TVector, TWidth>(ref T x, ref T w0, ref T b0, ref T z, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            if (columns < TWidth.Count)
            {
                ForwardNarrow(ref x, ref w0, ref b0, ref z, 1, rows, columns);
                return;
            }

            ForwardSample<T, TVector, TWidth>(ref x, ref w0, ref b0, ref z, 0, rows, columns);
        }

        // One sample (the matrix-vector product of Forward and of the last samples of a batch), rows `from` to
        // the end: 8 rows per pass, so 8 independent accumulators hide the fused multiply-add's latency, x is
        // loaded once for 8 rows, and one shuffle tree adds the 8 accumulators' lanes and the biases at once.
        // The last pass is the last 8 rows, overlapping the one before: a row computed twice gets the same bits
        // both times, so nothing needs a buffer. Each z[i] is accumulated exactly as in the 4-sample tiles, so a
        // sample's outputs are the same bits whichever path computed them. Needs columns >= TWidth.Count.
        // Never inlined: ForwardOne is small enough to inline into a generated Forward, and this loop's eight
        // accumulators must not meet the caller's live values there (see PackedKernels.Forward and the panel tiles).
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void ForwardSample<T, TVector, TWidth>(ref T x, ref T w0, ref T b0, ref T z, int from, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int valid = columns % TWidth.Count, last = columns - TWidth.Count;
            TVector mask = valid != 0 ? TWidth.LastLanes(valid) : TWidth.Zero;
            TVector tailX = valid != 0 ? TWidth.Load(ref Unsafe.Add(ref x, last)) : TWidth.Zero;
            if (rows < 8)
            {
                ForwardFewRows<T, TVector, TWidth>(ref x, ref w0, ref b0, ref z, from, rows, columns, tailX, mask);
                return;
            }

            for (int i = Math.Min(from, rows - 8); ; i = Math.Min(i + 8, rows - 8))
            {
                Pass<T, TVector, TWidth>(ref x, ref w0, i, rows - 1, columns, tailX, mask, ref Unsafe.Add(ref b0, i), ref Unsafe.Add(ref z, i), clamp: false);
                if (i == rows - 8)
                {
                    break;
                }
            }
        }

        // Fewer than 8 rows: the spare accumulators repeat the last row, and only the real rows are kept.
        [MethodImpl(CompileOptions.Optimized)]
        private static void ForwardFewRows<T, TVector, TWidth>(ref T x, ref T w0, ref T b0, ref T z, int from, int rows, int columns, TVector tailX, TVector mask)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            Span<T> scratch = stackalloc T[16];
            for (int k = 0; k < 8; k++)
            {
                scratch[k] = Unsafe.Add(ref b0, Math.Min(k, rows - 1));
            }

            Pass<T, TVector, TWidth>(ref x, ref w0, 0, rows - 1, columns, tailX, mask, ref scratch[0], ref scratch[8], clamp: true);
            for (int i = from; i < rows; i++)
            {
                Unsafe.Add(ref z, i) = scratch[8 + i];
            }
        }

        // destination[k] = bias[k] + x · W[min(first + k, lastRow)], k < 8. Callers pass clamp as a constant, so
        // the JIT drops the seven Math.Min of a pass whose rows all exist.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void Pass<T, TVector, TWidth>(ref T x, ref T w0, int first, int lastRow, int columns, TVector tailX, TVector mask, ref T bias, ref T destination, bool clamp)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T r0 = ref Unsafe.Add(ref w0, first * columns);
            ref T r1 = ref Unsafe.Add(ref w0, (clamp ? Math.Min(first + 1, lastRow) : first + 1) * columns);
            ref T r2 = ref Unsafe.Add(ref w0, (clamp ? Math.Min(first + 2, lastRow) : first + 2) * columns);
            ref T r3 = ref Unsafe.Add(ref w0, (clamp ? Math.Min(first + 3, lastRow) : first + 3) * columns);
            ref T r4 = ref Unsafe.Add(ref w0, (clamp ? Math.Min(first + 4, lastRow) : first + 4) * columns);
            ref T r5 = ref Unsafe.Add(ref w0, (clamp ? Math.Min(first + 5, lastRow) : first + 5) * columns);
            ref T r6 = ref Unsafe.Add(ref w0, (clamp ? Math.Min(first + 6, lastRow) : first + 6) * columns);
            ref T r7 = ref Unsafe.Add(ref w0, (clamp ? Math.Min(first + 7, lastRow) : first + 7) * columns);
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

            if (j < columns)
            {
                int last = columns - TWidth.Count;
                c0 = TWidth.Add(c0, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r0, last)), mask));
                c1 = TWidth.Add(c1, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r1, last)), mask));
                c2 = TWidth.Add(c2, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r2, last)), mask));
                c3 = TWidth.Add(c3, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r3, last)), mask));
                c4 = TWidth.Add(c4, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r4, last)), mask));
                c5 = TWidth.Add(c5, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r5, last)), mask));
                c6 = TWidth.Add(c6, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r6, last)), mask));
                c7 = TWidth.Add(c7, TWidth.MultiplyMasked(tailX, TWidth.Load(ref Unsafe.Add(ref r7, last)), mask));
            }

            TWidth.AddSums(ref bias, c0, c1, c2, c3, c4, c5, c6, c7, ref destination);
        }

        // Rows shorter than one vector (only at Vector128 with fewer than 4 floats or 2 doubles): bias plus a
        // sequential dot product for each sample and row, one path for every sample.
        [MethodImpl(CompileOptions.Optimized)]
        private static void ForwardNarrow<T>(ref T a0, ref T w0, ref T b0, ref T z0, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
        {
            for (int s = 0; s < samples; s++)
            {
                ref T x = ref Unsafe.Add(ref a0, s * columns);
                for (int i = 0; i < rows; i++)
                {
                    ref T r = ref Unsafe.Add(ref w0, i * columns);
                    T sum = T.Zero;
                    for (int j = 0; j < columns; j++)
                    {
                        sum += Unsafe.Add(ref x, j) * Unsafe.Add(ref r, j);
                    }

                    Unsafe.Add(ref z0, (s * rows) + i) = Unsafe.Add(ref b0, i) + sum;
                }
            }
        }

        /// <summary>
        /// ∇W[i, j] += Σ_s Δ[s, i] A[s, j] and ∇b[i] += Σ_s Δ[s, i], for s &lt; samples (in order), i &lt; rows,
        /// j &lt; columns.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)] // never inlined: see PackedKernels.Forward
        public static void AccumulateGradient<T, TVector, TWidth>(ReadOnlySpan<T> delta, ReadOnlySpan<T> a, Span<T> gradW, Span<T> gradB, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T d0 = ref MemoryMarshal.GetReference(delta);
            ref T a0 = ref MemoryMarshal.GetReference(a);
            ref T g0 = ref MemoryMarshal.GetReference(gradW);

            // With 512-bit vectors (32 registers) four vectors of columns at once: 16 accumulators, 4 loads and 4
            // broadcasts per 16 fused multiply-adds (784-128's ∇W(1) over 64 samples: see docs/benchmarks.md); AVX2's
            // 16 registers would spill them, and it takes two vectors at once. Column panels run outermost, every block
            // of four rows inside: a panel of A (64 samples × 64 floats, 16 KB, or 4 KB for two 256-bit vectors) then
            // stays in L1 for every row, where rows outermost read the whole of A from L2 again for each four rows.
            // Each element's sum is the same either way: its stored value, then one fused multiply-add per sample.
            int j = 0;
            if (Unsafe.SizeOf<TVector>() == 64)
            {
                for (; j + (4 * TWidth.Count) <= columns; j += 4 * TWidth.Count)
                {
                    for (int r = 0; r + Block <= rows; r += Block)
                    {
                        AccumulateBlock4x4<T, TVector, TWidth>(ref d0, ref a0, ref Unsafe.Add(ref g0, (r * columns) + j), r, j, samples, rows, columns);
                    }
                }
            }

            for (; j + (2 * TWidth.Count) <= columns; j += 2 * TWidth.Count)
            {
                for (int r = 0; r + Block <= rows; r += Block)
                {
                    AccumulateBlock4x2<T, TVector, TWidth>(ref d0, ref a0, ref Unsafe.Add(ref g0, (r * columns) + j), r, j, samples, rows, columns);
                }
            }

            // Columns past the last whole vector (columns % Count of them) take the row's last whole vector, the
            // lanes already summed stored back as they were (Select). A scalar tail ran one chain of dependent
            // additions per element through every sample: 8 of a 24-wide row's columns at 512 bits, most of the
            // time of such a layer's ∇W. Each new lane's sum is the same as a whole vector's: the stored value, then
            // one fused multiply-add per sample in order. Rows narrower than one vector keep the scalar loop.
            int panels = j;
            bool window = columns >= TWidth.Count && columns % TWidth.Count != 0;
            TVector keepNew = window ? TWidth.LastLanes(columns % TWidth.Count) : TWidth.Zero;
            int i = 0;
            for (; i + Block <= rows; i += Block)
            {
                ref T q0 = ref Unsafe.Add(ref g0, i * columns);
                j = panels;

                // One vector left over in the four rows: one accumulator each, still no call per row (a 16 × 16
                // layer's ∇W is nothing but this block at 512 bits).
                for (; j + TWidth.Count <= columns; j += TWidth.Count)
                {
                    AccumulateColumns4<T, TVector, TWidth>(ref d0, ref a0, ref q0, i, j, masked: false, keepNew, samples, rows, columns);
                }

                if (window)
                {
                    AccumulateColumns4<T, TVector, TWidth>(ref d0, ref a0, ref q0, i, columns - TWidth.Count, masked: true, keepNew, samples, rows, columns);
                }
                else
                {
                    for (int r = 0; j < columns && r < Block; r++)
                    {
                        AccumulateRow<T, TVector, TWidth>(ref d0, ref a0, ref Unsafe.Add(ref q0, r * columns), i + r, j, samples, rows, columns, window, keepNew);
                    }
                }
            }

            for (; i < rows; i++)
            {
                AccumulateRow<T, TVector, TWidth>(ref d0, ref a0, ref Unsafe.Add(ref g0, i * columns), i, 0, samples, rows, columns, window, keepNew);
            }

            AccumulateBias<T, TVector, TWidth>(ref d0, ref MemoryMarshal.GetReference(gradB), samples, rows);
        }

        // ∇b[i] += Σ_s Δ[s, i], a vector of rows at a time (Δ's rows are samples, so a vector of one is contiguous):
        // each element still adds the samples one by one in order onto its stored value, as a scalar loop does, so
        // the same bits, without a chain of dependent additions per row. Rows past the last whole vector take the
        // last whole vector, the lanes already added stored back as they were.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void AccumulateBias<T, TVector, TWidth>(ref T d0, ref T b0, int samples, int rows)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            if (rows < TWidth.Count)
            {
                for (int r = 0; r < rows; r++)
                {
                    T sum = Unsafe.Add(ref b0, r);
                    for (int s = 0; s < samples; s++)
                    {
                        sum += Unsafe.Add(ref d0, (s * rows) + r);
                    }

                    Unsafe.Add(ref b0, r) = sum;
                }

                return;
            }

            TVector keepNew = TWidth.LastLanes(rows % TWidth.Count);
            int i = 0;
            for (; i + TWidth.Count <= rows; i += TWidth.Count)
            {
                TVector sum = TWidth.Load(ref Unsafe.Add(ref b0, i));
                for (int s = 0; s < samples; s++)
                {
                    sum = TWidth.Add(sum, TWidth.Load(ref Unsafe.Add(ref d0, (s * rows) + i)));
                }

                TWidth.Store(sum, ref Unsafe.Add(ref b0, i));
            }

            if (i < rows)
            {
                int t = rows - TWidth.Count;
                TVector stored = TWidth.Load(ref Unsafe.Add(ref b0, t));
                TVector sum = stored;
                for (int s = 0; s < samples; s++)
                {
                    sum = TWidth.Add(sum, TWidth.Load(ref Unsafe.Add(ref d0, (s * rows) + t)));
                }

                TWidth.Store(TWidth.Select(keepNew, sum, stored), ref Unsafe.Add(ref b0, t));
            }
        }

        // Rows i..i+3 of ∇W (q is row i's start) at one vector of columns from `at`, over every sample in order.
        // Masked (the row's last whole vector), only the lanes in keepNew change; the others are stored back as they were.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void AccumulateColumns4<T, TVector, TWidth>(ref T d0, ref T a0, ref T q, int i, int at, bool masked, TVector keepNew, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T p0 = ref Unsafe.Add(ref q, at);
            ref T p1 = ref Unsafe.Add(ref p0, columns);
            ref T p2 = ref Unsafe.Add(ref p1, columns);
            ref T p3 = ref Unsafe.Add(ref p2, columns);
            TVector o0 = TWidth.Load(ref p0), o1 = TWidth.Load(ref p1), o2 = TWidth.Load(ref p2), o3 = TWidth.Load(ref p3);
            TVector c0 = o0, c1 = o1, c2 = o2, c3 = o3;
            for (int s = 0; s < samples; s++)
            {
                ref T d = ref Unsafe.Add(ref d0, (s * rows) + i);
                TVector u = TWidth.Load(ref Unsafe.Add(ref a0, (s * columns) + at));
                c0 = TWidth.MultiplyAdd(TWidth.Broadcast(d), u, c0);
                c1 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref d, 1)), u, c1);
                c2 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref d, 2)), u, c2);
                c3 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref d, 3)), u, c3);
            }

            if (masked)
            {
                c0 = TWidth.Select(keepNew, c0, o0);
                c1 = TWidth.Select(keepNew, c1, o1);
                c2 = TWidth.Select(keepNew, c2, o2);
                c3 = TWidth.Select(keepNew, c3, o3);
            }

            TWidth.Store(c0, ref p0);
            TWidth.Store(c1, ref p1);
            TWidth.Store(c2, ref p2);
            TWidth.Store(c3, ref p3);
        }

        // Rows i..i+3 of ∇W, two vectors of columns from q (row i, column j on), over every sample in order.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void AccumulateBlock4x2<T, TVector, TWidth>(ref T d0, ref T a0, ref T q0, int i, int j, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int n = TWidth.Count;
            ref T q1 = ref Unsafe.Add(ref q0, columns);
            ref T q2 = ref Unsafe.Add(ref q1, columns);
            ref T q3 = ref Unsafe.Add(ref q2, columns);
            TVector c00 = TWidth.Load(ref q0), c01 = TWidth.Load(ref Unsafe.Add(ref q0, n));
            TVector c10 = TWidth.Load(ref q1), c11 = TWidth.Load(ref Unsafe.Add(ref q1, n));
            TVector c20 = TWidth.Load(ref q2), c21 = TWidth.Load(ref Unsafe.Add(ref q2, n));
            TVector c30 = TWidth.Load(ref q3), c31 = TWidth.Load(ref Unsafe.Add(ref q3, n));
            for (int s = 0; s < samples; s++)
            {
                ref T x = ref Unsafe.Add(ref a0, (s * columns) + j);
                ref T d = ref Unsafe.Add(ref d0, (s * rows) + i);
                TVector u0 = TWidth.Load(ref x);
                TVector u1 = TWidth.Load(ref Unsafe.Add(ref x, n));
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

            TWidth.Store(c00, ref q0);
            TWidth.Store(c01, ref Unsafe.Add(ref q0, n));
            TWidth.Store(c10, ref q1);
            TWidth.Store(c11, ref Unsafe.Add(ref q1, n));
            TWidth.Store(c20, ref q2);
            TWidth.Store(c21, ref Unsafe.Add(ref q2, n));
            TWidth.Store(c30, ref q3);
            TWidth.Store(c31, ref Unsafe.Add(ref q3, n));
        }

        // Rows i..i+3 of ∇W, four vectors of columns from q (row i, column j on), over every sample in order.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void AccumulateBlock4x4<T, TVector, TWidth>(ref T d0, ref T a0, ref T q, int i, int j, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int n = TWidth.Count;
            ref T q1 = ref Unsafe.Add(ref q, columns);
            ref T q2 = ref Unsafe.Add(ref q1, columns);
            ref T q3 = ref Unsafe.Add(ref q2, columns);
            TVector c00 = TWidth.Load(ref q), c01 = TWidth.Load(ref Unsafe.Add(ref q, n));
            TVector c02 = TWidth.Load(ref Unsafe.Add(ref q, 2 * n)), c03 = TWidth.Load(ref Unsafe.Add(ref q, 3 * n));
            TVector c10 = TWidth.Load(ref q1), c11 = TWidth.Load(ref Unsafe.Add(ref q1, n));
            TVector c12 = TWidth.Load(ref Unsafe.Add(ref q1, 2 * n)), c13 = TWidth.Load(ref Unsafe.Add(ref q1, 3 * n));
            TVector c20 = TWidth.Load(ref q2), c21 = TWidth.Load(ref Unsafe.Add(ref q2, n));
            TVector c22 = TWidth.Load(ref Unsafe.Add(ref q2, 2 * n)), c23 = TWidth.Load(ref Unsafe.Add(ref q2, 3 * n));
            TVector c30 = TWidth.Load(ref q3), c31 = TWidth.Load(ref Unsafe.Add(ref q3, n));
            TVector c32 = TWidth.Load(ref Unsafe.Add(ref q3, 2 * n)), c33 = TWidth.Load(ref Unsafe.Add(ref q3, 3 * n));
            for (int s = 0; s < samples; s++)
            {
                ref T x = ref Unsafe.Add(ref a0, (s * columns) + j);
                ref T d = ref Unsafe.Add(ref d0, (s * rows) + i);
                TVector u0 = TWidth.Load(ref x), u1 = TWidth.Load(ref Unsafe.Add(ref x, n));
                TVector u2 = TWidth.Load(ref Unsafe.Add(ref x, 2 * n)), u3 = TWidth.Load(ref Unsafe.Add(ref x, 3 * n));
                TVector e = TWidth.Broadcast(d);
                c00 = TWidth.MultiplyAdd(e, u0, c00);
                c01 = TWidth.MultiplyAdd(e, u1, c01);
                c02 = TWidth.MultiplyAdd(e, u2, c02);
                c03 = TWidth.MultiplyAdd(e, u3, c03);
                e = TWidth.Broadcast(Unsafe.Add(ref d, 1));
                c10 = TWidth.MultiplyAdd(e, u0, c10);
                c11 = TWidth.MultiplyAdd(e, u1, c11);
                c12 = TWidth.MultiplyAdd(e, u2, c12);
                c13 = TWidth.MultiplyAdd(e, u3, c13);
                e = TWidth.Broadcast(Unsafe.Add(ref d, 2));
                c20 = TWidth.MultiplyAdd(e, u0, c20);
                c21 = TWidth.MultiplyAdd(e, u1, c21);
                c22 = TWidth.MultiplyAdd(e, u2, c22);
                c23 = TWidth.MultiplyAdd(e, u3, c23);
                e = TWidth.Broadcast(Unsafe.Add(ref d, 3));
                c30 = TWidth.MultiplyAdd(e, u0, c30);
                c31 = TWidth.MultiplyAdd(e, u1, c31);
                c32 = TWidth.MultiplyAdd(e, u2, c32);
                c33 = TWidth.MultiplyAdd(e, u3, c33);
            }

            TWidth.Store(c00, ref q);
            TWidth.Store(c01, ref Unsafe.Add(ref q, n));
            TWidth.Store(c02, ref Unsafe.Add(ref q, 2 * n));
            TWidth.Store(c03, ref Unsafe.Add(ref q, 3 * n));
            TWidth.Store(c10, ref q1);
            TWidth.Store(c11, ref Unsafe.Add(ref q1, n));
            TWidth.Store(c12, ref Unsafe.Add(ref q1, 2 * n));
            TWidth.Store(c13, ref Unsafe.Add(ref q1, 3 * n));
            TWidth.Store(c20, ref q2);
            TWidth.Store(c21, ref Unsafe.Add(ref q2, n));
            TWidth.Store(c22, ref Unsafe.Add(ref q2, 2 * n));
            TWidth.Store(c23, ref Unsafe.Add(ref q2, 3 * n));
            TWidth.Store(c30, ref q3);
            TWidth.Store(c31, ref Unsafe.Add(ref q3, n));
            TWidth.Store(c32, ref Unsafe.Add(ref q3, 2 * n));
            TWidth.Store(c33, ref Unsafe.Add(ref q3, 3 * n));
        }

        /// <summary>G[s, j] = Σ_i Δ[s, i] W[i, j] for s &lt; samples, i &lt; rows (in order), j &lt; columns.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)] // never inlined: see PackedKernels.Forward
        public static void Backpropagate<T, TVector, TWidth>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> g, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T d0 = ref MemoryMarshal.GetReference(delta);
            ref T w0 = ref MemoryMarshal.GetReference(w);
            ref T g0 = ref MemoryMarshal.GetReference(g);

            // Columns past the last whole vector: the last whole vector, the lanes already written kept (as in
            // AccumulateGradient), four samples at once where the tiles run. Each new lane's G is the same sum as a
            // whole vector's: zero, then one fused multiply-add per row in order.
            bool window = columns >= TWidth.Count && columns % TWidth.Count != 0;
            TVector keepNew = window ? TWidth.LastLanes(columns % TWidth.Count) : TWidth.Zero;
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

                if (j + TWidth.Count <= columns)
                {
                    BackpropagateColumns4<T, TVector, TWidth>(ref e0, ref w0, ref h0, j, rows, columns, masked: false, keepNew);
                    j += TWidth.Count;
                }

                if (window)
                {
                    BackpropagateColumns4<T, TVector, TWidth>(ref e0, ref w0, ref h0, columns - TWidth.Count, rows, columns, masked: true, keepNew);
                }
                else
                {
                    for (int t = 0; j < columns && t < Block; t++)
                    {
                        BackpropagateSample<T, TVector, TWidth>(ref Unsafe.Add(ref e0, t * rows), ref w0, ref Unsafe.Add(ref h0, t * columns), j, rows, columns, window, keepNew);
                    }
                }
            }

            for (; s < samples; s++)
            {
                BackpropagateSample<T, TVector, TWidth>(ref Unsafe.Add(ref d0, s * rows), ref w0, ref Unsafe.Add(ref g0, s * columns), 0, rows, columns, window, keepNew);
            }
        }

        // Four samples' G (e0's four rows of Δ, h0's four rows of G) at one vector of columns from `at`: four
        // accumulators over the rows in order. Masked, only the lanes in keepNew are stored, the others kept.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void BackpropagateColumns4<T, TVector, TWidth>(ref T e0, ref T w0, ref T h0, int at, int rows, int columns, bool masked, TVector keepNew)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            ref T e1 = ref Unsafe.Add(ref e0, rows);
            ref T e2 = ref Unsafe.Add(ref e1, rows);
            ref T e3 = ref Unsafe.Add(ref e2, rows);
            TVector c0 = TWidth.Zero, c1 = TWidth.Zero, c2 = TWidth.Zero, c3 = TWidth.Zero;
            for (int i = 0; i < rows; i++)
            {
                TVector v = TWidth.Load(ref Unsafe.Add(ref w0, (i * columns) + at));
                c0 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref e0, i)), v, c0);
                c1 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref e1, i)), v, c1);
                c2 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref e2, i)), v, c2);
                c3 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref e3, i)), v, c3);
            }

            ref T p0 = ref Unsafe.Add(ref h0, at);
            ref T p1 = ref Unsafe.Add(ref p0, columns);
            ref T p2 = ref Unsafe.Add(ref p1, columns);
            ref T p3 = ref Unsafe.Add(ref p2, columns);
            if (masked)
            {
                c0 = TWidth.Select(keepNew, c0, TWidth.Load(ref p0));
                c1 = TWidth.Select(keepNew, c1, TWidth.Load(ref p1));
                c2 = TWidth.Select(keepNew, c2, TWidth.Load(ref p2));
                c3 = TWidth.Select(keepNew, c3, TWidth.Load(ref p3));
            }

            TWidth.Store(c0, ref p0);
            TWidth.Store(c1, ref p1);
            TWidth.Store(c2, ref p2);
            TWidth.Store(c3, ref p3);
        }

        // One row of ∇W from column `from` on: a vector at a time, then (window) the row's last whole vector with only
        // the lanes in keepNew changed, or the scalar loop for a row narrower than one vector.
        [MethodImpl(CompileOptions.Optimized)]
        private static void AccumulateRow<T, TVector, TWidth>(ref T d0, ref T a0, ref T q, int i, int from, int samples, int rows, int columns, bool window, TVector keepNew)
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

            if (window)
            {
                int t = columns - TWidth.Count;
                TVector stored = TWidth.Load(ref Unsafe.Add(ref q, t));
                TVector c = stored;
                for (int s = 0; s < samples; s++)
                {
                    c = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref d0, (s * rows) + i)), TWidth.Load(ref Unsafe.Add(ref a0, (s * columns) + t)), c);
                }

                TWidth.Store(TWidth.Select(keepNew, c, stored), ref Unsafe.Add(ref q, t));
                return;
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
        // one, then (window) the row's last whole vector with only the lanes in keepNew stored, or scalars for a row
        // narrower than one vector. Every G[s, j] sums over the rows in order, as the tiles do.
        [MethodImpl(CompileOptions.Optimized)]
        private static void BackpropagateSample<T, TVector, TWidth>(ref T e, ref T w0, ref T h, int from, int rows, int columns, bool window, TVector keepNew)
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

            if (window)
            {
                int t = columns - TWidth.Count;
                TVector c = TWidth.Zero;
                for (int i = 0; i < rows; i++)
                {
                    c = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref e, i)), TWidth.Load(ref Unsafe.Add(ref w0, (i * columns) + t)), c);
                }

                TWidth.Store(TWidth.Select(keepNew, c, TWidth.Load(ref Unsafe.Add(ref h, t))), ref Unsafe.Add(ref h, t));
                return;
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
    }
}
#endif
