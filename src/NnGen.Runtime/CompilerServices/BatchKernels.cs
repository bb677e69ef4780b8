using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.Intrinsics;
#endif

namespace NnGen.CompilerServices
{
    /// <summary>
    /// The matrix products of a batch through a vectorised layer, for the generated AccumulateBatch and
    /// ForwardBatch. Matrices are row-major spans: A (samples × columns) the layer's inputs, W (rows × columns),
    /// Z, Δ (samples × rows), G (samples × columns). On .NET 8 and later they run register-blocked micro-kernels
    /// at the widest vector the machine accelerates (Vector512, Vector256, Vector128; see MatrixKernels); on
    /// netstandard2.1 and without SIMD, a row of W against every sample with <see cref="Kernels"/>.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class BatchKernels
    {
        /// <summary>Z = A·Wᵀ ⊕ bᵀ: Z[s, i] = b[i] + Σ_j A[s, j] W[i, j].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int samples, int rows, int columns) =>
            Multiply<float>(Product.Forward, a, w, b, z, default, samples, rows, columns);

        /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Forward(ReadOnlySpan<double> a, ReadOnlySpan<double> w, ReadOnlySpan<double> b, Span<double> z, int samples, int rows, int columns) =>
            Multiply<double>(Product.Forward, a, w, b, z, default, samples, rows, columns);

        /// <summary>
        /// One sample, z = W x ⊕ b: z[i] = b[i] + Σ_j x[j] W[i, j], with z.Length rows of x.Length columns. The
        /// same bits as <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        /// gives the sample in a batch, with less to do per call: a small layer's whole product is a few dozen
        /// instructions.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z) => ForwardOne(x, w, b, z);

        /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Forward(ReadOnlySpan<double> x, ReadOnlySpan<double> w, ReadOnlySpan<double> b, Span<double> z) => ForwardOne(x, w, b, z);

        /// <summary>
        /// W and b packed for <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, float[], ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        /// over <paramref name="samples"/> samples in all, in an array from <see cref="ArrayPool{T}.Shared"/>; null
        /// where packing does not pay (fewer than <see cref="PackFrom"/> samples, a layer of fewer than 256
        /// multiply-adds) or the machine runs neither AVX-512 nor AVX2 with FMA (or the runtime prefers narrower
        /// vectors). Either kernel gives the same bits.
        /// Give the array back with <see cref="Return(float[])"/>;
        /// one that is not given back is only collected.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float[]? Pack(ReadOnlySpan<float> w, ReadOnlySpan<float> b, int samples, int rows, int columns) => PackAny(w, b, samples, rows, columns);

        /// <inheritdoc cref="Pack(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double[]? Pack(ReadOnlySpan<double> w, ReadOnlySpan<double> b, int samples, int rows, int columns) => PackAny(w, b, samples, rows, columns);

        /// <summary>
        /// The rows [from, from + rows) of a layer of <paramref name="layerRows"/> rows packed as
        /// <see cref="Pack(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/> packs a layer, where it would pack the
        /// whole layer (<paramref name="w"/> and <paramref name="b"/> hold the block's rows). A block packed on its own
        /// terms could stay unpacked where the layer is packed, and sum in another order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float[]? PackRows(ReadOnlySpan<float> w, ReadOnlySpan<float> b, int samples, int rows, int columns, int layerRows) =>
            WouldPack(samples, layerRows, columns) ? PackAny(w, b, samples, rows, columns, always: true) : null;

        /// <inheritdoc cref="PackRows(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double[]? PackRows(ReadOnlySpan<double> w, ReadOnlySpan<double> b, int samples, int rows, int columns, int layerRows) =>
            WouldPack(samples, layerRows, columns) ? PackAny(w, b, samples, rows, columns, always: true) : null;

        /// <summary>
        /// Samples from which <see cref="Pack(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, int)"/> packs. Measured
        /// on 784 × 128 (AVX-512, float): packing took 7.4 µs, and 32 samples took 37 µs packed against 58 µs
        /// unpacked, so packing pays from about 11 samples on. With AVX2 and no AVX-512 it packs from
        /// <see cref="PackFromWithoutAvx512"/> samples.
        /// </summary>
        public const int PackFrom = 16;

        /// <summary>
        /// Samples from which Pack packs on a machine with AVX2 and FMA but no AVX-512. Measured on a 2-core Zen 3
        /// (784 × 128, float): packing took 17–18 µs; 32 samples took 108–110 µs packed, packing included, against
        /// 99–102 µs unpacked, and 256 samples 679–978 against 1,095–1,115 µs.
        /// </summary>
        public const int PackFromWithoutAvx512 = 64;

        /// <summary>
        /// Z = A·Wᵀ ⊕ bᵀ from W and b as packed by Pack, or from <paramref name="w"/> and <paramref name="b"/> where
        /// <paramref name="packed"/> is null. The packed tiles sum each z in the order of the columns, the
        /// unpacked ones across vector lanes: the same values up to the last bits.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> w, float[]? packed, ReadOnlySpan<float> b, Span<float> z, int samples, int rows, int columns) =>
            ForwardAny(a, w, packed, b, z, samples, rows, columns);

        /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, float[], ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Forward(ReadOnlySpan<double> a, ReadOnlySpan<double> w, double[]? packed, ReadOnlySpan<double> b, Span<double> z, int samples, int rows, int columns) =>
            ForwardAny(a, w, packed, b, z, samples, rows, columns);

        /// <summary>Gives an array from Pack back to the pool; null does nothing.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Return(float[]? packed) => ReturnAny(packed);

        /// <inheritdoc cref="Return(float[])"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Return(double[]? packed) => ReturnAny(packed);

        /// <summary>
        /// W and b packed once, in a new array, for a layer whose parameters do not change afterwards (a baked
        /// network, an inference snapshot): panels of 16 rows (8 in double), column by column, then the biases. On
        /// .NET 8 and later the array is pinned and the layer inside it starts on a 64-byte boundary; pass the array
        /// as it is to ForwardPacked, which finds the layer in it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float[] PackPanels(ReadOnlySpan<float> w, ReadOnlySpan<float> b, int rows, int columns) => PackPanelsAny(w, b, rows, columns);

        /// <inheritdoc cref="PackPanels(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double[] PackPanels(ReadOnlySpan<double> w, ReadOnlySpan<double> b, int rows, int columns) => PackPanelsAny(w, b, rows, columns);

        /// <summary>
        /// One sample, z = W x ⊕ b, from W and b packed by PackPanels, with z.Length rows of x.Length columns. On
        /// .NET 8 and later each z[i] is the same expression on every machine (see PanelKernels): the same bits with
        /// AVX-512, AVX2, NEON or none. On netstandard2.1 the same sums, not fused.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void ForwardPacked(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, Span<float> z) => ForwardPackedOne(x, packed, z);

        /// <inheritdoc cref="ForwardPacked(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void ForwardPacked(ReadOnlySpan<double> x, ReadOnlySpan<double> packed, Span<double> z) => ForwardPackedOne(x, packed, z);

        /// <summary>
        /// a = tanh(W x ⊕ b) for one sample, float, from W and b packed by PackPanels: the bits of
        /// <see cref="ForwardPacked(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> followed by
        /// <see cref="Kernels.Tanh(ReadOnlySpan{float}, Span{float})"/>, in one pass over registers where the layer is one panel.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void ForwardPackedTanh(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, Span<float> a)
        {
#if NET8_0_OR_GREATER
            if (!x.Overlaps(a))
            {
                PanelKernels.ForwardTanh(x, PanelLayout.Locate(packed, a.Length, x.Length), a);
                return;
            }
#endif
            // The product as ForwardPacked computes it (its checks, its copy of an overlapping x), then tanh in place.
            ForwardPackedOne(x, packed, a);
            FastMath.Tanh(a, a);
        }

        /// <summary>
        /// Z = A·Wᵀ ⊕ bᵀ for many samples from W and b packed by PackPanels: each sample's z has the bits of
        /// <see cref="ForwardPacked(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> on every machine, so a snapshot's
        /// or a baked network's ForwardBatch and LossBatch give those of Forward and Loss. With AVX-512, a layer of eight
        /// panels or more runs the GEMM tiles, whose one chain per z is then the one-sample kernel's too; every other
        /// layer runs one sample at a time.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void ForwardPacked(ReadOnlySpan<float> a, ReadOnlySpan<float> packed, Span<float> z, int samples, int rows, int columns) =>
            ForwardPackedMany(a, packed, z, samples, rows, columns);

        /// <inheritdoc cref="ForwardPacked(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void ForwardPacked(ReadOnlySpan<double> a, ReadOnlySpan<double> packed, Span<double> z, int samples, int rows, int columns) =>
            ForwardPackedMany(a, packed, z, samples, rows, columns);

        [MethodImpl(CompileOptions.Optimized)]
        private static T[] PackPanelsAny<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, int rows, int columns)
            where T : unmanaged
        {
            Require(1, rows, columns, 0, 0, w.Length, (long)rows * columns, b.Length, rows);
            return PanelLayout.Pack(w, b, rows, columns);
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void ForwardPackedOne<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, Span<T> z)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            if (x.Overlaps(z))
            {
                ForwardPackedFromCopy(x, packed, z);
                return;
            }

