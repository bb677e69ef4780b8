using System;
using System.Linq;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>AccumulateBatch is Accumulate for every sample of a batch, computed matrix by matrix.</summary>
    public sealed class BatchTests
    {
        // 37 samples: more than one chunk of 32, and a partial last chunk.
        private const int Samples = 37;

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Batch_equals_one_accumulate_per_sample(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(21);
            double[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Input(@case.Spec, random)).ToArray();
            double[][] ts = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Target(@case.Spec, random)).ToArray();

            INetwork<double> single = @case.Create();
            Networks.Samples.Randomize(single, @case.Spec, seed: 8);
            double expectedLoss = xs.Select((x, s) => single.Accumulate(x, ts[s])).Sum();

            INetwork<double> batch = @case.Create();
            Networks.Samples.Randomize(batch, @case.Spec, seed: 8);
            double loss = batch.AccumulateBatch(xs.SelectMany(x => x).ToArray(), ts.SelectMany(t => t).ToArray());

            Assert.Equal(Samples, batch.AccumulatedSamples);
            Assert.True(Math.Abs(expectedLoss - loss) <= 1e-11 * Math.Max(1, Math.Abs(expectedLoss)), $"loss {loss:R}, expected {expectedLoss:R}");
            for (int i = 0; i < single.ParameterCount; i++)
            {
                double expected = single.Gradients[i];
                Assert.True(
                    Math.Abs(expected - batch.Gradients[i]) <= 1e-11 * Math.Max(1, Math.Abs(expected)),
                    $"{name} gradient {i}: batch {batch.Gradients[i]:R}, per sample {expected:R}");
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_batch_equals_one_accumulate_per_sample(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(22);
            float[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Convert<float>(Networks.Samples.Input(@case.Spec, random))).ToArray();
            float[][] ts = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Convert<float>(Networks.Samples.Target(@case.Spec, random))).ToArray();

            INetwork<float> single = @case.Create();
            INetwork<float> batch = @case.Create();
            double expectedLoss = xs.Select((x, s) => (double)single.Accumulate(x, ts[s])).Sum();
            float loss = batch.AccumulateBatch(xs.SelectMany(x => x).ToArray(), ts.SelectMany(t => t).ToArray());

            Assert.Equal(expectedLoss, loss, 1e-4 * Math.Max(1, Math.Abs(expectedLoss)));
            for (int i = 0; i < single.ParameterCount; i++)
            {
                Assert.Equal(single.Gradients[i], batch.Gradients[i], 1e-4 * Math.Max(1, Math.Abs(single.Gradients[i])));
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Batch_into_a_buffer_equals_one_accumulate_per_sample_and_leaves_the_network_alone(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(23);
            double[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Input(@case.Spec, random)).ToArray();
            double[][] ts = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Target(@case.Spec, random)).ToArray();

            INetwork<double> single = @case.Create();
            Networks.Samples.Randomize(single, @case.Spec, seed: 9);
            double expectedLoss = xs.Select((x, s) => single.Accumulate(x, ts[s])).Sum();

            INetwork<double> batch = @case.Create();
            Networks.Samples.Randomize(batch, @case.Spec, seed: 9);
            batch.Accumulate(xs[0], ts[0]);
            double[] ownGradients = batch.Gradients.ToArray();
            double[] buffer = Enumerable.Repeat(0.0, batch.ParameterCount).ToArray();
            double loss = batch.AccumulateBatch(xs.SelectMany(x => x).ToArray(), ts.SelectMany(t => t).ToArray(), buffer);

            Assert.Equal(1, batch.AccumulatedSamples);
            Assert.Equal(ownGradients, batch.Gradients.ToArray());
            Assert.True(Math.Abs(expectedLoss - loss) <= 1e-11 * Math.Max(1, Math.Abs(expectedLoss)), $"loss {loss:R}, expected {expectedLoss:R}");
            for (int i = 0; i < buffer.Length; i++)
            {
                double expected = single.Gradients[i];
                Assert.True(Math.Abs(expected - buffer[i]) <= 1e-11 * Math.Max(1, Math.Abs(expected)), $"{name} gradient {i}: {buffer[i]:R}, per sample {expected:R}");
            }
        }

        // The overload into a buffer runs what AccumulateBatch into Gradients runs, bit for bit, with the declared cost and with a
        // loss function: the matrix form where the network takes it, and elsewhere (every layer unrolled: forced Unrolled, or
        // Auto below 96 weights) Accumulate's own statements per sample. The Trainer's threads add into buffers and one thread
        // into Gradients, so a forced-Unrolled network trains to the same bits on every machine whatever the thread count's
        // own order of sums; before, the buffer overload always took the matrix form, whose sums follow the vector width.
        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_batch_into_a_buffer_has_the_bits_of_the_batch_into_Gradients(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(25);
            float[] inputs = Enumerable.Range(0, Samples).SelectMany(_ => Networks.Samples.Convert<float>(Networks.Samples.Input(@case.Spec, random))).ToArray();
            float[] targets = Enumerable.Range(0, Samples).SelectMany(_ => Networks.Samples.Convert<float>(Networks.Samples.Target(@case.Spec, random))).ToArray();
            float[] weighted = Enumerable.Range(0, Samples).SelectMany(_ => Networks.Samples.Convert<float>(LossFunctionTests.WeightedHuber<double>.Target(@case.Spec.Layers[^1].Size, random))).ToArray();
            AssertBufferHasTheBitsOfGradients(@case, inputs, targets, weighted);
        }

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Batch_into_a_buffer_has_the_bits_of_the_batch_into_Gradients(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(26);
            double[] inputs = Enumerable.Range(0, Samples).SelectMany(_ => Networks.Samples.Input(@case.Spec, random)).ToArray();
            double[] targets = Enumerable.Range(0, Samples).SelectMany(_ => Networks.Samples.Target(@case.Spec, random)).ToArray();
            double[] weighted = Enumerable.Range(0, Samples).SelectMany(_ => LossFunctionTests.WeightedHuber<double>.Target(@case.Spec.Layers[^1].Size, random)).ToArray();
            AssertBufferHasTheBitsOfGradients(@case, inputs, targets, weighted);
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_batch_into_a_buffer_adds_to_what_the_buffer_holds(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(24);
            float[][] xs = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Convert<float>(Networks.Samples.Input(@case.Spec, random))).ToArray();
            float[][] ts = Enumerable.Range(0, Samples).Select(_ => Networks.Samples.Convert<float>(Networks.Samples.Target(@case.Spec, random))).ToArray();

            INetwork<float> single = @case.Create();
            INetwork<float> batch = @case.Create();
            xs.Select((x, s) => single.Accumulate(x, ts[s])).ToArray();
            float[] buffer = Enumerable.Repeat(1f, batch.ParameterCount).ToArray();
            batch.AccumulateBatch(xs.SelectMany(x => x).ToArray(), ts.SelectMany(t => t).ToArray(), buffer);

            Assert.Equal(0, batch.AccumulatedSamples);
            for (int i = 0; i < buffer.Length; i++)
            {
                Assert.Equal(1f + single.Gradients[i], buffer[i], 1e-4 * Math.Max(1, Math.Abs(single.Gradients[i])));
            }
        }

        [Fact]
        public void A_gradient_buffer_of_the_wrong_length_is_rejected_naming_it_and_both_lengths()
        {
            var net = new SeedNetD();
            var buffer = new double[SeedNetD.ParameterCount + 1];
            var error = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(new double[2], new double[2], buffer));
            Assert.Equal("gradients", error.ParamName);
            Assert.Contains($"length {SeedNetD.ParameterCount + 1}", error.Message, StringComparison.Ordinal);
            Assert.Contains($"length {SeedNetD.ParameterCount}", error.Message, StringComparison.Ordinal);
            Assert.All(buffer, g => Assert.Equal(0.0, g));
        }

        [Fact]
        public void An_empty_batch_changes_nothing()
        {
            var net = new SeedNetD();
            Assert.Equal(0.0, net.AccumulateBatch(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
            Assert.Equal(0, net.AccumulatedSamples);
        }

        [Theory]
        [InlineData(5, 4, "inputs")]
        [InlineData(6, 4, "targets")]
        [InlineData(6, 8, "targets")]
        public void Lengths_that_do_not_make_whole_samples_are_rejected_and_change_nothing(int inputLength, int targetLength, string parameter)
        {
            var net = new SeedNetD();
            net.Accumulate(new[] { 0.1, 0.2 }, new[] { 0.3, 0.4 });
            double[] gradients = net.Gradients.ToArray();

            var error = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(new double[inputLength], new double[targetLength]));

            Assert.Equal(parameter, error.ParamName);
            Assert.Contains($"length {(parameter == "inputs" ? inputLength : targetLength)}", error.Message, StringComparison.Ordinal);
            Assert.Equal(gradients, net.Gradients.ToArray());
            Assert.Equal(1, net.AccumulatedSamples);
        }

        [Fact]
        public void Batch_does_not_allocate_after_warm_up()
        {
            var net = new MixedUnrolledVectorUnrolled();
            double[] inputs = new double[40 * 3];
            double[] targets = new double[40 * 2];
            AllocationTests.AssertNoAllocation(() =>
            {
                net.AccumulateBatch(inputs, targets);
                net.Step(0.01);
            });
        }

        // The batch into Gradients, then the same batch into a zeroed buffer: the same loss and the same bits, with the
        // declared cost and with a weighted HuberLoss (targets then OutputCount values and OutputCount weights).
        private static void AssertBufferHasTheBitsOfGradients<T>(NetCase<T> @case, T[] inputs, T[] targets, T[] weighted)
            where T : unmanaged
        {
            var huber = new HuberLoss<T>(0.5, weighted: true);
            INetwork<T> net = @case.Create();
            Networks.Samples.Randomize(net, @case.Spec, seed: 10);

            T loss = net.AccumulateBatch(inputs, targets);
            T[] expected = net.Gradients.ToArray();
            var buffer = new T[net.ParameterCount];
            Assert.Equal(loss, net.AccumulateBatch(inputs, targets, buffer));
            Assert.Equal(expected, buffer);

            net.ClearGradients();
            loss = net.AccumulateBatch(inputs, weighted, huber);
            expected = net.Gradients.ToArray();
            Array.Clear(buffer);
            Assert.Equal(loss, net.AccumulateBatch(inputs, weighted, buffer, huber));
            Assert.Equal(expected, buffer);
        }
    }
}
