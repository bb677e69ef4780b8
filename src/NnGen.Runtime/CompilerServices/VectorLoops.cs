using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// Span loops of <see cref="Kernels"/>, with System.Numerics.Vector&lt;T&gt; where the runtime accelerates it (CoreCLR,
    /// Mono since 2024) and a plain loop where it does not. On netstandard2.1 they are all of Kernels' sums, so that the
    /// build Unity and Godot 4.0–4.3 load depends on no package. On every target they are the multiply-add of a
    /// sample's backward pass and softmax's division, which TensorPrimitives did on .NET 8: its code cannot be marked
    /// to compile optimised at its first call, and unoptimised it made a network's first calls several times slower.
    /// Each loop runs over whole vectors (written once, generic), then over the tail (written per type, since
    /// netstandard2.1 has no generic arithmetic). Multiplies and adds stay separate, never fused, and a division
    /// rounds once in any width, so MultiplyAdd and DivideBy give the bits of their scalar loops at every width.
    /// </summary>
    internal static class VectorLoops
    {
        [MethodImpl(CompileOptions.Optimized)]
        public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            int i = 0;
            float sum = Accelerated(x.Length, Vector<float>.Count) ? Vector.Dot(DotOfVectors(x, y, out i), Vector<float>.One) : 0f;
            for (; i < x.Length; i++)
            {
                sum += x[i] * y[i];
            }

            return sum;
        }

        [MethodImpl(CompileOptions.Optimized)]
        public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        {
            int i = 0;
            double sum = Accelerated(x.Length, Vector<double>.Count) ? Vector.Dot(DotOfVectors(x, y, out i), Vector<double>.One) : 0.0;
            for (; i < x.Length; i++)
            {
                sum += x[i] * y[i];
            }

            return sum;
        }

        /// <summary>y ← y + scale · x.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void MultiplyAdd(ReadOnlySpan<float> x, float scale, Span<float> y)
        {
            int i = Accelerated(x.Length, Vector<float>.Count) ? MultiplyAddVectors(x, scale, y) : 0;
            for (; i < x.Length; i++)
            {
                y[i] += scale * x[i];
            }
        }

        /// <summary>y ← y + scale · x.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void MultiplyAdd(ReadOnlySpan<double> x, double scale, Span<double> y)
        {
            int i = Accelerated(x.Length, Vector<double>.Count) ? MultiplyAddVectors(x, scale, y) : 0;
            for (; i < x.Length; i++)
            {
                y[i] += scale * x[i];
            }
        }

        /// <summary>y ← x / s, element by element; y may be x.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void DivideBy(ReadOnlySpan<float> x, float s, Span<float> y)
        {
            int i = Accelerated(x.Length, Vector<float>.Count) ? DivideVectors(x, s, y) : 0;
            for (; i < x.Length; i++)
            {
                y[i] = x[i] / s;
            }
        }

        /// <summary>y ← x / s, element by element; y may be x.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void DivideBy(ReadOnlySpan<double> x, double s, Span<double> y)
        {
            int i = Accelerated(x.Length, Vector<double>.Count) ? DivideVectors(x, s, y) : 0;
            for (; i < x.Length; i++)
            {
                y[i] = x[i] / s;
            }
        }

        /// <summary>y ← y + x.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Add(ReadOnlySpan<float> x, Span<float> y) => MultiplyAdd(x, 1f, y);

        /// <summary>y ← y + x.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Add(ReadOnlySpan<double> x, Span<double> y) => MultiplyAdd(x, 1.0, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static bool Accelerated(int length, int lanes) => Vector.IsHardwareAccelerated && length >= lanes;

        // Σ over the whole vectors of x ⊙ y, lane by lane; done is how many elements they cover.
        [MethodImpl(CompileOptions.Optimized)]
        private static Vector<T> DotOfVectors<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, out int done)
            where T : struct
        {
            ReadOnlySpan<Vector<T>> vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            ReadOnlySpan<Vector<T>> vy = MemoryMarshal.Cast<T, Vector<T>>(y.Slice(0, x.Length));
            Vector<T> accumulator = Vector<T>.Zero;
            for (int k = 0; k < vx.Length; k++)
            {
                accumulator += vx[k] * vy[k];
            }

            done = vx.Length * Vector<T>.Count;
            return accumulator;
        }

        // y ← y + scale · x over the whole vectors; returns how many elements they cover.
        [MethodImpl(CompileOptions.Optimized)]
        private static int MultiplyAddVectors<T>(ReadOnlySpan<T> x, T scale, Span<T> y)
            where T : struct
        {
            ReadOnlySpan<Vector<T>> vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            Span<Vector<T>> vy = MemoryMarshal.Cast<T, Vector<T>>(y.Slice(0, x.Length));
            var s = new Vector<T>(scale);
            for (int k = 0; k < vx.Length; k++)
            {
                vy[k] += s * vx[k];
            }

            return vx.Length * Vector<T>.Count;
        }

        // y ← x / s over the whole vectors; returns how many elements they cover.
        [MethodImpl(CompileOptions.Optimized)]
        private static int DivideVectors<T>(ReadOnlySpan<T> x, T s, Span<T> y)
            where T : struct
        {
            ReadOnlySpan<Vector<T>> vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            Span<Vector<T>> vy = MemoryMarshal.Cast<T, Vector<T>>(y.Slice(0, x.Length));
            var divisor = new Vector<T>(s);
            for (int k = 0; k < vx.Length; k++)
            {
                vy[k] = vx[k] / divisor;
            }

            return vx.Length * Vector<T>.Count;
        }
    }
}
