using System;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    public sealed class FastMathTests
    {
        [Fact]
        public void Tanh_is_within_4e_7_of_the_exact_value_everywhere()
        {
            double worst = 0;
            float at = 0;
            for (int i = -2_000_000; i <= 2_000_000; i++)
            {
                float x = i * 6e-6f;   // [−12, 12], past both saturation points
                double error = Math.Abs(FastMath.Tanh(x) - Math.Tanh(x));
                if (error > worst)
                {
                    (worst, at) = (error, x);
                }
            }

            Assert.True(worst <= 4e-7, $"largest error {worst:E3} at x = {at}");
        }

        [Fact]
        public void Exp_is_within_2_ulp_wherever_the_result_is_a_normal_float()
        {
            // Every 97th float bit pattern from −104 to 89 (about 20 million points in all would be too slow;
            // this is 0.17 million per binade, every exponent and many mantissas), against double exp.
            double worst = 0;
            float at = 0;
            foreach (float x in Sweep(-104f, 89f))
            {
                double exact = Math.Exp(x);
                float fast = FastMath.Exp(x);
                if (exact > float.MaxValue)
                {
                    Assert.True(float.IsPositiveInfinity(fast), $"e^{x} should overflow, gave {fast}");
                }
                else if (exact >= 1.1754943508222875e-38)
                {
                    double ulps = Math.Abs(fast - exact) / Ulp((float)exact);
                    if (ulps > worst)
                    {
                        (worst, at) = (ulps, x);
                    }
                }
                else
                {
                    // Below float's normal range: within one step of the subnormals (1.4e-45).
                    Assert.True(Math.Abs(fast - exact) <= 1.5e-45, $"e^{x} = {exact:E3}, gave {fast:E3}");
                }
            }

            Assert.True(worst <= 2, $"largest error {worst:F2} ulp at x = {at:R}");
        }

        [Fact]
        public void Exp_keeps_the_special_values_of_MathF_Exp()
        {
            Assert.True(float.IsNaN(FastMath.Exp(float.NaN)));
            Assert.Equal(float.PositiveInfinity, FastMath.Exp(float.PositiveInfinity));
            Assert.Equal(0f, FastMath.Exp(float.NegativeInfinity));
            Assert.Equal(float.PositiveInfinity, FastMath.Exp(88.8f));
            Assert.Equal(0f, FastMath.Exp(-110f));
            Assert.Equal(1f, FastMath.Exp(0f));
            Assert.Equal(1f, FastMath.Exp(-0f));
            Assert.Equal(MathF.Exp(88.7f), FastMath.Exp(88.7f), 4e-7f * MathF.Exp(88.7f));
        }

        private static System.Collections.Generic.IEnumerable<float> Sweep(float from, float to)
        {
            // Negative floats from −0 down to `from`, then positive ones up to `to`, by bit pattern.
            for (int bits = BitConverter.SingleToInt32Bits(-0f); BitConverter.Int32BitsToSingle(bits) >= from; bits += 97)
            {
                yield return BitConverter.Int32BitsToSingle(bits);
            }

            for (int bits = 0; BitConverter.Int32BitsToSingle(bits) <= to; bits += 97)
            {
                yield return BitConverter.Int32BitsToSingle(bits);
            }
        }

        // The gap between |v| and the next float up.
        private static double Ulp(float v)
        {
            float a = Math.Abs(v);
            return (double)BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) + 1) - a;
        }

        [Fact]
        public void Four_at_once_equals_one_at_a_time()
        {
            var random = new Random(1);
            for (int trial = 0; trial < 10_000; trial++)
            {
                float[] x = { Next(random), Next(random), Next(random), Next(random) };
                (float a, float b, float c, float d) = FastMath.Tanh(x[0], x[1], x[2], x[3]);
                Assert.Equal(new[] { FastMath.Tanh(x[0]), FastMath.Tanh(x[1]), FastMath.Tanh(x[2]), FastMath.Tanh(x[3]) }, new[] { a, b, c, d });
            }

            (float n, float big, float small, _) = FastMath.Tanh(float.NaN, 1e30f, -1e30f, 0f);
            Assert.True(float.IsNaN(n));
            Assert.Equal(1f, big, 6);
            Assert.Equal(-1f, small, 6);

            static float Next(Random random) => (float)((random.NextDouble() - 0.5) * 24);
        }

        [Fact]
        public void Every_vector_width_clamps_as_the_scalar_does_at_the_edges()
        {
            // The vector clamp is MINPS/MAXPS where the target has them, the scalar one two comparisons: they must
            // agree bit for bit right at the clamp, one float either side of it, at the zeros and for NaN payloads.
            const float clamp = 7.90531110763549805f;
            float[] edges =
            {
                clamp, -clamp, MathF.BitIncrement(clamp), MathF.BitDecrement(clamp), MathF.BitIncrement(-clamp), MathF.BitDecrement(-clamp),
                0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity,
                float.NaN, -float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0042)),
                0.5f, -3f, 7.9f, -8f,
            };
            float[] z = new float[32];
            for (int start = 0; start < edges.Length; start++)
            {
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = edges[(start + i) % edges.Length];
                }

                float[] expected = Array.ConvertAll(z, FastMath.Tanh);
                var v128 = FastMath.Tanh(System.Runtime.Intrinsics.Vector128.Create(z[0], z[1], z[2], z[3]));
                var v256 = FastMath.Tanh(System.Runtime.Intrinsics.Vector256.Create(z.AsSpan(0, 8)));
                var v512 = FastMath.Tanh(System.Runtime.Intrinsics.Vector512.Create(z.AsSpan(0, 16)));
                float[] span = new float[z.Length];
                FastMath.Tanh(z, span);
                for (int i = 0; i < z.Length; i++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(span[i]));
                    if (i < 4)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(v128[i]));
                    }

                    if (i < 8)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(v256[i]));
                    }

                    if (i < 16)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(v512[i]));
                    }
                }
            }

            Assert.Equal(FastMath.Tanh(clamp), FastMath.Tanh(MathF.BitIncrement(clamp)));
            Assert.Equal(FastMath.Tanh(-clamp), FastMath.Tanh(float.NegativeInfinity));
        }

        [Fact]
        public void Tanh_keeps_the_bits_of_the_rational_on_the_clamped_input()
        {
            // FastMath squares x before clamping it and limits the square after, to take the clamp off its critical path.
            // Saved outputs depend on these bits, so they must stay those of the formula as Eigen writes it, clamp first,
            // written out plainly here: for every 4,099th bit pattern, every float within 5,000 of the clamp on both
            // sides, and the edges, through the scalar, the span (256- and 128-bit vectors), 512-bit vectors, and the four-lane
            // forms that unrolled code calls (a Vector128 and four floats), which have a body of their own.
            static float Reference(float x)
            {
                const float c = 7.90531110763549805f;
                if (x > c)
                {
                    x = c;
                }
                else if (x < -c)
                {
                    x = -c;
                }

                float x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
                float p = x * (4.89352455891786e-03f + (6.37261928875436e-04f * x2)
                    + (x4 * (1.48572235717979e-05f + (5.12229709037114e-08f * x2)))
                    + (x8 * (-8.60467152213735e-11f + (2.00018790482477e-13f * x2) + (x4 * -2.76076847742355e-16f))));
                float q = 4.89352518554385e-03f + (2.26843463243900e-03f * x2) + (x4 * (1.18534705686654e-04f + (1.19825839466702e-06f * x2)));
                return p / q;
            }

            var inputs = new System.Collections.Generic.List<float>();
            for (long bits = int.MinValue; bits <= int.MaxValue; bits += 4099)
            {
                inputs.Add(BitConverter.Int32BitsToSingle((int)bits));
            }

            int clampBits = BitConverter.SingleToInt32Bits(7.90531110763549805f);
            for (int d = -5000; d <= 5000; d++)
            {
                inputs.Add(BitConverter.Int32BitsToSingle(clampBits + d));
                inputs.Add(-BitConverter.Int32BitsToSingle(clampBits + d));
            }

            inputs.AddRange(new[]
            {
                0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity,
                float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0042)),
                3.3e19f, -1.9e19f, 1e-23f, -1e-23f,
            });
            while (inputs.Count % 16 != 0)
            {
                inputs.Add(1f);
            }

            float[] z = inputs.ToArray(), span = new float[z.Length];
            FastMath.Tanh(z, span);
            for (int i = 0; i < z.Length; i += 16)
            {
                var v512 = FastMath.Tanh(System.Runtime.Intrinsics.Vector512.Create(z.AsSpan(i, 16)));
                for (int k = 0; k < 16; k++)
                {
                    int expected = BitConverter.SingleToInt32Bits(Reference(z[i + k]));
                    float x = z[i + k];
                    Assert.True(expected == BitConverter.SingleToInt32Bits(FastMath.Tanh(x)), $"scalar, x = {x:R} ({BitConverter.SingleToInt32Bits(x):X8})");
                    Assert.True(expected == BitConverter.SingleToInt32Bits(span[i + k]), $"span, x = {x:R}");
                    Assert.True(expected == BitConverter.SingleToInt32Bits(v512[k]), $"Vector512, x = {x:R}");
                }

                for (int k = 0; k < 16; k += 4)
                {
                    var v128 = FastMath.Tanh(System.Runtime.Intrinsics.Vector128.Create(z.AsSpan(i + k, 4)));
                    (float t0, float t1, float t2, float t3) = FastMath.Tanh(z[i + k], z[i + k + 1], z[i + k + 2], z[i + k + 3]);
                    float[] four = { t0, t1, t2, t3 };
                    for (int lane = 0; lane < 4; lane++)
                    {
                        int expected = BitConverter.SingleToInt32Bits(Reference(z[i + k + lane]));
                        float x = z[i + k + lane];
                        Assert.True(expected == BitConverter.SingleToInt32Bits(v128[lane]), $"Vector128, x = {x:R} ({BitConverter.SingleToInt32Bits(x):X8})");
                        Assert.True(expected == BitConverter.SingleToInt32Bits(four[lane]), $"four floats, x = {x:R} ({BitConverter.SingleToInt32Bits(x):X8})");
                    }
                }
            }
        }

        [Fact]
        public void A_span_at_a_time_equals_one_at_a_time_at_every_length()
        {
            // Lengths that end in every mix of 8- and 4-wide vectors and scalars; special values at
            // every position the vectors can take.
            var random = new Random(3);
            float[] specials = { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-30f, 7.9f, -8f, 100f };
            for (int length = 0; length <= 40; length++)
            {
                float[] z = new float[length];
                for (int i = 0; i < length; i++)
                {
                    z[i] = i % 5 == 4 ? specials[(i / 5) % specials.Length] : (float)((random.NextDouble() - 0.5) * 24);
                }

                float[] a = new float[length];
                FastMath.Tanh(z, a);
                for (int i = 0; i < length; i++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(FastMath.Tanh(z[i])), BitConverter.SingleToInt32Bits(a[i]));
                }
            }

            var e = Assert.Throws<ArgumentException>(() => FastMath.Tanh(new float[5], new float[4]));
            Assert.Contains("5", e.Message, StringComparison.Ordinal);
            Assert.Contains("4", e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Tanh_is_odd_saturates_and_keeps_NaN()
        {
            foreach (float x in new[] { 1e-30f, 1e-4f, 0.3f, 1f, 3.7f })
            {
                Assert.Equal(-FastMath.Tanh(x), FastMath.Tanh(-x));
            }

            Assert.Equal(0f, FastMath.Tanh(0f));
            Assert.Equal(1f, FastMath.Tanh(50f), 6);
            Assert.Equal(-1f, FastMath.Tanh(float.NegativeInfinity), 6);
            Assert.True(float.IsNaN(FastMath.Tanh(float.NaN)));
            Assert.True(Math.Abs(FastMath.Tanh(1e-8f) - 1e-8f) < 1e-15);
        }
    }
}
