using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Numerics.Tensors;
#endif

namespace NnGen.CompilerServices
{
    /// <summary>
    /// The span operations of the vectorised code shape, for float and double. Everything a sample's forward or backward
    /// pass calls is NnGen's own code: softmax, logistic and Elu take FastMath.Exp, and tanh FastMath.Tanh, so a
    /// snapshot's outputs have the same bits at every vector width and do not depend on the operating system's C library,
    /// and the multiply-add and softmax's division are VectorLoops. On .NET 8 and later, Dot and Add (the trainer's
    /// reductions and the fallback without SIMD) use System.Numerics.Tensors' TensorPrimitives; the netstandard2.1 build
    /// (Unity, Godot 4.0–4.3 on .NET 6) depends on no package and uses VectorLoops for those too.
    /// <para>
    /// Compiled optimised from the first call: every method of NnGen.CompilerServices is marked AggressiveOptimization, and
    /// so are the generated members that call them (a test checks both). The short ones are AggressiveInlining as well:
    /// the JIT inlines them where it can, but it stops inlining in a large caller (an unrolled Accumulate) once its
    /// budget is spent, and a method it then compiles on its own would otherwise be tier-0 code. Otherwise the JIT would run each first as unoptimised tier-0 code, 5 to 20 times slower,
    /// until it had counted 30 calls and seen 100 ms without new methods to compile; in a game that loads as it plays,
    /// that can be many frames. The price is that these methods get no dynamic PGO, which they did not need: their calls
    /// are static, their branches depend on sizes fixed per layer.
    /// </para>
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class Kernels
    {
        /// <summary>Σ x_i y_i.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
#if NET8_0_OR_GREATER
            return TensorPrimitives.Dot(x, y);
#else
            return VectorLoops.Dot(x, y);
#endif
        }

