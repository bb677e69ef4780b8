using System;
using System.Linq;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The ready-made <see cref="BinaryCrossEntropyWithLogitsLoss{T}"/>: its values and gradients against PyTorch's
    /// definition written plainly (PlainBinaryCrossEntropyWithLogits) and against central differences; a confidently wrong
    /// label, where a loss over a logistic output's probabilities breaks; masked labels; multi-label training on the
    /// digits; and the targets it refuses, before anything changes.
    /// </summary>
    public sealed class BinaryCrossEntropyWithLogitsLossTests
    {
        private const int Labels = 4;

        [Fact]
        public void Hand_computed_values()
        {
            // z = (0, ln 3): σ = (½, ¾). Labels (1, 0): C = ln 2 + ln 4, g = σ − t.
            double[] z = { 0, Math.Log(3) };
            var gradient = new double[2];
            double loss = new BinaryCrossEntropyWithLogitsLoss<double>().Evaluate(z, new[] { 1.0, 0.0 }, gradient);
            Assert.Equal(Math.Log(8), loss, 14);
            Assert.Equal(-0.5, gradient[0], 15);
            Assert.Equal(0.75, gradient[1], 15);

            // A positive weight of 3 on label 0: C = 3 ln 2 + ln 4, g_0 = (3 + 0) · ½ − 3.
            loss = new BinaryCrossEntropyWithLogitsLoss<double>(positiveWeights: new[] { 3.0, 1.0 }).Evaluate(z, new[] { 1.0, 0.0 }, gradient);
            Assert.Equal((3 * Math.Log(2)) + Math.Log(4), loss, 14);
            Assert.Equal(-1.5, gradient[0], 15);

            // Weights (0, 2): label 0 left out; C = 2 ln 4, g = (0, 1.5).
            gradient = new double[2];
            loss = new BinaryCrossEntropyWithLogitsLoss<double>(weighted: true).Evaluate(z, new[] { 1.0, 0.0, 0.0, 2.0 }, gradient);
            Assert.Equal(2 * Math.Log(4), loss, 14);
            Assert.Equal(0, gradient[0]);
            Assert.Equal(1.5, gradient[1], 15);
        }

        [Theory]
        [InlineData(false, false)]
        [InlineData(true, false)]
        [InlineData(false, true)]
        [InlineData(true, true)]
        public void Values_and_gradients_follow_PyTorchs_definition(bool weighted, bool positiveWeighted)
        {
            var random = new Random(29);
            double[]? positiveWeights = positiveWeighted ? new[] { 0.5, 1.0, 3.0, 10.0 } : null;
            var loss = new BinaryCrossEntropyWithLogitsLoss<double>(weighted, positiveWeights);
            var single = new BinaryCrossEntropyWithLogitsLoss<float>(weighted, positiveWeights);
            for (int round = 0; round < 200; round++)
            {
                double[] z = Enumerable.Range(0, Labels).Select(_ => (random.NextDouble() - 0.5) * 24).ToArray();
                double[] t = Enumerable.Range(0, Labels).Select(_ => random.Next(3) switch { 0 => 0.0, 1 => 1.0, _ => random.NextDouble() }).ToArray();
                double[]? w = weighted ? Enumerable.Range(0, Labels).Select(k => k == round % Labels ? 0 : random.NextDouble() * 2).ToArray() : null;
                double expected = PlainBinaryCrossEntropyWithLogits.Value(z, t, w, positiveWeights, out double[] expectedGradient);
                double[] target = w is null ? t : t.Concat(w).ToArray();

                Assert.Equal(target.Length, loss.TargetCount(Labels));
                var gradient = new double[Labels];
                double value = loss.Evaluate(z, target, gradient);
                Assert.True(Math.Abs(expected - value) <= 1e-9 * Math.Max(1, expected), $"round {round}: {value:R}, PyTorch's {expected:R}");
                for (int k = 0; k < Labels; k++)
                {
                    Assert.True(Math.Abs(expectedGradient[k] - gradient[k]) <= 1e-13, $"round {round}, label {k}: {gradient[k]:R}, PyTorch's {expectedGradient[k]:R}");
                }

                var singleGradient = new float[Labels];
                float singleValue = single.Evaluate(z.Select(v => (float)v).ToArray(), target.Select(v => (float)v).ToArray(), singleGradient);
                Assert.True(Math.Abs(expected - singleValue) <= 1e-5 * Math.Max(1, expected), $"round {round}: float {singleValue}, PyTorch's {expected}");
                for (int k = 0; k < Labels; k++)
                {
                    Assert.True(Math.Abs(expectedGradient[k] - singleGradient[k]) <= 1e-5 * Math.Max(1, Math.Abs(expectedGradient[k])), $"round {round}, label {k}: float {singleGradient[k]}, PyTorch's {expectedGradient[k]}");
                }
            }
        }

        [Fact]
        public void Gradients_match_central_differences_of_the_value()
        {
            var random = new Random(37);
            var loss = new BinaryCrossEntropyWithLogitsLoss<double>(weighted: true, positiveWeights: new[] { 2.0, 0.5, 1.0, 4.0 });
            for (int round = 0; round < 50; round++)
            {
                double[] z = Enumerable.Range(0, Labels).Select(_ => (random.NextDouble() - 0.5) * 16).ToArray();
                double[] target = Enumerable.Range(0, Labels).Select(_ => random.NextDouble())
                    .Concat(Enumerable.Range(0, Labels).Select(_ => random.NextDouble() * 2)).ToArray();
                CentralDifferences.AssertGradient(loss, z, target, 1e-8, $"round {round}");
            }
        }

        // A logit of 40 for a label that does not hold. In float σ(40) is 1, so a loss over a logistic output's probability
        // (−ln(1 − a), g = 1 / (1 − a)) is infinite and its gradient through σ' = a (1 − a) = 0 is NaN; over logits
        // C = softplus(40) = 40 and g = σ(40) = 1, and training on it brings the logit below 0.
        [Fact]
        public void A_confidently_wrong_label_keeps_a_finite_loss_and_the_full_gradient()
        {
            float[] x = { 0.5f, -0.25f, 1f };
            float[] parameters = Enumerable.Range(0, SmallSingleLogitsNet.ParameterCount).Select(i => 0.1f * (float)Math.Sin(i + 1)).ToArray();
            parameters[28] = 40;   // b(2)_0: W(2) a(1) is small beside it
            float[] target = { 0, 1, 0 };

            var probabilities = new SmallLogisticNet();
            parameters.CopyTo(probabilities.Parameters);
            float pLoss = probabilities.Accumulate(x, target, new ProbabilityBinaryCrossEntropy());
            Assert.True(float.IsPositiveInfinity(pLoss), $"the loss over probabilities gave {pLoss}");
            Assert.Contains(probabilities.Gradients.ToArray(), g => float.IsNaN(g));

            var net = new SmallSingleLogitsNet();
            parameters.CopyTo(net.Parameters);
            var loss = new BinaryCrossEntropyWithLogitsLoss<float>();
            Span<float> z = stackalloc float[3];
            net.Forward(x, z);
            float value = net.Accumulate(x, target, loss);
            Assert.InRange(value, z[0], z[0] + 2);   // softplus(z_0) plus the two small labels' terms
            Assert.All(net.Gradients.ToArray(), g => Assert.True(float.IsFinite(g)));
            Assert.Equal(1f, net.Gradients[28]);   // ∂C/∂b(2)_0 = σ(z_0) − 0

            for (int step = 0; step < 100; step++)
            {
                net.Accumulate(x, target, loss);
                net.Step(1f);
            }

            net.Forward(x, z);
            Assert.True(z[0] < 0, $"after training the logit is {z[0]}");
        }

        // A weight of 0 leaves a label out: its output's bias gets no gradient, also where its logit is NaN.
        [Fact]
        public void A_label_of_weight_0_gets_no_gradient()
        {
            var net = new SmallSingleLogitsNet();
            net.InitializeParameters(2);
            var loss = new BinaryCrossEntropyWithLogitsLoss<float>(weighted: true);
            float[] x = { 0.3f, 0.1f, -0.9f };
            net.Accumulate(x, new float[] { 1, 0, 1, 1, 0, 1 }, loss);
            Assert.Equal(0f, net.Gradients[29]);
            Assert.NotEqual(0f, net.Gradients[28]);
            Assert.NotEqual(0f, net.Gradients[30]);

            var gradient = new float[2];
            float value = loss.Evaluate(new[] { float.NaN, 0f }, new float[] { 1, 1, 0, 1 }, gradient);
            Assert.Equal(0f, gradient[0]);
            Assert.Equal(MathF.Log(2), value, 6);
        }

        // The digits as ten independent labels (one-vs-rest, each output its own yes-or-no), the Trainer at the digits
        // sample's settings: every one of a test image's ten labels on the right side in at least 90% of the images.
        [Fact]
        public void Ten_labels_at_once_learn_the_digits()
        {
            (Dataset<float> train, Dataset<float> test) = DigitsTests.LoadDigits().Split(0.8, 5);
            train.ScaleInputs(16);
            test.ScaleInputs(16);
            var net = new DigitsLogitsNet();
            net.InitializeParameters(5);
            var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 30, BatchSize = 32, LearningRate = 0.1, Seed = 5 }, new BinaryCrossEntropyWithLogitsLoss<float>());
            Metrics result = trainer.Train(train, test).Last.Test!.Value;
            Assert.True(result.Accuracy >= 0.90, $"exact-match test accuracy {result.Accuracy:P2}");
        }

        [Theory]
        [InlineData(1.5f, 1f, "its label 1 is 1.5")]
        [InlineData(-0.1f, 1f, "its label 1 is -0.1")]
        [InlineData(float.NaN, 1f, "its label 1 is NaN")]
        [InlineData(1f, -1f, "its weight 1 is -1")]
        public void A_target_that_is_not_labels_and_weights_is_refused_with_nothing_changed(float label, float weight, string shown)
        {
            var loss = new BinaryCrossEntropyWithLogitsLoss<float>(weighted: true);
            var net = new SmallSingleLogitsNet();
            net.InitializeParameters(3);
            float[] x = { 0.2f, 0.4f, 0.6f };
            float[] good = { 1, 0, 1, 1, 1, 1 };
            float[] bad = { 1, label, 1, 1, weight, 1 };

            var one = Assert.Throws<ArgumentException>(() => net.Accumulate(x, bad, loss));
            Assert.Equal("target", one.ParamName);
            Assert.StartsWith($"target is not one BinaryCrossEntropyWithLogitsLoss<Single> can read: {shown}", one.Message);

            float[] inputs = Enumerable.Range(0, 4).SelectMany(_ => x).ToArray();
            float[] targets = good.Concat(good).Concat(bad).Concat(good).ToArray();
            var batch = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(inputs, targets, loss));
            Assert.Contains("targets of sample 2", batch.Message);
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0f, g));
            Assert.Equal(0, net.AccumulatedSamples);

            var data = new Dataset<float>(inputs, targets, 3, 6);
            var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(net, new TrainerOptions { Epochs = 1 }, loss).Train(data));
            Assert.Contains("training.Target(2)", e.Message);
            Assert.Equal(0, net.AccumulatedSamples);
        }

        [Fact]
        public void A_network_with_a_logistic_output_is_refused()
        {
            var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(new SmallLogisticNet(), new TrainerOptions(), new BinaryCrossEntropyWithLogitsLoss<float>()));
            Assert.Equal("lossFunction", e.ParamName);
            Assert.Contains("σ(σ(z))", e.Message);
            Assert.Null(new BinaryCrossEntropyWithLogitsLoss<float>().CheckArchitecture(SmallSingleLogitsNet.Architecture));

            // A direct call too, with nothing computed.
            var net = new SmallLogisticNet();
            e = Assert.Throws<ArgumentException>(() => net.Accumulate(new float[3], new float[] { 1, 0, 1 }, new BinaryCrossEntropyWithLogitsLoss<float>()));
            Assert.Equal("lossFunction", e.ParamName);
            Assert.Contains("σ(σ(z))", e.Message);
            Assert.Equal(0, net.AccumulatedSamples);
        }

        [Fact]
        public void Settings_it_cannot_use_are_refused()
        {
            foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
            {
                Assert.Equal("positiveWeights", Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryCrossEntropyWithLogitsLoss<float>(positiveWeights: new[] { 1, bad })).ParamName);
            }

            Assert.Equal("positiveWeights", Assert.Throws<ArgumentException>(() => new BinaryCrossEntropyWithLogitsLoss<float>(positiveWeights: Array.Empty<double>())).ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryCrossEntropyWithLogitsLoss<long>());

            var net = new SmallLogitsNet();
            var e = Assert.Throws<ArgumentException>(() => net.Accumulate(new double[3], new double[3], new BinaryCrossEntropyWithLogitsLoss<double>(positiveWeights: new[] { 1.0, 2.0 })));
            Assert.Contains("2 positive weights, but the network has 3 outputs", e.Message);
            Assert.Equal(0, net.AccumulatedSamples);

            double[] weights = { 1, 2, 3 };
            var loss = new BinaryCrossEntropyWithLogitsLoss<double>(positiveWeights: weights);
            weights[0] = 100;
            loss.PositiveWeights![1] = 100;
            Assert.Equal(new[] { 1.0, 2, 3 }, loss.PositiveWeights);
        }

        [Fact]
        public void Logistic_turns_logits_into_probabilities()
        {
            double[] z = { -800, -30, -1, 0, 2.5, 30, 800 };
            var p = new double[z.Length];
            BinaryCrossEntropyWithLogitsLoss<double>.Logistic(z, p);
            for (int k = 0; k < z.Length; k++)
            {
                double expected = 1 / (1 + Math.Exp(-z[k]));
                Assert.True(Math.Abs(expected - p[k]) <= 1e-15 * Math.Max(expected, 1e-300) + 1e-300, $"σ({z[k]}) = {p[k]:R}, plainly {expected:R}");
            }

            BinaryCrossEntropyWithLogitsLoss<double>.Logistic(z, z);
            Assert.Equal(p, z);
            var e = Assert.Throws<ArgumentException>(() => BinaryCrossEntropyWithLogitsLoss<float>.Logistic(new float[3], new float[4]));
            Assert.Equal("probabilities", e.ParamName);
        }

        [Fact]
        public void IsCorrect_asks_every_weighed_label_to_be_on_its_side()
        {
            var loss = new BinaryCrossEntropyWithLogitsLoss<float>();
            Assert.True(loss.IsCorrect(new float[] { 2, -1, 0 }, new float[] { 1, 0, 0.5f }));
            Assert.False(loss.IsCorrect(new float[] { 2, -1, -0.1f }, new float[] { 1, 0, 1 }));
            var weighted = new BinaryCrossEntropyWithLogitsLoss<float>(weighted: true);
            Assert.True(weighted.IsCorrect(new float[] { 2, -1 }, new float[] { 1, 1, 1, 0 }));
            Assert.False(weighted.IsCorrect(new float[] { 2, -1 }, new float[] { 1, 1, 1, 1 }));
            Assert.True(weighted.IsCorrect(new float[] { 2, -1 }, new float[] { 1, 0, 0, 1 }));

            // Every label left out: nothing to judge.
            Assert.Null(weighted.IsCorrect(new float[] { 2, -1 }, new float[] { 0, 1, 0, 0 }));
        }

        // Samples with every label masked count in the mean loss (as 0, as PyTorch's mean does) but not in the accuracy,
        // which is over the samples judged: counting them as right or as wrong would bias it.
        [Fact]
        public void The_accuracy_leaves_out_samples_with_every_label_masked()
        {
            var net = new SmallSingleLogitsNet();
            net.InitializeParameters(3);
            var loss = new BinaryCrossEntropyWithLogitsLoss<float>(weighted: true);
            var random = new Random(5);
            const int count = 40;
            float[] inputs = Enumerable.Range(0, count * 3).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
            var targets = new float[count * 6];
            var z = new float[3];
            int judged = 0, right = 0;
            double sum = 0;
            for (int s = 0; s < count; s++)
            {
                Span<float> target = targets.AsSpan(s * 6, 6);
                bool masked = s % 3 == 0;
                for (int k = 0; k < 3; k++)
                {
                    target[k] = random.Next(2);
                    target[3 + k] = masked ? 0 : 1;
                }

                net.Forward(inputs.AsSpan(s * 3, 3), z);
                sum += loss.Evaluate(z, target, new float[3]);
                if (!masked)
                {
                    judged++;
                    right += (z[0] >= 0) == (target[0] == 1) && (z[1] >= 0) == (target[1] == 1) && (z[2] >= 0) == (target[2] == 1) ? 1 : 0;
                }
            }

            Assert.InRange(right, 1, judged - 1);
            Metrics metrics = Evaluation.Evaluate(net, new Dataset<float>(inputs, targets, 3, 6), loss);
            Assert.Equal((double)right / judged, metrics.Accuracy);
            Assert.Equal(sum / count, metrics.Loss, 6);

            // With every sample masked there is no accuracy at all.
            for (int s = 0; s < count; s++)
            {
                targets.AsSpan((s * 6) + 3, 3).Clear();
            }

            Assert.True(double.IsNaN(Evaluation.Evaluate(net, new Dataset<float>(inputs, targets, 3, 6), loss).Accuracy));
        }

        [Fact]
        public void Evaluate_and_Accumulate_with_it_allocate_nothing()
        {
            var loss = new BinaryCrossEntropyWithLogitsLoss<float>(weighted: true, positiveWeights: Enumerable.Repeat(2.0, 10).ToArray());
            var net = new DigitsLogitsNet();
            float[] x = new float[64], t = Enumerable.Range(0, 20).Select(i => (float)(i % 2)).ToArray(), gradient = new float[10], z = new float[10];
            float[] inputs = new float[64 * 40], targets = Enumerable.Range(0, 40).SelectMany(_ => t).ToArray();
            void Run()
            {
                loss.Evaluate(z, t, gradient);
                net.Accumulate(x, t, loss);
                net.AccumulateBatch(inputs, targets, loss);
                BinaryCrossEntropyWithLogitsLoss<float>.Logistic(z, gradient);
            }

            Run();
            Assert.Equal(0, Allocations.Least(Run));
        }

        /// <summary>−Σ t ln a + (1 − t) ln(1 − a) over a logistic output's probabilities, its gradient written plainly.</summary>
        private sealed class ProbabilityBinaryCrossEntropy : LossFunction<float>
        {
            public override float Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> outputGradient)
            {
                float loss = 0;
                for (int k = 0; k < output.Length; k++)
                {
                    float a = output[k], t = target[k];
                    loss -= (t * MathF.Log(a)) + ((1 - t) * MathF.Log(1 - a));
                    outputGradient[k] = (-t / a) + ((1 - t) / (1 - a));
                }

                return loss;
            }
        }
    }
}
