using System;
using System.Linq;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Kernels.Relu runs whole vectors and then a scalar tail; every element must be what the definition
    /// a = z &gt; 0 ? z : 0 gives it, to the bit (NaN and −0 give +0), at every length and in place.
    /// </summary>
    public sealed class ActivationKernelsTests
    {
        private static readonly double[] Specials =
        {
            double.NaN, -0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon,
            1e-40, -1e-40, 1e-310, -1e-310, double.MaxValue, double.MinValue, 1, -1,
        };

        [Fact]
        public void Float_relu_is_the_definition_at_every_length_and_in_place()
        {
            var random = new Random(5);
            for (int length = 0; length <= 70; length++)
            {
                float[] z = Values(random, length).Select(v => (float)v).ToArray();
                float[] expected = z.Select(v => v > 0f ? v : 0f).ToArray();
                var a = new float[length];
                Kernels.Relu(z, a);
                Assert.Equal(Bits(expected), Bits(a));
                Kernels.Relu(z, z);
                Assert.Equal(Bits(expected), Bits(z));
            }
        }

        [Fact]
        public void Double_relu_is_the_definition_at_every_length_and_in_place()
        {
            var random = new Random(6);
            for (int length = 0; length <= 40; length++)
            {
                double[] z = Values(random, length);
                double[] expected = z.Select(v => v > 0.0 ? v : 0.0).ToArray();
                var a = new double[length];
                Kernels.Relu(z, a);
                Assert.Equal(Bits(expected), Bits(a));
                Kernels.Relu(z, z);
                Assert.Equal(Bits(expected), Bits(z));
            }
        }

        [Fact]
        public void Relu_into_a_shorter_span_is_rejected_before_writing()
        {
            var a = new float[] { 7f, 7f };
            ArgumentException e = Assert.Throws<ArgumentException>(() => Kernels.Relu(new float[3], a));
            Assert.Equal("a", e.ParamName);
            Assert.Equal(new[] { 7f, 7f }, a);
        }

        // Half ordinary values of both signs, half the special ones.
        private static double[] Values(Random random, int length) =>
            Enumerable.Range(0, length).Select(i => i % 2 == 0 ? (random.NextDouble() * 4) - 2 : Specials[random.Next(Specials.Length)]).ToArray();

        private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

        private static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);
    }
}