        /// <summary>Σ x_i y_i.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        {
#if NET8_0_OR_GREATER
            return TensorPrimitives.Dot(x, y);
#else
            return VectorLoops.Dot(x, y);
#endif
        }

        /// <summary>y ← y + scale · x, each element multiplied, then added (never fused).</summary>
        /// <exception cref="ArgumentException">The spans differ in length; nothing is changed.</exception>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void MultiplyAdd(ReadOnlySpan<float> x, float scale, Span<float> y)
        {
            if (y.Length != x.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(y), x.Length, y.Length);
            }

            VectorLoops.MultiplyAdd(x, scale, y);
        }

        /// <summary>y ← y + scale · x, each element multiplied, then added (never fused).</summary>
        /// <exception cref="ArgumentException">The spans differ in length; nothing is changed.</exception>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void MultiplyAdd(ReadOnlySpan<double> x, double scale, Span<double> y)
        {
            if (y.Length != x.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(y), x.Length, y.Length);
            }

            VectorLoops.MultiplyAdd(x, scale, y);
        }

        /// <summary>y ← y + x.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Add(ReadOnlySpan<float> x, Span<float> y)
        {
#if NET8_0_OR_GREATER
            TensorPrimitives.Add(x, y, y);
#else
            VectorLoops.Add(x, y);
#endif
        }

        /// <summary>y ← y + x.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Add(ReadOnlySpan<double> x, Span<double> y)
        {
#if NET8_0_OR_GREATER
            TensorPrimitives.Add(x, y, y);
#else
            VectorLoops.Add(x, y);
#endif
        }

        /// <summary>
        /// The SGD step p ← p − scale · g, then g ← 0. Each value is computed as <c>p[i] -= scale * g[i]</c> computes
        /// it (a multiply, then a subtract, never fused), so the vectors give the bits of that loop.
        /// </summary>
        /// <exception cref="ArgumentException">The spans differ in length; nothing is changed.</exception>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Step(Span<float> parameters, Span<float> gradients, float scale)
        {
            int i = StepVectors(parameters, gradients, scale);
            for (; i < parameters.Length; i++)
            {
                parameters[i] -= scale * gradients[i];
                gradients[i] = 0f;
            }
        }

        /// <summary>
        /// The SGD step p ← p − scale · g, then g ← 0. Each value is computed as <c>p[i] -= scale * g[i]</c> computes
        /// it (a multiply, then a subtract, never fused), so the vectors give the bits of that loop.
        /// </summary>
        /// <exception cref="ArgumentException">The spans differ in length; nothing is changed.</exception>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Step(Span<double> parameters, Span<double> gradients, double scale)
        {
            int i = StepVectors(parameters, gradients, scale);
            for (; i < parameters.Length; i++)
            {
                parameters[i] -= scale * gradients[i];
                gradients[i] = 0.0;
            }
        }

        // The step over the whole vectors (after the length check); returns how many elements they cover.
        [MethodImpl(CompileOptions.Optimized)]
        private static int StepVectors<T>(Span<T> parameters, Span<T> gradients, T scale)
            where T : unmanaged
        {
            if (gradients.Length != parameters.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(gradients), parameters.Length, gradients.Length);
            }

            if (!Vector.IsHardwareAccelerated)
            {
                return 0;
            }

            Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters);
            Span<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradients);
            var s = new Vector<T>(scale);
            for (int k = 0; k < p.Length; k++)
            {
                p[k] -= s * g[k];
                g[k] = Vector<T>.Zero;
            }

            return p.Length * Vector<T>.Count;
        }

        /// <summary>a ← tanh z, by <see cref="FastMath"/>'s rational approximation (within 4e-7), as unrolled float layers compute it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Tanh(ReadOnlySpan<float> z, Span<float> a) => FastMath.Tanh(z, a);

        /// <summary>
        /// a ← tanh z with <see cref="FastMath.Tanh(double)"/>'s bits, as unrolled double layers compute it: the same bits at
        /// every vector width and on every operating system (TensorPrimitives' double tanh changed its last bit with the
        /// vector width, and Math.Tanh, the C library's, changes it with the operating system).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Tanh(ReadOnlySpan<double> z, Span<double> a) => FastMath.Tanh(z, a);

        /// <summary>a ← Max / (1 + e^(−k (z − z0))).</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Logistic(ReadOnlySpan<float> z, Span<float> a, float max, float steepness, float midpoint)
        {
            if (a.Length < z.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(a), z.Length, a.Length);
            }

            // FastMath.Exp, as unrolled layers compute it: the same bits at every vector width (TensorPrimitives.Sigmoid's
            // vector lanes and its scalar remainder differ in the last bit, so a layer's outputs depended on the machine).
            if (max == 1f && steepness == 1f && midpoint == 0f)
            {
                FastMath.Logistic(z, a);
                return;
            }

            for (int i = 0; i < z.Length; i++)
            {
                a[i] = max / (1f + FastMath.Exp(-steepness * (z[i] - midpoint)));
            }
        }

        /// <summary>a ← Max / (1 + e^(−k (z − z0))).</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Logistic(ReadOnlySpan<double> z, Span<double> a, double max, double steepness, double midpoint)
        {
            if (a.Length < z.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(a), z.Length, a.Length);
            }

            // FastMath.Exp one value at a time, as unrolled layers compute it: TensorPrimitives.Sigmoid's bits change with
            // the vector width, and Math.Exp's with the operating system.
            for (int i = 0; i < z.Length; i++)
            {
                a[i] = max / (1.0 + FastMath.Exp(-steepness * (z[i] - midpoint)));
            }
        }

        /// <summary>a ← max(0, z).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Relu(ReadOnlySpan<float> z, Span<float> a) => ReluAny(z, a);

        /// <summary>a ← max(0, z).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void Relu(ReadOnlySpan<double> z, Span<double> a) => ReluAny(z, a);

        // z > 0 ? z : 0, whole vectors first (compare and select), then the rest one by one; NaN and −0 give +0 in
        // both (CompareTo puts NaN below every number), so every element gets the same bits wherever it falls.
        [MethodImpl(CompileOptions.Optimized)]
        private static void ReluAny<T>(ReadOnlySpan<T> z, Span<T> a)
            where T : unmanaged
        {
            if (a.Length < z.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(a), z.Length, a.Length);
            }

            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                ReadOnlySpan<Vector<T>> zv = MemoryMarshal.Cast<T, Vector<T>>(z);
                Span<Vector<T>> av = MemoryMarshal.Cast<T, Vector<T>>(a);
                for (int v = 0; v < zv.Length; v++)
                {
                    av[v] = Vector.ConditionalSelect(Vector.GreaterThan(zv[v], Vector<T>.Zero), zv[v], Vector<T>.Zero);
                }

                i = zv.Length * Vector<T>.Count;
            }

            for (; i < z.Length; i++)
            {
                a[i] = System.Collections.Generic.Comparer<T>.Default.Compare(z[i], default) > 0 ? z[i] : default;
            }
        }

        /// <summary>
        /// δ ← h'(z) ⊙ g for a Relu layer: each element as <c>(z &gt; 0 ? 1 : 0) * g</c> computes it, so the bits of that
        /// loop (NaN in z gives 0 · g). Batch paths call it per sample: the loop's branch on the sign of z mispredicted
        /// about every other element of a trained layer and took about 3 ns per element (784-128-10, batch 64: 15 µs of
        /// a minibatch on one thread).
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="upstream"/> or <paramref name="delta"/> is shorter than <paramref name="z"/>; nothing is written.</exception>
        [MethodImpl(CompileOptions.Optimized)]
        public static void ReluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> upstream, Span<float> delta)
        {
            int i = ReluBackwardVectors(z, upstream, delta);
            for (; i < z.Length; i++)
            {
                delta[i] = (z[i] > 0f ? 1f : 0f) * upstream[i];
            }
        }

        /// <inheritdoc cref="ReluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
        [MethodImpl(CompileOptions.Optimized)]
        public static void ReluBackward(ReadOnlySpan<double> z, ReadOnlySpan<double> upstream, Span<double> delta)
        {
            int i = ReluBackwardVectors(z, upstream, delta);
            for (; i < z.Length; i++)
            {
                delta[i] = (z[i] > 0.0 ? 1.0 : 0.0) * upstream[i];
            }
        }

        /// <summary>
        /// δ ← h'(z) ⊙ g for an Elu layer from its z and a: each element as <c>(z &lt; 0 ? a + α : 1) * g</c> computes it
        /// (α e^z = a + α where z &lt; 0), so the bits of that loop, without its branch on the sign of z.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="a"/>, <paramref name="upstream"/> or <paramref name="delta"/> is shorter than <paramref name="z"/>; nothing is written.</exception>
        [MethodImpl(CompileOptions.Optimized)]
        public static void EluBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> upstream, Span<float> delta, float alpha)
        {
            int i = EluBackwardVectors(z, a, upstream, delta, alpha);
            for (; i < z.Length; i++)
            {
                delta[i] = (z[i] < 0f ? a[i] + alpha : 1f) * upstream[i];
            }
        }

        /// <inheritdoc cref="EluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, float)"/>
        [MethodImpl(CompileOptions.Optimized)]
        public static void EluBackward(ReadOnlySpan<double> z, ReadOnlySpan<double> a, ReadOnlySpan<double> upstream, Span<double> delta, double alpha)
        {
            int i = EluBackwardVectors(z, a, upstream, delta, alpha);
            for (; i < z.Length; i++)
            {
                delta[i] = (z[i] < 0.0 ? a[i] + alpha : 1.0) * upstream[i];
            }
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static int EluBackwardVectors<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> upstream, Span<T> delta, T alpha)
            where T : unmanaged
        {
            if (a.Length < z.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(a), z.Length, a.Length);
            }

            RequireBackwardSpans(z.Length, upstream.Length, delta.Length);
            if (!Vector.IsHardwareAccelerated)
            {
                return 0;
            }

            ReadOnlySpan<Vector<T>> zv = MemoryMarshal.Cast<T, Vector<T>>(z);
            ReadOnlySpan<Vector<T>> av = MemoryMarshal.Cast<T, Vector<T>>(a.Slice(0, z.Length));
            ReadOnlySpan<Vector<T>> gv = MemoryMarshal.Cast<T, Vector<T>>(upstream.Slice(0, z.Length));
            Span<Vector<T>> dv = MemoryMarshal.Cast<T, Vector<T>>(delta.Slice(0, z.Length));
            var alphas = new Vector<T>(alpha);
            for (int v = 0; v < zv.Length; v++)
            {
                dv[v] = Vector.ConditionalSelect(Vector.LessThan(zv[v], Vector<T>.Zero), av[v] + alphas, Vector<T>.One) * gv[v];
            }

            return zv.Length * Vector<T>.Count;
        }

        // The backward kernels' shared checks: g and δ hold at least as many values as z, else nothing is written.
        [MethodImpl(CompileOptions.Optimized)]
        private static void RequireBackwardSpans(int length, int upstreamLength, int deltaLength)
        {
            if (upstreamLength < length)
            {
                throw SpanGuard.LengthMismatch("upstream", length, upstreamLength);
            }

            if (deltaLength < length)
            {
                throw SpanGuard.LengthMismatch("delta", length, deltaLength);
            }
        }

        // The whole vectors (after the length checks): a compare and a select give the 1 or 0, then the same multiply.
        // Returns how many elements they cover.
        [MethodImpl(CompileOptions.Optimized)]
        private static int ReluBackwardVectors<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> upstream, Span<T> delta)
            where T : unmanaged
        {
            RequireBackwardSpans(z.Length, upstream.Length, delta.Length);
            if (!Vector.IsHardwareAccelerated)
            {
                return 0;
            }

            ReadOnlySpan<Vector<T>> zv = MemoryMarshal.Cast<T, Vector<T>>(z);
            ReadOnlySpan<Vector<T>> gv = MemoryMarshal.Cast<T, Vector<T>>(upstream.Slice(0, z.Length));
            Span<Vector<T>> dv = MemoryMarshal.Cast<T, Vector<T>>(delta.Slice(0, z.Length));
            for (int v = 0; v < zv.Length; v++)
            {
                dv[v] = Vector.ConditionalSelect(Vector.GreaterThan(zv[v], Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero) * gv[v];
            }

            return zv.Length * Vector<T>.Count;
        }

        /// <summary>
        /// a ← α (e^z − 1) for z &lt; 0, z otherwise, with e^z from <see cref="FastMath.Exp(float)"/> as unrolled Elu
        /// neurons take it: the same bits on every operating system (MathF.Exp is the C library's).
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Elu(ReadOnlySpan<float> z, Span<float> a, float alpha)
        {
            for (int i = 0; i < z.Length; i++)
            {
                a[i] = z[i] < 0f ? alpha * (FastMath.Exp(z[i]) - 1f) : z[i];
            }
        }

        /// <summary>a ← α (e^z − 1) for z &lt; 0, z otherwise, with e^z from <see cref="FastMath.Exp(double)"/> as unrolled Elu neurons take it.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Elu(ReadOnlySpan<double> z, Span<double> a, double alpha)
        {
            for (int i = 0; i < z.Length; i++)
            {
                a[i] = z[i] < 0.0 ? alpha * (FastMath.Exp(z[i]) - 1.0) : z[i];
            }
        }

        /// <summary>
        /// Softmax with the maximum subtracted: e ← e^(z − m), a ← e / s; returns m = max z and
        /// s = Σ e, which the stable losses need.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static (float Max, float Sum) Softmax(ReadOnlySpan<float> z, Span<float> e, Span<float> a)
        {
            RequireSoftmaxSpans(z.Length, e.Length, a.Length);

            // The same bits on every machine: FastMath.Exp in every lane (as unrolled layers), and the sum in four
            // fixed chains. TensorPrimitives' Exp and Sum change with the vector width, so a snapshot's or a baked
            // network's softmax outputs differed in the last bit between AVX-512, AVX2 and 128-bit machines.
            float max = z[0];
            for (int i = 1; i < z.Length; i++)
            {
                max = MathF.Max(max, z[i]);
            }

            FastMath.ExpShifted(z, max, e);
            float sum = SumInFourChains(e.Slice(0, z.Length));
            VectorLoops.DivideBy(e.Slice(0, z.Length), sum, a);

            return (max, sum);
        }

        /// <summary>
        /// Softmax with the maximum subtracted: e ← e^(z − m), a ← e / s; returns m = max z and
        /// s = Σ e, which the stable losses need.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static (double Max, double Sum) Softmax(ReadOnlySpan<double> z, Span<double> e, Span<double> a)
        {
            RequireSoftmaxSpans(z.Length, e.Length, a.Length);

            // FastMath.Exp one value at a time and the sum in four fixed chains: the same bits at every vector width
            // (TensorPrimitives' Exp and Sum change with it) and on every operating system (Math.Exp does not).
            double max = z[0];
            for (int i = 1; i < z.Length; i++)
            {
                max = Math.Max(max, z[i]);
            }

            for (int i = 0; i < z.Length; i++)
            {
                e[i] = FastMath.Exp(z[i] - max);
            }

            double sum = SumInFourChains(e.Slice(0, z.Length));
            VectorLoops.DivideBy(e.Slice(0, z.Length), sum, a);

            return (max, sum);
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void RequireSoftmaxSpans(int z, int e, int a)
        {
            if (e < z)
            {
                throw SpanGuard.LengthMismatch(nameof(e), z, e);
            }

            if (a < z)
            {
                throw SpanGuard.LengthMismatch(nameof(a), z, a);
            }
        }

        // Σ x[i] as four running sums over the indices i mod 4, then (s0 + s1) + (s2 + s3): an order that no vector
        // width changes.
        [MethodImpl(CompileOptions.Optimized)]
        private static float SumInFourChains(ReadOnlySpan<float> x)
        {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            int i = 0;
            for (; i + 4 <= x.Length; i += 4)
            {
                s0 += x[i];
                s1 += x[i + 1];
                s2 += x[i + 2];
                s3 += x[i + 3];
            }

            s0 += i < x.Length ? x[i] : 0f;
            s1 += i + 1 < x.Length ? x[i + 1] : 0f;
            s2 += i + 2 < x.Length ? x[i + 2] : 0f;
            return (s0 + s1) + (s2 + s3);
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static double SumInFourChains(ReadOnlySpan<double> x)
        {
            double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
            int i = 0;
            for (; i + 4 <= x.Length; i += 4)
            {
                s0 += x[i];
                s1 += x[i + 1];
                s2 += x[i + 2];
                s3 += x[i + 3];
            }

            s0 += i < x.Length ? x[i] : 0.0;
            s1 += i + 1 < x.Length ? x[i + 1] : 0.0;
            s2 += i + 2 < x.Length ? x[i + 2] : 0.0;
            return (s0 + s1) + (s2 + s3);
        }
    }
}
