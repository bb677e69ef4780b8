using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    public sealed class TrainerTests
    {
        /// <summary>12 samples of a smooth 2 → 2 function, sample i at inputs (2i, 2i+1) / 24.</summary>
        private static Dataset<double> Smooth(int count = 12)
        {
            var inputs = new double[count * 2];
            var targets = new double[count * 2];
            for (int i = 0; i < count; i++)
            {
                double x = (i / (double)count) - 0.5, y = Math.Sin(i);
                (inputs[2 * i], inputs[(2 * i) + 1]) = (x, y * 0.5);
                (targets[2 * i], targets[(2 * i) + 1]) = (Math.Tanh(x + y), x * y);
            }

            return new Dataset<double>(inputs, targets, 2, 2);
        }

        private static TinyNet Seeded()
        {
            var net = new TinyNet();
            net.InitializeParameters(4);
            return net;
        }

        [Fact]
        public void Plain_sgd_equals_the_hand_written_loop_with_the_same_shuffles()
        {
            Dataset<double> data = Smooth();
            TinyNet trained = Seeded();
            new Trainer<double>(trained, new TrainerOptions { Epochs = 3, BatchSize = 5, LearningRate = 0.2, Seed = 9 }).Train(data);

            TinyNet manual = Seeded();
            int[] order = Enumerable.Range(0, data.Count).ToArray();
            var random = new SeededUniform(9);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                Shuffling.Shuffle(order, ref random);
                for (int start = 0; start < order.Length; start += 5)
                {
                    foreach (int i in order.Skip(start).Take(5))
                    {
                        manual.Accumulate(data.Input(i), data.Target(i));
                    }

                    manual.Step(0.2);
                }
            }

            Assert.Equal(manual.Parameters.ToArray(), trained.Parameters.ToArray());
        }

        [Fact]
        public void The_gathered_batch_path_of_a_vectorised_double_network_equals_one_accumulate_per_sample()
        {
            Dataset<double> data = Classes<double>(50, seed: 3);
            var trained = new WideDoubleNet();
            trained.InitializeParameters(5);
            new Trainer<double>(trained, new TrainerOptions { Epochs = 2, BatchSize = 13, LearningRate = 0.3, Seed = 4 }).Train(data);

            var manual = new WideDoubleNet();
            manual.InitializeParameters(5);
            PerSample(manual, data, epochs: 2, batchSize: 13, learningRate: 0.3, seed: 4);

            // The batch kernels sum dot products in another order: 1e-12 relative is rounding, not a wrong term.
            AssertClose(manual.Parameters.ToArray(), trained.Parameters.ToArray(), 1e-12);
        }

        [Fact]
        public void The_gathered_batch_path_of_a_vectorised_float_network_equals_one_accumulate_per_sample()
        {
            Dataset<float> data = Classes<float>(50, seed: 6);
            var trained = new WideSingleNet();
            trained.InitializeParameters(7);
            new Trainer<float>(trained, new TrainerOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.3, Seed = 8 }).Train(data);

            var manual = new WideSingleNet();
            manual.InitializeParameters(7);
            PerSample(manual, data, epochs: 2, batchSize: 16, learningRate: 0.3f, seed: 8);

            AssertClose(Array.ConvertAll(manual.Parameters.ToArray(), x => (double)x), Array.ConvertAll(trained.Parameters.ToArray(), x => (double)x), 1e-4);
        }

        [Theory]
        [InlineData(2, nameof(WideDoubleNet))]
        [InlineData(3, nameof(WideDoubleNet))]
        [InlineData(2, nameof(TailHeavyDoubleNet))]
        [InlineData(3, nameof(TailHeavyDoubleNet))]
        [InlineData(2, nameof(SampleSplitNet))]
        [InlineData(3, nameof(SampleSplitNet))]
        public void Threads_train_like_one_accumulate_per_sample(int threads, string network)
        {
            // WideDoubleNet's threads split layer 1's rows, TailHeavyDoubleNet's the samples, and SampleSplitNet's the
            // samples too, with parameters enough (16,384 or more) that the threads also step their slices of them.
            Dataset<double> data = network switch
            {
                nameof(WideDoubleNet) => Classes<double>(50, seed: 3),
                nameof(TailHeavyDoubleNet) => Classes<double>(50, seed: 3, inputs: 8, classes: 4),
                _ => Classes<double>(50, seed: 3, inputs: 64, classes: 4),
            };
            INetwork<double> Create()
            {
                INetwork<double> net = network switch
                {
                    nameof(WideDoubleNet) => new WideDoubleNet(),
                    nameof(TailHeavyDoubleNet) => new TailHeavyDoubleNet(),
                    _ => new SampleSplitNet(),
                };
                net.InitializeParameters(5);
                return net;
            }

            Assert.True(network != nameof(SampleSplitNet) || SampleSplitNet.ParameterCount >= 16384);
            INetwork<double> trained = Create();
            new Trainer<double>(trained, new TrainerOptions { Epochs = 2, BatchSize = 13, LearningRate = 0.3, Seed = 4, Threads = threads }).Train(data);

            INetwork<double> manual = Create();
            PerSample(manual, data, epochs: 2, batchSize: 13, learningRate: 0.3, seed: 4);

            AssertClose(manual.Parameters.ToArray(), trained.Parameters.ToArray(), 1e-12);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public void Threads_that_split_layer_one_with_adam_give_the_bits_of_one_thread(int threads)
        {
            // The optimiser's update runs on the calling thread over every parameter; the gradients it reads are the
            // threads' rows, which must be one thread's bits.
            Dataset<double> data = Classes<double>(60, seed: 5);
            double[] Run(int count)
            {
                var net = new WideDoubleNet();
                net.InitializeParameters(7);
                new Trainer<double>(net, new TrainerOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.01, Seed = 2, Optimizer = Optimizer.Adam(), Threads = count }).Train(data);
                return net.Parameters.ToArray();
            }

            Assert.Equal(Run(1), Run(threads));
        }

        [Fact]
        public void Threads_with_adam_on_an_unrolled_network_train_like_one_thread()
        {
            // An unrolled network's AccumulateBatch loops over Accumulate; with threads it takes the matrix form.
            Dataset<double> data = Smooth(40);
            TinyNet one = Seeded(), two = Seeded();
            new Trainer<double>(one, new TrainerOptions { Epochs = 3, BatchSize = 7, LearningRate = 0.05, Seed = 2, Optimizer = Optimizer.Adam() }).Train(data);
            new Trainer<double>(two, new TrainerOptions { Epochs = 3, BatchSize = 7, LearningRate = 0.05, Seed = 2, Optimizer = Optimizer.Adam(), Threads = 2 }).Train(data);
            AssertClose(one.Parameters.ToArray(), two.Parameters.ToArray(), 1e-12);
        }

        [Theory]
        [InlineData(0.1)]
        [InlineData(0.3)]
        [InlineData(0.07)]
        public void Threads_that_split_the_samples_step_with_the_generated_steps_scale(double learningRate)
        {
            // NarrowDigitsNet's one panel leaves nothing to split by rows, so two threads take half the samples each
            // and their gradients are added in order. The step is then the generated Step's: (float)η / M in float,
            // not η / M in double rounded to float, which differs in the last bit for some η and M.
            const int count = 21;
            Dataset<float> data = Classes<float>(count, seed: 9, inputs: 64, classes: 10);
            var trained = new NarrowDigitsNet();
            trained.InitializeParameters(4);
            new Trainer<float>(trained, new TrainerOptions { Epochs = 1, BatchSize = count, LearningRate = learningRate, Shuffle = false, Threads = 2, TrainingEvaluationSamples = 0 }).Train(data);

            var manual = new NarrowDigitsNet();
            manual.InitializeParameters(4);
            float[] first = new float[NarrowDigitsNet.ParameterCount], second = new float[NarrowDigitsNet.ParameterCount];
            int half = count / 2;
            manual.AccumulateBatch(data.Inputs.Slice(0, half * 64), data.Targets.Slice(0, half * 10), first);
            manual.AccumulateBatch(data.Inputs.Slice(half * 64), data.Targets.Slice(half * 10), second);
            float scale = (float)learningRate / count;
            Span<float> parameters = manual.Parameters;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= scale * (first[i] + second[i]);
            }

            Assert.Equal(manual.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), trained.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        }

        [Fact]
        public void A_thread_count_gives_the_same_bits_on_every_run()
        {
            Dataset<float> data = Classes<float>(70, seed: 11);
            float[] Run()
            {
                var net = new WideSingleNet();
                net.InitializeParameters(3);
                new Trainer<float>(net, new TrainerOptions { Epochs = 3, BatchSize = 20, LearningRate = 0.2, Seed = 6, Threads = 2 }).Train(data);
                return net.Parameters.ToArray();
            }

            float[] first = Run();
            for (int run = 0; run < 3; run++)
            {
                Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), Run().Select(BitConverter.SingleToInt32Bits));
            }
        }

        [Fact]
        public void More_threads_than_samples_in_a_batch_leave_some_threads_idle()
        {
            Dataset<double> data = Classes<double>(10, seed: 8);
            var trained = new WideDoubleNet();
            trained.InitializeParameters(2);
            new Trainer<double>(trained, new TrainerOptions { Epochs = 1, BatchSize = 3, LearningRate = 0.1, Seed = 1, Threads = 5 }).Train(data);

            var manual = new WideDoubleNet();
            manual.InitializeParameters(2);
            PerSample(manual, data, epochs: 1, batchSize: 3, learningRate: 0.1, seed: 1);
            AssertClose(manual.Parameters.ToArray(), trained.Parameters.ToArray(), 1e-12);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Threads_allocate_nothing_per_minibatch_on_the_calling_thread(bool splitRows) =>
            // The threads and buffers are made by the first Train call; 47 more minibatches add nothing.
            Assert.Equal(AllocatedBySecondTrain(splitRows, threads: 2, batchSize: 48), AllocatedBySecondTrain(splitRows, threads: 2, batchSize: 1));

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_trainer_makes_its_threads_once_not_per_training_run(bool splitRows) =>
            // A later Train allocates what one thread's does (its order and reports): no thread, no buffer.
            Assert.Equal(AllocatedBySecondTrain(splitRows, threads: 1, batchSize: 8), AllocatedBySecondTrain(splitRows, threads: 2, batchSize: 8));

        // What a trainer's second Train call allocates on the calling thread. WideDoubleNet's layer 1 does most of the
        // work, so threads split its rows; TailHeavyDoubleNet's does not, so they split the samples.
        private static long AllocatedBySecondTrain(bool splitRows, int threads, int batchSize)
        {
            Dataset<double> data = splitRows ? Classes<double>(48, seed: 12) : Classes<double>(48, seed: 12, inputs: 8, classes: 4);
            INetwork<double> net = splitRows ? new WideDoubleNet() : new TailHeavyDoubleNet();
            var trainer = new Trainer<double>(net, new TrainerOptions { Epochs = 2, BatchSize = batchSize, LearningRate = 0.01, Threads = threads });
            trainer.Train(data);
            return Allocations.Least(() => trainer.Train(data));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(257)]
        public void A_thread_count_out_of_range_is_rejected(int threads)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(new TinyNet(), new TrainerOptions { Threads = threads }));
            Assert.Equal("Threads", error.ParamName);
        }

        [Fact]
        public void Without_a_training_evaluation_the_report_carries_the_mean_minibatch_cost_and_training_is_unchanged()
        {
            Dataset<double> data = Smooth(30);
            var reports = new List<EpochReport>();
            TinyNet quiet = Seeded(), evaluated = Seeded();
            new Trainer<double>(quiet, new TrainerOptions { Epochs = 2, BatchSize = 4, LearningRate = 0.1, Seed = 5, TrainingEvaluationSamples = 0, Progress = new Collect(reports) }).Train(data);
            new Trainer<double>(evaluated, new TrainerOptions { Epochs = 2, BatchSize = 4, LearningRate = 0.1, Seed = 5 }).Train(data);
            Assert.Equal(evaluated.Parameters.ToArray(), quiet.Parameters.ToArray());

            // The same epochs by hand: the mean of the costs Accumulate returned while training.
            TinyNet manual = Seeded();
            int[] order = Enumerable.Range(0, data.Count).ToArray();
            var random = new SeededUniform(5);
            for (int epoch = 0; epoch < 2; epoch++)
            {
                Shuffling.Shuffle(order, ref random);
                double sum = 0;
                for (int start = 0; start < order.Length; start += 4)
                {
                    foreach (int i in order.Skip(start).Take(4))
                    {
                        sum += manual.Accumulate(data.Input(i), data.Target(i));
                    }

                    manual.Step(0.1);
                }

                Assert.Equal(sum / data.Count, reports[epoch].Train.Loss, 1e-12);
                Assert.True(double.IsNaN(reports[epoch].Train.Accuracy));
            }
        }

        [Fact]
        public void A_training_evaluation_of_a_few_samples_takes_an_evenly_spaced_subset()
        {
            Dataset<double> data = Smooth(30);
            var reports = new List<EpochReport>();
            TinyNet net = Seeded();
            new Trainer<double>(net, new TrainerOptions { Epochs = 1, BatchSize = 4, LearningRate = 0.1, TrainingEvaluationSamples = 7, Progress = new Collect(reports) }).Train(data);

            int[] subset = Enumerable.Range(0, 7).Select(k => k * 30 / 7).ToArray();
            Assert.Equal(new[] { 0, 4, 8, 12, 17, 21, 25 }, subset);
            var output = new double[2];
            double loss = subset.Sum(i => net.Loss(data.Input(i), data.Target(i), output)) / 7;
            Assert.Equal(loss, reports[0].Train.Loss, 1e-15);
        }

        [Fact]
        public void A_negative_training_evaluation_count_is_rejected()
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<double>(new TinyNet(), new TrainerOptions { TrainingEvaluationSamples = -1 }));
            Assert.Equal("TrainingEvaluationSamples", error.ParamName);
        }

        private static void PerSample<T>(INetwork<T> net, Dataset<T> data, int epochs, int batchSize, T learningRate, int seed)
            where T : unmanaged
        {
            int[] order = Enumerable.Range(0, data.Count).ToArray();
            var random = new SeededUniform(seed);
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                Shuffling.Shuffle(order, ref random);
                for (int start = 0; start < order.Length; start += batchSize)
                {
                    foreach (int i in order.Skip(start).Take(batchSize))
                    {
                        net.Accumulate(data.Input(i), data.Target(i));
                    }

                    net.Step(learningRate);
                }
            }
        }

        internal static void AssertClose(double[] expected, double[] actual, double relative)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1, Math.Abs(expected[i])), $"parameter {i}: {actual[i]:R}, per sample {expected[i]:R}");
            }
        }

        [Fact]
        public void A_trainer_with_threads_that_nobody_holds_is_collected_with_its_network()
        {
            // A trainer made for each short run (a level, an episode) and dropped. Its threads held it, its network and
            // its buffers until they had waited UnitTeam.IdleTimeout (20 s) for work: 600 such trainers made in 3 s
            // held 600 threads and 94 MB after a full collection.
            (WeakReference rowSplit, WeakReference sampleSplit) = TrainAndDrop();
            for (int attempt = 0; attempt < 50 && (rowSplit.IsAlive || sampleSplit.IsAlive); attempt++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                System.Threading.Thread.Sleep(20);
            }

            Assert.False(rowSplit.IsAlive, "a dropped trainer that splits layer 1's rows kept its network");
            Assert.False(sampleSplit.IsAlive, "a dropped trainer that splits the samples kept its network");
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static (WeakReference RowSplit, WeakReference SampleSplit) TrainAndDrop()
        {
            var options = new TrainerOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.1, Threads = 2, TrainingEvaluationSamples = 0 };
            var rows = new WideSingleNet();
            rows.InitializeParameters(1);
            new Trainer<float>(rows, options).Train(Classes<float>(64, 1));
            var samples = new TailHeavyDoubleNet();
            samples.InitializeParameters(2);
            new Trainer<double>(samples, options).Train(Classes<double>(64, 2, inputs: 8, classes: 4));
            return (new WeakReference(rows), new WeakReference(samples));
        }

        // Random inputs in [−1, 1) and one-hot targets for 5 classes.
        internal static Dataset<T> Classes<T>(int count, int seed, int inputs = 40, int classes = 5)
            where T : unmanaged
        {
            var random = new Random(seed);
            var x = new double[count * inputs];
            var targets = new double[count * classes];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (random.NextDouble() * 2) - 1;
            }

            for (int s = 0; s < count; s++)
            {
                targets[(s * classes) + random.Next(classes)] = 1;
            }

            return typeof(T) == typeof(float)
                ? (Dataset<T>)(object)new Dataset<float>(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(targets, v => (float)v), inputs, classes)
                : (Dataset<T>)(object)new Dataset<double>(x, targets, inputs, classes);
        }

        [Fact]
        public void Momentum_follows_its_definition()
        {
            AssertFollows(Optimizer.Momentum(0.8, weightDecay: 0.01), learningRate: 0.1, (p, g, state, step) =>
            {
                for (int i = 0; i < p.Length; i++)
                {
                    state[0][i] = (0.8 * state[0][i]) + g[i] + (0.01 * p[i]);
                    p[i] -= 0.1 * state[0][i];
                }
            });
        }

        [Fact]
        public void Adam_follows_its_definition()
        {
            AssertFollows(Optimizer.Adam(0.9, 0.99, 1e-6), learningRate: 0.05, (p, g, state, step) =>
            {
                for (int i = 0; i < p.Length; i++)
                {
                    state[0][i] = (0.9 * state[0][i]) + (0.1 * g[i]);
                    state[1][i] = (0.99 * state[1][i]) + (0.01 * g[i] * g[i]);
                    double m = state[0][i] / (1 - Math.Pow(0.9, step));
                    double v = state[1][i] / (1 - Math.Pow(0.99, step));
                    p[i] -= 0.05 * m / (Math.Sqrt(v) + 1e-6);
                }
            });
        }

        [Fact]
        public void Sgd_with_weight_decay_follows_its_definition()
        {
            AssertFollows(Optimizer.Sgd(weightDecay: 0.1), learningRate: 0.3, (p, g, state, step) =>
            {
                for (int i = 0; i < p.Length; i++)
                {
                    p[i] -= 0.3 * (g[i] + (0.1 * p[i]));
                }
            });
        }

        /// <summary>Runs 3 unshuffled batches through the trainer and through <paramref name="update"/>, which gets the mean gradient.</summary>
        private static void AssertFollows(Optimizer optimizer, double learningRate, Action<double[], double[], double[][], int> update)
        {
            Dataset<double> data = Smooth();
            TinyNet trained = Seeded();
            new Trainer<double>(trained, new TrainerOptions { Epochs = 1, BatchSize = 4, LearningRate = learningRate, Optimizer = optimizer, Shuffle = false }).Train(data);

            TinyNet manual = Seeded();
            double[][] state = { new double[TinyNet.ParameterCount], new double[TinyNet.ParameterCount] };
            for (int batch = 0; batch < 3; batch++)
            {
                for (int i = batch * 4; i < (batch + 1) * 4; i++)
                {
                    manual.Accumulate(data.Input(i), data.Target(i));
                }

                double[] p = manual.Parameters.ToArray();
                double[] g = manual.Gradients.ToArray().Select(x => x / 4).ToArray();
                update(p, g, state, batch + 1);
                p.CopyTo(manual.Parameters);
                manual.ClearGradients();
            }

            double[] expected = manual.Parameters.ToArray();
            double[] actual = trained.Parameters.ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 12);
            }
        }

        [Fact]
        public void A_non_finite_loss_stops_training_naming_epoch_and_batch_with_parameters_from_before_that_batch()
        {
            Dataset<double> data = Smooth();
            data.Targets[2 * 9] = 1e200;   // sample 9, in batch 3 of 4-sample batches, unshuffled: finite, but ½ (a − t)² is ∞
            TinyNet trained = Seeded();
            var trainer = new Trainer<double>(trained, new TrainerOptions { Epochs = 2, BatchSize = 4, LearningRate = 0.1, Shuffle = false });

            var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data));

            Assert.Equal(1, error.Epoch);
            Assert.Equal(3, error.Batch);
            Assert.Contains("epoch 1, batch 3", error.Message, StringComparison.Ordinal);
            TinyNet manual = Seeded();
            for (int batch = 0; batch < 2; batch++)
            {
                for (int i = batch * 4; i < (batch + 1) * 4; i++)
                {
                    manual.Accumulate(data.Input(i), data.Target(i));
                }

                manual.Step(0.1);
            }

            Assert.Equal(manual.Parameters.ToArray(), trained.Parameters.ToArray());
            Assert.Equal(0, trained.AccumulatedSamples);
        }

        [Theory]
        [InlineData(1, false)]
        [InlineData(2, false)]
        [InlineData(1, true)]
        public void A_nan_or_infinity_in_the_data_is_refused_naming_the_sample_before_anything_changes(int threads, bool inTest)
        {
            // A missing value read as NaN, or a division by 0 in the user's preprocessing: before, training ran until the
            // minibatch with that sample and stopped with TrainingDivergedException and advice about the learning rate.
            Dataset<double> training = Smooth(), test = Smooth(8);
            if (inTest)
            {
                test.Targets[(2 * 5) + 1] = double.NegativeInfinity;
            }
            else
            {
                training.Inputs[(2 * 9) + 1] = double.NaN;
            }

            TinyNet net = Seeded();
            double[] before = net.Parameters.ToArray();
            var trainer = new Trainer<double>(net, new TrainerOptions { Epochs = 2, BatchSize = 4, Threads = threads });

            ArgumentException error = Assert.Throws<ArgumentException>(() => trainer.Train(training, test));

            Assert.Equal(inTest ? "test" : "training", error.ParamName);
            Assert.Contains(inTest ? "test.Target(5)[1] is -Infinity" : "training.Input(9)[1] is NaN", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void Large_finite_values_in_the_data_are_not_taken_for_infinities()
        {
            // The check sums x − x, which is 0 for every finite x: values near float's largest do not overflow it.
            var inputs = new float[16 * 4];
            Array.Fill(inputs, 3e38f);
            inputs[17] = -3.4e38f;
            var data = new Dataset<float>(inputs, new float[16 * 3], 4, 3);
            Evaluation.Evaluate(new TorchLikeNet(), data);   // not refused (a plain sum of these values would be ∞)

            data.Inputs[63] = float.PositiveInfinity;
            ArgumentException error = Assert.Throws<ArgumentException>(() => Evaluation.Evaluate(new TorchLikeNet(), data));
            Assert.Equal("data", error.ParamName);
            Assert.Contains("data.Input(15)[3] is Infinity, not a finite number", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void A_non_finite_gradient_with_a_finite_loss_stops_training_before_the_update(int threads)
        {
            // Input 0 is 1e308 but W(1)'s column for it is 0, so z, a and the loss stay finite; its weights'
            // gradients δ(1)_j · 1e308 overflow. On two threads the check reads the threads' reduction.
            Dataset<double> data = Smooth();
            for (int i = 0; i < data.Count; i++)
            {
                data.Inputs[2 * i] = 1e308;
                data.Targets[2 * i] = 100;
            }

            TinyNet trained = Seeded();
            for (int j = 0; j < 3; j++)
            {
                trained.Parameters[2 * j] = 0;
            }

            double[] before = trained.Parameters.ToArray();
            var trainer = new Trainer<double>(trained, new TrainerOptions { Epochs = 1, BatchSize = 4, LearningRate = 0.1, Shuffle = false, Threads = threads });

            var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data));

            Assert.Equal((1, 1), (error.Epoch, error.Batch));
            Assert.Contains("a gradient", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, trained.Parameters.ToArray());
            Assert.All(trained.Gradients.ToArray(), g => Assert.Equal(0.0, g));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void A_non_finite_gradient_past_the_first_slice_of_the_parameters_stops_training_before_the_update(int threads)
        {
            // b(1)_4 is 1e38, so a(1)_4 is too, but W(2)'s column for it is 0, so z(2) and the loss stay finite; W(2)'s
            // gradients for it, δ(2)_k · 1e38, overflow. They lie past the parameters' first 16, the first slice that the
            // sample split's threads sum and check apart from the others (before, the calling thread checked the whole).
            var inputs = new float[10 * 4];
            var targets = new float[10 * 3];
            var random = new Random(8);
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)random.NextDouble();
            }

            Array.Fill(targets, 10f);
            var data = new Dataset<float>(inputs, targets, 4, 3);
            var net = new TorchLikeNet();
            net.InitializeParameters(1);
            Span<float> p = net.Parameters;
            p[(5 * 4) + 4] = 1e38f;
            for (int k = 0; k < 3; k++)
            {
                p[(5 * 4) + 5 + (k * 5) + 4] = 0;
            }

            // The premise, on a copy: a finite loss, and the only non-finite gradients past the first 16.
            var probe = new TorchLikeNet();
            net.Parameters.CopyTo(probe.Parameters);
            Assert.True(float.IsFinite(probe.AccumulateBatch(inputs, targets)));
            float[] g = probe.Gradients.ToArray();
            Assert.All(g.Take(16), x => Assert.True(float.IsFinite(x)));
            Assert.Contains(g.Skip(16), x => !float.IsFinite(x));

            float[] before = net.Parameters.ToArray();
            var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 1, BatchSize = 10, LearningRate = 0.01, Shuffle = false, Threads = threads });

            var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data));

            Assert.Equal((1, 1), (error.Epoch, error.Batch));
            Assert.Contains("a gradient", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
            Assert.All(net.Gradients.ToArray(), x => Assert.Equal(0f, x));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void An_update_that_overflows_is_undone(int threads)
        {
            // Targets of 1e10 give gradients near 1e10: finite, but η = 1e300 takes the update past double.MaxValue.
            Dataset<double> data = Smooth();
            for (int i = 0; i < data.Targets.Length; i++)
            {
                data.Targets[i] *= 1e10;
            }

            TinyNet trained = Seeded();
            double[] before = trained.Parameters.ToArray();
            var trainer = new Trainer<double>(trained, new TrainerOptions { Epochs = 1, BatchSize = 12, LearningRate = 1e300, Shuffle = false, Threads = threads });

            var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data));

            Assert.Equal((1, 1), (error.Epoch, error.Batch));
            Assert.Contains("a parameter after the update", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, trained.Parameters.ToArray());
        }

        [Fact]
        public void A_float_update_that_overflows_is_undone_after_safe_steps_before_it()
        {
            // The first run's steps are provably safe (no copy, no check). In the second, inputs of 1e15 give
            // gradients near 1e30 through the relu layer, and η = 1e37 takes the parameters past float's
            // range: that step must still be caught and undone.
            var inputs = new float[20 * 4];
            var targets = new float[20 * 3];
            var random = new Random(6);
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)random.NextDouble();
            }

            var data = new Dataset<float>(inputs, targets, 4, 3);
            var net = new TorchLikeNet();
            net.InitializeParameters(1);
            new Trainer<float>(net, new TrainerOptions { Epochs = 3, BatchSize = 5, Shuffle = false, LearningRate = 0.01 }).Train(data);
            float[] afterFirst = net.Parameters.ToArray();

            for (int i = 0; i < inputs.Length; i++)
            {
                data.Inputs[i] *= 1e15f;
            }

            var error = Assert.Throws<TrainingDivergedException>(() =>
                new Trainer<float>(net, new TrainerOptions { Epochs = 1, BatchSize = 20, Shuffle = false, LearningRate = 1e37 }).Train(data));

            Assert.Equal((1, 1), (error.Epoch, error.Batch));
            Assert.Contains("a parameter after the update", error.Message, StringComparison.Ordinal);
            Assert.Equal(afterFirst, net.Parameters.ToArray());
        }

        [Fact]
        public void A_learning_rate_beyond_float_is_rejected_for_a_float_network_before_anything_changes()
        {
            var data = new Dataset<float>(new float[20 * 4], new float[20 * 3], 4, 3);
            var net = new TorchLikeNet();
            net.InitializeParameters(2);
            float[] before = net.Parameters.ToArray();
            var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 1, LearningRate = 1e300 });

            var error = Assert.Throws<InvalidOperationException>(() => trainer.Train(data));

            Assert.Contains("beyond the range of a float network", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void Reports_every_epoch_in_order_with_train_and_test_metrics()
        {
            var reports = new List<EpochReport>();
            var trainer = new Trainer<double>(Seeded(), new TrainerOptions
            {
                Epochs = 4,
                BatchSize = 3,
                LearningRate = LearningRateSchedule.Step(0.4, 0.5, every: 2),
                Progress = new Collect(reports),
            });

            TrainingResult result = trainer.Train(Smooth(), Smooth(6));

            Assert.Equal(new[] { 1, 2, 3, 4 }, reports.Select(r => r.Epoch));
            Assert.Equal(new[] { 0.4, 0.4, 0.2, 0.2 }, reports.Select(r => r.LearningRate));
            Assert.Equal(reports, result.History);
            Assert.All(reports, r => Assert.NotNull(r.Test));
            Assert.True(reports[^1].Train.Loss < reports[0].Train.Loss);
            Assert.False(result.StoppedEarly);
        }

        [Fact]
        public void Early_stopping_stops_after_patience_and_restores_the_best_epoch()
        {
            // The test set wants the opposite of the training set, so the test loss rises once the net learns.
            Dataset<double> train = Smooth();
            Dataset<double> test = Smooth();
            for (int i = 0; i < test.Targets.Length; i++)
            {
                test.Targets[i] = -test.Targets[i];
            }

            var snapshots = new Dictionary<int, double[]>();
            TinyNet net = Seeded();
            var trainer = new Trainer<double>(net, new TrainerOptions
            {
                Epochs = 50,
                BatchSize = 4,
                LearningRate = 0.3,
                EarlyStopping = new EarlyStopping { Metric = StoppingMetric.TestLoss, Patience = 3 },
                Progress = new Snapshot(net, snapshots),
            });

            TrainingResult result = trainer.Train(train, test);

            Assert.True(result.StoppedEarly);
            Assert.Equal(result.BestEpoch + 3, result.History.Count);
            double bestLoss = result.History.Min(r => r.Test!.Value.Loss);
            Assert.Equal(bestLoss, result.History[result.BestEpoch - 1].Test!.Value.Loss);
            Assert.Equal(snapshots[result.BestEpoch], net.Parameters.ToArray());

            // Best reports what the network now holds; Last, the epoch that ran last.
            Assert.Same(result.History[result.BestEpoch - 1], result.Best);
            Assert.Equal(Evaluation.Evaluate(net, test), result.Best.Test!.Value);
            Assert.NotEqual(result.Best.Test!.Value.Loss, result.Last.Test!.Value.Loss);
        }

        [Fact]
        public void The_loop_over_samples_and_batches_allocates_nothing()
        {
            Dataset<double> data = Smooth(48);
            long Allocated(int batchSize)
            {
                var trainer = new Trainer<double>(Seeded(), new TrainerOptions { Epochs = 2, BatchSize = batchSize, LearningRate = 0.1 });
                trainer.Train(data);
                return Allocations.Least(() => trainer.Train(data));
            }

            // 48 batches of 1 against 1 batch of 48: the same data, the same epochs, 47 more batches.
            Assert.Equal(Allocated(48), Allocated(1));
        }

        [Fact]
        public void Data_of_the_wrong_shape_is_rejected_before_training()
        {
            var net = Seeded();
            double[] before = net.Parameters.ToArray();
            var trainer = new Trainer<double>(net);
            var wide = new Dataset<double>(new double[9], new double[6], 3, 2);

            var error = Assert.Throws<ArgumentException>(() => trainer.Train(wide));

            Assert.Equal("training", error.ParamName);
            Assert.Contains("length 3", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
            Assert.Throws<ArgumentException>(() => new Trainer<double>(net, new TrainerOptions { EarlyStopping = new EarlyStopping() }).Train(Smooth()));
        }

        [Fact]
        public void Cancellation_stops_between_batches()
        {
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            Assert.Throws<OperationCanceledException>(() => new Trainer<double>(Seeded()).Train(Smooth(), cancellationToken: cancel.Token));
        }

        [Fact]
        public void Threads_cancelled_between_minibatches_still_take_the_last_update()
        {
            // With two threads splitting layer 1, a minibatch's step waits for the next minibatch's first job, which reads
            // the same rows of W. Cancelled in between, the trainer must still take it, as one thread takes its step before
            // it looks at the token. The loss cancels during the third minibatch of five, counting only its calls on the
            // thread that trains (thread 0 evaluates every sample; another thread evaluates them too unless it comes late),
            // so both stop before the fourth, after three updates.
            Dataset<double> data = Classes<double>(40, seed: 9);
            (double[] Parameters, double[] Gradients) Train(int threads)
            {
                var net = new WideDoubleNet();
                net.InitializeParameters(4);
                using var cancel = new CancellationTokenSource();
                var loss = CancellingLoss<double>.HalfSquaredError(cancel, at: (2 * 8) + 1);
                var trainer = new Trainer<double>(net, new TrainerOptions { Epochs = 1, BatchSize = 8, LearningRate = 0.2, Seed = 1, Threads = threads }, loss);
                Assert.Throws<OperationCanceledException>(() => trainer.Train(data, cancellationToken: cancel.Token));
                return (net.Parameters.ToArray(), net.Gradients.ToArray());
            }

            (double[] one, _) = Train(1);
            (double[] two, double[] gradients) = Train(2);
            Assert.Equal(one, two);
            Assert.All(gradients, g => Assert.Equal(0.0, g));
        }

        [Fact]
        public void Threads_cancelled_mid_run_leave_the_last_update_complete_and_train_again()
        {
            // Two threads splitting WideDoubleNet's layer 1, cancelled from the first epoch's report: the parameters are one
            // thread's after one epoch. The same trainer then trains again for its two epochs (its threads were stopped and
            // start anew) and still matches one thread.
            Dataset<double> data = Classes<double>(40, seed: 9);
            var one = new WideDoubleNet();
            var two = new WideDoubleNet();
            one.InitializeParameters(4);
            two.InitializeParameters(4);
            new Trainer<double>(one, new TrainerOptions { Epochs = 1, BatchSize = 8, LearningRate = 0.2, Seed = 1 }).Train(data);

            using var cancel = new CancellationTokenSource();
            var threaded = new Trainer<double>(two, new TrainerOptions { Epochs = 2, BatchSize = 8, LearningRate = 0.2, Seed = 1, Threads = 2, Progress = new CancelOnReport(cancel) });
            Assert.Throws<OperationCanceledException>(() => threaded.Train(data, cancellationToken: cancel.Token));
            Assert.Equal(one.Parameters.ToArray(), two.Parameters.ToArray());
            Assert.All(two.Gradients.ToArray(), g => Assert.Equal(0.0, g));

            new Trainer<double>(one, new TrainerOptions { Epochs = 2, BatchSize = 8, LearningRate = 0.2, Seed = 1 }).Train(data);
            threaded.Train(data);
            Assert.Equal(one.Parameters.ToArray(), two.Parameters.ToArray());
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public void Threads_read_a_dataset_changed_between_epochs_as_one_thread_does(int threads)
        {
            // The threads gather a minibatch's samples while the one before it is still running. A Progress handler may
            // change the data between epochs (augmentation, new noise), so nothing may be gathered ahead across an
            // epoch's end: with the order unshuffled the next epoch's first block would be the stale samples 0..24.
            double[] Train(int count)
            {
                Dataset<double> data = Classes<double>(50, seed: 6);
                var net = new WideDoubleNet();
                net.InitializeParameters(3);
                var perturb = new OnReport(_ =>
                {
                    Span<double> inputs = data.Inputs;
                    for (int i = 0; i < inputs.Length; i++)
                    {
                        inputs[i] = 0.5 - inputs[i];
                    }
                });
                new Trainer<double>(net, new TrainerOptions
                {
                    Epochs = 3, BatchSize = 25, LearningRate = 0.3, Shuffle = false, Threads = count, Progress = perturb, TrainingEvaluationSamples = 0,
                }).Train(data);
                return net.Parameters.ToArray();
            }

            Assert.Equal(Train(1), Train(threads));
        }

        [Fact]
        public void Schedules_give_the_rate_of_each_epoch()
        {
            Assert.Equal(0.1, ((LearningRateSchedule)0.1).At(7));
            Assert.Equal(new[] { 1, 1, 1, 0.5, 0.5 }, Enumerable.Range(1, 5).Select(LearningRateSchedule.Step(1, 0.5, 3).At));
            Assert.Equal(0.25, LearningRateSchedule.Exponential(1, 0.5).At(3), 15);
            Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(double.NaN));
            ArgumentOutOfRangeException epoch = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(0.1, 0.5).At(0));
            Assert.Equal("epoch", epoch.ParamName);
        }

        private sealed class CancelOnReport : IProgress<EpochReport>
        {
            private readonly CancellationTokenSource _cancel;

            private bool _cancelled;

            public CancelOnReport(CancellationTokenSource cancel) => _cancel = cancel;

            // Only the first report cancels, so the trainer can run again afterwards.
            public void Report(EpochReport value)
            {
                if (!_cancelled)
                {
                    _cancelled = true;
                    _cancel.Cancel();
                }
            }
        }

        private sealed class Collect : IProgress<EpochReport>
        {
            private readonly List<EpochReport> _reports;

            public Collect(List<EpochReport> reports) => _reports = reports;

            public void Report(EpochReport value) => _reports.Add(value);
        }

        private sealed class Snapshot : IProgress<EpochReport>
        {
            private readonly INetwork<double> _net;
            private readonly Dictionary<int, double[]> _snapshots;

            public Snapshot(INetwork<double> net, Dictionary<int, double[]> snapshots) => (_net, _snapshots) = (net, snapshots);

            public void Report(EpochReport value) => _snapshots[value.Epoch] = _net.Parameters.ToArray();
        }

        // Issue 13: Adam's moments lived in the Optimizer that TrainerOptions holds, so two trainers sharing one
        // options object shared them. Each run now has its own state.
        [Fact]
        public void Two_trainers_sharing_one_options_object_train_as_if_alone()
        {
            Dataset<double> data = Smooth(40);
            TrainerOptions Options() => new() { Epochs = 20, BatchSize = 4, LearningRate = 0.01, Seed = 3, Optimizer = Optimizer.Adam() };

            TinyNet aloneA = Seeded(), aloneB = Seeded();
            aloneB.InitializeParameters(77);
            new Trainer<double>(aloneA, Options()).Train(data);
            new Trainer<double>(aloneB, Options()).Train(data);

            TinyNet sharedA = Seeded(), sharedB = Seeded();
            sharedB.InitializeParameters(77);
            TrainerOptions shared = Options();
            var threads = new[]
            {
                new System.Threading.Thread(() => new Trainer<double>(sharedA, shared).Train(data)),
                new System.Threading.Thread(() => new Trainer<double>(sharedB, shared).Train(data)),
            };
            foreach (System.Threading.Thread thread in threads)
            {
                thread.Start();
            }

            foreach (System.Threading.Thread thread in threads)
            {
                thread.Join();
            }

            Assert.Equal(aloneA.Parameters.ToArray(), sharedA.Parameters.ToArray());
            Assert.Equal(aloneB.Parameters.ToArray(), sharedB.Parameters.ToArray());
        }

        [Fact]
        public void One_optimizer_stepping_two_networks_keeps_their_moments_apart()
        {
            TinyNet a = Seeded(), b = Seeded(), c = Seeded(), d = Seeded();
            b.InitializeParameters(5);
            d.InitializeParameters(5);
            Optimizer shared = Optimizer.Adam(), first = Optimizer.Adam(), second = Optimizer.Adam();
            double[] x = { 0.2, -0.4 }, t = { 0.5, 0.25 };
            for (int step = 0; step < 10; step++)
            {
                a.Accumulate(x, t);
                b.Accumulate(t, x);
                shared.Step(a, 0.01);
                shared.Step(b, 0.01);
                c.Accumulate(x, t);
                d.Accumulate(t, x);
                first.Step(c, 0.01);
                second.Step(d, 0.01);
            }

            Assert.Equal(c.Parameters.ToArray(), a.Parameters.ToArray());
            Assert.Equal(d.Parameters.ToArray(), b.Parameters.ToArray());
        }
    }
}
