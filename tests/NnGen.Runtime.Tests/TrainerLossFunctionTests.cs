using System;
using System.Linq;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The Trainer with a loss function of the user's in place of the declared cost: it trains through the generated
    /// overloads that take one (one thread, and threads that split the samples), reports its loss and accuracy, and
    /// takes targets of the loss's length.
    /// </summary>
    public sealed class TrainerLossFunctionTests
    {
        // Focal loss (Lin et al. 2017, γ = 2) on the digits: C = −Σ_k t_k (1 − a_k)^γ ln a_k over softmax probabilities.
        [Fact]
        public void A_focal_loss_trains_the_digits_to_95_percent()
        {
            Dataset<float> digits = DigitsTests.LoadDigits();
            (Dataset<float> train, Dataset<float> test) = digits.Split(0.8, 1);
            train.ScaleInputs(16);
            test.ScaleInputs(16);
            var net = new DigitsNet();
            net.InitializeParameters(1);
            var focal = new FocalLoss();
            var options = new TrainerOptions { Epochs = 30, BatchSize = 32, LearningRate = 0.3, Seed = 1 };

            TrainingResult result = new Trainer<float>(net, options, focal).Train(train, test);

            Metrics metrics = result.Last.Test!.Value;
            Assert.True(metrics.Accuracy >= 0.95, $"test accuracy {metrics.Accuracy:P2}");

            // The reports carry the focal loss, not the declared cross-entropy.
            Metrics evaluated = Evaluation.Evaluate(net, test, focal);
            Assert.Equal(evaluated.Loss, metrics.Loss, 12);
            Assert.Equal(evaluated.Accuracy, metrics.Accuracy);
            Assert.NotEqual(Evaluation.Evaluate(net, test).Loss, metrics.Loss, 3);
            Assert.True(result.History[0].Test!.Value.Loss > metrics.Loss, "the focal loss did not fall");
        }

        // An unrolled network's batches are loops over Accumulate: the Trainer must give the hand-written loop's bits.
        [Fact]
        public void Plain_sgd_with_a_loss_function_equals_the_hand_written_loop()
        {
            Dataset<double> data = Masked(30, seed: 2, maskSecond: false);
            var trained = new TinyNet();
            trained.InitializeParameters(5);
            var masked = new MaskedSquaredError();
            new Trainer<double>(trained, new TrainerOptions { Epochs = 3, BatchSize = 7, LearningRate = 0.2, Seed = 9 }, masked).Train(data);

            var manual = new TinyNet();
            manual.InitializeParameters(5);
            int[] order = Enumerable.Range(0, data.Count).ToArray();
            var random = new SeededUniform(9);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                Shuffling.Shuffle(order, ref random);
                for (int start = 0; start < order.Length; start += 7)
                {
                    foreach (int i in order.Skip(start).Take(7))
                    {
                        manual.Accumulate(data.Input(i), data.Target(i), masked);
                    }

                    manual.Step(0.2);
                }
            }

            Assert.Equal(manual.Parameters.ToArray(), trained.Parameters.ToArray());
        }

        // A mask of 0 for output 1 in every target: its row of W(2) and its bias get no gradient, so they end bit for bit
        // where they started, while output 0 learns; with one thread and with two.
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void A_masked_output_keeps_its_weights(int threads)
        {
            Dataset<double> data = Masked(40, seed: 3, maskSecond: true);
            var net = new TinyNet();
            net.InitializeParameters(6);
            double[] before = net.Parameters.ToArray();
            var options = new TrainerOptions { Epochs = 20, BatchSize = 8, LearningRate = 0.3, Seed = 2, Threads = threads };

            TrainingResult result = new Trainer<double>(net, options, new MaskedSquaredError()).Train(data);

            // TinyNet is 2-3-2: W(1) [0, 6), b(1) [6, 9), W(2) [9, 15) row by row, b(2) [15, 17).
            double[] after = net.Parameters.ToArray();
            int[] secondOutput = { 12, 13, 14, 16 };
            Assert.All(secondOutput, i => Assert.Equal(before[i], after[i]));
            Assert.All(new[] { 9, 10, 11, 15 }, i => Assert.NotEqual(before[i], after[i]));
            Assert.True(result.Last.Train.Loss < result.History[0].Train.Loss / 2, $"loss {result.History[0].Train.Loss} → {result.Last.Train.Loss}");
            Assert.True(double.IsNaN(result.Last.Train.Accuracy), "a loss whose targets are not one per output has no accuracy by default");
        }

        [Fact]
        public void Threads_with_a_loss_function_give_the_same_bits_on_every_run_and_train_like_one_thread()
        {
            Dataset<double> data = TrainerTests.Classes<double>(70, seed: 5);
            double[] Run(int threads)
            {
                var net = new WideDoubleNet();
                net.InitializeParameters(3);
                new Trainer<double>(net, new TrainerOptions { Epochs = 3, BatchSize = 20, LearningRate = 0.2, Seed = 6, Threads = threads }, new HuberLoss()).Train(data);
                return net.Parameters.ToArray();
            }

            double[] two = Run(2);
            Assert.Equal(two, Run(2));
            TrainerTests.AssertClose(Run(1), two, 1e-12);
        }

        // Where layer 1 holds most of the work, threads with a loss function split its rows as they do for the declared
        // cost (each thread evaluates the loss for layers 2..L), and so train to the bits of one thread.
        [Fact]
        public void Threads_with_a_loss_function_that_split_layer_one_train_to_the_bits_of_one_thread()
        {
            Assert.True(new WideDoubleNet() is CompilerServices.IRowSplitTraining<double>);
            Assert.True(new DigitsLogitsNet() is CompilerServices.IRowSplitTraining<float>);

            Dataset<double> data = TrainerTests.Classes<double>(70, seed: 5);
            double[] Wide(int threads)
            {
                var net = new WideDoubleNet();
                net.InitializeParameters(3);
                new Trainer<double>(net, new TrainerOptions { Epochs = 3, BatchSize = 20, LearningRate = 0.2, Seed = 6, Threads = threads }, new HuberLoss<double>(0.3)).Train(data);
                return net.Parameters.ToArray();
            }

            double[] one = Wide(1);
            Assert.Equal(one, Wide(2));
            Assert.Equal(one, Wide(3));

            (Dataset<float> train, _) = DigitsTests.LoadDigits().Split(0.5, 4);
            train.ScaleInputs(16);
            float[] labels = Enumerable.Range(0, train.Count).Select(i => (float)Numbers.ArgMax(train.Target(i))).ToArray();
            var indexed = new Dataset<float>(train.Inputs.ToArray(), labels, train.InputCount, 1);
            float[] Digits(int threads)
            {
                var net = new DigitsLogitsNet();
                net.InitializeParameters(4);
                var options = new TrainerOptions { Epochs = 2, BatchSize = 64, LearningRate = 0.1, Seed = 4, Threads = threads };
                new Trainer<float>(net, options, new SoftmaxCrossEntropyLoss<float>(classIndex: true, labelSmoothing: 0.05)).Train(indexed);
                return net.Parameters.ToArray();
            }

            Assert.Equal(Digits(1), Digits(2));
        }

        [Fact]
        public void The_loop_over_batches_allocates_nothing_with_a_loss_function()
        {
            Dataset<double> data = Masked(48, seed: 4, maskSecond: false);
            long Allocated(int batchSize)
            {
                var trainer = new Trainer<double>(new TinyNet(), new TrainerOptions { Epochs = 2, BatchSize = batchSize, LearningRate = 0.1 }, new MaskedSquaredError());
                trainer.Train(data);
                return Allocations.Least(() => trainer.Train(data));
            }

            Assert.Equal(Allocated(48), Allocated(1));

            // And the generated members themselves, warmed up.
            var net = new WideDoubleNet();
            net.InitializeParameters(1);
            Dataset<double> classes = TrainerTests.Classes<double>(40, seed: 1);
            var huber = new HuberLoss();
            var buffer = new double[WideDoubleNet.ParameterCount];
            void Step()
            {
                net.Accumulate(classes.Input(0), classes.Target(0), huber);
                net.AccumulateBatch(classes.Inputs, classes.Targets, huber);
                net.AccumulateBatch(classes.Inputs, classes.Targets, buffer, huber);
                net.Step(0.01);
            }

            Step();
            Assert.Equal(0, Allocations.Least(Step));
        }

        [Fact]
        public void Data_that_does_not_fit_the_loss_function_is_rejected_before_training()
        {
            var net = new TinyNet();
            net.InitializeParameters(1);
            double[] before = net.Parameters.ToArray();

            // Targets of 2 values, as the declared cost needs, where the masked loss needs 4.
            var plain = new Dataset<double>(new double[10], new double[10], 2, 2);
            var trainer = new Trainer<double>(net, new TrainerOptions { Epochs = 1 }, new MaskedSquaredError());
            ArgumentException e = Assert.Throws<ArgumentException>(() => trainer.Train(plain));
            Assert.Equal("training", e.ParamName);
            Assert.Contains("loss function needs length 4", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => trainer.Train(Masked(5, 1, false), plain));
            Assert.Equal("test", e.ParamName);
            e = Assert.Throws<ArgumentException>(() => Evaluation.Evaluate(net, plain, new MaskedSquaredError()));
            Assert.Equal("data", e.ParamName);

            // And the masked data without the loss.
            e = Assert.Throws<ArgumentException>(() => new Trainer<double>(net).Train(Masked(5, 1, false)));
            Assert.Contains("network needs length 2", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void Early_stopping_on_accuracy_needs_a_loss_function_that_judges_accuracy()
        {
            var net = new TinyNet();
            net.InitializeParameters(1);
            Dataset<double> data = Masked(10, 1, false);
            var options = new TrainerOptions { Epochs = 5, EarlyStopping = new EarlyStopping { Metric = StoppingMetric.TestAccuracy } };
            InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => new Trainer<double>(net, options, new MaskedSquaredError()).Train(data, data));
            Assert.Contains("IsCorrect", e.Message, StringComparison.Ordinal);

            // Watching the test loss works.
            var byLoss = new TrainerOptions { Epochs = 5, EarlyStopping = new EarlyStopping { Metric = StoppingMetric.TestLoss } };
            Assert.Equal(5, new Trainer<double>(net, byLoss, new MaskedSquaredError()).Train(data, data).History.Count);
        }

        // The generated members ask CheckArchitecture too, but remember the architecture an instance suited: a loop of
        // one-sample calls asks once, and a loss that refuses is refused on every call, with nothing changed.
        [Fact]
        public void Direct_calls_ask_whether_the_loss_suits_the_network_once_per_network()
        {
            var net = new TinyNet();
            net.InitializeParameters(1);
            var counting = new ArchitectureCountingLoss(refuse: false);
            double[] x = { 0.5, -0.25 }, t = { 0.1, 0.2 };
            for (int i = 0; i < 100; i++)
            {
                net.Accumulate(x, t, counting);
            }

            Assert.Equal(1, counting.Asked);
            Assert.Same(TinyNet.Architecture, counting.LastAsked);
            net.AccumulateBatch(new double[6], new double[6], counting);
            Assert.Equal(1, counting.Asked);

            // Another network type is asked about; switching back asks again, as only the last one is remembered.
            var line = new LineNet();
            line.Accumulate(new double[1], new double[1], counting);
            Assert.Equal(2, counting.Asked);
            Assert.Same(LineNet.Architecture, counting.LastAsked);
            net.Accumulate(x, t, counting);
            Assert.Equal(3, counting.Asked);

            net.ClearGradients();
            var refusing = new ArchitectureCountingLoss(refuse: true);
            for (int i = 0; i < 3; i++)
            {
                ArgumentException e = Assert.Throws<ArgumentException>(() => net.Accumulate(x, t, refusing));
                Assert.Equal("lossFunction", e.ParamName);
                Assert.Contains("ArchitectureCountingLoss does not suit the network 2 → 3 Tanh → 2 Identity, HalfSquaredError, Double: refused", e.Message, StringComparison.Ordinal);
            }

            Assert.Equal(3, refusing.Asked);
            Assert.Equal("lossFunction", Assert.Throws<ArgumentException>(() => net.AccumulateBatch(new double[4], new double[4], refusing)).ParamName);
            Assert.Equal("lossFunction", Assert.Throws<ArgumentException>(() => net.AccumulateBatch(new double[4], new double[4], new double[TinyNet.ParameterCount], refusing)).ParamName);
            Assert.Equal(0, net.AccumulatedSamples);
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0, g));
            Assert.Equal(0, refusing.Evaluated);
        }

        // Inputs in [−1, 1), targets (t0, t1, m0, m1): a smooth function and the mask, m1 = 0 when maskSecond.
        private static Dataset<double> Masked(int count, int seed, bool maskSecond)
        {
            var random = new Random(seed);
            var inputs = new double[count * 2];
            var targets = new double[count * 4];
            for (int s = 0; s < count; s++)
            {
                double x = (random.NextDouble() * 2) - 1, y = (random.NextDouble() * 2) - 1;
                (inputs[2 * s], inputs[(2 * s) + 1]) = (x, y);
                targets[4 * s] = Math.Tanh(x - y);
                targets[(4 * s) + 1] = x * y;
                targets[(4 * s) + 2] = 1;
                targets[(4 * s) + 3] = maskSecond ? 0 : 1;
            }

            return new Dataset<double>(inputs, targets, 2, 4);
        }

        /// <summary>C = ½ Σ_k m_k (a_k − t_k)²; the target is t then the mask m.</summary>
        private sealed class MaskedSquaredError : LossFunction<double>
        {
            public override int TargetCount(int outputCount) => 2 * outputCount;

            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient)
            {
                double c = 0;
                for (int k = 0; k < output.Length; k++)
                {
                    double r = output[k] - target[k], m = target[output.Length + k];
                    c += m * r * r / 2;
                    outputGradient[k] = m * r;
                }

                return c;
            }
        }

        /// <summary>Half squared error that counts the questions CheckArchitecture gets, and refuses every network if asked to.</summary>
        private sealed class ArchitectureCountingLoss : LossFunction<double>
        {
            private readonly bool _refuse;

            public ArchitectureCountingLoss(bool refuse) => _refuse = refuse;

            public int Asked { get; private set; }

            public int Evaluated { get; private set; }

            public NetworkArchitecture? LastAsked { get; private set; }

            public override string? CheckArchitecture(NetworkArchitecture architecture)
            {
                Asked++;
                LastAsked = architecture;
                return _refuse ? "refused" : null;
            }

            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient)
            {
                Evaluated++;
                return HalfSquaredError.Evaluate(output, target, outputGradient);
            }
        }

        /// <summary>Huber loss with δ = 1 on every output.</summary>
        private sealed class HuberLoss : LossFunction<double>
        {
            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient)
            {
                double c = 0;
                for (int k = 0; k < output.Length; k++)
                {
                    double r = output[k] - target[k];
                    c += Math.Abs(r) <= 1 ? r * r / 2 : Math.Abs(r) - 0.5;
                    outputGradient[k] = Math.Clamp(r, -1, 1);
                }

                return c;
            }
        }

        /// <summary>Focal loss with γ = 2 over probabilities clamped to at least 1e-7 (the gradient is for the clamped value).</summary>
        private sealed class FocalLoss : LossFunction<float>
        {
            public override float Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> outputGradient)
            {
                double c = 0;
                for (int k = 0; k < output.Length; k++)
                {
                    if (target[k] == 0)
                    {
                        continue;
                    }

                    double a = Math.Max(output[k], 1e-7), q = 1 - a, ln = Math.Log(a);
                    c -= target[k] * q * q * ln;
                    outputGradient[k] = (float)(target[k] * ((2 * q * ln) - (q * q / a)));
                }

                return (float)c;
            }
        }
    }
}
