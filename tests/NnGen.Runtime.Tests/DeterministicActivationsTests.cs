using System;
using System.Linq;
using System.Runtime.Intrinsics;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Softmax and logistic layers give the same bits on every machine: each e^x is FastMath.Exp's (float or double)
    /// whichever vector lane or scalar remainder computes it, and Σ e runs in four fixed chains. A snapshot's
    /// or a baked network's outputs so do not depend on the vector width (TensorPrimitives' Exp, Sigmoid and Sum did:
    /// a 64-32-10 softmax snapshot gave other bits with AVX2 switched off).
    /// </summary>
    public sealed class DeterministicActivationsTests
    {
        // Arguments across FastMath.Exp's range and past both clamps, the zeros, the infinities, NaN, and the
        // points where n = ⌊x log2 e + ½⌋ steps and 2^n turns subnormal.
        private static float[] ExpArguments()
        {
            var random = new Random(12);
            var values = Enumerable.Range(0, 4000).Select(_ => (float)((random.NextDouble() * 220) - 120)).ToList();
            values.AddRange(new[] { 0f, -0f, 1f, -1f, 88.72f, 88.73f, 89f, 89.5f, -87.3f, -103.9f, -104f, -104.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon });
            for (int n = -150; n <= 128; n++)
            {
                float edge = (n - 0.5f) / 1.44269504088896341f;
                values.AddRange(new[] { edge, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(edge) + 1), BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(edge) - 1) });
            }

            return values.ToArray();
        }

        [Fact]
        public void Exp_in_every_vector_width_gives_the_scalars_bits()
        {
            float[] x = ExpArguments();
            for (int i = 0; i + 8 <= x.Length; i += 8)
            {
                Vector256<float> wide = FastMath.Exp(Vector256.Create(x, i));
                Vector128<float> low = FastMath.Exp(Vector128.Create(x, i)), high = FastMath.Exp(Vector128.Create(x, i + 4));
                for (int k = 0; k < 8; k++)
                {
                    int expected = BitConverter.SingleToInt32Bits(FastMath.Exp(x[i + k]));
                    Assert.True(expected == BitConverter.SingleToInt32Bits(wide.GetElement(k)), $"Vector256, x = {x[i + k]:R}: {wide.GetElement(k):R} against {FastMath.Exp(x[i + k]):R}");
                    float narrow = k < 4 ? low.GetElement(k) : high.GetElement(k - 4);
                    Assert.True(expected == BitConverter.SingleToInt32Bits(narrow), $"Vector128, x = {x[i + k]:R}: {narrow:R} against {FastMath.Exp(x[i + k]):R}");
                }
            }
        }

        [Fact]
        public void A_float_softmax_value_has_the_same_bits_in_a_vector_lane_and_in_the_remainder()
        {
            // The same values at every offset: each lands in a 256-bit lane, a 128-bit lane or the scalar remainder
            // depending on its place, and its e^(z − max) must not change with that.
            var random = new Random(5);
            float[] values = Enumerable.Range(0, 40).Select(_ => (float)((random.NextDouble() * 30) - 15)).ToArray();
            values[7] = 15f;   // the largest, in every window below, so every window subtracts the same max
            float[] reference = values.Select(v => FastMath.Exp(v - 15f)).ToArray();
            for (int start = 0; start <= 7; start++)
            {
                for (int length = 8 - start; start + length <= values.Length; length++)
                {
                    ReadOnlySpan<float> z = values.AsSpan(start, length);
                    var e = new float[length];
                    var a = new float[length];
                    (float max, float sum) = Kernels.Softmax(z, e, a);
                    Assert.Equal(15f, max);
                    for (int i = 0; i < length; i++)
                    {
                        Assert.True(BitConverter.SingleToInt32Bits(reference[start + i]) == BitConverter.SingleToInt32Bits(e[i]), $"start {start}, length {length}, index {i}");
                    }

                    Assert.Equal(BitConverter.SingleToInt32Bits(FourChains(e)), BitConverter.SingleToInt32Bits(sum));
                    for (int i = 0; i < length; i++)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(e[i] / sum), BitConverter.SingleToInt32Bits(a[i]));
                    }
                }
            }
        }

        [Fact]
        public void A_double_softmax_is_fast_math_exp_and_the_four_chain_sum_at_every_length()
        {
            var random = new Random(6);
            for (int length = 1; length <= 37; length++)
            {
                double[] z = Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 40) - 20).ToArray();
                var e = new double[length];
                var a = new double[length];
                (double max, double sum) = Kernels.Softmax(z, e, a);
                Assert.Equal(z.Max(), max);
                double[] expected = z.Select(v => FastMath.Exp(v - max)).ToArray();
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), e.Select(BitConverter.DoubleToInt64Bits));
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int i = 0; i < length; i++)
                {
                    switch (i % 4)
                    {
                        case 0: s0 += expected[i]; break;
                        case 1: s1 += expected[i]; break;
                        case 2: s2 += expected[i]; break;
                        default: s3 += expected[i]; break;
                    }
                }

                Assert.Equal(BitConverter.DoubleToInt64Bits((s0 + s1) + (s2 + s3)), BitConverter.DoubleToInt64Bits(sum));
                Assert.Equal(expected.Select(v => BitConverter.DoubleToInt64Bits(v / sum)), a.Select(BitConverter.DoubleToInt64Bits));
            }
        }

        [Fact]
        public void Softmax_in_place_and_with_short_spans()
        {
            float[] z = { 1f, 2f, 3f, -1f, 0.5f };
            var e = new float[5];
            var a = new float[5];
            Kernels.Softmax(z, e, a);
            float[] inPlace = (float[])z.Clone();
            Kernels.Softmax(inPlace, inPlace, inPlace);
            Assert.Equal(a, inPlace);
            Assert.Equal(1.0, a.Sum(v => (double)v), 6);

            var error = Assert.Throws<ArgumentException>(() => Kernels.Softmax(z, new float[4], a));
            Assert.Contains("5", error.Message);
            Assert.Contains("4", error.Message);
            Assert.Equal("e", error.ParamName);
            Assert.Equal("a", Assert.Throws<ArgumentException>(() => Kernels.Softmax(z, e, new float[3])).ParamName);
        }

        [Fact]
        public void The_float_logistic_is_the_unrolled_layers_expression_in_every_lane()
        {
            float[] x = ExpArguments().Select(v => v * 0.9f).ToArray();
            for (int length = 1; length <= 21; length++)
            {
                for (int start = 0; start + length <= x.Length; start += 97)
                {
                    var a = new float[length];
                    Kernels.Logistic(x.AsSpan(start, length), a, 1f, 1f, 0f);
                    for (int i = 0; i < length; i++)
                    {
                        float z = x[start + i];
                        Assert.True(BitConverter.SingleToInt32Bits(1f / (1f + FastMath.Exp(-z))) == BitConverter.SingleToInt32Bits(a[i]), $"z = {z:R}, length {length}");
                    }
                }
            }

            // A logistic with parameters: Max / (1 + e^(−k (z − z0))), the same FastMath.Exp.
            var scaled = new float[9];
            Kernels.Logistic(x.AsSpan(0, 9), scaled, 2f, 3f, 0.25f);
            Assert.Equal(x.Take(9).Select(z => BitConverter.SingleToInt32Bits(2f / (1f + FastMath.Exp(-3f * (z - 0.25f))))), scaled.Select(BitConverter.SingleToInt32Bits));
        }

        [Theory]
        [InlineData(1f)]
        [InlineData(0.5f)]
        public void The_float_elu_is_the_unrolled_layers_expression_with_fast_math(float alpha)
        {
            // e^z from FastMath.Exp, which is arithmetic of its own: the same bits on every operating system, where
            // MathF.Exp is the C library's (glibc, the Windows CRT and macOS's libm differ in last bits).
            float[] z = ExpArguments().Where(v => !float.IsNaN(v)).ToArray();
            var a = new float[z.Length];
            Kernels.Elu(z, a, alpha);
            for (int i = 0; i < z.Length; i++)
            {
                float expected = z[i] < 0f ? alpha * (FastMath.Exp(z[i]) - 1f) : z[i];
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(a[i]), $"z = {z[i]:R}");
            }
        }

        [Fact]
        public void The_double_logistic_is_fast_math_exp_at_every_length()
        {
            var random = new Random(8);
            double[] z = Enumerable.Range(0, 23).Select(_ => (random.NextDouble() * 60) - 30).ToArray();
            var a = new double[23];
            Kernels.Logistic(z, a, 1.0, 1.0, 0.0);
            Assert.Equal(z.Select(v => BitConverter.DoubleToInt64Bits(1.0 / (1.0 + FastMath.Exp(-v)))), a.Select(BitConverter.DoubleToInt64Bits));
        }

        [Theory]
        [InlineData(1.0)]
        [InlineData(0.5)]
        public void The_double_elu_and_tanh_kernels_are_the_unrolled_layers_expressions_with_fast_math(double alpha)
        {
            // Double layers too take e^z and tanh z from FastMath: Math.Exp and Math.Tanh are the C library's, and differ
            // in the last bit between glibc, the Windows CRT and macOS's libm.
            var random = new Random(9);
            double[] z = Enumerable.Range(0, 301).Select(i => i < 300 ? (random.NextDouble() * 60) - 40 : -0.0).ToArray();
            var a = new double[z.Length];
            Kernels.Elu(z, a, alpha);
            Assert.Equal(z.Select(v => BitConverter.DoubleToInt64Bits(v < 0.0 ? alpha * (FastMath.Exp(v) - 1.0) : v)), a.Select(BitConverter.DoubleToInt64Bits));
            Kernels.Tanh(z, a);
            Assert.Equal(z.Select(v => BitConverter.DoubleToInt64Bits(FastMath.Tanh(v))), a.Select(BitConverter.DoubleToInt64Bits));
        }

        private static float FourChains(float[] e)
        {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int i = 0; i < e.Length; i++)
            {
                switch (i % 4)
                {
                    case 0: s0 += e[i]; break;
                    case 1: s1 += e[i]; break;
                    case 2: s2 += e[i]; break;
                    default: s3 += e[i]; break;
                }
            }

            return (s0 + s1) + (s2 + s3);
        }
    }
}