            packed = PanelLayout.Locate(packed, z.Length, x.Length);

#if NET8_0_OR_GREATER
            PanelKernels.Forward(x, packed, z);
#else
            PanelLayout.ForwardUnfused(x, packed, z);
#endif
        }

        // z overlaps x (a Forward in place, which the generated code allows: its output layer writes into the
        // caller's output span): z is written while x is still read, so x is read from a copy. Rare, so out of line.
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void ForwardPackedFromCopy<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, Span<T> z)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            T[]? rented = x.Length > MaxStackCopy ? ArrayPool<T>.Shared.Rent(x.Length) : null;
            Span<T> copy = rented is null ? stackalloc T[x.Length] : rented.AsSpan(0, x.Length);
            x.CopyTo(copy);
            ForwardPackedOne(copy, packed, z);
            ReturnAny(rented);
        }

        // As ForwardPackedFromCopy, for the unpacked one-sample product.
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static void ForwardOneFromCopy<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            T[]? rented = x.Length > MaxStackCopy ? ArrayPool<T>.Shared.Rent(x.Length) : null;
            Span<T> copy = rented is null ? stackalloc T[x.Length] : rented.AsSpan(0, x.Length);
            x.CopyTo(copy);
            ForwardOne(copy, w, b, z);
            ReturnAny(rented);
        }

        // Values of an overlapping input copied to the stack; a longer one is rented.
        private const int MaxStackCopy = 1024;

        [MethodImpl(CompileOptions.Optimized)]
        private static void ForwardPackedMany<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> packed, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            // Locate checks the packed array's length exactly.
            Require(samples, rows, columns, a.Length, (long)samples * columns, 0, 0, z.Length, (long)samples * rows);
            packed = PanelLayout.Locate(packed, rows, columns);
