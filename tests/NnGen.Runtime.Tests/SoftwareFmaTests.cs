using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The fused multiply-add in software that the panel kernels run on machines without FMA3 gives, lane by lane,
    /// the bits of <see cref="MathF.FusedMultiplyAdd"/> and <see cref="Math.FusedMultiplyAdd"/> (the hardware's on
    /// this machine, the C library's exact one elsewhere): random operands over every exponent, cancellations, sums
    /// a hair off a rounding midpoint (where one rounding in double and another in float goes wrong), subnormals,
    /// signed zeros, infinities and NaN.
    /// </summary>
    public sealed class SoftwareFmaTests
    {
        [Fact]
        public void Float_lanes_are_the_fused_multiply_add_for_random_bit_patterns()
        {
            var random = new Random(1);
            var cases = new List<(float, float, float)>();
            for (int i = 0; i < 400_000; i++)
            {
                cases.Add((AnyFloat(random), AnyFloat(random), AnyFloat(random)));

                // Operands near 1 and sums of like magnitude: most of the bits of the product matter.
                float a = (float)(random.NextDouble() + 0.5), b = (float)(random.NextDouble() + 0.5);
                cases.Add((a, b, (float)((random.NextDouble() - 0.5) * 4)));
            }

            AssertFloatLanes(cases);
        }

        [Fact]
        public void Float_lanes_are_exact_where_rounding_twice_is_not()
        {
            // c plus a product within 2^-46 of half an ulp of c: the exact sum is a hair off the midpoint between two
            // floats, which a sum rounded to nearest in double would land on (and then round to even).
            var random = new Random(2);
            var cases = new List<(float, float, float)>();
            int twiceRoundedWrong = 0;
            for (int n = 0; n < 200_000; n++)
            {
                float c = (float)((random.NextDouble() + 1) * Math.ScaleB(1.0, random.Next(-120, 120))) * (random.Next(2) == 0 ? 1 : -1);
                double half = (double)MathF.BitIncrement(Math.Abs(c)) - Math.Abs(c);
                half /= 2;
                int i = random.Next(-3, 4), j = random.Next(-3, 4);
                float a = (float)(1 + (i * Math.ScaleB(1.0, -23)));
                float b = (float)(half * (1 + (j * Math.ScaleB(1.0, -23)))) * (random.Next(2) == 0 ? 1 : -1);
                cases.Add((a, b, c));

                // A product cancelling c: the exact difference is what is left.
                float p = a * b;
                cases.Add((a, b, -p));
                cases.Add((a, b, MathF.BitIncrement(-p)));
                if ((float)(((double)a * b) + c) != MathF.FusedMultiplyAdd(a, b, c))
                {
                    twiceRoundedWrong++;
                }
            }

            // The cases do reach the midpoints: rounding in double, then in float, gets many of them wrong.
            Assert.True(twiceRoundedWrong > 10_000, $"only {twiceRoundedWrong} cases where rounding twice goes wrong");
            AssertFloatLanes(cases);
        }

        [Fact]
        public void Float_lanes_are_exact_below_floats_normal_range()
        {
            // Subnormal sums, whose rounding midpoints lie on float's coarser grid there (k + 1/2) · 2^-149: a product
            // within 2^-46 of 2^-150, plus an odd or even multiple of 2^-149.
            var random = new Random(5);
            var cases = new List<(float, float, float)>();
            int twiceRoundedWrong = 0;
            for (int n = 0; n < 100_000; n++)
            {
                int i = random.Next(-3, 4), j = random.Next(-3, 4);
                float a = (float)(Math.ScaleB(1.0, -30) * (1 + (i * Math.ScaleB(1.0, -23))));
                float b = (float)(Math.ScaleB(1.0, -120) * (1 + (j * Math.ScaleB(1.0, -23)))) * (random.Next(2) == 0 ? 1 : -1);
                float c = BitConverter.Int32BitsToSingle(random.Next(1, 1 << 23)) * (random.Next(2) == 0 ? 1 : -1);
                cases.Add((a, b, c));
                if ((float)(((double)a * b) + c) != MathF.FusedMultiplyAdd(a, b, c))
                {
                    twiceRoundedWrong++;
                }
            }

            Assert.True(twiceRoundedWrong > 5_000, $"only {twiceRoundedWrong} cases where rounding twice goes wrong");
            AssertFloatLanes(cases);
        }

        [Fact]
        public void Float_lanes_keep_special_values()
        {
            float[] specials =
            {
                0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue, float.MinValue,
                1.17549435e-38f, -1.17549435e-38f, float.PositiveInfinity, float.NegativeInfinity, float.NaN,
                MathF.BitIncrement(1f), 3.4e38f, 1e-45f, 5.877472e-39f, 0.5f, 2f,
            };
            var cases = new List<(float, float, float)>();
            foreach (float a in specials)
            {
                foreach (float b in specials)
                {
                    foreach (float c in specials)
                    {
                        cases.Add((a, b, c));
                    }
                }
            }

            AssertFloatLanes(cases);
        }

        [Fact]
        public void Double_lanes_are_the_fused_multiply_add_across_the_covered_range()
        {
            var random = new Random(3);
            var cases = new List<(double, double, double)>();
            for (int i = 0; i < 300_000; i++)
            {
                double a = Covered(random), b = Covered(random);
                cases.Add((a, b, Covered(random)));
                cases.Add((a, b, AnyDouble(random, 900)));

                // Like magnitudes, where every bit of the product's low half matters.
                double x = random.NextDouble() + 0.5, y = random.NextDouble() + 0.5;
                cases.Add((x, y, (random.NextDouble() - 0.5) * 4));
            }

            AssertDoubleLanes(cases);
        }

        [Fact]
        public void Double_lanes_are_exact_at_cancellations_and_near_midpoints()
        {
            var random = new Random(4);
            var cases = new List<(double, double, double)>();
            int roundedTwiceWrong = 0;
            for (int n = 0; n < 150_000; n++)
            {
                double a = Covered(random), b = Covered(random), p = a * b;

                // The product's rounding error alone, and a few ulps around it.
                cases.Add((a, b, -p));
                cases.Add((a, b, Math.BitIncrement(-p)));
                cases.Add((a, b, Math.BitDecrement(-p)));

                // c plus a product a hair off half an ulp of c.
                double c = (random.NextDouble() + 1) * Math.ScaleB(1.0, random.Next(-200, 200)) * (random.Next(2) == 0 ? 1 : -1);
                double half = (Math.BitIncrement(Math.Abs(c)) - Math.Abs(c)) / 2;
                int i = random.Next(-3, 4), j = random.Next(-3, 4);
                double u = 1 + (i * Math.ScaleB(1.0, -52)), v = half * (1 + (j * Math.ScaleB(1.0, -52))) * (random.Next(2) == 0 ? 1 : -1);
                cases.Add((u, v, c));
                if ((u * v) + c != Math.FusedMultiplyAdd(u, v, c))
                {
                    roundedTwiceWrong++;
                }
            }

            Assert.True(roundedTwiceWrong > 5_000, $"only {roundedTwiceWrong} cases where an unfused multiply-add goes wrong");
            AssertDoubleLanes(cases);
        }

        [Fact]
        public void Double_lanes_keep_signed_zeros_and_the_bounds()
        {
            double bound = Math.ScaleB(1.0, 240), least = Math.ScaleB(1.0, -240);
            double[] values = { 0.0, -0.0, 1.0, -1.0, bound, -bound, least, -least, 3.0, -0.1, Math.BitDecrement(bound), Math.BitIncrement(least) };
            var cases = new List<(double, double, double)>();
            foreach (double a in values)
            {
                foreach (double b in values)
                {
                    foreach (double c in values)
                    {
                        cases.Add((a, b, c));
                    }

                    cases.Add((a, b, double.Epsilon));
                    cases.Add((a, b, -double.Epsilon));
                    cases.Add((a, b, 1e300));
                }
            }

            AssertDoubleLanes(cases);
        }

        [Fact]
        public void The_double_form_covers_values_of_a_network_and_refuses_the_rest()
        {
            double bound = Math.ScaleB(1.0, 240), least = Math.ScaleB(1.0, -240);
            Assert.True(SoftwareFma.Covers(Array.Empty<double>()));
            Assert.True(SoftwareFma.Covers(new[] { 0.0, -0.0, 1.0, -3.5, bound, -bound, least, -least, 1e-30 }));
            foreach (double outside in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, Math.BitIncrement(bound), -Math.BitIncrement(bound), Math.BitDecrement(least), double.Epsilon, 1e-300, 1e300 })
            {
                // In the vector part (first of an even length) and in the scalar tail (last of an odd one).
                Assert.False(SoftwareFma.Covers(new[] { outside, 1.0 }), $"{outside} first");
                Assert.False(SoftwareFma.Covers(new[] { 1.0, 2.0, outside }), $"{outside} in the tail");
            }
        }

        private static void AssertFloatLanes(List<(float A, float B, float C)> cases)
        {
            for (int i = 0; i + 4 <= cases.Count; i += 4)
            {
                Vector128<float> a = Vector128.Create(cases[i].A, cases[i + 1].A, cases[i + 2].A, cases[i + 3].A);
                Vector128<float> b = Vector128.Create(cases[i].B, cases[i + 1].B, cases[i + 2].B, cases[i + 3].B);
                Vector128<float> c = Vector128.Create(cases[i].C, cases[i + 1].C, cases[i + 2].C, cases[i + 3].C);
                Vector128<float> z = SoftwareFma.MultiplyAdd(a, b, c);
                for (int k = 0; k < 4; k++)
                {
                    (float x, float y, float w) = cases[i + k];
                    float expected = MathF.FusedMultiplyAdd(x, y, w);
                    Assert.True(
                        BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(z[k]) || (float.IsNaN(expected) && float.IsNaN(z[k])),
                        $"fma({x:R}, {y:R}, {w:R}) = {expected:R}, software {z[k]:R}");
                }
            }
        }

        private static void AssertDoubleLanes(List<(double A, double B, double C)> cases)
        {
            for (int i = 0; i + 2 <= cases.Count; i += 2)
            {
                Vector128<double> z = SoftwareFma.MultiplyAdd(
                    Vector128.Create(cases[i].A, cases[i + 1].A), Vector128.Create(cases[i].B, cases[i + 1].B), Vector128.Create(cases[i].C, cases[i + 1].C));
                for (int k = 0; k < 2; k++)
                {
                    (double x, double y, double w) = cases[i + k];
                    double expected = Math.FusedMultiplyAdd(x, y, w);
                    Assert.True(
                        BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(z[k]),
                        $"fma({x:R}, {y:R}, {w:R}) = {expected:R}, software {z[k]:R}");
                }
            }
        }

        // Any float bit pattern but NaN's: every exponent, subnormals, ±0 and ±∞.
        private static float AnyFloat(Random random)
        {
            float value;
            do
            {
                value = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
            }
            while (float.IsNaN(value));

            return value;
        }

        // 0 now and then, else a random mantissa and sign at a binade from 2^-240 to 2^239: what Covers accepts.
        private static double Covered(Random random) =>
            random.Next(50) == 0 ? (random.Next(2) == 0 ? 0.0 : -0.0) : AnyDouble(random, 240);

        private static double AnyDouble(Random random, int binades)
        {
            double mantissa = 1 + random.NextDouble();
            return Math.ScaleB(mantissa, random.Next(-binades, binades)) * (random.Next(2) == 0 ? 1 : -1);
        }
    }
}
