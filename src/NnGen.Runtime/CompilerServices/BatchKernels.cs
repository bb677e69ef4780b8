using System;
using System.ComponentModel;
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
        public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int samples, int rows, int columns) =>
            Forward<float>(a, w, b, z, samples, rows, columns);

        /// <inheritdoc cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        public static void Forward(ReadOnlySpan<double> a, ReadOnlySpan<double> w, ReadOnlySpan<double> b, Span<double> z, int samples, int rows, int columns) =>
            Forward<double>(a, w, b, z, samples, rows, columns);

        /// <summary>∇W += Δᵀ·A and ∇b += Σ_s δ_s: ∇W[i, j] += Σ_s Δ[s, i] A[s, j], the samples in order.</summary>
        public static void AccumulateGradient(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> gradW, Span<float> gradB, int samples, int rows, int columns) =>
            AccumulateGradient<float>(delta, a, gradW, gradB, samples, rows, columns);

        /// <inheritdoc cref="AccumulateGradient(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int)"/>
        public static void AccumulateGradient(ReadOnlySpan<double> delta, ReadOnlySpan<double> a, Span<double> gradW, Span<double> gradB, int samples, int rows, int columns) =>
            AccumulateGradient<double>(delta, a, gradW, gradB, samples, rows, columns);

        /// <summary>G = Δ·W: G[s, j] = Σ_i Δ[s, i] W[i, j], the rows in order; G is overwritten.</summary>
        public static void Backpropagate(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> g, int samples, int rows, int columns) =>
            Backpropagate<float>(delta, w, g, samples, rows, columns);

        /// <inheritdoc cref="Backpropagate(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        public static void Backpropagate(ReadOnlySpan<double> delta, ReadOnlySpan<double> w, Span<double> g, int samples, int rows, int columns) =>
            Backpropagate<double>(delta, w, g, samples, rows, columns);

        /// <summary>
        /// W (rows × columns) packed for <see cref="ForwardPacked(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>,
        /// in a buffer of the calling thread's own (<paramref name="slot"/>: one per layer, so a network's layers
        /// keep theirs side by side). Call once per batch: the copy costs about what a sample's pass through the
        /// layer costs. Where the packed kernel does not apply (no SIMD, netstandard2.1, fewer rows than a panel)
        /// this returns W itself, which ForwardPacked then reads as W.
        /// </summary>
        public static ReadOnlySpan<float> Pack(ReadOnlySpan<float> w, int rows, int columns, int slot) => Pack<float>(w, rows, columns, slot);

        /// <inheritdoc cref="Pack(ReadOnlySpan{float}, int, int, int)"/>
        public static ReadOnlySpan<double> Pack(ReadOnlySpan<double> w, int rows, int columns, int slot) => Pack<double>(w, rows, columns, slot);

        /// <summary>
        /// Z = A·Wᵀ ⊕ bᵀ from what <see cref="Pack(ReadOnlySpan{float}, int, int, int)"/> returned for W: broadcast
        /// multiply-adds along the rows, no sum across vector lanes. Each z sums its terms in column order, so
        /// the results differ from <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>'s in the last bits.
        /// </summary>
        public static void ForwardPacked(ReadOnlySpan<float> a, ReadOnlySpan<float> packed, ReadOnlySpan<float> b, Span<float> z, int samples, int rows, int columns) =>
            ForwardPacked<float>(a, packed, b, z, samples, rows, columns);

        /// <inheritdoc cref="ForwardPacked(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
        public static void ForwardPacked(ReadOnlySpan<double> a, ReadOnlySpan<double> packed, ReadOnlySpan<double> b, Span<double> z, int samples, int rows, int columns) =>
            ForwardPacked<double>(a, packed, b, z, samples, rows, columns);

        private static ReadOnlySpan<T> Pack<T>(ReadOnlySpan<T> w, int rows, int columns, int slot)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            Require(rows, rows, columns, w.Length, (long)rows * columns, w.Length, 0, w.Length, 0);
            if (slot < 0 || slot > 1024)
            {
                throw new ArgumentOutOfRangeException(nameof(slot), slot, "A slot is a layer's index.");
            }

#if NET8_0_OR_GREATER
            int panel = PanelRows<T>(rows);
            if (panel > 0)
            {
                Span<T> packed = Scratch<T>.Get(slot, ((rows + panel - 1) / panel) * panel * columns);
                switch (panel / Vector128<T>.Count)
                {
                    case 12:
                        MatrixKernels.Pack<T, Vector512<T>, Simd512<T>>(w, packed, rows, columns);
                        break;
                    case 6:
                        MatrixKernels.Pack<T, Vector256<T>, Simd256<T>>(w, packed, rows, columns);
                        break;
                    default:
                        MatrixKernels.Pack<T, Vector128<T>, Simd128<T>>(w, packed, rows, columns);
                        break;
                }

                return packed;
            }
