using System;
using System.Linq;
using NnGen.CompilerServices;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

using static NnGen.Tests.Tolerance;

namespace NnGen.Tests
{
    /// <summary>
    /// LossBatch is Loss with the output for every sample of a batch: each output and cost against the plain reference
    /// MLP, and against the network's own Loss (bit for bit where every layer is unrolled).
    /// </summary>
    public sealed class LossBatchTests
    {
        private const int Samples = 13;

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Each_output_and_cost_agrees_with_the_reference(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(41);
            INetwork<double> net = @case.Create();
            Networks.Samples.Randomize(net, @case.Spec, seed: 5);
            var reference = new ReferenceMlp(@case.Spec, net.Parameters);
            double[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Input(@case.Spec, random)).ToArray();
            double[][] ts = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Target(@case.Spec, random)).ToArray();

            var outputs = new double[Samples * net.OutputCount];
            var losses = new double[Samples];
            net.LossBatch(xs.SelectMany(x => x).ToArray(), ts.SelectMany(t => t).ToArray(), outputs, losses);

            var alone = new double[net.OutputCount];
            for (int s = 0; s < Samples; s++)
            {
                double[] output = outputs.Skip(s * net.OutputCount).Take(net.OutputCount).ToArray();
                AssertClose(reference.Output(xs[s]), output, 1e-13, $"{name} sample {s} output");
                AssertClose(new[] { reference.Loss(xs[s], ts[s]) }, new[] { losses[s] }, 1e-12, $"{name} sample {s} cost");

                // A vectorised layer's matrix kernels sum in another order than Loss: last bits only.
                double cost = net.Loss(xs[s], ts[s], alone);
                AssertClose(alone, output, 1e-12, $"{name} sample {s} output against Loss");
                AssertClose(new[] { cost }, new[] { losses[s] }, 1e-12, $"{name} sample {s} cost against Loss");
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_outputs_and_costs_agree_with_the_reference(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(42);
            INetwork<float> net = @case.Create();
            Networks.Samples.Randomize(net, @case.Spec, seed: 6);
            var reference = new ReferenceMlp(@case.Spec, Networks.Samples.ToDouble<float>(net.Parameters));
            double[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Input(@case.Spec, random)).ToArray();
            double[][] ts = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Target(@case.Spec, random)).ToArray();

            var outputs = new float[Samples * net.OutputCount];
            var losses = new float[Samples];
            net.LossBatch(
                Networks.Samples.Convert<float>(xs.SelectMany(x => x).ToArray()), Networks.Samples.Convert<float>(ts.SelectMany(t => t).ToArray()), outputs, losses);

            for (int s = 0; s < Samples; s++)
            {
                double[] output = Networks.Samples.ToDouble<float>(outputs.AsSpan(s * net.OutputCount, net.OutputCount));
                AssertClose(reference.Output(xs[s]), output, 1e-5, $"{name} sample {s} output");
                AssertClose(new[] { reference.Loss(xs[s], ts[s]) }, new double[] { losses[s] }, 1e-5, $"{name} sample {s} cost");
            }
        }

        [Fact]
        public void An_unrolled_network_gives_exactly_the_bits_of_Loss()
        {
            var net = new WideUnrolled();
            net.InitializeParameters(3);
            var random = new Random(43);
            double[] inputs = Enumerable.Range(0, Samples * 40).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            double[] targets = Enumerable.Range(0, Samples * 3).Select(i => i % 3 == (i / 3) % 3 ? 1.0 : 0.0).ToArray();
            var outputs = new double[Samples * 3];
            var losses = new double[Samples];
            net.LossBatch(inputs, targets, outputs, losses);

            var alone = new double[3];
            for (int s = 0; s < Samples; s++)
            {
                double cost = net.Loss(inputs.AsSpan(s * 40, 40), targets.AsSpan(s * 3, 3), alone);
                Assert.Equal(BitConverter.DoubleToInt64Bits(cost), BitConverter.DoubleToInt64Bits(losses[s]));
                Assert.Equal(alone.Select(BitConverter.DoubleToInt64Bits), outputs.Skip(s * 3).Take(3).Select(BitConverter.DoubleToInt64Bits));
            }
        }

