using System;
#if NET8_0_OR_GREATER
using System.Numerics;
#endif
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// e^x and tanh x in double as NnGen's own arithmetic. Math.Exp and Math.Tanh are the operating system's C library
    /// (glibc, the Windows CRT, macOS's libm), which differ in the last bit, so a double network that called them gave
    /// different outputs on Linux, Windows and macOS. These are plain multiplies, adds, one floor and one division, the
    /// same operations in the same order everywhere: the same bits on every operating system and CPU. Every constant is
    /// the double nearest the exact value, computed at 200 bits (mpmath).
    /// </summary>
    public static partial class FastMath
    {
        // e^x = 2^m · 2^(j/64) · e^r with k = 64 m + j the integer nearest x · 64 / ln 2 and r = x − k ln 2 / 64, |r| ≤ ln 2 / 128
        // (Tang's table method). ln 2 / 64 is split in two, the first with 36 significant bits, so that k · ExpStepHigh is
        // exact for every k this code meets (|k| < 2¹⁷) and x − k · ExpStepHigh too (Sterbenz).
        private const double ExpStepsPerUnit = 92.33248261689366;
        private const double ExpStepHigh = 0.010830424696223417;
        private const double ExpStepLow = 2.572804622327669e-14;

        // x · 64 / ln 2 + 1.5 · 2⁵² rounds x · 64 / ln 2 to the nearest integer, in the low bits of the sum: no Floor and no
        // conversion instruction, which took a third of the time.
        private const double RoundingShift = 6755399441055744.0;

        // Past these, e^x is +∞ (above ln(2¹⁰²⁴) ≈ 709.78) or rounds to 0 (below ln(2⁻¹⁰⁷⁵) ≈ −745.13) in double;
        // clamping keeps m, and so 2^(m/2), in range.
        private const double ExpHighDouble = 710.0;
        private const double ExpLowDouble = -746.0;

        // Cody and Waite's reduction for tanh: y = n ln 2 + r with n the integer nearest y / ln 2, |r| ≤ ln 2 / 2, and ln 2
        // split in two as PortableMath.Log splits it (n · Ln2High is exact for |n| < 2¹¹).
        private const double Log2EDouble = 1.4426950408889634;

        // 1/j! for j = 2 … 13: the Taylor polynomial of e^r − 1 to degree 13 leaves at most 1e-17 of relative error
        // for |r| ≤ ln 2 / 2, a tenth of double's rounding. Tanh takes no table, so its vector form needs no gather.
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

        // tanh x rounds to ±1 in double for |x| > 19.1; below 2⁻²⁸ it rounds to x (x³/3 is under half an ulp of x).
        private const double TanhOneDouble = 22.0;
        private const double TanhTinyDouble = 3.725290298461914e-09;

        /// <summary>
        /// e^x in double, within 0.52 ulp of the exact value wherever the result is a normal double (0.514 at worst over
        /// 900,000 arguments against 200-bit values; glibc's exp 0.505), subnormal results within one subnormal step; +∞
        /// above 709.78, 0 below −745.13, NaN for NaN. Double softmax, logistic and Elu layers call it in place of
        /// Math.Exp, so their outputs do not depend on the operating system.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static double Exp(double x)
        {
            // Inside ±708 the result is a normal double (e^−708 ≈ 1.5 · 2⁻¹⁰²²), and so is v · 2^m: m is added to v's
            // exponent field, exactly what a multiply would give. NaN fails the comparison and goes the long way.
            if (Math.Abs(x) < 708.0)
            {
                double v = ExpMantissa(x, out int m);
                return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(v) + ((long)m << 52));
            }

            return ExpOutside(x);
        }

        // e^x past ±708, or NaN: clamped (comparisons are false for NaN, which the polynomial keeps NaN), and scaled by 2^m
        // as two factors 2^(m/2) and 2^(m − m/2), each a normal double, so results that overflow become +∞ and results
        // below double's normal range round once, as subnormals.
        [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
        private static double ExpOutside(double x)
        {
            x = x > ExpHighDouble ? ExpHighDouble : x < ExpLowDouble ? ExpLowDouble : x;
            double v = ExpMantissa(x, out int m);
            int half = m / 2;
            return v * Pow2Double(half) * Pow2Double(m - half);
        }

        // v in [0.99, 2) and m with e^x = v · 2^m, v within half an ulp and a little.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static double ExpMantissa(double x, out int m)
        {
            double shifted = (x * ExpStepsPerUnit) + RoundingShift;
            double n = shifted - RoundingShift;
            int k = (int)BitConverter.DoubleToInt64Bits(shifted);
            double r = (x - (n * ExpStepHigh)) - (n * ExpStepLow);

            // e^r − 1 = r + r² q(r) to degree 6 (the next term, r⁷/7!, is below 1e-19), q in two independent halves.
            double r2 = r * r;
            double p = r + (r2 * ((T2 + (r * T3)) + (r2 * ((T4 + (r * T5)) + (r2 * T6)))));

            // 2^(j/64) (1 + p) = t + (t_low + t p), with 2^(j/64) = t + t_low to 106 bits: one rounding that counts.
            m = k >> 6;
#if NET8_0_OR_GREATER
            ref double pair = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ExpTable), (k & 63) * 2);
            double t = pair;
            return t + (Unsafe.Add(ref pair, 1) + (t * p));
