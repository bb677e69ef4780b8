using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif

namespace NnGen.CompilerServices
{
    /// <summary>
    /// Fast float activations for unrolled code, where a call to MathF.Tanh (about 8 ns) costs more
    /// than the multiply-adds of a small layer around it.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static partial class FastMath
    {
        // The clamped 13/6 rational minimax approximation of tanh used by Eigen (generic_fast_tanh_float).
        // Beyond ±7.905 tanh rounds to ±1 in float.
        private const float Clamp = 7.90531110763549805f;
        // fl(Clamp²): the exact product of two floats fits a double, so the compiler's folding rounds it once, as a float multiply does.
        private const float ClampSquared = Clamp * Clamp;
        private const float A1 = 4.89352455891786e-03f;
        private const float A3 = 6.37261928875436e-04f;
        private const float A5 = 1.48572235717979e-05f;
        private const float A7 = 5.12229709037114e-08f;
        private const float A9 = -8.60467152213735e-11f;
        private const float A11 = 2.00018790482477e-13f;
        private const float A13 = -2.76076847742355e-16f;
        private const float B0 = 4.89352518554385e-03f;
        private const float B2 = 2.26843463243900e-03f;
        private const float B4 = 1.18534705686654e-04f;
        private const float B6 = 1.19825839466702e-06f;

        /// <summary>
        /// tanh x, within 4e-7 (absolute and relative, about 3 ulp) of the exact value over the whole
        /// float range; NaN stays NaN. About a dozen multiply-adds and one division: no call, no branch
        /// but the clamp.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float Tanh(float x)
        {
            // Comparisons are false for NaN, so NaN passes through unclamped and comes out NaN.
            // x² is taken from x before the clamp and limited after it: rounding is monotone, so min(fl(c²), fl(x²))
            // is fl(clamp(x)²) for every x, ±∞ and NaN included, and the clamp leaves the chain that every later
            // step waits on (the vector form saves one instruction's latency per evaluation this way).
            float x2 = x * x;
            x2 = x2 > ClampSquared ? ClampSquared : x2;
            x = x > Clamp ? Clamp : x < -Clamp ? -Clamp : x;
            // Estrin's scheme: the odd numerator's six steps become three levels of independent
            // multiply-adds, so the CPU overlaps them instead of waiting on each in turn.
            float x4 = x2 * x2;
            float x8 = x4 * x4;
            float p01 = A1 + (A3 * x2);
            float p23 = A5 + (A7 * x2);
            float p45 = A9 + (A11 * x2);
            float p = x * (p01 + (x4 * p23) + (x8 * (p45 + (x4 * A13))));
            float q = B0 + (B2 * x2) + (x4 * (B4 + (B6 * x2)));
            return p / q;
        }

        /// <summary>
        /// tanh of four values at once, with the accuracy of <see cref="Tanh(float)"/>: one SIMD evaluation
        /// (Vector128) where the target has it, four scalar ones otherwise. Unrolled layers call it once
        /// per four neurons.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static (float, float, float, float) Tanh(float x0, float x1, float x2, float x3)
        {
#if NET8_0_OR_GREATER
            if (Vector128.IsHardwareAccelerated)
            {
                Vector128<float> v = Tanh128(Vector128.Create(x0, x1, x2, x3));
                return (v.GetElement(0), v.GetElement(1), v.GetElement(2), v.GetElement(3));
            }
#endif
            return (Tanh(x0), Tanh(x1), Tanh(x2), Tanh(x3));
        }

#if NET8_0_OR_GREATER
        /// <summary>
        /// tanh of each lane of x, bit for bit what <see cref="Tanh(float, float, float, float)"/> gives the same four
        /// values. The unrolled layers of baked networks and inference snapshots, which compute four neurons per vector,
        /// call it without taking the vector apart first.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector128<float> Tanh(Vector128<float> x)
        {
            if (Vector128.IsHardwareAccelerated)
            {
                return Tanh128(x);
            }

            return Vector128.Create(Tanh(x.GetElement(0)), Tanh(x.GetElement(1)), Tanh(x.GetElement(2)), Tanh(x.GetElement(3)));
        }

        /// <summary>
        /// tanh of each lane of x, bit for bit what <see cref="Tanh(ReadOnlySpan{float}, Span{float})"/> gives the same eight
        /// values. The InferenceValue of a network of one-panel tanh layers applies it to z in registers where AVX2 is the widest.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector256<float> Tanh(Vector256<float> x)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                return Tanh<Vector256<float>, Simd256<float>>(x);
            }

