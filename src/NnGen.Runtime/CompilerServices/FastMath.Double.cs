using System;
using System.Runtime.CompilerServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// e^x and tanh x in double as NnGen's own arithmetic. Math.Exp and Math.Tanh are the operating system's C library
    /// (glibc, the Windows CRT, macOS's libm), which differ in the last bit, so a double network that called them gave
    /// different outputs on Linux, Windows and macOS. These are plain multiplies, adds and one division, the same
    /// operations in the same order everywhere: the same bits on every operating system and CPU.
    /// </summary>
    public static partial class FastMath
    {
        // Cody and Waite's reduction: x = n ln 2 + r with n the nearest integer to x / ln 2, |r| ≤ ln 2 / 2. ln 2 is split
        // in two, the first with 42 significant bits, so that n · Ln2HighDouble is exact for every |n| < 2¹¹ (all this
        // code uses) and x − n · Ln2HighDouble too (Sterbenz). Both halves, 1 / ln 2 and the Taylor coefficients 1/j!
        // below are the doubles nearest the exact values (computed at 200 bits).
        private const double Log2EDouble = 1.4426950408889634;
        private const double Ln2HighDouble = 0.6931471805598903;
        private const double Ln2LowDouble = 5.497923018708371e-14;

        // 1/j! for j = 2 … 13: the Taylor polynomial of e^r − 1 to degree 13 leaves at most 1e-17 of relative error
        // for |r| ≤ ln 2 / 2, a tenth of double's rounding.
        private const double T2 = 0.5;
        private const double T3 = 0.16666666666666666;
        private const double T4 = 0.041666666666666664;
        private const double T5 = 0.008333333333333333;
        private const double T6 = 0.001388888888888889;
        private const double T7 = 0.0001984126984126984;
        private const double T8 = 2.48015873015873e-05;
        private const double T9 = 2.7557319223985893e-06;
        private const double T10 = 2.755731922398589e-07;
        private const double T11 = 2.505210838544172e-08;
        private const double T12 = 2.08767569878681e-09;
        private const double T13 = 1.6059043836821613e-10;

        // Past these, e^x is +∞ (above ln(2¹⁰²⁴) ≈ 709.78) or rounds to 0 (below ln(2⁻¹⁰⁷⁵) ≈ −745.13) in double;
        // clamping keeps n, and so 2^(n/2), in range.
        private const double ExpHighDouble = 710.0;
        private const double ExpLowDouble = -746.0;

        // tanh x rounds to ±1 in double for |x| > 19.1; below 2⁻²⁸ it rounds to x (x³/3 is under half an ulp of x).
        private const double TanhOneDouble = 22.0;
        private const double TanhTinyDouble = 3.725290298461914e-09;

        /// <summary>
        /// e^x in double, within 1 ulp of the exact value wherever the result is a normal double (FastMathTests: at most
        /// 1 ulp from Math.Exp over millions of arguments), subnormal results within one subnormal step; +∞ above 709.78,
        /// 0 below −745.13, NaN for NaN. Double softmax, logistic and Elu layers call it in place of Math.Exp, so their
        /// outputs do not depend on the operating system.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Exp(double x)
        {
            // Comparisons are false for NaN: NaN passes unclamped, and the polynomial keeps it NaN.
            x = x > ExpHighDouble ? ExpHighDouble : x < ExpLowDouble ? ExpLowDouble : x;
            double n = Math.Floor((x * Log2EDouble) + 0.5);
            double p = ExpMinusOneReduced(n, x);

            // 2^n as two factors 2^(n/2) and 2^(n − n/2), each a normal double, so results that overflow become +∞
            // and results below double's normal range round once, as subnormals.
            int k = (int)n;
            int half = k / 2;
            return (1.0 + p) * Pow2Double(half) * Pow2Double(k - half);
        }

        /// <summary>
        /// tanh x in double, within 2 ulp of the exact value (FastMathTests: at most 2 ulp from Math.Tanh over millions
        /// of arguments); ±1 beyond ±19.1, x itself for |x| &lt; 2⁻²⁸ (±0 included), NaN for NaN. Double tanh layers call
        /// it in place of Math.Tanh, so their outputs do not depend on the operating system.
        /// </summary>
        public static double Tanh(double x)
        {
            double ax = Math.Abs(x);
            if (!(ax < TanhOneDouble))
            {
                return double.IsNaN(x) ? x : x < 0.0 ? -1.0 : 1.0;
            }

            if (ax < TanhTinyDouble)
            {
                return x;
            }

            // tanh |x| = u / (u + 2) with u = e^(2|x|) − 1: no cancellation at any |x| (1 − 2 / (e^(2|x|) + 1) loses the
            // low bits of small values), and u's own error reaches the quotient shrunk by 2 / (u + 2) ≤ 1.
            double y = ax + ax;
            double n = Math.Floor((y * Log2EDouble) + 0.5);
            double p = ExpMinusOneReduced(n, y);

            // e^y − 1 = 2^n (1 + p) − 1 = (2^n − 1) + 2^n p: 2^n p is exact, and so is 2^n − 1 up to n = 53 (n ≤ 64 here;
            // past 53 the quotient is 1 to the last bit anyway), so one rounding.
            double scale = Pow2Double((int)n);
            double u = (scale - 1.0) + (scale * p);
            double t = u / (u + 2.0);
            return x < 0.0 ? -t : t;
        }

        // e^r − 1 for r = x − n ln 2 (|r| ≤ ln 2 / 2), as r + r² (1/2 + r (1/6 + …)): r is rounded once, after the exact
        // x − n · Ln2HighDouble, and the Horner steps add terms far smaller than r, so their rounding barely shows.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double ExpMinusOneReduced(double n, double x)
        {
            double r = (x - (n * Ln2HighDouble)) - (n * Ln2LowDouble);
            double q = (T12 + (T13 * r)) * r;
            q = (T11 + q) * r;
            q = (T10 + q) * r;
            q = (T9 + q) * r;
            q = (T8 + q) * r;
            q = (T7 + q) * r;
            q = (T6 + q) * r;
            q = (T5 + q) * r;
            q = (T4 + q) * r;
            q = (T3 + q) * r;
            q = T2 + q;
            return r + ((r * r) * q);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static double Pow2Double(int k) => BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);
    }
}