#else
            int j = (k & 63) * 2;
            double t = ExpTable[j];
            return t + (ExpTable[j + 1] + (t * p));
#endif
        }

        /// <summary>
        /// tanh x in double, within 2.5 ulp of the exact value (2.41 at worst over 900,000 arguments against 200-bit
        /// values; glibc's tanh 2.1); ±1 beyond ±19.1, x itself for |x| &lt; 2⁻²⁸ (±0 included), NaN for NaN. Double tanh
        /// layers call it in place of Math.Tanh, so their outputs do not depend on the operating system.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
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

        /// <summary>
        /// a[i] = tanh z[i] with the bits of <see cref="Tanh(double)"/>, a Vector&lt;double&gt; at a time where the target
        /// has the vectors (the same operations in the same order in every lane); a may be z. Vectorised double tanh
        /// layers call it.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Tanh(ReadOnlySpan<double> z, Span<double> a)
        {
            if (a.Length < z.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(a), z.Length, a.Length);
            }

            int i = 0;
#if NET8_0_OR_GREATER
            if (Vector.IsHardwareAccelerated)
            {
                ReadOnlySpan<Vector<double>> zv = MemoryMarshal.Cast<double, Vector<double>>(z);
                Span<Vector<double>> av = MemoryMarshal.Cast<double, Vector<double>>(a);
                for (int v = 0; v < zv.Length; v++)
                {
                    av[v] = Tanh(zv[v]);
                }

                i = zv.Length * Vector<double>.Count;
            }
#endif
            for (; i < z.Length; i++)
            {
                a[i] = Tanh(z[i]);
            }
        }

#if NET8_0_OR_GREATER
        // Tanh(double) in every lane: the same multiplies, adds, floor and division in the same order, and the scalar's
        // branches as selects at the end (a lane past ±22, below 2⁻²⁸ or NaN computes garbage first, then is replaced).
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static Vector<double> Tanh(Vector<double> x)
        {
            Vector<double> ax = Vector.Abs(x);
            Vector<double> y = Vector.Min(ax + ax, new Vector<double>(2 * TanhOneDouble));
            Vector<double> n = Vector.Floor((y * Log2EDouble) + new Vector<double>(0.5));
            Vector<double> r = (y - (n * PortableMath.Ln2High)) - (n * PortableMath.Ln2Low);
            Vector<double> r2 = r * r;
            Vector<double> r4 = r2 * r2;
            Vector<double> r8 = r4 * r4;
            Vector<double> b0 = (new Vector<double>(T2) + (new Vector<double>(T3) * r)) + ((new Vector<double>(T4) + (new Vector<double>(T5) * r)) * r2);
            Vector<double> b1 = (new Vector<double>(T6) + (new Vector<double>(T7) * r)) + ((new Vector<double>(T8) + (new Vector<double>(T9) * r)) * r2);
            Vector<double> b2 = (new Vector<double>(T10) + (new Vector<double>(T11) * r)) + ((new Vector<double>(T12) + (new Vector<double>(T13) * r)) * r2);
            Vector<double> p = r + (r2 * ((b0 + (b1 * r4)) + (b2 * r8)));

            // 2^n for the integer n in [0, 44]: n + 2⁵² + 1023 holds n + 1023 in its low bits, which the shift moves
            // into the exponent field and the rest out of the word.
            Vector<double> scale = Vector.AsVectorDouble(Vector.ShiftLeft(Vector.AsVectorInt64(n + new Vector<double>(4503599627371519.0)), 52));
            Vector<double> u = (scale - Vector<double>.One) + (scale * p);
            Vector<double> t = u / (u + new Vector<double>(2.0));

            t = Vector.ConditionalSelect(Vector.LessThan(ax, new Vector<double>(TanhOneDouble)), t, Vector<double>.One);
            t = Vector.ConditionalSelect(Vector.LessThan(ax, new Vector<double>(TanhTinyDouble)), ax, t);
            Vector<long> sign = Vector.AsVectorInt64(x) & new Vector<long>(long.MinValue);
            t = Vector.AsVectorDouble(Vector.AsVectorInt64(t) | sign);
            return Vector.ConditionalSelect(Vector.Equals(x, x), t, x);
        }