#endif
            return w.Slice(0, rows * columns);
        }

        private static void ForwardPacked<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> packed, ReadOnlySpan<T> b, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
#if NET8_0_OR_GREATER
            int panel = PanelRows<T>(rows);
            if (panel > 0)
            {
                Require(samples, rows, columns, a.Length, (long)samples * columns, packed.Length, (long)((rows + panel - 1) / panel) * panel * columns, z.Length, (long)samples * rows);
                Require(rows, b.Length);
                switch (panel / Vector128<T>.Count)
                {
                    case 12:
                        MatrixKernels.ForwardPacked<T, Vector512<T>, Simd512<T>>(a, packed, b, z, samples, rows, columns);
                        break;
                    case 6:
                        MatrixKernels.ForwardPacked<T, Vector256<T>, Simd256<T>>(a, packed, b, z, samples, rows, columns);
                        break;
                    default:
                        MatrixKernels.ForwardPacked<T, Vector128<T>, Simd128<T>>(a, packed, b, z, samples, rows, columns);
                        break;
                }

                return;
            }
#endif
            Forward(a, packed, b, z, samples, rows, columns);
        }

#if NET8_0_OR_GREATER
        // The rows of a panel of the widest vector the machine accelerates, or 0 where W has fewer rows than that
        // panel (the last layer of a classifier): then W is not packed and the dot-product kernel runs.
        private static int PanelRows<T>(int rows)
            where T : unmanaged
        {
            int panel = Vector512.IsHardwareAccelerated ? 3 * Vector512<T>.Count
                : Vector256.IsHardwareAccelerated ? 3 * Vector256<T>.Count
                : Vector128.IsHardwareAccelerated ? 3 * Vector128<T>.Count
                : 0;
            return rows >= panel ? panel : 0;
        }

        // Per-thread buffers for packed weights, one per slot, grown as needed and kept: a batch allocates only
        // the first time a thread packs a layer of that size.
        private static class Scratch<T>
            where T : unmanaged
        {
            [ThreadStatic]
            private static T[]?[]? t_slots;

            public static Span<T> Get(int slot, int length)
            {
                T[]?[] slots = t_slots ??= new T[]?[Math.Max(8, slot + 1)];
                if (slot >= slots.Length)
                {
                    Array.Resize(ref slots, Math.Max(slot + 1, slots.Length * 2));
                    t_slots = slots;
                }

                T[]? buffer = slots[slot];
                if (buffer is null || buffer.Length < length)
                {
                    slots[slot] = buffer = new T[length];
                }

                return buffer.AsSpan(0, length);
            }
        }
#endif

        private static void Forward<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, int samples, int rows, int columns)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            Require(samples, rows, columns, a.Length, (long)samples * columns, w.Length, (long)rows * columns, z.Length, (long)samples * rows);
            Require(rows, b.Length);
#if NET8_0_OR_GREATER
            if (Vector512.IsHardwareAccelerated && columns >= Vector512<T>.Count)
            {
                MatrixKernels.Forward<T, Vector512<T>, Simd512<T>>(a, w, b, z, samples, rows, columns);
                return;
            }

            if (Vector256.IsHardwareAccelerated && columns >= Vector256<T>.Count)
            {
                MatrixKernels.Forward<T, Vector256<T>, Simd256<T>>(a, w, b, z, samples, rows, columns);
                return;
            }

            if (Vector128.IsHardwareAccelerated)
            {
                MatrixKernels.Forward<T, Vector128<T>, Simd128<T>>(a, w, b, z, samples, rows, columns);
                return;
            }
#endif
            for (int i = 0; i < rows; i++)
            {
                ReadOnlySpan<T> row = w.Slice(i * columns, columns);
                for (int s = 0; s < samples; s++)
                {
                    Typed.SetBiasPlusDot(z, (s * rows) + i, b, i, row, a.Slice(s * columns, columns));
                }
            }
        }

        private static void AccumulateGradient<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> a, Span<T> gradW, Span<T> gradB, int samples, int rows, int columns)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            Require(samples, rows, columns, a.Length, (long)samples * columns, gradW.Length, (long)rows * columns, delta.Length, (long)samples * rows);
            Require(rows, gradB.Length);
