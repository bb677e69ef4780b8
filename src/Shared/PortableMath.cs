using System;
using System.Runtime.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// ln x as plain arithmetic: the same bits on every operating system and CPU, where Math.Log is the C library's
    /// (glibc, the Windows CRT and macOS's libm differ in the last bit). Compiled into the runtime (FastMath.Log, for the
    /// losses) and the generator (the constant ln Max of a logistic output's loss), so generated code does not depend on
    /// the machine that builds it either. Every constant is the double nearest the exact value.
    /// </summary>
    internal static class PortableMath
    {
        // 2 atanh s = 2s + 2s³/3 + 2s⁵/5 + …: with s = f / (2 + f) and f = m − 1 for m in [√2/2, √2), s² ≤ 0.0295, and the
        // terms to s²³ leave under 1e-18 of relative error. Each is 2 / (2k + 1), the double nearest it.
        private const double L3 = 0.6666666666666666;
        private const double L5 = 0.4;
        private const double L7 = 0.2857142857142857;
        private const double L9 = 0.2222222222222222;
        private const double L11 = 0.18181818181818182;
        private const double L13 = 0.15384615384615385;
        private const double L15 = 0.13333333333333333;
        private const double L17 = 0.11764705882352941;
        private const double L19 = 0.10526315789473684;
        private const double L21 = 0.09523809523809523;
        private const double L23 = 0.08695652173913043;
        private const double Sqrt2 = 1.4142135623730951;

        /// <summary>ln 2 in two parts, the first with 42 significant bits, so that n · Ln2High is exact for every |n| &lt; 2¹¹.</summary>
        public const double Ln2High = 0.6931471805598903;

        /// <summary>ln 2 − <see cref="Ln2High"/>, the double nearest it.</summary>
        public const double Ln2Low = 5.497923018708371e-14;
        private const double TwoTo54 = 18014398509481984.0;

        // Log runs in every cross-entropy loss and Pow in every Adam step: compiled optimised at their first call.

        /// <summary>
        /// x^n for n ≥ 0 by repeated squaring: about 2 log₂ n roundings, the same on every machine, where Math.Pow is the C
        /// library's. Adam's bias corrections (1 − β^t) and the stepped learning rates take it, so a training run on Windows
        /// gives the weights it gives on Linux.
        /// </summary>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public static double Pow(double x, int n)
        {
            if (n < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(n), n, "The exponent must be 0 or more.");
            }

            double result = 1.0;
            double power = x;
            while (n != 0)
            {
                if ((n & 1) != 0)
                {
                    result *= power;
                }

                n >>= 1;
                if (n != 0)
                {
                    power *= power;
                }
            }

            return result;
        }

        /// <summary>ln x in double, within 0.87 ulp of the exact value; −∞ for ±0, NaN below 0 and for NaN, +∞ for +∞.</summary>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public static double Log(double x)
        {
            long bits = BitConverter.DoubleToInt64Bits(x);
            int e = 0;

            // Negative numbers (the sign bit), zeros, subnormals, infinities and NaN lie outside the normal positive range.
            if (bits < 0x0010000000000000L || bits >= 0x7FF0000000000000L)
            {
                if (x == 0.0)
                {
                    return double.NegativeInfinity;
                }

                if (!(x > 0.0) || double.IsPositiveInfinity(x))
                {
                    return x > 0.0 ? x : double.NaN;
                }

                // A subnormal, made normal: ln x = ln(x · 2⁵⁴) − 54 ln 2.
                x *= TwoTo54;
                bits = BitConverter.DoubleToInt64Bits(x);
                e = -54;
            }

            // x = 2^e · m with m in [√2/2, √2): m from x's fraction bits with the exponent of 1, halved (exactly) past √2.
            e += (int)(bits >> 52) - 1023;
            double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
            if (m > Sqrt2)
            {
                m *= 0.5;
                e++;
            }

            // ln m = 2 atanh s = 2s + s R(s²) and 2s = f − s f, so ln m = f − c with c = s (f − R): f is exact (Sterbenz),
            // and the correction c, about f²/2, carries all the rounding, far below f's last bit. R by Estrin's scheme.
            double f = m - 1.0;
            double s = f / (2.0 + f);
            double z = s * s;
            double z2 = z * z;
            double z4 = z2 * z2;
            double z8 = z4 * z4;
            double q0 = (L3 + (L5 * z)) + ((L7 + (L9 * z)) * z2);
            double q1 = (L11 + (L13 * z)) + ((L15 + (L17 * z)) * z2);
            double q2 = (L19 + (L21 * z)) + (L23 * z2);
            double r = z * ((q0 + (q1 * z4)) + (q2 * z8));
            double c = s * (f - r);

            // e ln 2 + f − c with ln 2 in two parts: e · Ln2HighDouble is exact (|e| < 2¹¹), and so is the rounding error of
            // its sum with f (Fast2Sum: |e ln 2| ≥ |f| wherever e ≠ 0, and the error is 0 where e = 0), which joins the small
            // terms: one rounding counts, even where e ln 2 and f nearly cancel (x near 0.7).
            double a = e * Ln2High;
            double high = a + f;
            double low = ((a - high) + f) + ((e * Ln2Low) - c);
            return high + low;
        }

    }
}