#endif

        // e^r − 1 for r = y − n ln 2 (|r| ≤ ln 2 / 2): r is rounded once, after the exact y − n · PortableMath.Ln2High, and the
        // polynomial r + r² q(r) is evaluated by Estrin's scheme, whose independent products the CPU overlaps (a Horner
        // chain of eleven steps took 13 ns a call here, this 10).
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static double ExpMinusOneReduced(double n, double y)
        {
            double r = (y - (n * PortableMath.Ln2High)) - (n * PortableMath.Ln2Low);
            double r2 = r * r;
            double r4 = r2 * r2;
            double r8 = r4 * r4;
            double b0 = (T2 + (T3 * r)) + ((T4 + (T5 * r)) * r2);
            double b1 = (T6 + (T7 * r)) + ((T8 + (T9 * r)) * r2);
            double b2 = (T10 + (T11 * r)) + ((T12 + (T13 * r)) * r2);
            return r + (r2 * ((b0 + (b1 * r4)) + (b2 * r8)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static double Pow2Double(int k) => BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);

        // 2^(j/64) for j = 0 … 63, each as the nearest double t and the double t_low nearest 2^(j/64) − t.
        private static readonly double[] ExpTable =
        {
            1.0, 0.0,
            1.0108892860517005, -1.5234778603368577e-17,
            1.0218971486541166, 5.109225028973444e-17,
            1.0330248790212284, 7.600838874027088e-18,
            1.0442737824274138, 8.551889705537965e-17,
            1.0556451783605572, 1.759325738772092e-18,
            1.0671404006768237, -7.899853966841582e-17,
            1.0787607977571199, -6.656660436056593e-17,
            1.0905077326652577, -3.046782079812471e-17,
            1.102382583307841, 5.2660368715706944e-17,
            1.1143867425958924, 1.0410278456845571e-16,
            1.1265216186082418, 5.165856758795457e-17,
            1.1387886347566916, 8.912812676025408e-17,
            1.1511892299529827, 3.250710218863827e-17,
            1.1637248587775775, 3.8292048369240935e-17,
            1.1763969916502812, 5.554203254218079e-17,
            1.189207115002721, 3.982015231465646e-17,
            1.202156731452703, 6.644981499252301e-17,
            1.215247359980469, -7.712630692681488e-17,
            1.22848053610687, -1.89878163130253e-17,
            1.241857812073484, 4.658027591836937e-17,
            1.255380757024691, -6.7113898212968784e-18,
            1.2690509571917332, 2.667932131342186e-18,
            1.2828700160787783, 1.713594918243561e-17,
            1.2968395546510096, 2.5382502794888315e-17,
            1.3109612115247644, -7.181536135519454e-17,
            1.3252366431597413, -2.8587312100388614e-17,
            1.339667524053303, 8.927282594831732e-17,
            1.3542555469368927, 7.70094837980299e-17,
            1.3690024229745905, 9.593797919118849e-17,
            1.383909881963832, -6.770511658794786e-17,
            1.3989796725383112, -9.614213209051323e-17,
            1.4142135623730951, -9.667293313452913e-17,
            1.42961333839197, -1.2031642489053655e-17,
            1.4451808069770467, -3.0237581349939873e-17,
            1.460917794180647, -5.600377186075216e-17,
            1.4768261459394993, -3.483994556892796e-17,
            1.4929077282912648, 1.4192920154284036e-17,
            1.5091644275934228, -1.016455327754295e-16,
            1.5255981507445384, -1.1024941712342561e-16,
            1.5422108254079407, 7.949834809697621e-17,
            1.559004400237837, 3.7812070533575275e-17,
            1.5759808451078865, -1.0136916471278304e-17,
            1.593142151342267, -1.0094406542311964e-16,
            1.6104903319492543, 2.4707192569797888e-17,
            1.6280274218573478, -6.712955084707084e-17,
            1.645755478153965, -1.0125679913674773e-16,
            1.6636765803267364, 5.8909926967131e-17,
            1.681792830507429, 8.199010020581497e-17,
            1.7001063537185235, -8.0237193703977e-18,
            1.718619298122478, -1.851380418263111e-17,
            1.7373338352737062, 3.164389299292957e-17,
            1.7562521603732995, 2.960140695448873e-17,
            1.7753764925265212, 6.429731796556572e-17,
            1.7947090750031072, 1.8227458427912087e-17,
            1.8142521755003989, -9.969531538920349e-17,
            1.8340080864093424, 3.283107224245627e-17,
            1.8539791250833855, 9.761887490727594e-17,
            1.8741676341103, -6.122763413004143e-17,
            1.8945759815869656, 3.4034035352165297e-17,
            1.9152065613971474, -1.0619946056195963e-16,
            1.9360617934922943, 1.0332385960676326e-16,
            1.9571441241754002, 8.960767791036668e-17,
            1.978456026387951, 4.0388753109278167e-17,
        };
    }
}
