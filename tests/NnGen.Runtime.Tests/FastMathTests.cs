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
