using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The reference claim of the Digits sample: 64-32-10 (tanh, softmax, cross-entropy), inputs / 16,
    /// plain SGD with learning rate 0.1, batch 32, 30 epochs, 80/20 split; mean test accuracy over five
    /// seeds at least 96%.
    /// </summary>
    public sealed class DigitsTests
    {
        public static Dataset<float> LoadDigits() => Csv.Load<float>(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"));

        [Fact]
        public void Reference_settings_reach_96_percent_mean_test_accuracy_over_five_seeds()
        {
            Dataset<float> digits = LoadDigits();
            Assert.Equal(1797, digits.Count);
            Assert.Equal(64, digits.InputCount);
            Assert.Equal(10, digits.TargetCount);

            double[] accuracies = Enumerable.Range(1, 5).Select(seed =>
            {
                (Dataset<float> train, Dataset<float> test) = digits.Split(0.8, seed);
                train.ScaleInputs(16);
                test.ScaleInputs(16);
                var net = new DigitsNet();
                net.InitializeParameters(seed);
                var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 30, BatchSize = 32, LearningRate = 0.1, Seed = seed });
                return trainer.Train(train, test).Last.Test!.Value.Accuracy;
            }).ToArray();

            Assert.True(accuracies.Average() >= 0.96, $"mean test accuracy {accuracies.Average():P2}; by seed {string.Join(", ", accuracies.Select(a => a.ToString("P2")))}");
        }
    }
}
