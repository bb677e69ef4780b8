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

        [Fact]
        public void Float_relu_backward_is_the_generated_loop_at_every_length_and_in_place()
        {
            // Batch paths call ReluBackward where they looped over δ_i = (z_i > 0 ? 1 : 0) · g_i; every element must keep
            // that loop's bits, NaN and infinities in z or g and −0 included, in the vectors and in the tail.
            var random = new Random(7);
            for (int length = 0; length <= 70; length++)
            {
                float[] z = Values(random, length).Select(v => (float)v).ToArray();
                float[] g = Values(random, length).Select(v => (float)v).ToArray();
                float[] expected = new float[length];
                for (int i = 0; i < length; i++)
                {
                    expected[i] = (z[i] > 0f ? 1f : 0f) * g[i];
                }

                var delta = new float[length + 3];
                Kernels.ReluBackward(z, g, delta);
                Assert.Equal(Bits(expected), Bits(delta.Take(length).ToArray()));
                Assert.All(delta.Skip(length), v => Assert.Equal(0f, v));
                Kernels.ReluBackward(z, g, g);
                Assert.Equal(Bits(expected), Bits(g));
            }
        }

        [Fact]
        public void Double_relu_backward_is_the_generated_loop_at_every_length()
        {
            var random = new Random(8);
            for (int length = 0; length <= 40; length++)
            {
                double[] z = Values(random, length), g = Values(random, length);
                double[] expected = new double[length];
                for (int i = 0; i < length; i++)
                {
                    expected[i] = (z[i] > 0.0 ? 1.0 : 0.0) * g[i];
                }

                var delta = new double[length];
                Kernels.ReluBackward(z, g, delta);
                Assert.Equal(Bits(expected), Bits(delta));
            }
        }

        [Fact]
        public void Elu_backward_is_the_generated_loop_at_every_length_float_and_double()
        {
            // δ_i = (z_i < 0 ? a_i + α : 1) · g_i, as the generated loop wrote it, with a = Kernels.Elu(z) as the forward pass leaves it.
            var random = new Random(9);
            foreach (float alpha in new[] { 1f, 0.3f })
            {
                for (int length = 0; length <= 70; length++)
                {
                    float[] z = Values(random, length).Select(v => (float)v).ToArray();
                    float[] g = Values(random, length).Select(v => (float)v).ToArray();
                    var a = new float[length];
                    Kernels.Elu(z, a, alpha);
                    float[] expected = new float[length];
                    for (int i = 0; i < length; i++)
                    {
                        expected[i] = (z[i] < 0f ? a[i] + alpha : 1f) * g[i];
                    }

                    var delta = new float[length];
                    Kernels.EluBackward(z, a, g, delta, alpha);
                    Assert.Equal(Bits(expected), Bits(delta));
                }
            }

            for (int length = 0; length <= 40; length++)
            {
                double[] z = Values(random, length), g = Values(random, length);
                var a = new double[length];
                Kernels.Elu(z, a, 0.7);
                double[] expected = new double[length];
                for (int i = 0; i < length; i++)
                {
                    expected[i] = (z[i] < 0.0 ? a[i] + 0.7 : 1.0) * g[i];
                }

                var delta = new double[length];
                Kernels.EluBackward(z, a, g, delta, 0.7);
                Assert.Equal(Bits(expected), Bits(delta));
            }

            ArgumentException e = Assert.Throws<ArgumentException>(() => Kernels.EluBackward(new float[3], new float[2], new float[3], new float[3], 1f));
            Assert.Equal("a", e.ParamName);
        }

        [Fact]
        public void Relu_backward_with_a_short_span_is_rejected_before_writing()
        {
            var delta = new float[] { 7f, 7f, 7f };
            ArgumentException e = Assert.Throws<ArgumentException>(() => Kernels.ReluBackward(new float[3], new float[2], delta));
            Assert.Equal("upstream", e.ParamName);
            Assert.Contains("3", e.Message);
            Assert.Contains("2", e.Message);
            e = Assert.Throws<ArgumentException>(() => Kernels.ReluBackward(new float[3], new float[3], delta.AsSpan(0, 2)));
            Assert.Equal("delta", e.ParamName);
            Assert.Equal(new[] { 7f, 7f, 7f }, delta);
        }

        // Half ordinary values of both signs, half the special ones.
        private static double[] Values(Random random, int length) =>
            Enumerable.Range(0, length).Select(i => i % 2 == 0 ? (random.NextDouble() * 4) - 2 : Specials[random.Next(Specials.Length)]).ToArray();

        private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

        private static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);
    }
}
