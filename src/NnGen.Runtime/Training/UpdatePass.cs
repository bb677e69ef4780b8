using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// One optimiser's arithmetic for one parameter (or one vector of them), written twice, as vectors of double and as
    /// a double, with the same operations in the same order so that both give the same bits. Its state (velocity,
    /// moments) is read at index i and written only when commit is true; when it is false, every new state value v is
    /// added to check as v · 0, which is 0 for a finite v and NaN otherwise.
    /// </summary>
    internal interface IUpdateRule
    {
        /// <summary>The new values of the parameters p[i .. i + Vector&lt;double&gt;.Count) from their summed gradients.</summary>
        Vector<double> Next(Vector<double> parameter, Vector<double> gradientSum, int i, bool commit, ref Vector<double> check);

        /// <summary>The new value of parameter i from its summed gradient.</summary>
        double Next(double parameter, double gradientSum, int i, bool commit, ref double check);
    }

    /// <summary>
    /// The loop of an optimiser's step over the flat parameters, float or double: each value read as a double (exactly),
    /// updated by the rule in double, stored rounded to the parameters' type. With commit false it writes nothing and says
    /// whether every new parameter, in its own type, and every new state value is finite; with commit true it writes them.
    /// Vectors where the runtime accelerates them, then a scalar tail (or only the scalar loop where it does not).
    /// </summary>
    internal static class UpdatePass
    {
        // The smallest normal double, 2^−1022.
        private const double SmallestNormal = 2.2250738585072014E-308;

        /// <summary>
        /// x, or 0 where |x| is below the smallest normal double. Optimiser state that no gradient feeds decays
        /// geometrically (Adam's first moment and momentum's velocity by 0.9 a step) and would reach the subnormals after
        /// about 7,000 steps; arithmetic on subnormals is slow on many CPUs (2.4 times slower steps on a Zen 3, far more on
        /// CPUs that take a microcode assist per operation), so a long reinforcement-learning run would slow down by itself.
        /// What is lost is below 2.3e-308 in a moment or a velocity. NaN stays NaN.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector<double> FlushSubnormals(Vector<double> x) =>
            Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), new Vector<double>(SmallestNormal)), Vector<double>.Zero, x);

        /// <inheritdoc cref="FlushSubnormals(Vector{double})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static double FlushSubnormals(double x) => Math.Abs(x) < SmallestNormal ? 0 : x;

        [MethodImpl(CompileOptions.Optimized)]
        public static bool Run<T, TRule>(Span<T> parameters, ReadOnlySpan<T> gradientSum, ref TRule rule, bool commit, bool vectors = true)
            where T : unmanaged
            where TRule : struct, IUpdateRule
        {
            vectors &= Vector.IsHardwareAccelerated;
            return typeof(T) == typeof(float)
                ? RunSingle(MemoryMarshal.Cast<T, float>(parameters), MemoryMarshal.Cast<T, float>(gradientSum), ref rule, commit, vectors)
                : RunDouble(MemoryMarshal.Cast<T, double>(parameters), MemoryMarshal.Cast<T, double>(gradientSum), ref rule, commit, vectors);
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static bool RunDouble<TRule>(Span<double> parameters, ReadOnlySpan<double> gradientSum, ref TRule rule, bool commit, bool vectors)
            where TRule : struct, IUpdateRule
        {
            int i = 0;
            if (vectors)
            {
                Span<Vector<double>> p = MemoryMarshal.Cast<double, Vector<double>>(parameters);
                ReadOnlySpan<Vector<double>> g = MemoryMarshal.Cast<double, Vector<double>>(gradientSum.Slice(0, parameters.Length));
                Vector<double> check = Vector<double>.Zero;
                for (int k = 0; k < p.Length; k++)
                {
                    Vector<double> next = rule.Next(p[k], g[k], k * Vector<double>.Count, commit, ref check);
                    if (commit)
                    {
                        p[k] = next;
                    }
                    else
                    {
                        check += next * Vector<double>.Zero;
                    }
                }

                if (!commit && !Vector.EqualsAll(check, Vector<double>.Zero))
                {
                    return false;
                }

                i = p.Length * Vector<double>.Count;
            }

            double scalarCheck = 0;
            for (; i < parameters.Length; i++)
            {
                double next = rule.Next(parameters[i], gradientSum[i], i, commit, ref scalarCheck);
                if (commit)
                {
                    parameters[i] = next;
                }
                else
                {
                    scalarCheck += next * 0;
                }
            }

            return commit || scalarCheck == 0;
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static bool RunSingle<TRule>(Span<float> parameters, ReadOnlySpan<float> gradientSum, ref TRule rule, bool commit, bool vectors)
            where TRule : struct, IUpdateRule
        {
            int i = 0;
            if (vectors)
            {
                Span<Vector<float>> p = MemoryMarshal.Cast<float, Vector<float>>(parameters);
                ReadOnlySpan<Vector<float>> g = MemoryMarshal.Cast<float, Vector<float>>(gradientSum.Slice(0, parameters.Length));
                Vector<double> check = Vector<double>.Zero;
                Vector<float> singleCheck = Vector<float>.Zero;
                for (int k = 0; k < p.Length; k++)
                {
                    // Widen puts the lower half of the lanes in low: parameters i .. i + Vector<double>.Count.
                    int first = k * Vector<float>.Count;
                    Vector.Widen(p[k], out Vector<double> low, out Vector<double> high);
                    Vector.Widen(g[k], out Vector<double> gradientLow, out Vector<double> gradientHigh);
                    Vector<double> nextLow = rule.Next(low, gradientLow, first, commit, ref check);
                    Vector<double> nextHigh = rule.Next(high, gradientHigh, first + Vector<double>.Count, commit, ref check);

                    // Rounded as (float) rounds: to nearest, and to infinity beyond float's range, which the check then sees.
                    Vector<float> next = Vector.Narrow(nextLow, nextHigh);
                    if (commit)
                    {
                        p[k] = next;
                    }
                    else
                    {
                        singleCheck += next * Vector<float>.Zero;
                    }
                }

                if (!commit && !(Vector.EqualsAll(check, Vector<double>.Zero) && Vector.EqualsAll(singleCheck, Vector<float>.Zero)))
                {
                    return false;
                }

                i = p.Length * Vector<float>.Count;
            }

            double scalarCheck = 0;
            float singleScalarCheck = 0;
            for (; i < parameters.Length; i++)
            {
                float next = (float)rule.Next(parameters[i], gradientSum[i], i, commit, ref scalarCheck);
                if (commit)
                {
                    parameters[i] = next;
                }
                else
                {
                    singleScalarCheck += next * 0f;
                }
            }

            return commit || (scalarCheck == 0 && singleScalarCheck == 0);
        }
    }
}