            return Vector256.Create(Tanh(x.GetLower()), Tanh(x.GetUpper()));
        }

        /// <summary>
        /// tanh of each lane of x, bit for bit what <see cref="Tanh(ReadOnlySpan{float}, Span{float})"/> gives the same sixteen
        /// values. The InferenceValue of a network of one-panel tanh layers applies it to z in registers.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static Vector512<float> Tanh(Vector512<float> x)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                return Tanh<Vector512<float>, Simd512<float>>(x);
            }

            return Vector512.Create(Tanh(x.GetLower()), Tanh(x.GetUpper()));
        }

#endif
        /// <summary>
        /// a[i] = tanh z[i] with the accuracy and the bits of <see cref="Tanh(float)"/>, 8 or 4 at a time where
        /// the target has the vectors. Vectorised float layers call it: TensorPrimitives.Tanh took 25 ns for a
        /// 16-neuron layer, more than the layer's 256 multiply-adds.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void Tanh(ReadOnlySpan<float> z, Span<float> a)
        {
            if (a.Length < z.Length)
            {
                throw SpanGuard.LengthMismatch(nameof(a), z.Length, a.Length);
            }

            int i = 0;
#if NET8_0_OR_GREATER
            ref float z0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(z);
            ref float a0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
            // No Vector512 here: the matrix kernels write z eight floats at a time, and a 512-bit load that
            // spans two 256-bit stores still in flight cannot be forwarded from them; it waits for both to
            // retire (measured: a 16 × 16 tanh layer took 45 ns with 512-bit loads here, 35 ns with 256-bit ones).
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 8 <= z.Length; i += 8)
                {
                    Tanh<Vector256<float>, Simd256<float>>(Vector256.LoadUnsafe(ref z0, (nuint)i)).StoreUnsafe(ref a0, (nuint)i);
                }
            }

            if (Vector128.IsHardwareAccelerated)
            {
                for (; i + 4 <= z.Length; i += 4)
                {
                    Tanh<Vector128<float>, Simd128<float>>(Vector128.LoadUnsafe(ref z0, (nuint)i)).StoreUnsafe(ref a0, (nuint)i);
                }
            }
#endif
            for (; i < z.Length; i++)
            {
                a[i] = Tanh(z[i]);
            }
        }

        // e^x = 2^n · e^r with n = ⌊x log2 e + ½⌋ and r = x − n ln 2 in [−ln 2 / 2, ln 2 / 2], ln 2 split in two so
        // that n · Ln2High is exact (Cody and Waite); e^r by Cephes' expf polynomial (Moshier).
        private const float Log2E = 1.44269504088896341f;
        private const float Ln2High = 0.693359375f;
        private const float Ln2Low = -2.12194440e-4f;
        private const float E6 = 1.9875691500e-4f;
        private const float E5 = 1.3981999507e-3f;
        private const float E4 = 8.3334519073e-3f;
        private const float E3 = 4.1665795894e-2f;
        private const float E2 = 1.6666665459e-1f;
        private const float E1 = 5.0000001201e-1f;

        // Past these, e^x is +∞ or rounds to 0 in float; clamping keeps n, and so 2^(n/2), in range.
        private const float ExpHigh = 89f;
        private const float ExpLow = -104f;

        /// <summary>
        /// e^x in float, within 1 ulp of the exact value wherever the result is a normal float (0.96 ulp at
        /// worst over 23 million arguments; FastMathTests allows 2), subnormal results within one subnormal step; +∞ above 88.72, 0 below −103.97, NaN for NaN. No call and no
        /// branch but the clamp: unrolled softmax and logistic layers call it in place of MathF.Exp, whose
        /// call costs more than the multiply-adds of a small layer.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static float Exp(float x)
        {
            // Comparisons are false for NaN: NaN passes unclamped, and the polynomial keeps it NaN.
            x = x > ExpHigh ? ExpHigh : x < ExpLow ? ExpLow : x;
            float n = MathF.Floor((x * Log2E) + 0.5f);
            float r = (x - (n * Ln2High)) - (n * Ln2Low);
            float r2 = r * r;
            float p = (((((((((((E6 * r) + E5) * r) + E4) * r) + E3) * r) + E2) * r) + E1) * r2) + r + 1f;

            // 2^n as two factors 2^(n/2) and 2^(n − n/2), each a normal float, so results that overflow
            // become +∞ and results below float's normal range round as subnormals, as MathF.Exp's do.
            // The two factors are written out rather than in a helper: unrolled layers call Exp dozens of times in one large
            // method, where the JIT stops inlining, and a helper left as a call in each inlined Exp costs more than Exp.
            int k = (int)n;
            int half = k / 2;
            return p * BitConverter.Int32BitsToSingle((half + 127) << 23) * BitConverter.Int32BitsToSingle((k - half + 127) << 23);
        }

