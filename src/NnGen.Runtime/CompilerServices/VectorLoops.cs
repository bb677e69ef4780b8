#if !NET8_0_OR_GREATER
using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// The sums of <see cref="Kernels"/> on netstandard2.1, with System.Numerics.Vector&lt;T&gt; where the runtime
    /// accelerates it (CoreCLR, Mono since 2024) and a plain loop where it does not, so that the build Unity and
    /// Godot 4.0–4.3 load depends on no package. Each sum runs over whole vectors (written once, generic), then
    /// over the tail (written per type, since netstandard2.1 has no generic arithmetic).
    /// </summary>
    internal static class VectorLoops
    {
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
        public static void MultiplyAdd(ReadOnlySpan<float> x, float scale, Span<float> y)
        {
            int i = Accelerated(x.Length, Vector<float>.Count) ? MultiplyAddVectors(x, scale, y) : 0;
            for (; i < x.Length; i++)
            {
                y[i] += scale * x[i];
            }
        }

        /// <summary>y ← y + scale · x.</summary>
        public static void MultiplyAdd(ReadOnlySpan<double> x, double scale, Span<double> y)
        {
            int i = Accelerated(x.Length, Vector<double>.Count) ? MultiplyAddVectors(x, scale, y) : 0;
            for (; i < x.Length; i++)
            {
                y[i] += scale * x[i];
            }
        }

        /// <summary>y ← y + x.</summary>
        public static void Add(ReadOnlySpan<float> x, Span<float> y) => MultiplyAdd(x, 1f, y);

        /// <summary>y ← y + x.</summary>
        public static void Add(ReadOnlySpan<double> x, Span<double> y) => MultiplyAdd(x, 1.0, y);

        private static bool Accelerated(int length, int lanes) => Vector.IsHardwareAccelerated && length >= lanes;

        // Σ over the whole vectors of x ⊙ y, lane by lane; done is how many elements they cover.
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
    }
}
#endif