#if NET8_0_OR_GREATER
            // The tiles add b[i], then the columns in order, in one chain: below eight panels the one-sample kernel keeps
            // two or four chains per row (PanelLayout.Chains), other bits, so there the tiles would make the batch's bits
            // depend on the machine (they ran only with AVX-512).
            if (PackedKernels.IsSupported && PanelLayout.Chains<T>(rows) == 1)
            {
                PackedKernels.Forward<T>(a, packed, z, samples, rows, columns);
                return;
            }

            for (int s = 0; s < samples; s++)
            {
                PanelKernels.Forward(a.Slice(s * columns, columns), packed, z.Slice(s * rows, rows));
            }
#else
            for (int s = 0; s < samples; s++)
            {
                PanelLayout.ForwardUnfused(a.Slice(s * columns, columns), packed, z.Slice(s * rows, rows));
            }
#endif
        }

        // Whether Pack packs a layer of these sizes.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static bool WouldPack(int samples, int rows, int columns) =>
#if NET8_0_OR_GREATER
            (PackedKernels.IsSupported ? samples >= PackFrom : PackedKernels256.IsSupported && samples >= PackFromWithoutAvx512) && (long)rows * columns >= 256;
#else
            false;
#endif

        [MethodImpl(CompileOptions.Optimized)]
        private static T[]? PackAny<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, int samples, int rows, int columns, bool always = false)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            Require(samples, rows, columns, 0, 0, w.Length, (long)rows * columns, b.Length, rows);
