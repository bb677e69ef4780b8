using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Evaluation and the Trainer's reports run LossBatch (ForwardBatch with a loss function) a chunk of samples at a
    /// time: their figures against a plain loop of Loss, or Forward and the loss function, one sample after another.
    /// </summary>
    public sealed class EvaluationTests
    {
        // More than two of Evaluation's chunks (256 samples), so chunks follow each other and the last is partial.
        private const int Count = 700;

        [Fact]
        public void A_dataset_of_several_chunks_evaluates_as_a_loop_of_Loss_does()
        {
            var net = new WideDoubleNet();
            net.InitializeParameters(4);
            Dataset<double> data = Data(seed: 1);

            Metrics metrics = Evaluation.Evaluate(net, data);

            (double loss, double accuracy) = Loop(net, data, Enumerable.Range(0, Count));
            Assert.Equal(loss, metrics.Loss, 12);
            Assert.Equal(accuracy, metrics.Accuracy);
        }

        [Fact]
        public void A_loss_function_evaluates_as_a_loop_of_Forward_and_the_loss_does()
        {
            var net = new WideSingleNet();
            net.InitializeParameters(5);
            Dataset<float> data = Data(seed: 2).Select(v => (float)v);
            var loss = new HuberLoss<float>(0.5);

            Metrics metrics = Evaluation.Evaluate(net, data, loss);

            double sum = 0;
            var output = new float[5];
            var gradient = new float[5];
            for (int i = 0; i < Count; i++)
            {
                net.Forward(data.Input(i), output);
                sum += loss.Evaluate(output, data.Target(i), gradient);
            }

            // ForwardBatch's sums run in another order than Forward's: float rounding.
            Assert.Equal(sum / Count, metrics.Loss, 5);
            Assert.True(double.IsNaN(metrics.Accuracy) || metrics.Accuracy is >= 0 and <= 1);
        }

        [Fact]
        public void Each_report_evaluates_the_evenly_spaced_training_samples_it_asks_for_and_the_whole_test_set()
        {
            var net = new WideDoubleNet();
            net.InitializeParameters(6);
            Dataset<double> training = Data(seed: 3), test = Data(seed: 4);
            const int asked = 300;
            var checks = new List<(Metrics Reported, Metrics Expected, Metrics ReportedTest, Metrics ExpectedTest)>();

            // Progress runs on the training thread between epochs, so the parameters are the ones the report evaluated.
            var progress = new OnReport(report =>
            {
                (double loss, double accuracy) = Loop(net, training, Enumerable.Range(0, asked).Select(k => k * Count / asked));
                (double testLoss, double testAccuracy) = Loop(net, test, Enumerable.Range(0, Count));
                checks.Add((report.Train, new Metrics(loss, accuracy), report.Test!.Value, new Metrics(testLoss, testAccuracy)));
            });
            new Trainer<double>(net, new TrainerOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.1, TrainingEvaluationSamples = asked, Progress = progress })
                .Train(training, test);

            Assert.Equal(3, checks.Count);
            foreach ((Metrics reported, Metrics expected, Metrics reportedTest, Metrics expectedTest) in checks)
            {
                Assert.Equal(expected.Loss, reported.Loss, 12);
                Assert.Equal(expected.Accuracy, reported.Accuracy);
                Assert.Equal(expectedTest.Loss, reportedTest.Loss, 12);
                Assert.Equal(expectedTest.Accuracy, reportedTest.Accuracy);
            }

            // Training changed the parameters between the reports, so the three are not one figure repeated.
            Assert.Equal(3, checks.Select(c => c.Reported.Loss).Distinct().Count());
        }

        [Theory]
        [InlineData(false, 2, false)]
        [InlineData(false, 3, false)]
        [InlineData(false, 2, true)]
        [InlineData(true, 2, false)]
        [InlineData(true, 3, true)]
        public void Reports_evaluated_on_the_threads_are_the_figures_of_one_thread(bool sampleSplit, int threads, bool lossFunction)
        {
            // WideDoubleNet's layer 1 holds most of the work, so threads split its rows; TailHeavyDoubleNet's does not, so
            // they split the samples. Either way each report's figures are those of one thread's Evaluation at that point.
            INetwork<double> net = sampleSplit ? new TailHeavyDoubleNet() : new WideDoubleNet();
            net.InitializeParameters(7);
            int inputCount = net.InputCount, classes = net.OutputCount;
            Dataset<double> training = Data(seed: 5, inputCount, classes), test = Data(seed: 6, inputCount, classes);
            LossFunction<double>? loss = lossFunction ? new HuberLoss<double>(0.5) : null;
            const int asked = 600;
            var pairs = new List<(Metrics Reported, Metrics OneThread)>();
            var progress = new OnReport(report =>
            {
                LossScratch<double>? scratch = loss is null ? null : new LossScratch<double>(loss, classes);
                pairs.Add((report.Train, Evaluation.Evaluate(net, training, new EvaluationScratch<double>(), asked, scratch)));
                pairs.Add((report.Test!.Value, Evaluation.Evaluate(net, test, new EvaluationScratch<double>(), int.MaxValue, scratch)));
            });

            var options = new TrainerOptions { Epochs = 2, BatchSize = 64, LearningRate = 0.1, Threads = threads, TrainingEvaluationSamples = asked, Progress = progress };
            new Trainer<double>(net, options, loss).Train(training, test);

            Assert.Equal(4, pairs.Count);
            foreach ((Metrics reported, Metrics oneThread) in pairs)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(oneThread.Loss), BitConverter.DoubleToInt64Bits(reported.Loss));
                Assert.Equal(BitConverter.DoubleToInt64Bits(oneThread.Accuracy), BitConverter.DoubleToInt64Bits(reported.Accuracy));
            }
        }

        // A job of the threads' team has at most 65,535 units, and the evaluation of a set of more than 65,535 chunks of 256
        // samples (16.8 million) threw ArgumentException at the first report, after a whole epoch of training.
        [Fact]
        public void A_report_of_more_chunks_than_one_job_holds_is_the_figures_of_one_thread()
        {
            const int count = (UnitTeam.MostUnitsPerJob * EvaluationScratch<float>.Chunk) + 300;
            var inputs = new float[count];
            var targets = new float[count];
            for (int i = 0; i < count; i++)
            {
                inputs[i] = (i % 1000) / 1000f;
                targets[i] = (2 * inputs[i]) - 0.5f;
            }

            var training = new Dataset<float>(inputs, targets, 1, 1);
            var net = new FloatLineNet();
            net.InitializeParameters(3);
            Metrics? reported = null, oneThread = null;
            var progress = new OnReport(report =>
            {
                reported = report.Train;
                oneThread = Evaluation.Evaluate(net, training, new EvaluationScratch<float>());
            });

            var options = new TrainerOptions { Epochs = 1, BatchSize = 4096, LearningRate = 0.01, Threads = 2, Progress = progress };
            new Trainer<float>(net, options).Train(training);

            Assert.Equal(BitConverter.DoubleToInt64Bits(oneThread!.Value.Loss), BitConverter.DoubleToInt64Bits(reported!.Value.Loss));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_loss_function_that_throws_in_an_evaluation_on_the_threads_stops_the_run_and_the_trainer_trains_again(bool sampleSplit)
        {
            INetwork<double> net = sampleSplit ? new TailHeavyDoubleNet() : new WideDoubleNet();
            net.InitializeParameters(8);
            Dataset<double> training = Data(seed: 7, net.InputCount, net.OutputCount);
            var loss = new JudgingOnlyWhenAllowed();
            var trainer = new Trainer<double>(net, new TrainerOptions { Epochs = 2, BatchSize = 64, LearningRate = 0.1, Threads = 2 }, loss);

            // IsCorrect is asked in evaluations only: the first epoch trains, then its report throws on both threads.
            loss.Allowed = false;
            var error = Assert.Throws<InvalidOperationException>(() => trainer.Train(training));
            Assert.Equal("not allowed", error.Message);

            loss.Allowed = true;
            TrainingResult result = trainer.Train(training);
            Metrics oneThread = Evaluation.Evaluate(net, training, new EvaluationScratch<double>(), int.MaxValue, new LossScratch<double>(loss, net.OutputCount));
            Assert.Equal(2, result.History.Count);
            Assert.Equal(BitConverter.DoubleToInt64Bits(oneThread.Loss), BitConverter.DoubleToInt64Bits(result.Last.Train.Loss));
            Assert.Equal(oneThread.Accuracy, result.Last.Train.Accuracy);
        }

        [Theory]
        [InlineData(1, 256)]
        [InlineData(784, 256)]
        [InlineData(4096, 256)]
        [InlineData(8192, 128)]
        [InlineData(100_000, 16)]
        public void Chunks_of_very_wide_inputs_are_smaller_so_a_subset_gathers_at_most_about_a_million_values(int inputCount, int chunk)
        {
            Assert.Equal(chunk, EvaluationScratch<float>.ChunkFor(inputCount));

            var scratch = new EvaluationScratch<float>();
            scratch.Ensure(chunk, inputCount, 10, 10, gathers: true);
            Assert.True(scratch.Inputs.Length <= Math.Max(1 << 20, 16 * inputCount), $"{scratch.Inputs.Length} values gathered");
        }

        // Mean loss and accuracy over the given samples, one Loss call each.
        private static (double Loss, double Accuracy) Loop(WideDoubleNet net, Dataset<double> data, IEnumerable<int> samples)
        {
            double loss = 0;
            int correct = 0, count = 0;
            var output = new double[5];
            foreach (int i in samples)
            {
                loss += net.Loss(data.Input(i), data.Target(i), output);
                int predicted = Array.IndexOf(output, output.Max()), actual = Array.IndexOf(data.Target(i).ToArray(), 1.0);
                correct += predicted == actual ? 1 : 0;
                count++;
            }

            return (loss / count, (double)correct / count);
        }

        // Inputs in [−1, 1) and one-hot targets, the class following the first input so that training moves.
        private static Dataset<double> Data(int seed, int inputCount = 40, int classes = 5)
        {
            var random = new Random(seed);
            var inputs = new double[Count * inputCount];
            var targets = new double[Count * classes];
            for (int s = 0; s < Count; s++)
            {
                for (int j = 0; j < inputCount; j++)
                {
                    inputs[(s * inputCount) + j] = (random.NextDouble() * 2) - 1;
                }

                int label = (int)((inputs[s * inputCount] + 1) * classes / 2) % classes;
                targets[(s * classes) + label] = 1;
            }

            return new Dataset<double>(inputs, targets, inputCount, classes);
        }

        // Half squared error whose IsCorrect throws unless allowed.
        private sealed class JudgingOnlyWhenAllowed : LossFunction<double>
        {
            public volatile bool Allowed = true;

            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient) =>
                HalfSquaredError.Evaluate(output, target, outputGradient);

            public override bool? IsCorrect(ReadOnlySpan<double> output, ReadOnlySpan<double> target) =>
                Allowed ? base.IsCorrect(output, target) : throw new InvalidOperationException("not allowed");
        }
    }

    internal static class DatasetConversion
    {
        public static Dataset<float> Select(this Dataset<double> data, Func<double, float> convert) =>
            new(data.Inputs.ToArray().Select(convert).ToArray(), data.Targets.ToArray().Select(convert).ToArray(), data.InputCount, data.TargetCount);
    }
}