#if NET8_0_OR_GREATER
        /// <summary>
        /// e^x of each lane, bit for bit what <see cref="Exp(float)"/> gives: the same operations in the same order
        /// (multiplies and adds, none fused; k / 2 rounded toward zero, as C#'s division). Softmax and logistic
        /// layers call it, so their outputs do not depend on the machine's vector width.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        internal static Vector256<float> Exp(Vector256<float> x)
        {
            x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpHigh)), Vector256.Create(ExpHigh), x);
            x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLow)), Vector256.Create(ExpLow), x);
            Vector256<float> n = Vector256.Floor((x * Log2E) + Vector256.Create(0.5f));
            Vector256<float> r = (x - (n * Ln2High)) - (n * Ln2Low);
            Vector256<float> p = (r * E6) + Vector256.Create(E5);
            p = (p * r) + Vector256.Create(E4);
            p = (p * r) + Vector256.Create(E3);
            p = (p * r) + Vector256.Create(E2);
            p = (p * r) + Vector256.Create(E1);
            p = ((p * (r * r)) + r) + Vector256<float>.One;
            Vector256<int> k = Vector256.ConvertToInt32(n);
            Vector256<int> half = Vector256.ShiftRightArithmetic(k + Vector256.ShiftRightLogical(k, 31), 1);
            return p * Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle()
                * Vector256.ShiftLeft(k - half + Vector256.Create(127), 23).AsSingle();
        }

        /// <inheritdoc cref="Exp(Vector256{float})"/>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        internal static Vector128<float> Exp(Vector128<float> x)
        {
            x = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(ExpHigh)), Vector128.Create(ExpHigh), x);
            x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpLow)), Vector128.Create(ExpLow), x);
            Vector128<float> n = Vector128.Floor((x * Log2E) + Vector128.Create(0.5f));
            Vector128<float> r = (x - (n * Ln2High)) - (n * Ln2Low);
            Vector128<float> p = (r * E6) + Vector128.Create(E5);
            p = (p * r) + Vector128.Create(E4);
            p = (p * r) + Vector128.Create(E3);
            p = (p * r) + Vector128.Create(E2);
            p = (p * r) + Vector128.Create(E1);
            p = ((p * (r * r)) + r) + Vector128<float>.One;
            Vector128<int> k = Vector128.ConvertToInt32(n);
            Vector128<int> half = Vector128.ShiftRightArithmetic(k + Vector128.ShiftRightLogical(k, 31), 1);
            return p * Vector128.ShiftLeft(half + Vector128.Create(127), 23).AsSingle()
                * Vector128.ShiftLeft(k - half + Vector128.Create(127), 23).AsSingle();
        }
#endif

        /// <summary>
        /// e[i] = e^(z[i] − shift) with the bits of <see cref="Exp(float)"/>, 8 or 4 at a time where the target has
        /// the vectors; e may be z.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        internal static void ExpShifted(ReadOnlySpan<float> z, float shift, Span<float> e)
        {
            int i = 0;
#if NET8_0_OR_GREATER
            ref float z0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(z);
            ref float e0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(e);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 8 <= z.Length; i += 8)
                {
                    Exp(Vector256.LoadUnsafe(ref z0, (nuint)i) - Vector256.Create(shift)).StoreUnsafe(ref e0, (nuint)i);
                }
            }

            if (Vector128.IsHardwareAccelerated)
            {
                for (; i + 4 <= z.Length; i += 4)
                {
                    Exp(Vector128.LoadUnsafe(ref z0, (nuint)i) - Vector128.Create(shift)).StoreUnsafe(ref e0, (nuint)i);
                }
            }
#endif
            for (; i < z.Length; i++)
            {
                e[i] = Exp(z[i] - shift);
            }
        }

        /// <summary>
        /// a[i] = 1 / (1 + e^(−z[i])) with <see cref="Exp(float)"/>, as an unrolled logistic layer computes it, 8 or 4
        /// at a time where the target has the vectors; a may be z.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        internal static void Logistic(ReadOnlySpan<float> z, Span<float> a)
        {
            int i = 0;
#if NET8_0_OR_GREATER
            ref float z0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(z);
            ref float a0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 8 <= z.Length; i += 8)
                {
                    (Vector256<float>.One / (Vector256<float>.One + Exp(-Vector256.LoadUnsafe(ref z0, (nuint)i)))).StoreUnsafe(ref a0, (nuint)i);
                }
            }

            if (Vector128.IsHardwareAccelerated)
            {
                for (; i + 4 <= z.Length; i += 4)
                {
                    (Vector128<float>.One / (Vector128<float>.One + Exp(-Vector128.LoadUnsafe(ref z0, (nuint)i)))).StoreUnsafe(ref a0, (nuint)i);
                }
            }