#if NET8_0_OR_GREATER
            if (always || WouldPack(samples, rows, columns))
            {
                T[] packed = ArrayPool<T>.Shared.Rent(checked((int)PanelLayout.PackedLength<T>(rows, columns)));
                if (PackedKernels.IsSupported)
                {
                    PackedKernels.Pack<T>(w, b, rows, columns, packed);
                }
                else
                {
                    PackedKernels256.Pack<T>(w, b, rows, columns, packed);
                }

                return packed;
            }
#endif
            return null;
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void ForwardAny<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> w, T[]? packed, ReadOnlySpan<T> b, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
#if NET8_0_OR_GREATER
            if (packed is not null)
            {
                Require(samples, rows, columns, a.Length, (long)samples * columns, packed.Length, PanelLayout.PackedLength<T>(rows, columns), z.Length, (long)samples * rows);
                if (PackedKernels.IsSupported)
                {
                    PackedKernels.Forward<T>(a, packed, z, samples, rows, columns);
                }
                else
                {
                    // Pack packs only where one of the two runs.
                    PackedKernels256.Forward<T>(a, packed, z, samples, rows, columns);
                }

                return;
            }
#endif
            Multiply<T>(Product.Forward, a, w, b, z, default, samples, rows, columns);
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void ReturnAny<T>(T[]? packed)
        {
            if (packed is not null)
            {
                ArrayPool<T>.Shared.Return(packed);
            }
        }

        /// <summary>∇W += Δᵀ·A and ∇b += Σ_s δ_s: ∇W[i, j] += Σ_s Δ[s, i] A[s, j], the samples in order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void AccumulateGradient(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> gradW, Span<float> gradB, int samples, int rows, int columns) =>
            Multiply<float>(Product.Gradient, delta, a, default, gradW, gradB, samples, rows, columns);

        /// <inheritdoc cref="AccumulateGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void AccumulateGradient(ReadOnlySpan<double> delta, ReadOnlySpan<double> a, Span<double> gradW, Span<double> gradB, int samples, int rows, int columns) =>
            Multiply<double>(Product.Gradient, delta, a, default, gradW, gradB, samples, rows, columns);

        /// <summary>G = Δ·W: G[s, j] = Σ_i Δ[s, i] W[i, j], the rows in order; G is overwritten.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Backpropagate(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> g, int samples, int rows, int columns) =>
            Multiply<float>(Product.Backpropagate, delta, w, default, g, default, samples, rows, columns);

        /// <inheritdoc cref="Backpropagate(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Backpropagate(ReadOnlySpan<double> delta, ReadOnlySpan<double> w, Span<double> g, int samples, int rows, int columns) =>
            Multiply<double>(Product.Backpropagate, delta, w, default, g, default, samples, rows, columns);

        private enum Product
        {
            Forward,
            Gradient,
            Backpropagate,
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void ForwardOne<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            int rows = z.Length, columns = x.Length;
            Require(1, rows, columns, x.Length, columns, w.Length, (long)rows * columns, z.Length, rows);
            Require(rows, b.Length);
            if (x.Overlaps(z))
            {
                ForwardOneFromCopy(x, w, b, z);
                return;
            }

#if NET8_0_OR_GREATER
            ref T x0 = ref MemoryMarshal.GetReference(x);
            ref T w0 = ref MemoryMarshal.GetReference(w);
            ref T b0 = ref MemoryMarshal.GetReference(b);
            ref T z0 = ref MemoryMarshal.GetReference(z);
            switch (WidthFor<T>(columns))
            {
                case 512:
                    MatrixKernels.ForwardOne<T, Vector512<T>, Simd512<T>>(ref x0, ref w0, ref b0, ref z0, rows, columns);
                    return;
                case 256:
                    MatrixKernels.ForwardOne<T, Vector256<T>, Simd256<T>>(ref x0, ref w0, ref b0, ref z0, rows, columns);
                    return;
                case 128:
                    MatrixKernels.ForwardOne<T, Vector128<T>, Simd128<T>>(ref x0, ref w0, ref b0, ref z0, rows, columns);
                    return;
            }
#endif
            for (int i = 0; i < rows; i++)
            {
                Typed.SetBiasPlusDot(z, i, b, i, w.Slice(i * columns, columns), x);
            }
        }

        // One entry for the three products. Spans by role: Forward (x A, y W, v b, out1 Z), Gradient (x Δ,
        // y A, out1 ∇W, out2 ∇b), Backpropagate (x Δ, y W, out1 G).
        [MethodImpl(CompileOptions.Optimized)]
        private static void Multiply<T>(Product product, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> v, Span<T> out1, Span<T> out2, int samples, int rows, int columns)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            long perSample = (long)samples * columns, weights = (long)rows * columns, perRow = (long)samples * rows;
            switch (product)
            {
                case Product.Forward:
                    Require(samples, rows, columns, x.Length, perSample, y.Length, weights, out1.Length, perRow);
                    Require(rows, v.Length);
                    break;
                case Product.Gradient:
                    Require(samples, rows, columns, y.Length, perSample, out1.Length, weights, x.Length, perRow);
                    Require(rows, out2.Length);
                    break;
                default:
                    Require(samples, rows, columns, out1.Length, perSample, y.Length, weights, x.Length, perRow);
                    break;
            }

