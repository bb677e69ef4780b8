using System;
using System.Linq;
using NnGen.CompilerServices;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>ForwardBatch is Forward for every sample of a batch, bit for bit.</summary>
    public sealed class ForwardBatchTests
    {
        private const int Samples = 13;

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Each_output_is_what_forward_gives_alone(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(31);
            INetwork<double> net = @case.Create();
            Networks.Samples.Randomize(net, @case.Spec, seed: 4);
            double[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Input(@case.Spec, random)).ToArray();

            var outputs = new double[Samples * net.OutputCount];
            net.ForwardBatch(xs.SelectMany(x => x).ToArray(), outputs);

            var expected = new double[net.OutputCount];
            for (int s = 0; s < Samples; s++)
            {
                net.Forward(xs[s], expected);
                // A vectorised layer's matrix kernels sum in another order than Forward: last bits only.
                double[] actual = outputs.Skip(s * net.OutputCount).Take(net.OutputCount).ToArray();
                for (int k = 0; k < expected.Length; k++)
                {
                    Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * Math.Max(1, Math.Abs(expected[k])), $"{name} sample {s} output {k}: {actual[k]:R}, Forward {expected[k]:R}");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_outputs_are_what_forward_gives_alone(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(32);
            INetwork<float> net = @case.Create();
            float[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Convert<float>(Networks.Samples.Input(@case.Spec, random))).ToArray();

            var outputs = new float[Samples * net.OutputCount];
            net.ForwardBatch(xs.SelectMany(x => x).ToArray(), outputs);

            var expected = new float[net.OutputCount];
            for (int s = 0; s < Samples; s++)
            {
                net.Forward(xs[s], expected);
                float[] actual = outputs.Skip(s * net.OutputCount).Take(net.OutputCount).ToArray();
                for (int k = 0; k < expected.Length; k++)
                {
                    Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5 * Math.Max(1, Math.Abs(expected[k])), $"{name} sample {s} output {k}: {actual[k]:R}, Forward {expected[k]:R}");
                }
            }
        }

        [Fact]
        public void An_unrolled_network_gives_exactly_the_bits_of_Forward()
        {
            // Unrolled code is chosen for its fixed order of sums, so its ForwardBatch keeps Forward's bits.
            AssertBitwise(new SeedNetF(), 2);

            var wide = new WideUnrolled();
            var random = new Random(34);
            double[] inputs = Enumerable.Range(0, Samples * 40).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var all = new double[Samples * 3];
            wide.ForwardBatch(inputs, all);
            var one = new double[3];
            for (int s = 0; s < Samples; s++)
            {
                wide.Forward(inputs.AsSpan(s * 40, 40), one);
                Assert.Equal(one.Select(BitConverter.DoubleToInt64Bits), all.Skip(s * 3).Take(3).Select(BitConverter.DoubleToInt64Bits));
            }

            static void AssertBitwise(INetwork<float> net, int inputs)
            {
                var random = new Random(33);
                float[] xs = Enumerable.Range(0, Samples * inputs).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
                var outputs = new float[Samples * net.OutputCount];
                net.ForwardBatch(xs, outputs);
                var expected = new float[net.OutputCount];
                for (int s = 0; s < Samples; s++)
                {
                    net.Forward(xs.AsSpan(s * inputs, inputs), expected);
                    Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), outputs.Skip(s * net.OutputCount).Take(net.OutputCount).Select(BitConverter.SingleToInt32Bits));
                }
            }
        }

        [Fact]
        public void An_empty_batch_writes_nothing()
        {
            var net = new SeedNetD();
            net.ForwardBatch(ReadOnlySpan<double>.Empty, Span<double>.Empty);
        }

        [Theory]
        [InlineData(5, 4, "inputs", 5)]
        [InlineData(6, 4, "outputs", 6)]
        [InlineData(6, 8, "outputs", 6)]
        public void Lengths_that_do_not_make_whole_samples_are_rejected_before_writing(int inputLength, int outputLength, string parameter, int expectedLength)
        {
            var net = new SeedNetD();
            double[] outputs = Enumerable.Repeat(7.0, outputLength).ToArray();

            var error = Assert.Throws<ArgumentException>(() => net.ForwardBatch(new double[inputLength], outputs));

            Assert.Equal(parameter, error.ParamName);
            Assert.Contains($"length {(parameter == "inputs" ? inputLength : outputLength)}", error.Message, StringComparison.Ordinal);
            if (parameter == "outputs")
            {
                // Both lengths: the one given and the one the batch of three samples needs.
                Assert.Contains($"length {expectedLength}", error.Message, StringComparison.Ordinal);
            }

            Assert.All(outputs, v => Assert.Equal(7.0, v));
        }

        [Fact]
        public void A_batch_large_enough_to_pack_W_gives_what_forward_gives_alone()
        {
            // From BatchKernels.PackFrom samples on (PackFromWithoutAvx512 with AVX2 only), wide float layers run on W packed in 16-row panels, which
            // sums each z in column order: the outputs agree with Forward's to float rounding.
            var net = new PackedFloat40_33_20();
            net.InitializeParameters(7);
            var random = new Random(35);
            int count = BatchKernels.PackFromWithoutAvx512 + 37;
            float[] inputs = Enumerable.Range(0, count * 40).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var outputs = new float[count * 20];
            net.ForwardBatch(inputs, outputs);
            var expected = new float[20];
            for (int s = 0; s < count; s++)
            {
                net.Forward(inputs.AsSpan(s * 40, 40), expected);
                for (int k = 0; k < 20; k++)
                {
                    float actual = outputs[(s * 20) + k];
                    Assert.True(Math.Abs(expected[k] - actual) <= 1e-6f, $"sample {s} output {k}: {actual:R}, Forward {expected[k]:R}");
                }
            }
        }

        [Fact]
        public void A_double_batch_large_enough_to_pack_W_gives_what_forward_gives_alone()
        {
            var net = new Vectorized40_70_33_10();
            net.InitializeParameters(9);
            var random = new Random(36);
            int count = BatchKernels.PackFromWithoutAvx512 + 21;
            double[] inputs = Enumerable.Range(0, count * 40).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var outputs = new double[count * 10];
            net.ForwardBatch(inputs, outputs);
            var expected = new double[10];
            for (int s = 0; s < count; s++)
            {
                net.Forward(inputs.AsSpan(s * 40, 40), expected);
                for (int k = 0; k < 10; k++)
                {
                    double actual = outputs[(s * 10) + k];
                    Assert.True(Math.Abs(expected[k] - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected[k])), $"sample {s} output {k}: {actual:R}, Forward {expected[k]:R}");
                }
            }
        }

        [Fact]
        public void Forward_batch_of_packed_layers_does_not_allocate_after_warm_up()
        {
            var net = new PackedFloat40_33_20();
            float[] inputs = new float[100 * 40];
            float[] outputs = new float[100 * 20];
            AllocationTests.AssertNoAllocation(() => net.ForwardBatch(inputs, outputs));
        }

        [Fact]
        public void Forward_batch_does_not_allocate_after_warm_up()
        {
            var net = new MixedUnrolledVectorUnrolled();
            double[] inputs = new double[40 * 3];
            double[] outputs = new double[40 * 2];
            AllocationTests.AssertNoAllocation(() => net.ForwardBatch(inputs, outputs));
        }
    }
}
