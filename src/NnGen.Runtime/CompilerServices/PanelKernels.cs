#if NET8_0_OR_GREATER
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// One sample through a layer whose W and b were packed once (<see cref="PanelLayout"/>), for networks whose
    /// parameters cannot change after that: baked networks and the generated inference snapshots. Column j of a
    /// panel is P contiguous weights, so z = W x ⊕ b is a broadcast of x[j] and a multiply-add per column, with no
    /// lane sums. This is how RTNeural stores Wᵀ; the row-major <c>Parameters</c> of a trainable network, which its
    /// caller may write at any time, cannot be kept packed.
    /// <para>
    /// Every z[i] is the same expression on every machine: C chains, chain k the fused multiply-adds of the columns
    /// j ≡ k (mod C) in order, chain 0 starting from b[i], added as c0 + c1 when C = 2 and (c0 + c1) + (c2 + c3) when
    /// C = 4. C is 4 for a layer of fewer than four panels, whose few rows need chains of their own to keep eight
    /// multiply-adds in flight; 2 for four to seven panels, four strips at a time with two chains each; and 1 for
    /// a wider one, whose four panels at a time keep four streams of W and four chains going (its z is then what
    /// the batch tiles compute: b[i], then the columns in order). Each lane of a vector is its
    /// own row, so the width only decides how many rows run at once (at 256 bits, where a panel is two strips, two
    /// panels two chains at a time, or four panels one chain at a time): AVX-512, AVX2 + FMA, NEON and the scalar loop
    /// (<see cref="Math.FusedMultiplyAdd(double, double, double)"/>) give the same bits.
    /// </para>
    /// </summary>
    internal static class PanelKernels
    {
        /// <summary>z = W x ⊕ b for one sample from W and b packed by <see cref="PanelLayout.Pack"/>; z.Length rows, x.Length columns.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, Span<T> z)
            where T : unmanaged, INumber<T>
        {
            int rows = z.Length, columns = x.Length;
            ref T x0 = ref MemoryMarshal.GetReference(x);
            ref T q0 = ref MemoryMarshal.GetReference(packed);
            ref T z0 = ref MemoryMarshal.GetReference(z);
            if (PackedKernels.IsSupported)
            {
                // A layer of one panel is one strip at 512 bits: its four chains inline into the caller, with no
                // call and no frame (on 16 × 16 the call and its set-up were most of the time).
                if (rows <= PanelLayout.Panel<T>())
                {
                    Strip1x4<T, Vector512<T>, Simd512<T>>(ref x0, ref q0, ref Unsafe.Add(ref q0, PanelLayout.Panel<T>() * columns), ref z0, 0, columns, rows);
                    return;
                }

                Run<T, Vector512<T>, Simd512<T>>(ref x0, ref q0, ref z0, rows, columns);
            }
            else if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
            {
                Run<T, Vector256<T>, Simd256<T>>(ref x0, ref q0, ref z0, rows, columns);
            }
            else if (Vector128.IsHardwareAccelerated && (Fma.IsSupported || (typeof(T) == typeof(float) ? AdvSimd.IsSupported : AdvSimd.Arm64.IsSupported)))
            {
                Run<T, Vector128<T>, Simd128<T>>(ref x0, ref q0, ref z0, rows, columns);
            }
            else if (Vector128.IsHardwareAccelerated && (typeof(T) == typeof(float) || SoftwareFmaCovers(x, packed)))
            {
                // SIMD without a fused multiply-add (x64 without FMA3, NativeAOT's default target): the same chains
                // with the multiply-add rounded once in software, the same bits.
                Run<T, Vector128<T>, Simd128SoftwareFma<T>>(ref x0, ref q0, ref z0, rows, columns);
            }
            else
            {
                RunScalar(ref x0, ref q0, ref z0, rows, columns);
            }
        }

        /// <summary>
        /// a = tanh(W x ⊕ b), float: the bits of <see cref="Forward"/> followed by FastMath.Tanh, which gives the same
        /// bits at every width. A layer of one panel applies tanh to its strip in registers before the one store (a
        /// 16 × 16 tanh layer otherwise stores z, loads it back and calls the activation kernel).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void ForwardTanh(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, Span<float> a)
        {
            int rows = a.Length, columns = x.Length;
            if (PackedKernels.IsSupported && rows <= PanelLayout.Panel<float>())
            {
                ref float q0 = ref MemoryMarshal.GetReference(packed);
                Vector512<float> z = Strip1x4Sum<float, Vector512<float>, Simd512<float>>(
                    ref MemoryMarshal.GetReference(x), ref q0, ref Unsafe.Add(ref q0, PanelLayout.Panel<float>() * columns), 0, columns);
                StoreStrip<float, Vector512<float>, Simd512<float>>(FastMath.Tanh<Vector512<float>, Simd512<float>>(z), ref MemoryMarshal.GetReference(a), 0, rows);
                return;
            }

            Forward(x, packed, a);
            FastMath.Tanh(a, a);
        }

        // A strip is one vector of a panel's rows: column j of strip s is at (panel · columns + j) · P + offset.
        [MethodImpl(CompileOptions.Optimized)]
        internal static void Run<T, TVector, TWidth>(ref T x, ref T q0, ref T z, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int size = PanelLayout.Panel<T>(), lanes = TWidth.Count, perPanel = size / lanes;
            int panels = PanelLayout.Panels<T>(rows);
            int strips = (rows + lanes - 1) / lanes, full = rows / lanes;
            ref T bias0 = ref Unsafe.Add(ref q0, panels * size * columns);
            int chains = PanelLayout.Chains<T>(rows);
            if (chains < 4)
            {
                RunWide<T, TVector, TWidth>(ref x, ref q0, ref bias0, ref z, rows, columns, chains);
                return;
            }

            int s = 0;
            if (perPanel == 2)
            {
                for (; s + 4 <= full; s += 4)
                {
                    ref T q = ref StripAt(ref q0, s, perPanel, size, columns);
                    ref T bias = ref Unsafe.Add(ref bias0, s * lanes);
                    ref T zs = ref Unsafe.Add(ref z, s * lanes);
                    Panels2ChainPair<T, TVector, TWidth>(ref x, ref q, ref bias, ref zs, columns, 0);
                    Panels2ChainPair<T, TVector, TWidth>(ref x, ref q, ref bias, ref zs, columns, 1);
                }
            }

            for (; s + 2 <= full; s += 2)
            {
                Strips2x4<T, TVector, TWidth>(ref x, ref q0, ref bias0, ref z, s, perPanel, size, columns, rows);
            }

            for (; s < strips; s++)
            {
                Strip1x4<T, TVector, TWidth>(ref x, ref StripAt(ref q0, s, perPanel, size, columns), ref bias0, ref z, s, columns, rows);
            }
        }

        // A wide layer, one or two chains per row: four strips at a time, so four streams of W are in flight and
        // four (or eight) chains overlap; at 256 bits four panels (eight strips) at a time first, one chain at a time
        // (Panels4Chain). What is left after the groups of four (fewer than four panels) runs at
        // 128 bits, where a panel is four strips, rather than as chains waiting on each multiply-add; the bits are
        // the same. With one chain it is the batch tiles' sum, so PackedKernels256 runs its last samples here.
        [MethodImpl(CompileOptions.Optimized)]
        internal static void RunWide<T, TVector, TWidth>(ref T x, ref T q0, ref T bias0, ref T z, int rows, int columns, int chains)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int size = PanelLayout.Panel<T>(), lanes = TWidth.Count, perPanel = size / lanes;
            int strips = (rows + lanes - 1) / lanes, full = rows / lanes;
            int s = 0;
            if (perPanel == 2)
            {
                for (; s + 8 <= full; s += 8)
                {
                    ref T q = ref StripAt(ref q0, s, perPanel, size, columns);
                    ref T bias = ref Unsafe.Add(ref bias0, s * lanes);
                    ref T zs = ref Unsafe.Add(ref z, s * lanes);
                    Panels4Chain<T, TVector, TWidth>(ref x, ref q, ref bias, ref zs, columns, 0, chains);
                    if (chains == 2)
                    {
                        Panels4Chain<T, TVector, TWidth>(ref x, ref q, ref bias, ref zs, columns, 1, chains);
                    }
                }
            }

            for (; s + 4 <= full; s += 4)
            {
                ref T qa = ref StripAt(ref q0, s, perPanel, size, columns);
                ref T qb = ref StripAt(ref q0, s + 1, perPanel, size, columns);
                ref T qc = ref StripAt(ref q0, s + 2, perPanel, size, columns);
                ref T qd = ref StripAt(ref q0, s + 3, perPanel, size, columns);
                if (chains == 1)
                {
                    Strips4x1<T, TVector, TWidth>(ref x, ref qa, ref qb, ref qc, ref qd, ref Unsafe.Add(ref bias0, s * lanes), ref Unsafe.Add(ref z, s * lanes), columns);
                }
                else
                {
                    Strips4x2<T, TVector, TWidth>(ref x, ref qa, ref qb, ref qc, ref qd, ref Unsafe.Add(ref bias0, s * lanes), ref Unsafe.Add(ref z, s * lanes), columns);
                }
            }

            if (s == strips)
            {
                return;
            }

            // Groups of four strips end on a panel boundary (a panel is one, two or four strips).
            int first = s * lanes;
            if (lanes > Vector128<T>.Count && Vector128.IsHardwareAccelerated)
            {
                RunWide<T, Vector128<T>, Simd128<T>>(ref x, ref Unsafe.Add(ref q0, (first / size) * size * columns), ref Unsafe.Add(ref bias0, first), ref Unsafe.Add(ref z, first), rows - first, columns, chains);
                return;
            }

            for (; s < strips; s++)
            {
                Strip1x1<T, TVector, TWidth>(ref x, ref StripAt(ref q0, s, perPanel, size, columns), ref bias0, ref z, s, columns, rows, chains);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static ref T StripAt<T>(ref T q0, int strip, int perPanel, int size, int columns) =>
            ref Unsafe.Add(ref q0, ((strip / perPanel) * size * columns) + ((strip % perPanel) * (size / perPanel)));

        // The tiles take whole strips and store with no call: the JIT spills every vector live across a call,
        // even a cold one, and would spill accumulators inside the loop. The last strip, which may be part padding,
        // is a single strip's (StoreStrip). For the same reason the tiles with a loop are never inlined: inlined
        // into a caller with more values live, the register allocator spills accumulators every column (measured:
        // tiered PGO inlined Strips4x1 into a benchmark's loop, which stored and reloaded three of its four
        // accumulators per column, 128 × 200 in 3.5–4.2 µs against 1.06 µs as a call).

        // Four strips, one chain each: four loads and a broadcast per four multiply-adds. Four strips keep four
        // streams of W in flight, which a wide layer read from L2 needs (measured on 784 × 128: 2.1–2.3 µs; one
        // panel pair with four chains 3.5 µs, eight panels at once 2.4–2.6 µs).
        // The four strips' columns, biases and outputs come in as references: with fewer values live in the loop the
        // JIT keeps every pointer in a register (measured: a reload per column otherwise).
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void Strips4x1<T, TVector, TWidth>(ref T x, ref T qa, ref T qb, ref T qc, ref T qd, ref T bias, ref T z, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count, size = PanelLayout.Panel<T>();
            TVector a = TWidth.Load(ref bias);
            TVector b = TWidth.Load(ref Unsafe.Add(ref bias, lanes));
            TVector c = TWidth.Load(ref Unsafe.Add(ref bias, 2 * lanes));
            TVector d = TWidth.Load(ref Unsafe.Add(ref bias, 3 * lanes));
            ref T end = ref Unsafe.Add(ref x, columns);
            for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 1))
            {
                TVector xj = TWidth.Broadcast(x);
                a = TWidth.MultiplyAdd(xj, TWidth.Load(ref qa), a);
                b = TWidth.MultiplyAdd(xj, TWidth.Load(ref qb), b);
                c = TWidth.MultiplyAdd(xj, TWidth.Load(ref qc), c);
                d = TWidth.MultiplyAdd(xj, TWidth.Load(ref qd), d);
                qa = ref Unsafe.Add(ref qa, size);
                qb = ref Unsafe.Add(ref qb, size);
                qc = ref Unsafe.Add(ref qc, size);
                qd = ref Unsafe.Add(ref qd, size);
            }

            Store<T, TVector, TWidth>(a, ref z);
            Store<T, TVector, TWidth>(b, ref Unsafe.Add(ref z, lanes));
            Store<T, TVector, TWidth>(c, ref Unsafe.Add(ref z, 2 * lanes));
            Store<T, TVector, TWidth>(d, ref Unsafe.Add(ref z, 3 * lanes));
        }

        // Four panels of two strips each (256 bits, where a four-strip group would hold two panels), one chain at a
        // time. With two chains, chain 0 (b, then the even columns in order) is stored to z and chain 1 (the odd
        // columns from zero) is added to it, which is c0 + c1 as in Strips4x2; with one, b and then every column.
        // Eight strips at once keep eight multiply-adds in flight where Strips4x1 keeps four (half the FMA rate at
        // four cycles' latency), and read x once where two groups of four strips read it twice: a broadcast and eight
        // loads per eight multiply-adds, as in Eigen's column-major product. Measured with AVX2 on a Zen 3
        // (PanelBenchmarks; a ring of 64 inputs): 64 × 64 float 116–122 ns against 121–143 with groups of four, double
        // 246 against 331–353; 784 × 128 (RtNeuralCases' g) even, 4,772 against 4,881 ns; 128 × 200 float 5% slower,
        // 1,133 against 1,075–1,081 ns.
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void Panels4Chain<T, TVector, TWidth>(ref T x, ref T q, ref T bias, ref T z, int columns, int chain, int chains)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count, size = PanelLayout.Panel<T>();
            TVector a0, a1, b0, b1, c0, c1, d0, d1;
            bool add = chain == 1;
            if (add)
            {
                a0 = a1 = b0 = b1 = c0 = c1 = d0 = d1 = TWidth.Zero;
            }
            else
            {
                a0 = TWidth.Load(ref bias);
                a1 = TWidth.Load(ref Unsafe.Add(ref bias, lanes));
                b0 = TWidth.Load(ref Unsafe.Add(ref bias, 2 * lanes));
                b1 = TWidth.Load(ref Unsafe.Add(ref bias, 3 * lanes));
                c0 = TWidth.Load(ref Unsafe.Add(ref bias, 4 * lanes));
                c1 = TWidth.Load(ref Unsafe.Add(ref bias, 5 * lanes));
                d0 = TWidth.Load(ref Unsafe.Add(ref bias, 6 * lanes));
                d1 = TWidth.Load(ref Unsafe.Add(ref bias, 7 * lanes));
            }

            // One pointer walks panel a; panels b, c and d are one, two and three panel lengths on, which the loads
            // reach through the addressing mode (four pointers would be four more additions per column). Strides are
            // native integers: with int ones the JIT widens and scales them again every column. x is read by index,
            // not by a moving reference, which would end up to chains − 1 values past the end of x: a reference
            // beyond the end of an object may be reported to the GC as pointing into the next one.
            nint panel = (nint)size * columns, panel2 = 2 * panel, panel3 = 3 * panel, stride = chains * (nint)size;
            q = ref Unsafe.Add(ref q, chain * size);
            for (nint j = chain; j < columns; j += chains)
            {
                TVector xj = TWidth.Broadcast(Unsafe.Add(ref x, j));
                a0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref q), a0);
                a1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref q, lanes)), a1);
                b0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref q, panel)), b0);
                b1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, panel), lanes)), b1);
                c0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref q, panel2)), c0);
                c1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, panel2), lanes)), c1);
                d0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref q, panel3)), d0);
                d1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, panel3), lanes)), d1);
                q = ref Unsafe.Add(ref q, stride);
            }

            if (add)
            {
                a0 = TWidth.Add(TWidth.Load(ref z), a0);
                a1 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, lanes)), a1);
                b0 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 2 * lanes)), b0);
                b1 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 3 * lanes)), b1);
                c0 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 4 * lanes)), c0);
                c1 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 5 * lanes)), c1);
                d0 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 6 * lanes)), d0);
                d1 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 7 * lanes)), d1);
            }

            Store<T, TVector, TWidth>(a0, ref z);
            Store<T, TVector, TWidth>(a1, ref Unsafe.Add(ref z, lanes));
            Store<T, TVector, TWidth>(b0, ref Unsafe.Add(ref z, 2 * lanes));
            Store<T, TVector, TWidth>(b1, ref Unsafe.Add(ref z, 3 * lanes));
            Store<T, TVector, TWidth>(c0, ref Unsafe.Add(ref z, 4 * lanes));
            Store<T, TVector, TWidth>(c1, ref Unsafe.Add(ref z, 5 * lanes));
            Store<T, TVector, TWidth>(d0, ref Unsafe.Add(ref z, 6 * lanes));
            Store<T, TVector, TWidth>(d1, ref Unsafe.Add(ref z, 7 * lanes));
        }

        // Two panels of two strips each (256 bits), four chains, two at a time: chains 0 and 1 (b, then the columns
        // j ≡ 0 and j ≡ 1 mod 4) are added and stored, then chains 2 and 3 are added and added to that, which is
        // (c0 + c1) + (c2 + c3) as in Strips2x4. Four strips at once read x once per pair of chains where two groups
        // of two strips read it twice: two broadcasts and eight loads per eight multiply-adds, not four.
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void Panels2ChainPair<T, TVector, TWidth>(ref T x, ref T q, ref T bias, ref T z, int columns, int pair)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count, size = PanelLayout.Panel<T>();
            TVector a0, b0, c0, d0, a1 = TWidth.Zero, b1 = TWidth.Zero, c1 = TWidth.Zero, d1 = TWidth.Zero;
            if (pair == 0)
            {
                a0 = TWidth.Load(ref bias);
                b0 = TWidth.Load(ref Unsafe.Add(ref bias, lanes));
                c0 = TWidth.Load(ref Unsafe.Add(ref bias, 2 * lanes));
                d0 = TWidth.Load(ref Unsafe.Add(ref bias, 3 * lanes));
            }
            else
            {
                a0 = b0 = c0 = d0 = TWidth.Zero;
            }

            // As in Panels4Chain: one pointer, the second panel through the addressing mode, native-integer strides,
            // x by index.
            nint panel = (nint)size * columns, next = size, stride = 4 * (nint)size, j = 2 * pair;
            q = ref Unsafe.Add(ref q, 2 * pair * size);
            for (int k = columns >> 2; k > 0; k--)
            {
                TVector x0 = TWidth.Broadcast(Unsafe.Add(ref x, j)), x1 = TWidth.Broadcast(Unsafe.Add(ref x, j + 1));
                a0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref q), a0);
                b0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref Unsafe.Add(ref q, lanes)), b0);
                c0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref Unsafe.Add(ref q, panel)), c0);
                d0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, panel), lanes)), d0);
                a1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref q, next)), a1);
                b1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, next), lanes)), b1);
                c1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, panel), next)), c1);
                d1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref Unsafe.Add(ref q, panel), next), lanes)), d1);
                q = ref Unsafe.Add(ref q, stride);
                j += 4;
            }

            // The last columns, j ≡ 0, 1, 2 (mod 4): this pair's share of them.
            int left = (columns & 3) - (2 * pair);
            if (left > 0)
            {
                TVector xj = TWidth.Broadcast(Unsafe.Add(ref x, j));
                a0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref q), a0);
                b0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref q, lanes)), b0);
                c0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref q, panel)), c0);
                d0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, panel), lanes)), d0);
            }

            if (left > 1)
            {
                TVector xj = TWidth.Broadcast(Unsafe.Add(ref x, j + 1));
                a1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref q, next)), a1);
                b1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, next), lanes)), b1);
                c1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref q, panel), next)), c1);
                d1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref Unsafe.Add(ref Unsafe.Add(ref q, panel), next), lanes)), d1);
            }

            a0 = TWidth.Add(a0, a1);
            b0 = TWidth.Add(b0, b1);
            c0 = TWidth.Add(c0, c1);
            d0 = TWidth.Add(d0, d1);
            if (pair == 1)
            {
                a0 = TWidth.Add(TWidth.Load(ref z), a0);
                b0 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, lanes)), b0);
                c0 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 2 * lanes)), c0);
                d0 = TWidth.Add(TWidth.Load(ref Unsafe.Add(ref z, 3 * lanes)), d0);
            }

            Store<T, TVector, TWidth>(a0, ref z);
            Store<T, TVector, TWidth>(b0, ref Unsafe.Add(ref z, lanes));
            Store<T, TVector, TWidth>(c0, ref Unsafe.Add(ref z, 2 * lanes));
            Store<T, TVector, TWidth>(d0, ref Unsafe.Add(ref z, 3 * lanes));
        }

        // Four strips, two chains each (even columns, odd columns): eight multiply-adds in flight for a layer of
        // four to seven panels, which fits in L1 and is not held back by memory (measured on 64 × 64: one chain
        // 68 ns, two chains 61 ns, four chains over two strips at a time 69 ns).
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void Strips4x2<T, TVector, TWidth>(ref T x, ref T qa, ref T qb, ref T qc, ref T qd, ref T bias, ref T z, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count, size = PanelLayout.Panel<T>();
            TVector a0 = TWidth.Load(ref bias), a1 = TWidth.Zero;
            TVector b0 = TWidth.Load(ref Unsafe.Add(ref bias, lanes)), b1 = TWidth.Zero;
            TVector c0 = TWidth.Load(ref Unsafe.Add(ref bias, 2 * lanes)), c1 = TWidth.Zero;
            TVector d0 = TWidth.Load(ref Unsafe.Add(ref bias, 3 * lanes)), d1 = TWidth.Zero;
            ref T end = ref Unsafe.Add(ref x, columns & ~1);
            for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 2))
            {
                TVector x0 = TWidth.Broadcast(x), x1 = TWidth.Broadcast(Unsafe.Add(ref x, 1));
                a0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref qa), a0);
                b0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref qb), b0);
                c0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref qc), c0);
                d0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref qd), d0);
                a1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref qa, size)), a1);
                b1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref qb, size)), b1);
                c1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref qc, size)), c1);
                d1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref qd, size)), d1);
                qa = ref Unsafe.Add(ref qa, 2 * size);
                qb = ref Unsafe.Add(ref qb, 2 * size);
                qc = ref Unsafe.Add(ref qc, 2 * size);
                qd = ref Unsafe.Add(ref qd, 2 * size);
            }

            if ((columns & 1) != 0)
            {
                TVector xj = TWidth.Broadcast(x);
                a0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref qa), a0);
                b0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref qb), b0);
                c0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref qc), c0);
                d0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref qd), d0);
            }

            Store<T, TVector, TWidth>(TWidth.Add(a0, a1), ref z);
            Store<T, TVector, TWidth>(TWidth.Add(b0, b1), ref Unsafe.Add(ref z, lanes));
            Store<T, TVector, TWidth>(TWidth.Add(c0, c1), ref Unsafe.Add(ref z, 2 * lanes));
            Store<T, TVector, TWidth>(TWidth.Add(d0, d1), ref Unsafe.Add(ref z, 3 * lanes));
        }

        // A wide layer's last strips where no narrower vector helps, one at a time, with its one or two chains.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void Strip1x1<T, TVector, TWidth>(ref T x, ref T q, ref T bias0, ref T z, int s, int columns, int rows, int chains)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count, size = PanelLayout.Panel<T>();
            TVector c0 = TWidth.Load(ref Unsafe.Add(ref bias0, s * lanes)), c1 = TWidth.Zero;
            ref T end = ref Unsafe.Add(ref x, columns);
            if (chains == 1)
            {
                for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 1))
                {
                    c0 = TWidth.MultiplyAdd(TWidth.Broadcast(x), TWidth.Load(ref q), c0);
                    q = ref Unsafe.Add(ref q, size);
                }

                StoreStrip<T, TVector, TWidth>(c0, ref z, s * lanes, rows);
                return;
            }

            for (int j = 0; j < columns; j++)
            {
                if ((j & 1) == 0)
                {
                    c0 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref x, j)), TWidth.Load(ref Unsafe.Add(ref q, j * size)), c0);
                }
                else
                {
                    c1 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref x, j)), TWidth.Load(ref Unsafe.Add(ref q, j * size)), c1);
                }
            }

            StoreStrip<T, TVector, TWidth>(TWidth.Add(c0, c1), ref z, s * lanes, rows);
        }

        // Two strips, four chains each: a narrow layer has too few rows to keep eight multiply-adds in flight
        // any other way (measured on 32 × 64: one chain per panel 105 ns, this 33 ns).
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void Strips2x4<T, TVector, TWidth>(ref T x, ref T q0, ref T bias0, ref T z, int s, int perPanel, int size, int columns, int rows)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count;
            ref T qa = ref StripAt(ref q0, s, perPanel, size, columns);
            ref T qb = ref StripAt(ref q0, s + 1, perPanel, size, columns);
            TVector a0 = TWidth.Load(ref Unsafe.Add(ref bias0, s * lanes)), a1 = TWidth.Zero, a2 = TWidth.Zero, a3 = TWidth.Zero;
            TVector b0 = TWidth.Load(ref Unsafe.Add(ref bias0, (s + 1) * lanes)), b1 = TWidth.Zero, b2 = TWidth.Zero, b3 = TWidth.Zero;
            ref T end = ref Unsafe.Add(ref x, columns & ~3);
            for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 4))
            {
                TVector x0 = TWidth.Broadcast(x), x1 = TWidth.Broadcast(Unsafe.Add(ref x, 1));
                TVector x2 = TWidth.Broadcast(Unsafe.Add(ref x, 2)), x3 = TWidth.Broadcast(Unsafe.Add(ref x, 3));
                a0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref qa), a0);
                b0 = TWidth.MultiplyAdd(x0, TWidth.Load(ref qb), b0);
                a1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref qa, size)), a1);
                b1 = TWidth.MultiplyAdd(x1, TWidth.Load(ref Unsafe.Add(ref qb, size)), b1);
                a2 = TWidth.MultiplyAdd(x2, TWidth.Load(ref Unsafe.Add(ref qa, 2 * size)), a2);
                b2 = TWidth.MultiplyAdd(x2, TWidth.Load(ref Unsafe.Add(ref qb, 2 * size)), b2);
                a3 = TWidth.MultiplyAdd(x3, TWidth.Load(ref Unsafe.Add(ref qa, 3 * size)), a3);
                b3 = TWidth.MultiplyAdd(x3, TWidth.Load(ref Unsafe.Add(ref qb, 3 * size)), b3);
                qa = ref Unsafe.Add(ref qa, 4 * size);
                qb = ref Unsafe.Add(ref qb, 4 * size);
            }

            // The last columns, j ≡ 0, 1, 2 (mod 4), to their own chains.
            int left = columns & 3;
            if (left > 0)
            {
                TVector xj = TWidth.Broadcast(x);
                a0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref qa), a0);
                b0 = TWidth.MultiplyAdd(xj, TWidth.Load(ref qb), b0);
            }

            if (left > 1)
            {
                TVector xj = TWidth.Broadcast(Unsafe.Add(ref x, 1));
                a1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref qa, size)), a1);
                b1 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref qb, size)), b1);
            }

            if (left > 2)
            {
                TVector xj = TWidth.Broadcast(Unsafe.Add(ref x, 2));
                a2 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref qa, 2 * size)), a2);
                b2 = TWidth.MultiplyAdd(xj, TWidth.Load(ref Unsafe.Add(ref qb, 2 * size)), b2);
            }

            Store<T, TVector, TWidth>(TWidth.Add(TWidth.Add(a0, a1), TWidth.Add(a2, a3)), ref Unsafe.Add(ref z, s * lanes));
            Store<T, TVector, TWidth>(TWidth.Add(TWidth.Add(b0, b1), TWidth.Add(b2, b3)), ref Unsafe.Add(ref z, (s + 1) * lanes));
        }

        // A narrow layer's last strip with its four chains.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void Strip1x4<T, TVector, TWidth>(ref T x, ref T q, ref T bias0, ref T z, int s, int columns, int rows)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector> =>
            StoreStrip<T, TVector, TWidth>(Strip1x4Sum<T, TVector, TWidth>(ref x, ref q, ref bias0, s, columns), ref z, s * TWidth.Count, rows);

        // The four chains of one strip, added: (c0 + c1) + (c2 + c3).
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static TVector Strip1x4Sum<T, TVector, TWidth>(ref T x, ref T q, ref T bias0, int s, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count, size = PanelLayout.Panel<T>();
            TVector c0 = TWidth.Load(ref Unsafe.Add(ref bias0, s * lanes)), c1 = TWidth.Zero, c2 = TWidth.Zero, c3 = TWidth.Zero;
            ref T end = ref Unsafe.Add(ref x, columns & ~3);
            for (; Unsafe.IsAddressLessThan(ref x, ref end); x = ref Unsafe.Add(ref x, 4))
            {
                c0 = TWidth.MultiplyAdd(TWidth.Broadcast(x), TWidth.Load(ref q), c0);
                c1 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref x, 1)), TWidth.Load(ref Unsafe.Add(ref q, size)), c1);
                c2 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref x, 2)), TWidth.Load(ref Unsafe.Add(ref q, 2 * size)), c2);
                c3 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref x, 3)), TWidth.Load(ref Unsafe.Add(ref q, 3 * size)), c3);
                q = ref Unsafe.Add(ref q, 4 * size);
            }

            int left = columns & 3;
            if (left > 0)
            {
                c0 = TWidth.MultiplyAdd(TWidth.Broadcast(x), TWidth.Load(ref q), c0);
            }

            if (left > 1)
            {
                c1 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref x, 1)), TWidth.Load(ref Unsafe.Add(ref q, size)), c1);
            }

            if (left > 2)
            {
                c2 = TWidth.MultiplyAdd(TWidth.Broadcast(Unsafe.Add(ref x, 2)), TWidth.Load(ref Unsafe.Add(ref q, 2 * size)), c2);
            }

            return TWidth.Add(TWidth.Add(c0, c1), TWidth.Add(c2, c3));
        }

        // A 512-bit result is stored as two 256-bit halves: the activations after the product read z 256 bits at a
        // time (FastMath.Tanh), and a 256-bit load from half of a 512-bit store is not forwarded from the store
        // buffer (measured on 16 × 16 + tanh: 34 ns with one store, 25 with two; 784-128-10 with relu and softmax
        // after it: 3.9 µs against 2.6).
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void Store<T, TVector, TWidth>(TVector value, ref T destination)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            if (typeof(TVector) == typeof(Vector512<T>))
            {
                Vector512<T> wide = Unsafe.As<TVector, Vector512<T>>(ref value);
                wide.GetLower().StoreUnsafe(ref destination);
                wide.GetUpper().StoreUnsafe(ref destination, (nuint)Vector256<T>.Count);
                return;
            }

            TWidth.Store(value, ref destination);
        }

        // Rows past the layer's last are the panel's zero padding: only the real ones are stored.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static void StoreStrip<T, TVector, TWidth>(TVector value, ref T z, int first, int rows)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            int lanes = TWidth.Count;
            if (first + lanes <= rows)
            {
                Store<T, TVector, TWidth>(value, ref Unsafe.Add(ref z, first));
                return;
            }

            StorePartial<T, TVector, TWidth>(value, ref z, first, rows);
        }

        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void StorePartial<T, TVector, TWidth>(TVector value, ref T z, int first, int rows)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            Span<T> lanes = stackalloc T[TWidth.Count];
            TWidth.Store(value, ref MemoryMarshal.GetReference(lanes));
            for (int r = first; r < rows; r++)
            {
                Unsafe.Add(ref z, r) = lanes[r - first];
            }
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static bool SoftwareFmaCovers<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed)
            where T : unmanaged
        {
            ReadOnlySpan<double> xs = MemoryMarshal.Cast<T, double>(x), ps = MemoryMarshal.Cast<T, double>(packed);
            return SoftwareFma.Covers(xs) && SoftwareFma.Covers(ps);
        }

        // No SIMD at all, or a double layer SoftwareFma does not cover: the same chains, row by row, with the scalar
        // fused multiply-add (the C library's, exact in software too).
        [MethodImpl(CompileOptions.Optimized)]
        internal static void RunScalar<T>(ref T x, ref T q0, ref T z, int rows, int columns)
            where T : unmanaged, INumber<T>
        {
            int size = PanelLayout.Panel<T>(), panels = PanelLayout.Panels<T>(rows), chains = PanelLayout.Chains<T>(rows);
            Span<T> c = stackalloc T[4];
            for (int i = 0; i < rows; i++)
            {
                ref T q = ref Unsafe.Add(ref q0, ((i / size) * size * columns) + (i % size));
                c.Clear();
                c[0] = Unsafe.Add(ref q0, (panels * size * columns) + i);
                for (int j = 0; j < columns; j++)
                {
                    c[j % chains] = FusedMultiplyAdd(Unsafe.Add(ref x, j), Unsafe.Add(ref q, j * size), c[j % chains]);
                }

                Unsafe.Add(ref z, i) = chains == 1 ? c[0] : chains == 2 ? c[0] + c[1] : (c[0] + c[1]) + (c[2] + c[3]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static T FusedMultiplyAdd<T>(T a, T b, T c)
            where T : unmanaged, INumber<T>
        {
            if (typeof(T) == typeof(float))
            {
                float r = MathF.FusedMultiplyAdd(Unsafe.As<T, float>(ref a), Unsafe.As<T, float>(ref b), Unsafe.As<T, float>(ref c));
                return Unsafe.As<float, T>(ref r);
            }

            double d = Math.FusedMultiplyAdd(Unsafe.As<T, double>(ref a), Unsafe.As<T, double>(ref b), Unsafe.As<T, double>(ref c));
            return Unsafe.As<double, T>(ref d);
        }
    }
}
#endif