#if NET8_0_OR_GREATER
            if (Dispatch<T>(product, x, y, v, out1, out2, samples, rows, columns))
            {
                return;
            }
#endif

            // No SIMD, or netstandard2.1: a row of W (or of ∇W) against every sample, through the typed Kernels.
            if (product == Product.Backpropagate)
            {
                out1.Slice(0, samples * columns).Clear();
            }

            for (int i = 0; i < rows; i++)
            {
                Span<T> gradientRow = product == Product.Gradient ? out1.Slice(i * columns, columns) : default;
                for (int s = 0; s < samples; s++)
                {
                    switch (product)
                    {
                        case Product.Forward:
                            Typed.SetBiasPlusDot(out1, (s * rows) + i, v, i, y.Slice(i * columns, columns), x.Slice(s * columns, columns));
                            break;
                        case Product.Gradient:
                            Numbers.MultiplyAdd(y.Slice(s * columns, columns), x[(s * rows) + i], gradientRow);
                            break;
                        default:
                            Numbers.MultiplyAdd(y.Slice(i * columns, columns), x[(s * rows) + i], out1.Slice(s * columns, columns));
                            break;
                    }
                }
            }

            for (int s = 0; product == Product.Gradient && s < samples; s++)
            {
                Numbers.Add(x.Slice(s * rows, rows), out2.Slice(0, rows));
            }
        }

