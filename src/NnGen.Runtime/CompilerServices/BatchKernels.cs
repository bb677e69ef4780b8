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
