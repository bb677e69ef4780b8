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
            var progress = new Inline(report =>
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

        // Inputs in [−1, 1) and one-hot targets of five classes, the class following the inputs so that training moves.
        private static Dataset<double> Data(int seed)
        {
            var random = new Random(seed);
            var inputs = new double[Count * 40];
            var targets = new double[Count * 5];
            for (int s = 0; s < Count; s++)
            {
                for (int j = 0; j < 40; j++)
                {
                    inputs[(s * 40) + j] = (random.NextDouble() * 2) - 1;
                }

                int label = (int)((inputs[s * 40] + 1) * 2.5) % 5;
                targets[(s * 5) + label] = 1;
            }

            return new Dataset<double>(inputs, targets, 40, 5);
        }

        private sealed class Inline : IProgress<EpochReport>
        {
            private readonly Action<EpochReport> _action;

            public Inline(Action<EpochReport> action) => _action = action;

            public void Report(EpochReport value) => _action(value);
        }
    }

    internal static class DatasetConversion
    {
        public static Dataset<float> Select(this Dataset<double> data, Func<double, float> convert) =>
            new(data.Inputs.ToArray().Select(convert).ToArray(), data.Targets.ToArray().Select(convert).ToArray(), data.InputCount, data.TargetCount);
    }
}