#if NET8_0_OR_GREATER
        // The widest vector the machine accelerates that the columns fill at least once (128 bits for any
        // narrower row), in bits; 0 without SIMD. The one-sample Forward and the batch products both choose
        // here: a sample gets the same bits alone as in a batch only if both run the same width.
        [MethodImpl(CompileOptions.Optimized)]
        private static int WidthFor<T>(int columns)
            where T : unmanaged
        {
            if (Vector512.IsHardwareAccelerated && columns >= Vector512<T>.Count)
            {
                return 512;
            }

            if (Vector256.IsHardwareAccelerated && columns >= Vector256<T>.Count)
            {
                return 256;
            }

            return Vector128.IsHardwareAccelerated ? 128 : 0;
        }

        // The product at the width WidthFor chooses; false without SIMD.
        // Spans by role: Forward (A, W, b, Z), Gradient (Δ, A, ∇W, ∇b), Backpropagate (Δ, W, G).
        [MethodImpl(CompileOptions.Optimized)]
        private static bool Dispatch<T>(Product product, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> v, Span<T> out1, Span<T> out2, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
        {
            switch (WidthFor<T>(columns))
            {
                case 512:
                    Run<T, Vector512<T>, Simd512<T>>(product, x, y, v, out1, out2, samples, rows, columns);
                    return true;
                case 256:
                    Run<T, Vector256<T>, Simd256<T>>(product, x, y, v, out1, out2, samples, rows, columns);
                    return true;
                case 128:
                    Run<T, Vector128<T>, Simd128<T>>(product, x, y, v, out1, out2, samples, rows, columns);
                    return true;
                default:
                    return false;
            }
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void Run<T, TVector, TWidth>(Product product, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> v, Span<T> out1, Span<T> out2, int samples, int rows, int columns)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            switch (product)
            {
                case Product.Forward:
                    MatrixKernels.Forward<T, TVector, TWidth>(x, y, v, out1, samples, rows, columns);
                    break;
                case Product.Gradient:
                    MatrixKernels.AccumulateGradient<T, TVector, TWidth>(x, y, out1, out2, samples, rows, columns);
                    break;
                default:
                    MatrixKernels.Backpropagate<T, TVector, TWidth>(x, y, out1, samples, rows, columns);
                    break;
            }
        }
#endif

        // The spans hold what the sizes say. Generated code always passes matching spans; this keeps a wrong
        // call from reading or writing out of bounds, since the kernels index by reference.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Require(int samples, int rows, int columns, int length1, long needed1, int length2, long needed2, int length3, long needed3)
        {
            if (samples < 0 || rows < 0 || columns < 0 || length1 < needed1 || length2 < needed2 || length3 < needed3)
            {
                throw new ArgumentException(
                    $"A batch of {samples} samples through {rows} rows of {columns} columns needs spans of {needed1}, {needed2} and {needed3} values; they hold {length1}, {length2} and {length3}.");
            }
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void Require(int rows, int biasLength)
        {
            if (biasLength < rows)
            {
                throw new ArgumentException($"The bias span holds {biasLength} values for {rows} rows.");
            }
        }

        // The fallback's dot product through the typed Kernels, for T = float or double (Numbers has its
        // multiply-add and add); spans are reinterpreted, not copied.
        private static class Typed
        {
            [MethodImpl(CompileOptions.Optimized)]
            public static void SetBiasPlusDot<T>(Span<T> z, int at, ReadOnlySpan<T> b, int i, ReadOnlySpan<T> x, ReadOnlySpan<T> y)
                where T : unmanaged
            {
                if (typeof(T) == typeof(float))
                {
                    MemoryMarshal.Cast<T, float>(z)[at] = MemoryMarshal.Cast<T, float>(b)[i] + Kernels.Dot(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
                }
                else
                {
                    MemoryMarshal.Cast<T, double>(z)[at] = MemoryMarshal.Cast<T, double>(b)[i] + Kernels.Dot(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
                }
            }
        }
    }
}
