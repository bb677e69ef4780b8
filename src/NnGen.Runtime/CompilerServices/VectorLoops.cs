#if !NET8_0_OR_GREATER
using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// The sums of <see cref="Kernels"/> on netstandard2.1, with System.Numerics.Vector&lt;T&gt; where the runtime
    /// accelerates it (CoreCLR, Mono since 2024) and a plain loop where it does not, so that the build Unity and
    /// Godot 4.0–4.3 load depends on no package. Each sum runs over whole vectors, then the tail.
    /// </summary>
    internal static class VectorLoops
    {
        public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            int i = 0;
            float sum = 0f;
            if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
            {
                ReadOnlySpan<Vector<float>> vx = MemoryMarshal.Cast<float, Vector<float>>(x);
                ReadOnlySpan<Vector<float>> vy = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(0, x.Length));
                Vector<float> accumulator = Vector<float>.Zero;
                for (int k = 0; k < vx.Length; k++)
                {
                    accumulator += vx[k] * vy[k];
                }

                sum = Vector.Dot(accumulator, Vector<float>.One);
                i = vx.Length * Vector<float>.Count;
            }

            for (; i < x.Length; i++)
            {
                sum += x[i] * y[i];
            }

            return sum;
        }

        public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        {
            int i = 0;
            double sum = 0.0;
            if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
            {
                ReadOnlySpan<Vector<double>> vx = MemoryMarshal.Cast<double, Vector<double>>(x);
                ReadOnlySpan<Vector<double>> vy = MemoryMarshal.Cast<double, Vector<double>>(y.Slice(0, x.Length));
                Vector<double> accumulator = Vector<double>.Zero;
                for (int k = 0; k < vx.Length; k++)
                {
                    accumulator += vx[k] * vy[k];
                }

                sum = Vector.Dot(accumulator, Vector<double>.One);
                i = vx.Length * Vector<double>.Count;
            }

            for (; i < x.Length; i++)
            {
                sum += x[i] * y[i];
            }

            return sum;
        }

        /// <summary>y ← y + scale · x.</summary>
        public static void MultiplyAdd(ReadOnlySpan<float> x, float scale, Span<float> y)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
            {
                ReadOnlySpan<Vector<float>> vx = MemoryMarshal.Cast<float, Vector<float>>(x);
                Span<Vector<float>> vy = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(0, x.Length));
                var s = new Vector<float>(scale);
                for (int k = 0; k < vx.Length; k++)
                {
                    vy[k] += s * vx[k];
                }

                i = vx.Length * Vector<float>.Count;
            }

            for (; i < x.Length; i++)
            {
                y[i] += scale * x[i];
            }
        }

        /// <summary>y ← y + scale · x.</summary>
        public static void MultiplyAdd(ReadOnlySpan<double> x, double scale, Span<double> y)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
            {
                ReadOnlySpan<Vector<double>> vx = MemoryMarshal.Cast<double, Vector<double>>(x);
                Span<Vector<double>> vy = MemoryMarshal.Cast<double, Vector<double>>(y.Slice(0, x.Length));
                var s = new Vector<double>(scale);
                for (int k = 0; k < vx.Length; k++)
                {
                    vy[k] += s * vx[k];
                }

                i = vx.Length * Vector<double>.Count;
            }

            for (; i < x.Length; i++)
            {
                y[i] += scale * x[i];
            }
        }

        /// <summary>y ← y + x.</summary>
        public static void Add(ReadOnlySpan<float> x, Span<float> y) => MultiplyAdd(x, 1f, y);

        /// <summary>y ← y + x.</summary>
        public static void Add(ReadOnlySpan<double> x, Span<double> y) => MultiplyAdd(x, 1.0, y);
    }
}
#endif
