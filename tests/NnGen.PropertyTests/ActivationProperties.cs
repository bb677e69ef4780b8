using System;
using System.Linq;
using CsCheck;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// The softmax and logistic kernels over random lengths and spreads of z: each value is the expression an unrolled
    /// layer computes (FastMath.Exp, in float and in double), whichever vector lane or scalar remainder it falls
    /// in, the sum runs in four fixed chains, and the outputs are within a few ulp of softmax and σ computed in double
    /// here. Fixed seeds.
    /// </summary>
    public sealed class ActivationProperties
    {
        private static readonly Gen<(int Length, double Spread, int Seed)> Cases =
            Gen.Select(Gen.Int[1, 200], Gen.Double[0.01, 120], Gen.Int[0, 1_000_000]);

        [Fact]
        public void Float_softmax_is_the_unrolled_expression_and_close_to_the_exact_one()
        {
            Cases.Sample(c => CheckFloat(c.Length, c.Spread, c.Seed), cases: 300, stream: 41);
        }

        [Fact]
        public void Double_softmax_is_fast_math_exp_in_four_chains_and_close_to_the_exact_one()
        {
            Cases.Sample(c => CheckDouble(c.Length, c.Spread, c.Seed), cases: 200, stream: 42);
        }

        [Fact]
        public void Float_logistic_is_the_unrolled_expression_and_close_to_the_exact_one()
        {
            Cases.Sample(c => CheckLogistic(c.Length, c.Spread, c.Seed), cases: 300, stream: 43);
        }

        private static void CheckFloat(int n, double spread, int seed)
        {
            var random = new Random(seed);
            float[] z = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * spread)).ToArray();
            var e = new float[n];
            var a = new float[n];
            (float max, float sum) = Kernels.Softmax(z, e, a);

            Assert.Equal(z.Max(), max);
            double[] exact = ExactSoftmax(z.Select(v => (double)v).ToArray());
            var chains = new float[4];
            for (int i = 0; i < n; i++)
            {
                float expected = FastMath.Exp(z[i] - max);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(e[i]), $"e[{i}] = {e[i]:R}, FastMath.Exp gives {expected:R}");
                chains[i % 4] += expected;
            }

            float fourChains = (chains[0] + chains[1]) + (chains[2] + chains[3]);
            Assert.Equal(BitConverter.SingleToInt32Bits(fourChains), BitConverter.SingleToInt32Bits(sum));
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(e[i] / sum), BitConverter.SingleToInt32Bits(a[i]));

                // FastMath.Exp is within 1 ulp, the sum within n/4 roundings: a few ulp of the largest output.
                Assert.True(Math.Abs(a[i] - exact[i]) <= (2e-6 * exact[i]) + (n * 6e-8 * exact.Max()) + 1e-30, $"a[{i}] = {a[i]:R}, exact {exact[i]:R}");
            }
        }

        private static void CheckDouble(int n, double spread, int seed)
        {
            var random = new Random(seed);
            double[] z = Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * spread).ToArray();
            var e = new double[n];
            var a = new double[n];
            (double max, double sum) = Kernels.Softmax(z, e, a);

            Assert.Equal(z.Max(), max);
            double[] exact = ExactSoftmax(z);
            var chains = new double[4];
            for (int i = 0; i < n; i++)
            {
                double expected = FastMath.Exp(z[i] - max);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(e[i]));
                chains[i % 4] += expected;
            }

            Assert.Equal(BitConverter.DoubleToInt64Bits((chains[0] + chains[1]) + (chains[2] + chains[3])), BitConverter.DoubleToInt64Bits(sum));
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(a[i] - exact[i]) <= (1e-14 * exact[i]) + (n * 1e-16 * exact.Max()) + 1e-300, $"a[{i}] = {a[i]:R}, exact {exact[i]:R}");
            }
        }

        private static void CheckLogistic(int n, double spread, int seed)
        {
            var random = new Random(seed);
            float[] z = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * spread)).ToArray();
            var a = new float[n];
            Kernels.Logistic(z, a, 1f, 1f, 0f);
            for (int i = 0; i < n; i++)
            {
                float expected = 1f / (1f + FastMath.Exp(-z[i]));
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(a[i]), $"a[{i}] = {a[i]:R} for z = {z[i]:R}, the unrolled expression gives {expected:R}");
                double exact = 1 / (1 + Math.Exp(-(double)z[i]));
                Assert.True(Math.Abs(a[i] - exact) <= (3e-7 * exact) + 1e-38, $"σ({z[i]:R}) = {a[i]:R}, exact {exact:R}");
            }
        }

        // Softmax in double from the largest value, written plainly: the reference the kernels are held to.
        private static double[] ExactSoftmax(double[] z)
        {
            double max = z.Max();
            double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
            double sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }
    }
}