#if NET8_0_OR_GREATER
            if (Vector512.IsHardwareAccelerated && columns >= Vector512<T>.Count)
            {
                MatrixKernels.AccumulateGradient<T, Vector512<T>, Simd512<T>>(delta, a, gradW, gradB, samples, rows, columns);
                return;
            }

            if (Vector256.IsHardwareAccelerated && columns >= Vector256<T>.Count)
            {
                MatrixKernels.AccumulateGradient<T, Vector256<T>, Simd256<T>>(delta, a, gradW, gradB, samples, rows, columns);
                return;
            }

            if (Vector128.IsHardwareAccelerated)
            {
                MatrixKernels.AccumulateGradient<T, Vector128<T>, Simd128<T>>(delta, a, gradW, gradB, samples, rows, columns);
                return;
            }
#endif
            for (int i = 0; i < rows; i++)
            {
                Span<T> gradRow = gradW.Slice(i * columns, columns);
                for (int s = 0; s < samples; s++)
                {
                    Typed.MultiplyAdd(a.Slice(s * columns, columns), delta, (s * rows) + i, gradRow);
                }
            }

            for (int s = 0; s < samples; s++)
            {
                Typed.Add(delta.Slice(s * rows, rows), gradB.Slice(0, rows));
            }
        }

        private static void Backpropagate<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> w, Span<T> g, int samples, int rows, int columns)
            where T : unmanaged
#if NET8_0_OR_GREATER
            , INumber<T>
#endif
        {
            Require(samples, rows, columns, g.Length, (long)samples * columns, w.Length, (long)rows * columns, delta.Length, (long)samples * rows);
#if NET8_0_OR_GREATER
            if (Vector512.IsHardwareAccelerated && columns >= Vector512<T>.Count)
            {
                MatrixKernels.Backpropagate<T, Vector512<T>, Simd512<T>>(delta, w, g, samples, rows, columns);
                return;
            }

            if (Vector256.IsHardwareAccelerated && columns >= Vector256<T>.Count)
            {
                MatrixKernels.Backpropagate<T, Vector256<T>, Simd256<T>>(delta, w, g, samples, rows, columns);
                return;
            }

            if (Vector128.IsHardwareAccelerated)
            {
                MatrixKernels.Backpropagate<T, Vector128<T>, Simd128<T>>(delta, w, g, samples, rows, columns);
                return;
            }
#endif
            g.Slice(0, samples * columns).Clear();
            for (int i = 0; i < rows; i++)
            {
                ReadOnlySpan<T> row = w.Slice(i * columns, columns);
                for (int s = 0; s < samples; s++)
                {
                    Typed.MultiplyAdd(row, delta, (s * rows) + i, g.Slice(s * columns, columns));
                }
            }
        }

        // The spans hold what the sizes say. Generated code always passes matching spans; this keeps a wrong
        // call from reading or writing out of bounds, since the kernels index by reference.
        private static void Require(int samples, int rows, int columns, int length1, long needed1, int length2, long needed2, int length3, long needed3)
        {
            if (samples < 0 || rows < 0 || columns < 0 || length1 < needed1 || length2 < needed2 || length3 < needed3)
            {
                throw new ArgumentException(
                    $"A batch of {samples} samples through {rows} rows of {columns} columns needs spans of {needed1}, {needed2} and {needed3} values; they hold {length1}, {length2} and {length3}.");
            }
        }

        private static void Require(int rows, int biasLength)
        {
            if (biasLength < rows)
            {
                throw new ArgumentException($"The bias span holds {biasLength} values for {rows} rows.");
            }
        }

        // The fallback's calls into the typed Kernels, for T = float or double; spans are reinterpreted, not copied.
        private static class Typed
        {
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

            // y ← y + scale[at] · x.
            public static void MultiplyAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> scale, int at, Span<T> y)
                where T : unmanaged
            {
                if (typeof(T) == typeof(float))
                {
                    Kernels.MultiplyAdd(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(scale)[at], MemoryMarshal.Cast<T, float>(y));
                }
                else
                {
                    Kernels.MultiplyAdd(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(scale)[at], MemoryMarshal.Cast<T, double>(y));
                }
            }

            public static void Add<T>(ReadOnlySpan<T> x, Span<T> y)
                where T : unmanaged
            {
                if (typeof(T) == typeof(float))
                {
                    Kernels.Add(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
                }
                else
                {
                    Kernels.Add(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
                }
            }
        }
    }
}
