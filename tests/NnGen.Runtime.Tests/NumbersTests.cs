using System;
using System.Linq;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>The Trainer's divergence check: every NaN and infinity is found, in the vector part and in the tail.</summary>
    public sealed class NumbersTests
    {
        [Fact]
        public void MaxAbsOrNaN_finds_a_non_finite_float_at_every_position_of_every_length()
        {
            float[] bad = { float.NaN, float.PositiveInfinity, float.NegativeInfinity };
            for (int length = 0; length <= 70; length++)
            {
                var values = new float[length];
                for (int i = 0; i < length; i++)
                {
                    values[i] = i % 3 == 0 ? float.MaxValue : i % 3 == 1 ? -float.Epsilon : -0f;
                }

                Assert.False(double.IsNaN(Numbers.MaxAbsOrNaN<float>(values)), $"length {length}");
                for (int at = 0; at < length; at++)
                {
                    foreach (float b in bad)
                    {
                        float keep = values[at];
                        values[at] = b;
                        Assert.True(double.IsNaN(Numbers.MaxAbsOrNaN<float>(values)), $"{b} at {at} of {length}");
                        values[at] = keep;
                    }
                }
            }
        }

        [Fact]
        public void MaxAbsOrNaN_finds_a_non_finite_double_at_every_position_of_every_length()
        {
            double[] bad = { double.NaN, double.PositiveInfinity, double.NegativeInfinity };
            for (int length = 0; length <= 40; length++)
            {
                var values = new double[length];
                for (int i = 0; i < length; i++)
                {
                    values[i] = i % 2 == 0 ? -double.MaxValue : double.Epsilon;
                }

                Assert.False(double.IsNaN(Numbers.MaxAbsOrNaN<double>(values)), $"length {length}");
                for (int at = 0; at < length; at++)
                {
                    foreach (double b in bad)
                    {
                        double keep = values[at];
                        values[at] = b;
                        Assert.True(double.IsNaN(Numbers.MaxAbsOrNaN<double>(values)), $"{b} at {at} of {length}");
                        values[at] = keep;
                    }
                }
            }
        }

        [Fact]
        public void MaxAbsOrNaN_is_the_largest_magnitude_or_NaN_for_any_non_finite_value()
        {
            var random = new Random(4);
            for (int length = 0; length <= 140; length++)
            {
                float[] values = new float[length];
                for (int i = 0; i < length; i++)
                {
                    values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 30)));
                }

                double expected = length == 0 ? 0 : values.Max(v => Math.Abs((double)v));
                Assert.Equal(expected, Numbers.MaxAbsOrNaN<float>(values));
                for (int at = 0; at < length; at++)
                {
                    float keep = values[at];
                    values[at] = at % 2 == 0 ? float.NaN : float.NegativeInfinity;
                    Assert.True(double.IsNaN(Numbers.MaxAbsOrNaN<float>(values)), $"at {at} of {length}");
                    values[at] = keep;
                }
            }

            Assert.Equal(double.MaxValue, Numbers.MaxAbsOrNaN<double>(new[] { 1.0, -double.MaxValue, 3.0 }));
        }
    }
}
