using System;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Kernels.Step is the generated Step's loop and the threads' step, run in vectors and then a scalar tail:
    /// every value must have the bits of <c>p[i] -= scale * g[i]</c> wherever it falls, and every gradient must be 0.
    /// </summary>
    public sealed class StepKernelTests
    {
        [Fact]
        public void Float_step_has_the_bits_of_the_scalar_loop_at_every_length()
        {
            var random = new Random(3);
            for (int length = 0; length <= 70; length++)
            {
                float[] p = Values(random, length, x => (float)x), g = Values(random, length, x => (float)x);
                float scale = (float)random.NextDouble() * 3;
                float[] expected = (float[])p.Clone();
                for (int i = 0; i < length; i++)
                {
                    expected[i] -= scale * g[i];
                }

                Kernels.Step(p, g, scale);

                Assert.Equal(Array.ConvertAll(expected, BitConverter.SingleToInt32Bits), Array.ConvertAll(p, BitConverter.SingleToInt32Bits));
                Assert.All(g, x => Assert.Equal(0, BitConverter.SingleToInt32Bits(x)));
            }
        }

        [Fact]
        public void Double_step_has_the_bits_of_the_scalar_loop_at_every_length()
        {
            var random = new Random(4);
            for (int length = 0; length <= 70; length++)
            {
                double[] p = Values(random, length, x => x), g = Values(random, length, x => x);
                double scale = random.NextDouble() * 3;
                double[] expected = (double[])p.Clone();
                for (int i = 0; i < length; i++)
                {
                    expected[i] -= scale * g[i];
                }

                Kernels.Step(p, g, scale);

                Assert.Equal(Array.ConvertAll(expected, BitConverter.DoubleToInt64Bits), Array.ConvertAll(p, BitConverter.DoubleToInt64Bits));
                Assert.All(g, x => Assert.Equal(0L, BitConverter.DoubleToInt64Bits(x)));
            }
        }

        [Fact]
        public void Step_is_not_fused()
        {
            // p − s·g where s·g rounds: a fused multiply-add would keep the product's low bits and give another result.
            float p = 1f, g = 1f + MathF.Pow(2, -23), scale = 1f - MathF.Pow(2, -23);
            float[] ps = new float[40], gs = new float[40];
            Array.Fill(ps, p);
            Array.Fill(gs, g);
            float expected = p - (scale * g);
            Assert.NotEqual(expected, MathF.FusedMultiplyAdd(-scale, g, p));

            Kernels.Step(ps, gs, scale);

            Assert.All(ps, x => Assert.Equal(expected, x));
        }

        [Fact]
        public void Spans_of_different_lengths_are_rejected_before_writing()
        {
            float[] p = { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, g = { 1, 1, 1, 1, 1, 1, 1, 1 };

            ArgumentException e = Assert.Throws<ArgumentException>(() => Kernels.Step(p, g, 0.5f));

            Assert.Equal("gradients", e.ParamName);
            Assert.Contains("9", e.Message, StringComparison.Ordinal);
            Assert.Contains("8", e.Message, StringComparison.Ordinal);
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, p);
            Assert.All(g, x => Assert.Equal(1f, x));
        }

        private static T[] Values<T>(Random random, int length, Func<double, T> convert)
        {
            var values = new T[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = convert((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-20, 20)));
            }

            return values;
        }
    }
}
