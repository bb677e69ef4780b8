using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// The one float/double bridge of the runtime: conversions of single values and checks over spans, written
    /// once for both precisions. The typeof tests are constants for each instantiation, so the JIT keeps only
    /// one branch. (The optimisers' loops are in <see cref="UpdatePass"/>.)
    /// </summary>
    internal static class Numbers
    {
        /// <summary>Throws unless <typeparamref name="T"/> is a network's precision, float or double.</summary>
        public static void RequirePrecision<T>()
        {
            if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            {
                throw new ArgumentOutOfRangeException(nameof(T), typeof(T).Name, "A network's precision is float or double.");
            }
        }

        /// <summary>A number for a message: round-trip digits in the invariant culture, whatever the user's culture.</summary>
        public static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double ToDouble<T>(T value)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                return MemoryMarshal.Cast<T, float>(MemoryMarshal.CreateReadOnlySpan(ref value, 1))[0];
            }

            return MemoryMarshal.Cast<T, double>(MemoryMarshal.CreateReadOnlySpan(ref value, 1))[0];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static T FromDouble<T>(double value)
            where T : unmanaged
        {
            T result = default;
            if (typeof(T) == typeof(float))
            {
                MemoryMarshal.Cast<T, float>(MemoryMarshal.CreateSpan(ref result, 1))[0] = (float)value;
            }
            else
            {
                MemoryMarshal.Cast<T, double>(MemoryMarshal.CreateSpan(ref result, 1))[0] = value;
            }

            return result;
        }

        /// <summary>
        /// The largest |value| in <paramref name="values"/> (0 for none), or NaN when a value is NaN or infinite:
        /// the Trainer's divergence check and the bound it needs, in one vector pass. x − x is 0 for every finite
        /// x and NaN otherwise, and a NaN stays NaN through additions, so one vector sum of (x − x) answers for
        /// finiteness.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static double MaxAbsOrNaN<T>(ReadOnlySpan<T> values)
            where T : unmanaged
        {
            ReadOnlySpan<Vector<T>> vectors = MemoryMarshal.Cast<T, Vector<T>>(values);

            // Four sums and four maxima, so that the vectors' additions and maxima overlap: with one of each, every
            // vector waited for the previous one's addition, and 784-128-10's gradient (101,770 floats, once per
            // minibatch) took 16.5 µs against 6.2. Maxima and the finiteness of a sum do not depend on the order.
            Vector<T> s0 = Vector<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            Vector<T> m0 = Vector<T>.Zero, m1 = m0, m2 = m0, m3 = m0;
            int k = 0;
            for (; k + 4 <= vectors.Length; k += 4)
            {
                Vector<T> a = vectors[k], b = vectors[k + 1], c = vectors[k + 2], d = vectors[k + 3];
                s0 += a - a;
                s1 += b - b;
                s2 += c - c;
                s3 += d - d;
                m0 = Vector.Max(m0, Vector.Abs(a));
                m1 = Vector.Max(m1, Vector.Abs(b));
                m2 = Vector.Max(m2, Vector.Abs(c));
                m3 = Vector.Max(m3, Vector.Abs(d));
            }

            for (; k < vectors.Length; k++)
            {
                Vector<T> a = vectors[k];
                s0 += a - a;
                m0 = Vector.Max(m0, Vector.Abs(a));
            }

            Vector<T> sum = (s0 + s1) + (s2 + s3);
            Vector<T> max = Vector.Max(Vector.Max(m0, m1), Vector.Max(m2, m3));
            if (!Vector.EqualsAll(sum, Vector<T>.Zero))
            {
                return double.NaN;
            }

            double largest = 0;
            for (int i = 0; i < Vector<T>.Count; i++)
            {
                largest = Math.Max(largest, ToDouble(max[i]));
            }

            foreach (T value in values.Slice(vectors.Length * Vector<T>.Count))
            {
                double v = ToDouble(value);
                if (double.IsNaN(v) || double.IsInfinity(v))
                {
                    return double.NaN;
                }

                largest = Math.Max(largest, Math.Abs(v));
            }

            return largest;
        }

        /// <summary>y ← y + scale · x, through the typed <see cref="CompilerServices.Kernels"/>.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void MultiplyAdd<T>(ReadOnlySpan<T> x, T scale, Span<T> y)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                CompilerServices.Kernels.MultiplyAdd(MemoryMarshal.Cast<T, float>(x), (float)ToDouble(scale), MemoryMarshal.Cast<T, float>(y));
            }
            else
            {
                CompilerServices.Kernels.MultiplyAdd(MemoryMarshal.Cast<T, double>(x), ToDouble(scale), MemoryMarshal.Cast<T, double>(y));
            }
        }

        /// <summary>
        /// The generated Step on a slice of the parameters: p ← p − (η / M) g, then g ← 0, with η / M computed in T as
        /// Step computes it (η converted to T, divided by the sample count), so a network stepped slice by slice gets
        /// the bits of one Step.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Step<T>(Span<T> parameters, Span<T> gradients, double learningRate, int samples)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                CompilerServices.Kernels.Step(MemoryMarshal.Cast<T, float>(parameters), MemoryMarshal.Cast<T, float>(gradients), (float)learningRate / samples);
            }
            else
            {
                CompilerServices.Kernels.Step(MemoryMarshal.Cast<T, double>(parameters), MemoryMarshal.Cast<T, double>(gradients), learningRate / samples);
            }
        }

        /// <summary>y ← y + x, through the typed <see cref="CompilerServices.Kernels"/>.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Add<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                CompilerServices.Kernels.Add(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            }
            else
            {
                CompilerServices.Kernels.Add(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
            }
        }

        /// <summary>The index of the largest value (the first, on ties).</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int ArgMax<T>(ReadOnlySpan<T> values)
            where T : unmanaged
        {
            int best = 0;
            double max = ToDouble(values[0]);
            for (int i = 1; i < values.Length; i++)
            {
                double v = ToDouble(values[i]);
                if (v > max)
                {
                    max = v;
                    best = i;
                }
            }

            return best;
        }
    }
}
