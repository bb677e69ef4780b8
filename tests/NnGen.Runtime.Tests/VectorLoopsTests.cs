using System;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Kernels.MultiplyAdd (a sample's backward pass into a vectorised layer) and softmax's division run in
    /// System.Numerics.Vector&lt;T&gt; on every target now, no longer through TensorPrimitives on .NET 8: each value must have
    /// the bits of the scalar loop (a multiply then an add, never fused; a division) wherever it falls, vector or tail.
    /// </summary>
    public sealed class VectorLoopsTests
    {
        [Fact]
        public void Float_multiply_add_has_the_bits_of_the_scalar_loop_at_every_length()
        {
            var random = new Random(5);
            for (int length = 0; length <= 70; length++)
            {
                float[] x = Values(random, length, v => (float)v), y = Values(random, length, v => (float)v);
                float scale = (float)((random.NextDouble() * 6) - 3);
                float[] expected = (float[])y.Clone();
                for (int i = 0; i < length; i++)
                {
                    expected[i] += scale * x[i];
                }

                Kernels.MultiplyAdd(x, scale, y);

                Assert.Equal(Array.ConvertAll(expected, BitConverter.SingleToInt32Bits), Array.ConvertAll(y, BitConverter.SingleToInt32Bits));
            }
        }

        [Fact]
        public void Double_multiply_add_has_the_bits_of_the_scalar_loop_at_every_length()
        {
            var random = new Random(6);
            for (int length = 0; length <= 70; length++)
            {
                double[] x = Values(random, length, v => v), y = Values(random, length, v => v);
                double scale = (random.NextDouble() * 6) - 3;
                double[] expected = (double[])y.Clone();
                for (int i = 0; i < length; i++)
                {
                    expected[i] += scale * x[i];
                }

                Kernels.MultiplyAdd(x, scale, y);

                Assert.Equal(Array.ConvertAll(expected, BitConverter.DoubleToInt64Bits), Array.ConvertAll(y, BitConverter.DoubleToInt64Bits));
            }
        }

        [Fact]
        public void Multiply_add_of_spans_that_differ_in_length_names_y_and_both_lengths_and_changes_nothing()
        {
            float[] y = { 1, 2, 3 };
            ArgumentException e = Assert.Throws<ArgumentException>(() => Kernels.MultiplyAdd(new float[4], 2f, y));
            Assert.Equal("y", e.ParamName);
            Assert.Contains("4", e.Message, StringComparison.Ordinal);
            Assert.Contains("3", e.Message, StringComparison.Ordinal);
            Assert.Equal(new float[] { 1, 2, 3 }, y);
            Assert.Throws<ArgumentException>(() => Kernels.MultiplyAdd(new double[2], 2.0, new double[3]));
        }

        [Fact]
        public void Softmax_divides_each_exponential_by_the_sum_with_the_bits_of_the_scalar_division()
        {
            var random = new Random(7);
            for (int length = 1; length <= 70; length++)
            {
                float[] z = Values(random, length, v => (float)(v * 8));
                float[] e = new float[length], a = new float[length];
                (_, float sum) = Kernels.Softmax(z, e, a);
                Assert.Equal(Array.ConvertAll(e, v => BitConverter.SingleToInt32Bits(v / sum)), Array.ConvertAll(a, BitConverter.SingleToInt32Bits));

                double[] zd = Values(random, length, v => v * 8);
                double[] ed = new double[length], ad = new double[length];
                (_, double sumd) = Kernels.Softmax(zd, ed, ad);
                Assert.Equal(Array.ConvertAll(ed, v => BitConverter.DoubleToInt64Bits(v / sumd)), Array.ConvertAll(ad, BitConverter.DoubleToInt64Bits));
            }
        }

        private static T[] Values<T>(Random random, int length, Func<double, T> convert)
        {
            var values = new T[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = convert((random.NextDouble() * 4) - 2);
            }

            return values;
        }
    }
}