        [Fact]
        public void A_batch_large_enough_to_pack_W_agrees_with_Loss_in_chunks_and_snapshots()
        {
            // More samples than a chunk (32) and than packing needs, so W is packed once and read by every chunk; the
            // snapshot reads the panels it packed when it was taken, the network packs them per call.
            var net = new PackedFloat40_33_20();
            net.InitializeParameters(8);
            var random = new Random(44);
            int count = BatchKernels.PackFromWithoutAvx512 + 37;
            float[] inputs = Enumerable.Range(0, count * 40).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            float[] targets = Enumerable.Range(0, count * 20).Select(i => i % 20 == (i / 20) % 20 ? 1f : 0f).ToArray();
            var outputs = new float[count * 20];
            var losses = new float[count];
            net.LossBatch(inputs, targets, outputs, losses);
            var snapshotOutputs = new float[count * 20];
            var snapshotLosses = new float[count];
            net.ToInference().LossBatch(inputs, targets, snapshotOutputs, snapshotLosses);

            var alone = new float[20];
            for (int s = 0; s < count; s++)
            {
                float cost = net.Loss(inputs.AsSpan(s * 40, 40), targets.AsSpan(s * 20, 20), alone);
                AssertClose(alone.Select(v => (double)v).ToArray(), outputs.Skip(s * 20).Take(20).Select(v => (double)v).ToArray(), 1e-6, $"sample {s} output");
                AssertClose(new double[] { cost }, new double[] { losses[s] }, 1e-5, $"sample {s} cost");
                AssertClose(alone.Select(v => (double)v).ToArray(), snapshotOutputs.Skip(s * 20).Take(20).Select(v => (double)v).ToArray(), 1e-6, $"snapshot sample {s} output");
                AssertClose(new double[] { cost }, new double[] { snapshotLosses[s] }, 1e-5, $"snapshot sample {s} cost");
            }
        }

        [Theory]
        [InlineData(7, 6, 6, 3, "inputs", 7)]
        [InlineData(6, 4, 6, 3, "targets", 4)]
        [InlineData(6, 6, 4, 3, "outputs", 4)]
        [InlineData(6, 6, 8, 3, "outputs", 8)]
        [InlineData(6, 6, 6, 2, "losses", 2)]
        public void Lengths_that_do_not_make_whole_matching_samples_are_rejected_before_writing(
            int inputLength, int targetLength, int outputLength, int lossLength, string parameter, int givenLength)
        {
            // SeedNetD: 2 inputs, 2 outputs; six inputs are three samples.
            var net = new SeedNetD();
            double[] outputs = Enumerable.Repeat(7.0, outputLength).ToArray();
            double[] losses = Enumerable.Repeat(7.0, lossLength).ToArray();

            var error = Assert.Throws<ArgumentException>(() => net.LossBatch(new double[inputLength], new double[targetLength], outputs, losses));

            Assert.Equal(parameter, error.ParamName);
            Assert.Contains($"length {givenLength}", error.Message, StringComparison.Ordinal);
            if (parameter != "inputs")
            {
                // The length the batch of three samples needs, beside the one given.
                int needed = parameter == "losses" ? 3 : 6;
                Assert.Contains($"length {needed}", error.Message, StringComparison.Ordinal);
            }

            Assert.All(outputs, v => Assert.Equal(7.0, v));
            Assert.All(losses, v => Assert.Equal(7.0, v));
        }

        [Fact]
        public void Outputs_or_losses_sharing_memory_with_what_it_reads_are_rejected_before_writing()
        {
            var net = new Vectorized40_70_33_10();
            net.InitializeParameters(2);
            double[] memory = Enumerable.Repeat(0.25, (4 * 40) + (4 * 10) + (4 * 10) + 4).ToArray();
            double[] before = memory.ToArray();
            Span<double> all = memory;
            Span<double> inputs = all.Slice(0, 160), targets = all.Slice(160, 40), outputs = all.Slice(200, 40), losses = all.Slice(240, 4);

            var intoInputs = Assert.Throws<ArgumentException>(() => net.LossBatch(memory.AsSpan(0, 160), memory.AsSpan(160, 40), memory.AsSpan(120, 40), memory.AsSpan(240, 4)));
            Assert.Equal("outputs", intoInputs.ParamName);
            var intoTargets = Assert.Throws<ArgumentException>(() => net.LossBatch(memory.AsSpan(0, 160), memory.AsSpan(160, 40), memory.AsSpan(200, 40), memory.AsSpan(198, 4)));
            Assert.Equal("losses", intoTargets.ParamName);
            var intoOutputs = Assert.Throws<ArgumentException>(() => net.LossBatch(memory.AsSpan(0, 160), memory.AsSpan(160, 40), memory.AsSpan(200, 40), memory.AsSpan(236, 4)));
            Assert.Equal("losses", intoOutputs.ParamName);
            Assert.Equal(before, memory);

            net.LossBatch(inputs, targets, outputs, losses);
            Assert.NotEqual(before, memory);
        }

        [Fact]
        public void An_empty_batch_writes_nothing()
        {
            new Vectorized40_70_33_10().LossBatch(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, Span<double>.Empty, Span<double>.Empty);
            new SeedNetD().LossBatch(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, Span<double>.Empty, Span<double>.Empty);
        }

        [Fact]
        public void Loss_batch_does_not_allocate_after_warm_up()
        {
            var packed = new PackedFloat40_33_20();
            float[] inputs = new float[100 * 40], targets = new float[100 * 20], outputs = new float[100 * 20], losses = new float[100];
            AllocationTests.AssertNoAllocation(() => packed.LossBatch(inputs, targets, outputs, losses));

            var unrolled = new SeedNetD();
            double[] x = new double[10 * 2], t = new double[10 * 2], a = new double[10 * 2], c = new double[10];
            AllocationTests.AssertNoAllocation(() => unrolled.LossBatch(x, t, a, c));
        }
    }
}
