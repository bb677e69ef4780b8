using System;
using System.Linq;
using NnGen.CompilerServices;
using NnGen.Testing;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// IRowSplitTraining, AccumulateBatch taken apart at layer 1 for the Trainer's threads: blocks of W(1)'s rows that
    /// start on whole panels give AccumulateBatch's bits, and Threads above 1 give the bits of Threads = 1.
    /// </summary>
    public sealed class RowSplitTests
    {
        public static TheoryData<string> DoubleSplitNames => new(Catalog.Double.Where(c => c.Value.Create() is IRowSplitTraining<double>).Select(c => c.Key));

        public static TheoryData<string> SingleSplitNames => new(Catalog.Single.Where(c => c.Value.Create() is IRowSplitTraining<float>).Select(c => c.Key));

        [Fact]
        public void Networks_split_where_layer_one_is_element_wise_and_a_layer_follows()
        {
            // Which catalog networks the generator gives the interface: every network with a vectorised layer
            // (all of its batch path runs in matrices then), two layers or more, and no softmax in layer 1.
            string[] split = Catalog.Double.Where(c => c.Value.Create() is IRowSplitTraining<double>).Select(c => c.Key).ToArray();
            Assert.Contains(nameof(Vectorized40_70_33_10), split);
            Assert.Contains(nameof(RowSplitEluDouble), split);
            Assert.Contains(nameof(MixedUnrolledVectorUnrolled), split);
            Assert.Contains(nameof(SeedNetDVectorized), split);
            Assert.DoesNotContain(nameof(SeedNetD), split);
            Assert.DoesNotContain(nameof(HalfSoftmaxTanhVectorized), split);
            Assert.DoesNotContain(nameof(SingleLayerLinearVectorized), split);
            Assert.DoesNotContain(nameof(MixedHiddenSoftmax), split);
            Assert.All(split, name => Assert.NotEqual(Activation.Softmax, Catalog.Double[name].Spec.Layers[0].Activation));
        }

        [Theory]
        [MemberData(nameof(DoubleSplitNames))]
        public void Blocks_of_rows_give_the_bits_of_AccumulateBatch(string name) => CheckBlocks(Catalog.Double[name]);

        [Theory]
        [MemberData(nameof(SingleSplitNames))]
        public void Float_blocks_of_rows_give_the_bits_of_AccumulateBatch(string name) => CheckBlocks(Catalog.Single[name]);

        // With a loss function (a weighted Huber loss, targets twice as long as the output), the blocks give the bits of
        // AccumulateBatch with that loss.
        [Theory]
        [MemberData(nameof(DoubleSplitNames))]
        public void Blocks_of_rows_with_a_loss_function_give_the_bits_of_AccumulateBatch_with_it(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(33);
            var huber = new HuberLoss<double>(0.4, weighted: true);
            foreach (int count in new[] { 1, 37 })
            {
                double[] inputs = Enumerable.Range(0, count).SelectMany(_ => Samples.Input(@case.Spec, random)).ToArray();
                double[] targets = Enumerable.Range(0, count).SelectMany(_ => LossFunctionTests.WeightedHuber<double>.Target(@case.Spec.Outputs, random)).ToArray();
                INetwork<double> whole = @case.Create();
                Samples.Randomize(whole, @case.Spec, seed: 10);
                var expected = new double[whole.ParameterCount];
                double expectedLoss = whole.AccumulateBatch(inputs, targets, expected, huber);

                INetwork<double> split = @case.Create();
                Samples.Randomize(split, @case.Spec, seed: 10);
                (double[] gradients, double loss, _) = RowBlocks.Run(split, inputs, targets, 8, accumulate: true, huber);
                Assert.Equal(expectedLoss, loss);
                Assert.Equal(expected, gradients);
            }

            // A weight of −1 is refused before anything is written.
            INetwork<double> net = @case.Create();
            var split1 = (IRowSplitTraining<double>)net;
            int rows = net.Architecture.Layers[0].Size;
            double[] bad = LossFunctionTests.WeightedHuber<double>.Target(@case.Spec.Outputs, random);
            bad[@case.Spec.Outputs] = -1;
            var upstream = new double[rows];
            var e = Assert.Throws<ArgumentException>(() => split1.AccumulateAfterRows(new double[rows], bad, upstream, net.Gradients, true, huber));
            Assert.Contains("targets of sample 0", e.Message);
            Assert.All(upstream, u => Assert.Equal(0, u));
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0, g));
        }

        [Fact]
        public void Without_accumulate_only_g1_is_written()
        {
            NetCase<double> @case = Catalog.Double[nameof(Vectorized40_70_33_10)];
            (double[] inputs, double[] targets) = Batch<double>(@case.Spec, 21, new Random(4));
            INetwork<double> whole = @case.Create(), split = @case.Create();
            Samples.Randomize(whole, @case.Spec, seed: 3);
            Samples.Randomize(split, @case.Spec, seed: 3);
            double[] expected = new double[whole.ParameterCount];
            double expectedLoss = whole.AccumulateBatch(inputs, targets, expected);
            (double[] gradients, double loss, double[] upstream) = RowBlocks.Run(split, inputs, targets, block: 8, accumulate: false);

            int firstLayer = (@case.Spec.Inputs + 1) * @case.Spec.Layers[0].Size;
            Assert.Equal(expectedLoss, loss);
            Assert.Equal(expected.Take(firstLayer), gradients.Take(firstLayer));
            Assert.All(gradients.Skip(firstLayer), g => Assert.Equal(0.0, g));
            Assert.Contains(upstream, g => g != 0);
        }

        [Fact]
        public void Spans_of_the_wrong_length_are_rejected_before_anything_is_written()
        {
            INetwork<double> net = new Vectorized40_70_33_10();
            net.InitializeParameters(1);
            var split = (IRowSplitTraining<double>)net;
            double[] inputs = new double[3 * 40], targets = new double[3 * 10], gradients = new double[net.ParameterCount];
            double[] z = new double[3 * 16], a = new double[3 * 16], upstream = new double[3 * 70], delta = new double[3 * 16];

            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => split.ForwardRows(new double[41], 0, 16, z, a)).ParamName);
            Assert.Equal("z", Assert.Throws<ArgumentException>(() => split.ForwardRows(inputs, 0, 16, new double[47], a)).ParamName);
            Assert.Equal("a", Assert.Throws<ArgumentException>(() => split.ForwardRows(inputs, 0, 16, z, new double[49])).ParamName);
            Assert.Equal("from", Assert.Throws<ArgumentOutOfRangeException>(() => split.ForwardRows(inputs, -8, 16, z, a)).ParamName);
            Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => split.ForwardRows(inputs, 64, 16, z, a)).ParamName);
            ArgumentException overlap = Assert.Throws<ArgumentException>(() => split.ForwardRows(inputs, 0, 16, inputs.AsSpan(0, 48), a));
            Assert.Equal("z", overlap.ParamName);
            Assert.StartsWith("z shares memory with inputs,", overlap.Message, StringComparison.Ordinal);
            Assert.Equal("activations", Assert.Throws<ArgumentException>(() => split.AccumulateAfterRows(new double[71], targets, upstream, gradients, true)).ParamName);
            Assert.Equal("targets", Assert.Throws<ArgumentException>(() => split.AccumulateAfterRows(new double[3 * 70], new double[29], upstream, gradients, true)).ParamName);
            Assert.Equal("upstream", Assert.Throws<ArgumentException>(() => split.AccumulateAfterRows(new double[3 * 70], targets, new double[209], gradients, true)).ParamName);
            Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => split.AccumulateAfterRows(new double[3 * 70], targets, upstream, new double[5], true)).ParamName);
            Assert.Equal("delta", Assert.Throws<ArgumentException>(() => split.AccumulateRows(inputs, 0, 16, z, a, upstream, new double[47], gradients)).ParamName);
            Assert.Equal("upstream", Assert.Throws<ArgumentException>(() => split.AccumulateRows(inputs, 0, 16, z, a, new double[211], delta, gradients)).ParamName);
            overlap = Assert.Throws<ArgumentException>(() => split.AccumulateRows(inputs, 0, 16, z, a, upstream, gradients.AsSpan(0, 48), gradients));
            Assert.Equal("delta", overlap.ParamName);
            Assert.StartsWith("delta shares memory with gradients,", overlap.Message, StringComparison.Ordinal);
            Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => split.AccumulateRows(inputs, 0, 16, z, a, upstream, delta, new double[7])).ParamName);

            Assert.All(gradients, g => Assert.Equal(0.0, g));
            Assert.All(z, v => Assert.Equal(0.0, v));
            Assert.All(upstream, v => Assert.Equal(0.0, v));
            Assert.Equal(0, net.AccumulatedSamples);
        }

        [Theory]
        [InlineData(2, 13)]
        [InlineData(3, 40)]
        [InlineData(4, 300)]
        public void Threads_that_split_layer_one_train_to_the_bits_of_one_thread(int threads, int batchSize)
        {
            // 13 samples are too few to pack W (the unpacked kernels); 300 are two gathered blocks of a minibatch.
            Assert.Equal(Train<double>(nameof(Vectorized40_70_33_10), 1, batchSize), Train<double>(nameof(Vectorized40_70_33_10), threads, batchSize));
            Assert.Equal(Train<double>(nameof(RowSplitEluDouble), 1, batchSize), Train<double>(nameof(RowSplitEluDouble), threads, batchSize));
            Assert.Equal(Train<float>(nameof(RowSplitTanhF), 1, batchSize), Train<float>(nameof(RowSplitTanhF), threads, batchSize));
            Assert.Equal(Train<float>(nameof(RowSplitLogisticF), 1, batchSize), Train<float>(nameof(RowSplitLogisticF), threads, batchSize));
        }

        [Fact]
        public void A_layer_too_wide_for_one_unit_per_tile_trains_to_the_bits_of_one_thread()
        {
            // Two threads: homes of 66 panels, 17 tiles of four and three, two tiles per unit. Three: 44 panels, 11 tiles.
            float[] Train(int threads)
            {
                var random = new Random(4);
                float[] inputs = Enumerable.Range(0, 90 * 6).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
                var targets = new float[90 * 3];
                for (int s = 0; s < 90; s++)
                {
                    targets[(s * 3) + random.Next(3)] = 1;
                }

                var net = new RowSplitVeryWideF();
                net.InitializeParameters(6);
                new Trainer<float>(net, new TrainerOptions { Epochs = 2, BatchSize = 40, LearningRate = 0.05, Seed = 2, Threads = threads, TrainingEvaluationSamples = 0 })
                    .Train(new Dataset<float>(inputs, targets, 6, 3));
                return net.Parameters.ToArray();
            }

            float[] one = Train(1);
            Assert.Equal(one, Train(2));
            Assert.Equal(one, Train(3));
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public void A_non_finite_gradient_in_one_threads_rows_stops_training_before_any_thread_steps(int threads)
        {
            (RowSplitEluDouble net, Dataset<double> data) = OverflowingRows();
            double[] before = net.Parameters.ToArray();
            var trainer = new Trainer<double>(net, new TrainerOptions { Epochs = 1, BatchSize = 24, LearningRate = 0.1, Shuffle = false, Threads = threads });

            var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data));

            Assert.Equal((1, 1), (error.Epoch, error.Batch));
            Assert.Contains("a gradient", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0.0, g));
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public void A_run_that_diverged_leaves_no_partial_sum_to_the_trainers_next_run(int threads)
        {
            // With plain SGD each thread sums its rows of ∇W(1) in a buffer of its own, which the network's ClearGradients
            // does not reach. The diverged minibatch left infinite sums there; the same trainer's next run must start from
            // zero, as a new trainer's does.
            (RowSplitEluDouble net, Dataset<double> overflowing) = OverflowingRows();
            var options = new TrainerOptions { Epochs = 2, BatchSize = 10, LearningRate = 1e-4, Shuffle = false, Threads = threads };
            var trainer = new Trainer<double>(net, options);
            Assert.Throws<TrainingDivergedException>(() => trainer.Train(overflowing));

            double[] inputs = overflowing.Inputs.ToArray();
            for (int s = 0; s < overflowing.Count; s++)
            {
                inputs[s * 70] = 0.5;
            }

            var data = new Dataset<double>(inputs, overflowing.Targets.ToArray(), 70, 4);
            var fresh = new RowSplitEluDouble();
            net.Parameters.CopyTo(fresh.Parameters);
            new Trainer<double>(fresh, options).Train(data);
            trainer.Train(data);

            Assert.Equal(fresh.Parameters.ToArray(), net.Parameters.ToArray());
            Assert.All(net.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
        }

        // 24 samples whose input 0 is 1e308, and a network whose W(1) column for it is 0, so z, a and the loss stay
        // finite. W(2) reads only rows 16..19 of a(1) (into output 0, with weight 1e3): their δ(1) is large and their
        // gradient for input 0 overflows, while rows 0..15 get δ(1) = 0 and finite gradients. Rows 16..19 belong to the
        // last thread, rows 0..7 to the first.
        private static (RowSplitEluDouble Net, Dataset<double> Data) OverflowingRows()
        {
            var spec = Catalog.Double[nameof(RowSplitEluDouble)].Spec;
            (double[] inputs, double[] targets) = Batch<double>(spec, 24, new Random(9));
            for (int s = 0; s < 24; s++)
            {
                inputs[s * 70] = 1e308;
            }

            var net = new RowSplitEluDouble();
            Samples.Randomize(net, spec, seed: 2);
            Span<double> p = net.Parameters;
            int w2 = 20 * 71;
            for (int i = 0; i < 20; i++)
            {
                p[i * 70] = 0;
                for (int k = 0; k < 4; k++)
                {
                    p[w2 + (k * 20) + i] = k == 0 && i >= 16 ? 1e3 : 0;
                }
            }

            return (net, new Dataset<double>(inputs, targets, 70, 4));
        }

        // Every reference network, whichever way the trainer shares it between threads (rows of layer 1, or samples):
        // training on 2 and 3 threads against Accumulate per sample and Step, the samples in order. The sums differ from
        // one sample at a time only in their order: within 1e-10 of each parameter in double, 1e-4 in float.
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Threads_train_every_network_like_one_accumulate_per_sample(string name) =>
            CheckThreadedTraining(Catalog.Double[name], 1e-10);

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Threads_train_every_float_network_like_one_accumulate_per_sample(string name) =>
            CheckThreadedTraining(Catalog.Single[name], 1e-4);

        private static void CheckThreadedTraining<T>(NetCase<T> @case, double tolerance)
            where T : unmanaged
        {
            (T[] inputs, T[] targets) = Batch<T>(@case.Spec, 30, new Random(13));
            var data = new Dataset<T>(inputs, targets, @case.Spec.Inputs, @case.Spec.Outputs);
            T learningRate = Samples.FromDouble<T>(0.05);

            INetwork<T> manual = @case.Create();
            Samples.Randomize(manual, @case.Spec, seed: 6);
            for (int epoch = 0; epoch < 2; epoch++)
            {
                for (int start = 0; start < data.Count; start += 13)
                {
                    for (int s = start; s < Math.Min(start + 13, data.Count); s++)
                    {
                        manual.Accumulate(data.Input(s), data.Target(s));
                    }

                    manual.Step(learningRate);
                }
            }

            double[] expected = Samples.ToDouble<T>(manual.Parameters);
            foreach (int threads in new[] { 2, 3 })
            {
                INetwork<T> trained = @case.Create();
                Samples.Randomize(trained, @case.Spec, seed: 6);
                new Trainer<T>(trained, new TrainerOptions { Epochs = 2, BatchSize = 13, LearningRate = 0.05, Shuffle = false, Threads = threads, TrainingEvaluationSamples = 0 }).Train(data);
                double[] actual = Samples.ToDouble<T>(trained.Parameters);
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(
                        Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                        $"{@case.Name}, {threads} threads, parameter {i}: {actual[i]:R}, per sample {expected[i]:R}");
                }
            }
        }

        private static void CheckBlocks<T>(NetCase<T> @case)
            where T : unmanaged
        {
            var random = new Random(31);
            foreach (int count in new[] { 1, 5, 37 })
            {
                (T[] inputs, T[] targets) = Batch<T>(@case.Spec, count, random);
                INetwork<T> whole = @case.Create();
                Samples.Randomize(whole, @case.Spec, seed: 10);
                var expected = new T[whole.ParameterCount];
                T expectedLoss = whole.AccumulateBatch(inputs, targets, expected);
                foreach (int panels in new[] { 1, 2 })
                {
                    INetwork<T> split = @case.Create();
                    Samples.Randomize(split, @case.Spec, seed: 10);
                    (T[] gradients, T loss, _) = RowBlocks.Run(split, inputs, targets, panels * (typeof(T) == typeof(float) ? 16 : 8), accumulate: true);
                    Assert.Equal(expectedLoss, loss);
                    Assert.Equal(expected, gradients);
                }
            }
        }

        private static T[] Train<T>(string name, int threads, int batchSize)
            where T : unmanaged
        {
            NetCase<T> @case = typeof(T) == typeof(float) ? (NetCase<T>)(object)Catalog.Single[name] : (NetCase<T>)(object)Catalog.Double[name];
            (T[] inputs, T[] targets) = Batch<T>(@case.Spec, 330, new Random(17));
            INetwork<T> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 12);
            new Trainer<T>(net, new TrainerOptions { Epochs = 2, BatchSize = batchSize, LearningRate = 0.05, Seed = 3, Threads = threads })
                .Train(new Dataset<T>(inputs, targets, @case.Spec.Inputs, @case.Spec.Outputs));
            return net.Parameters.ToArray();
        }

        private static (T[] Inputs, T[] Targets) Batch<T>(NetSpec spec, int count, Random random)
            where T : unmanaged =>
            (Enumerable.Range(0, count).SelectMany(_ => Samples.Convert<T>(Samples.Input(spec, random))).ToArray(),
             Enumerable.Range(0, count).SelectMany(_ => Samples.Convert<T>(Samples.Target(spec, random))).ToArray());
    }
}