#endif
            for (; i < z.Length; i++)
            {
                a[i] = 1f / (1f + Exp(-z[i]));
            }
        }

#if NET8_0_OR_GREATER
        // The rational of Tanh(float) on four lanes, as Tanh<TVector, TWidth> computes it (the same operations in the same
        // order, so the same bits), written with Vector128's operators and intrinsics only. Unrolled code calls it once per
        // four neurons, dozens of times in one large method, and there the JIT stops inlining: once the method has too
        // many locals and temporaries, or has spent its inlining budget, further calls stay calls. The generic form's dozen
        // helpers (TWidth.Multiply, .Add, .Broadcast, each with temporaries of its own) then stayed a dozen calls in a tanh
        // that was itself inlined, passing vectors through memory. Operators and intrinsics are instructions to the JIT,
        // not calls, so this body is inlined whole or called whole: a Forward of 11-9-8-10-7-7-7-7-10-10-7-3 went from 434
        // to 282 ns, and from 600 to 280 ns with one vectorised layer among its unrolled ones (docs/benchmarks.md, "Large
        // unrolled methods").
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static Vector128<float> Tanh128(Vector128<float> x)
        {
            Vector128<float> x2 = x * x;
            Vector128<float> high = Vector128.Create(Clamp);
            Vector128<float> low = Vector128.Create(-Clamp);
            Vector128<float> highSquared = Vector128.Create(ClampSquared);
            if (Sse.IsSupported)
            {
                // MINPS(h, y) is h < y ? h : y and MAXPS(l, y) is l > y ? l : y: Simd128's AtMost and Clamp, NaN included.
                x2 = Sse.Min(highSquared, x2);
                x = Sse.Max(low, Sse.Min(high, x));
            }
            else
            {
                x2 = Vector128.ConditionalSelect(Vector128.GreaterThan(x2, highSquared), highSquared, x2);
                x = Vector128.ConditionalSelect(Vector128.GreaterThan(x, high), high, x);
                x = Vector128.ConditionalSelect(Vector128.LessThan(x, low), low, x);
            }

            Vector128<float> x4 = x2 * x2;
            Vector128<float> x8 = x4 * x4;
            Vector128<float> p01 = Vector128.Create(A1) + (Vector128.Create(A3) * x2);
            Vector128<float> p23 = Vector128.Create(A5) + (Vector128.Create(A7) * x2);
            Vector128<float> p45 = Vector128.Create(A9) + (Vector128.Create(A11) * x2);
            Vector128<float> tail = p45 + (x4 * Vector128.Create(A13));
            Vector128<float> p = x * ((p01 + (x4 * p23)) + (x8 * tail));
            Vector128<float> q = (Vector128.Create(B0) + (Vector128.Create(B2) * x2))
                + (x4 * (Vector128.Create(B4) + (Vector128.Create(B6) * x2)));
            return p / q;
        }

        // The rational of Tanh(float) at any vector width, with the same operations in the same order (multiplies
        // and adds, no fused ones), so every lane gets the scalar's bits.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        internal static TVector Tanh<TVector, TWidth>(TVector x)
            where TVector : struct
            where TWidth : ISimdWidth<float, TVector>
        {
            // x² before the clamp, limited after it: the scalar's order, with the clamp off the critical path.
            TVector x2 = TWidth.AtMost(TWidth.Multiply(x, x), ClampSquared);
            x = TWidth.Clamp(x, -Clamp, Clamp);
            TVector x4 = TWidth.Multiply(x2, x2);
            TVector x8 = TWidth.Multiply(x4, x4);
            TVector p01 = TWidth.Add(TWidth.Broadcast(A1), TWidth.Multiply(TWidth.Broadcast(A3), x2));
            TVector p23 = TWidth.Add(TWidth.Broadcast(A5), TWidth.Multiply(TWidth.Broadcast(A7), x2));
            TVector p45 = TWidth.Add(TWidth.Broadcast(A9), TWidth.Multiply(TWidth.Broadcast(A11), x2));
            TVector tail = TWidth.Add(p45, TWidth.Multiply(x4, TWidth.Broadcast(A13)));
            TVector p = TWidth.Multiply(x, TWidth.Add(TWidth.Add(p01, TWidth.Multiply(x4, p23)), TWidth.Multiply(x8, tail)));
            TVector q = TWidth.Add(
                TWidth.Add(TWidth.Broadcast(B0), TWidth.Multiply(TWidth.Broadcast(B2), x2)),
                TWidth.Multiply(x4, TWidth.Add(TWidth.Broadcast(B4), TWidth.Multiply(TWidth.Broadcast(B6), x2))));
            return TWidth.Divide(p, q);
        }
#endif
    }
}
