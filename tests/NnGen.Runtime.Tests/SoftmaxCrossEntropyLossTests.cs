using System;
using System.Linq;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The ready-made <see cref="SoftmaxCrossEntropyLoss{T}"/> over logits: its values and gradients against PyTorch's
    /// definition written plainly (PlainSoftmaxCrossEntropy) and against central differences; against the declared softmax
    /// cross-entropy; a confidently wrong sample, where a loss over probabilities breaks; training on the digits; and the
    /// targets it refuses, before anything changes.
    /// </summary>
    public sealed class SoftmaxCrossEntropyLossTests
    {
        private const int Classes = 5;

        [Fact]
        public void Hand_computed_values()
        {
            // z = (0, ln 3): p = (1/4, 3/4).
            double[] z = { 0, Math.Log(3) };
            var gradient = new double[2];

            double loss = new SoftmaxCrossEntropyLoss<double>(classIndex: true).Evaluate(z, new[] { 1.0 }, gradient);
            Assert.Equal(Math.Log(4.0 / 3.0), loss, 15);
            Assert.Equal(0.25, gradient[0], 15);
            Assert.Equal(-0.25, gradient[1], 15);

            // t = (½, ½): C = −½ ln ¼ − ½ ln ¾, g = p − t.
            loss = new SoftmaxCrossEntropyLoss<double>().Evaluate(z, new[] { 0.5, 0.5 }, gradient);
            Assert.Equal(-(0.5 * Math.Log(0.25)) - (0.5 * Math.Log(0.75)), loss, 15);
            Assert.Equal(-0.25, gradient[0], 15);
            Assert.Equal(0.25, gradient[1], 15);

            // Class 0 weighs 3: C = −3 ln ¼, g = 3 (p − e_0).
            loss = new SoftmaxCrossEntropyLoss<double>(classIndex: true, classWeights: new[] { 3.0, 1.0 }).Evaluate(z, new[] { 0.0 }, gradient);
            Assert.Equal(3 * Math.Log(4), loss, 14);
            Assert.Equal(3 * -0.75, gradient[0], 15);
            Assert.Equal(3 * 0.75, gradient[1], 15);
        }

        [Theory]
        [InlineData(true, 0.0, false)]
        [InlineData(true, 0.1, false)]
        [InlineData(true, 0.0, true)]
        [InlineData(true, 0.2, true)]
        [InlineData(false, 0.0, false)]
        [InlineData(false, 0.1, true)]
        public void Values_and_gradients_follow_PyTorchs_definition(bool classIndex, double smoothing, bool weighted)
        {
            var random = new Random(23);
            double[]? weights = weighted ? new[] { 0.5, 2.0, 1.0, 0.0, 3.0 } : null;
            var loss = new SoftmaxCrossEntropyLoss<double>(classIndex, smoothing, weights);
            var single = new SoftmaxCrossEntropyLoss<float>(classIndex, smoothing, weights);
            for (int round = 0; round < 200; round++)
            {
                double[] z = Enumerable.Range(0, Classes).Select(_ => (random.NextDouble() - 0.5) * 12).ToArray();
                int label = random.Next(Classes);
                double[] t = classIndex ? new double[] { label } : SoftTarget(random);
                double expected = classIndex
                    ? PlainSoftmaxCrossEntropy.Value(z, label, weights, smoothing, out double[] expectedGradient)
                    : PlainSoftmaxCrossEntropy.Value(z, t, weights, smoothing, out expectedGradient);

                Assert.Equal(t.Length, loss.TargetCount(Classes));
                var gradient = new double[Classes];
                double value = loss.Evaluate(z, t, gradient);
                Assert.True(Math.Abs(expected - value) <= 1e-13 * Math.Max(1, Math.Abs(expected)), $"round {round}: {value}, PyTorch's {expected}");
                for (int k = 0; k < Classes; k++)
                {
                    Assert.True(Math.Abs(expectedGradient[k] - gradient[k]) <= 1e-14 * 8, $"round {round}, class {k}: {gradient[k]}, PyTorch's {expectedGradient[k]}");
                }

                // The same in float, within float's rounding of the logits and targets.
                var singleGradient = new float[Classes];
                float singleValue = single.Evaluate(z.Select(v => (float)v).ToArray(), t.Select(v => (float)v).ToArray(), singleGradient);
                Assert.True(Math.Abs(expected - singleValue) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"round {round}: float {singleValue}, PyTorch's {expected}");
                for (int k = 0; k < Classes; k++)
                {
                    Assert.True(Math.Abs(expectedGradient[k] - singleGradient[k]) <= 1e-5, $"round {round}, class {k}: float {singleGradient[k]}, PyTorch's {expectedGradient[k]}");
                }
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Gradients_match_central_differences_of_the_value(bool classIndex)
        {
            var random = new Random(31);
            var loss = new SoftmaxCrossEntropyLoss<double>(classIndex, 0.15, new[] { 1.0, 0.25, 2.0, 1.5, 0.75 });
            for (int round = 0; round < 50; round++)
            {
                double[] z = Enumerable.Range(0, Classes).Select(_ => (random.NextDouble() - 0.5) * 10).ToArray();
                double[] t = classIndex ? new double[] { random.Next(Classes) } : SoftTarget(random);
                CentralDifferences.AssertGradient(loss, z, t, 1e-8, $"round {round}");
            }
        }

        // The same parameters with a softmax output and the declared cross-entropy, and with logits and this loss: the same
        // losses and gradients, to rounding (the declared cost works in float, this loss in double).
        [Fact]
        public void Agrees_with_the_declared_softmax_cross_entropy()
        {
            Dataset<float> digits = DigitsTests.LoadDigits();
            digits.ScaleInputs(16);
            var declared = new DigitsNet();
            declared.InitializeParameters(3);
            var logits = new DigitsLogitsNet();
            declared.Parameters.CopyTo(logits.Parameters);
            var loss = new SoftmaxCrossEntropyLoss<float>();

            int count = 45;
            ReadOnlySpan<float> inputs = digits.Inputs.Slice(0, count * 64);
            ReadOnlySpan<float> targets = digits.Targets.Slice(0, count * 10);
            float declaredLoss = declared.AccumulateBatch(inputs, targets);
            float logitsLoss = logits.AccumulateBatch(inputs, targets, loss);

            Assert.True(Math.Abs(declaredLoss - logitsLoss) <= 1e-5 * declaredLoss, $"declared {declaredLoss}, logits {logitsLoss}");
            float[] a = declared.Gradients.ToArray(), b = logits.Gradients.ToArray();
            float largest = a.Max(Math.Abs);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 * largest, $"gradient {i}: declared {a[i]}, logits {b[i]}");
            }
        }

        // Logits (0, 200, 0) for a sample of class 0. In float, its probability e^−200 is 0. A loss over probabilities on a
        // softmax output (−ln p_0, g_0 = −1 / p_0) then has an infinite loss and a NaN gradient through the Jacobian
        // (0 · ∞); this loss has C = 200 + ln(1 + 2e^−200) and g = p − e_0 = (−1, 1, 0), and training on it moves the
        // network toward class 0.
        [Fact]
        public void A_confidently_wrong_sample_keeps_a_finite_loss_and_the_full_gradient()
        {
            float[] x = { 0.5f, -0.25f, 1f };
            float[] parameters = Enumerable.Range(0, SmallSingleLogitsNet.ParameterCount).Select(i => 0.1f * (float)Math.Sin(i + 1)).ToArray();
            parameters[28] = 0;
            parameters[29] = 200;   // b(2): W(2) a(1) is small beside it
            parameters[30] = 0;

            var probabilities = new SmallSoftmaxNet();
            parameters.CopyTo(probabilities.Parameters);
            float pLoss = probabilities.Accumulate(x, new float[] { 0 }, new ProbabilityCrossEntropy());
            Assert.True(float.IsPositiveInfinity(pLoss), $"the loss over probabilities gave {pLoss}");
            Assert.Contains(probabilities.Gradients.ToArray(), g => float.IsNaN(g));

            var net = new SmallSingleLogitsNet();
            parameters.CopyTo(net.Parameters);
            var loss = new SoftmaxCrossEntropyLoss<float>(classIndex: true);
            Span<float> z = stackalloc float[3];
            net.Forward(x, z);
            float value = net.Accumulate(x, new float[] { 0 }, loss);
            Assert.Equal((double)z[1] - z[0], value, 3);
            Assert.All(net.Gradients.ToArray(), g => Assert.True(float.IsFinite(g)));

            // ∂C/∂b(2) is g itself.
            Assert.Equal(-1f, net.Gradients[28]);
            Assert.Equal(1f, net.Gradients[29]);
            Assert.Equal(0f, net.Gradients[30]);

            for (int step = 0; step < 400; step++)
            {
                net.Accumulate(x, new float[] { 0 }, loss);
                net.Step(0.5f);
            }

            net.Forward(x, z);
            Assert.True(z[0] > z[1], $"after training the logits are {z[0]}, {z[1]}, {z[2]}");
        }

        // The README's REINFORCE step with a logits output, g = −A (e_a − π), against the same step through a softmax output,
        // g_a = −A / π_a: the same parameter gradient where π_a is not small.
        [Fact]
        public void A_policy_gradient_through_logits_equals_the_one_through_probabilities()
        {
            var random = new Random(12);
            var logits = new SmallSingleLogitsNet();
            logits.InitializeParameters(6);
            var softmax = new SmallSoftmaxNet();
            logits.Parameters.CopyTo(softmax.Parameters);
            Span<float> z = stackalloc float[3], pi = stackalloc float[3], g = stackalloc float[3], probabilities = stackalloc float[3];
            for (int sample = 0; sample < 20; sample++)
            {
                float[] state = { (float)random.NextDouble(), (float)random.NextDouble() - 0.5f, (float)random.NextDouble() * 2 };
                int action = random.Next(3);
                float advantage = (float)(random.NextDouble() * 4) - 2;

                logits.Forward(state, z);
                SoftmaxCrossEntropyLoss<float>.Softmax(z, pi);
                for (int k = 0; k < 3; k++)
                {
                    g[k] = advantage * pi[k];
                }

                g[action] -= advantage;
                logits.AccumulateGradient(state, g);

                softmax.Forward(state, probabilities);
                g.Clear();
                g[action] = -advantage / probabilities[action];
                softmax.AccumulateGradient(state, g);
            }

            float[] a = softmax.Gradients.ToArray(), b = logits.Gradients.ToArray();
            float largest = a.Max(Math.Abs);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 * largest, $"gradient {i}: through probabilities {a[i]}, through logits {b[i]}");
            }
        }

        [Fact]
        public void Class_index_and_one_hot_targets_train_to_the_same_bits()
        {
            (Dataset<float> train, Dataset<float> test) = DigitsTests.LoadDigits().Split(0.8, 2);
            train.ScaleInputs(16);
            test.ScaleInputs(16);
            var options = new TrainerOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.1, Seed = 2, Threads = 2 };

            var oneHot = new DigitsLogitsNet();
            oneHot.InitializeParameters(2);
            var oneHotResult = new Trainer<float>(oneHot, options, new SoftmaxCrossEntropyLoss<float>(labelSmoothing: 0.1)).Train(train, test);

            var indexed = new DigitsLogitsNet();
            indexed.InitializeParameters(2);
            var indexResult = new Trainer<float>(indexed, options, new SoftmaxCrossEntropyLoss<float>(classIndex: true, labelSmoothing: 0.1)).Train(ClassIndices(train), ClassIndices(test));

            Assert.Equal(oneHot.Parameters.ToArray(), indexed.Parameters.ToArray());
            Assert.Equal(oneHotResult.Last.Test!.Value.Accuracy, indexResult.Last.Test!.Value.Accuracy);
            Assert.Equal(oneHotResult.Last.Test!.Value.Loss, indexResult.Last.Test!.Value.Loss);
        }

        // The digits sample's reference settings (inputs / 16, SGD at 0.1, batch 32, 30 epochs, 80/20) with logits and
        // class indices, plain and with label smoothing and class weights: at least 96% test accuracy on average.
        [Fact]
        public void Logits_with_class_indices_learn_the_digits_to_96_percent()
        {
            Dataset<float> digits = DigitsTests.LoadDigits();
            var losses = new[]
            {
                new SoftmaxCrossEntropyLoss<float>(classIndex: true),
                new SoftmaxCrossEntropyLoss<float>(classIndex: true, labelSmoothing: 0.1),
                new SoftmaxCrossEntropyLoss<float>(classIndex: true, classWeights: new[] { 1.0, 2, 1, 1, 1, 1, 1, 1, 2, 1 }),
            };
            double[] accuracies = losses.Select((loss, seed) =>
            {
                (Dataset<float> train, Dataset<float> test) = digits.Split(0.8, seed + 1);
                train.ScaleInputs(16);
                test.ScaleInputs(16);
                var net = new DigitsLogitsNet();
                net.InitializeParameters(seed + 1);
                var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 30, BatchSize = 32, LearningRate = 0.1, Seed = seed + 1 }, loss);
                return trainer.Train(ClassIndices(train), ClassIndices(test)).Last.Test!.Value.Accuracy;
            }).ToArray();

            Assert.True(accuracies.Average() >= 0.96, $"test accuracies {string.Join(", ", accuracies.Select(a => a.ToString("P2")))}");
            Assert.All(accuracies, a => Assert.True(a >= 0.94, $"test accuracies {string.Join(", ", accuracies.Select(b => b.ToString("P2")))}"));
        }

        [Theory]
        [InlineData(-1.0, "-1")]
        [InlineData(10.0, "10")]
        [InlineData(2.5, "2.5")]
        [InlineData(double.NaN, "NaN")]
        public void A_class_index_that_is_not_a_class_is_refused_with_nothing_changed(double index, string shown)
        {
            var loss = new SoftmaxCrossEntropyLoss<float>(classIndex: true);
            var net = new DigitsLogitsNet();
            net.InitializeParameters(4);
            float[] x = Enumerable.Range(0, 64).Select(i => (i % 7) / 7f).ToArray();
            net.Accumulate(x, new float[] { 3 }, loss);
            float[] gradients = net.Gradients.ToArray();

            var one = Assert.Throws<ArgumentException>(() => net.Accumulate(x, new[] { (float)index }, loss));
            Assert.Equal("target", one.ParamName);
            Assert.Contains($"class index is {shown}", one.Message);
            Assert.Contains("from 0 to 9", one.Message);
            Assert.StartsWith("target is not one SoftmaxCrossEntropyLoss<Single> can read: its class index is", one.Message);

            float[] inputs = Enumerable.Range(0, 5).SelectMany(_ => x).ToArray();
            float[] targets = { 1, 2, 3, (float)index, 4 };
            var batch = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(inputs, targets, loss));
            Assert.Equal("targets", batch.ParamName);
            Assert.Contains("targets of sample 3", batch.Message);
            Assert.Throws<ArgumentException>(() => net.AccumulateBatch(inputs, targets, new float[DigitsLogitsNet.ParameterCount], loss));

            Assert.Equal(gradients, net.Gradients.ToArray());
            Assert.Equal(1, net.AccumulatedSamples);

            // All unrolled, where AccumulateBatch runs Accumulate per sample: samples 0 to 2 must not be added either.
            var small = new SmallLogitsNet();
            small.InitializeParameters(1);
            double[] smallInputs = Enumerable.Range(0, 15).Select(i => i / 15.0).ToArray();
            var smallBatch = Assert.Throws<ArgumentException>(() => small.AccumulateBatch(smallInputs, new[] { 1, 2, 0, index > 2 ? 3 : index, 0 }, new SoftmaxCrossEntropyLoss<double>(classIndex: true)));
            Assert.Contains("targets of sample 3", smallBatch.Message);
            Assert.All(small.Gradients.ToArray(), g => Assert.Equal(0, g));
            Assert.Equal(0, small.AccumulatedSamples);
        }

        [Fact]
        public void The_trainer_refuses_a_dataset_with_an_unreadable_target_before_it_trains()
        {
            (Dataset<float> train, Dataset<float> test) = DigitsTests.LoadDigits().Split(0.8, 1);
            Dataset<float> indexed = ClassIndices(train), indexedTest = ClassIndices(test);
            indexedTest.Targets[17] = 12;
            var net = new DigitsLogitsNet();
            net.InitializeParameters(1);
            float[] before = net.Parameters.ToArray();
            var trainer = new Trainer<float>(net, new TrainerOptions { Epochs = 1 }, new SoftmaxCrossEntropyLoss<float>(classIndex: true));

            var e = Assert.Throws<ArgumentException>(() => trainer.Train(indexed, indexedTest));
            Assert.Equal("test", e.ParamName);
            Assert.Contains("test.Target(17)", e.Message);
            Assert.Contains("class index is 12", e.Message);
            Assert.Equal(before, net.Parameters.ToArray());

            var evaluation = Assert.Throws<ArgumentException>(() => Evaluation.Evaluate(net, indexedTest, new SoftmaxCrossEntropyLoss<float>(classIndex: true)));
            Assert.Contains("data.Target(17)", evaluation.Message);

            // A negative probability in a one-hot set.
            test.Targets[5 * 10] = -0.5f;
            var probability = Assert.Throws<ArgumentException>(() => new Trainer<float>(net, new TrainerOptions { Epochs = 1 }, new SoftmaxCrossEntropyLoss<float>()).Train(train, test));
            Assert.Contains("test.Target(5)", probability.Message);
            Assert.Contains("probability of class 0 is -0.5", probability.Message);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        // A softmax output already: the Trainer and Evaluation refuse the pair before they start, rather than train
        // softmax(softmax(z)), whose probabilities never leave [e⁻¹/K, e/K].
        [Fact]
        public void A_network_with_a_softmax_output_is_refused()
        {
            var net = new DigitsNet();
            var loss = new SoftmaxCrossEntropyLoss<float>();
            var e = Assert.Throws<ArgumentException>(() => new Trainer<float>(net, new TrainerOptions(), loss));
            Assert.Equal("lossFunction", e.ParamName);
            Assert.Contains("SoftmaxCrossEntropyLoss<Single> does not suit the network 64 → 32 Tanh → 10 Softmax", e.Message);
            Assert.Contains("softmax(softmax(z))", e.Message);
            Assert.Contains("Activation.Identity", e.Message);

            Dataset<float> digits = DigitsTests.LoadDigits();
            Assert.Equal("lossFunction", Assert.Throws<ArgumentException>(() => Evaluation.Evaluate(net, digits, loss)).ParamName);
            Assert.Null(loss.CheckArchitecture(DigitsLogitsNet.Architecture));
        }

        // A direct call is refused as the Trainer is, before anything is computed: on an all-unrolled network (whose
        // AccumulateBatch loops over Accumulate) and on a vectorised one.
        [Fact]
        public void Direct_calls_on_a_network_with_a_softmax_output_are_refused()
        {
            var loss = new SoftmaxCrossEntropyLoss<float>(classIndex: true);
            var small = new SmallSoftmaxNet();
            small.InitializeParameters(1);
            float[] before = small.Parameters.ToArray();
            var e = Assert.Throws<ArgumentException>(() => small.Accumulate(new float[3], new float[] { 1 }, loss));
            Assert.Equal("lossFunction", e.ParamName);
            Assert.Contains("does not suit the network 3 → 4 Tanh → 3 Softmax", e.Message);
            Assert.Equal("lossFunction", Assert.Throws<ArgumentException>(() => small.AccumulateBatch(new float[6], new float[] { 0, 2 }, loss)).ParamName);
            Assert.Equal(0, small.AccumulatedSamples);
            Assert.All(small.Gradients.ToArray(), g => Assert.Equal(0, g));

            var digits = new DigitsNet();
            var gradients = new float[DigitsNet.ParameterCount];
            Assert.Equal("lossFunction", Assert.Throws<ArgumentException>(() => digits.AccumulateBatch(new float[128], new float[] { 3, 4 }, loss)).ParamName);
            Assert.Equal("lossFunction", Assert.Throws<ArgumentException>(() => digits.AccumulateBatch(new float[128], new float[] { 3, 4 }, gradients, loss)).ParamName);
            Assert.Equal(0, digits.AccumulatedSamples);
            Assert.All(gradients, g => Assert.Equal(0, g));
            Assert.Equal(before, small.Parameters.ToArray());

            // The same instance still works on logits.
            var logits = new SmallSingleLogitsNet();
            logits.Accumulate(new float[3], new float[] { 1 }, loss);
            Assert.Equal(1, logits.AccumulatedSamples);
        }

        [Fact]
        public void Settings_it_cannot_use_are_refused()
        {
            Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss<float>(labelSmoothing: -0.1)).ParamName);
            Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss<float>(labelSmoothing: 1)).ParamName);
            Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss<float>(labelSmoothing: double.NaN)).ParamName);
            Assert.Equal("classWeights", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss<float>(classWeights: new[] { 1, -1.0 })).ParamName);
            Assert.Equal("classWeights", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss<float>(classWeights: new[] { 1, double.PositiveInfinity })).ParamName);
            Assert.Equal("classWeights", Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss<float>(classWeights: Array.Empty<double>())).ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss<int>());

            // Weights for another number of classes, and a single output, whose softmax is always 1.
            var net = new SmallLogitsNet();
            var threeWeights = new SoftmaxCrossEntropyLoss<double>(classIndex: true, classWeights: new[] { 1.0, 2.0 });
            var e = Assert.Throws<ArgumentException>(() => net.Accumulate(new double[3], new double[] { 0 }, threeWeights));
            Assert.Contains("2 class weights, but the network has 3 outputs", e.Message);
            Assert.Contains("always 1", new SoftmaxCrossEntropyLoss<double>().CheckTarget(new double[] { 1 }, 1));
            Assert.Equal(0, net.AccumulatedSamples);

            // The weights are copied in and out.
            double[] weights = { 1, 2, 3 };
            var loss = new SoftmaxCrossEntropyLoss<double>(classWeights: weights);
            weights[0] = 100;
            loss.ClassWeights![1] = 100;
            Assert.Equal(new[] { 1.0, 2, 3 }, loss.ClassWeights);
        }

        // Under a culture with a U+2212 minus and a decimal comma, messages still write numbers as C# does.
        [Fact]
        public void Messages_write_numbers_in_the_invariant_culture()
        {
            var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NegativeSign = "\u2212";
            culture.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo saved = System.Globalization.CultureInfo.CurrentCulture;
            try
            {
                System.Globalization.CultureInfo.CurrentCulture = culture;
                Assert.Contains("class index is -1.5,", new SoftmaxCrossEntropyLoss<float>(classIndex: true).CheckTarget(new[] { -1.5f }, 3));
                Assert.Contains("label 0 is -0.25,", new BinaryCrossEntropyWithLogitsLoss<float>().CheckTarget(new[] { -0.25f }, 1));
                var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss<float>(classWeights: new[] { -0.5 }));
                Assert.Contains("classWeights[0] is -0.5;", e.Message);
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = saved;
            }
        }

        // A direct Evaluate with a target of the wrong length: an ArgumentException naming it, not an index out of range.
        [Fact]
        public void A_direct_Evaluate_with_a_target_of_the_wrong_length_is_refused()
        {
            var gradient = new float[3];
            var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss<float>(classIndex: true).Evaluate(new float[3], Array.Empty<float>(), gradient));
            Assert.Equal("target", e.ParamName);
            Assert.Contains("it holds 0 values, but this loss reads 1 for 3 outputs", e.Message);
            Assert.Contains("reads 3 for 3", Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss<float>().Evaluate(new float[3], new float[2], gradient)).Message);
            Assert.Contains("reads 6 for 3", Assert.Throws<ArgumentException>(() => new BinaryCrossEntropyWithLogitsLoss<float>(weighted: true).Evaluate(new float[3], new float[3], gradient)).Message);
            Assert.Contains("reads 6 for 3", Assert.Throws<ArgumentException>(() => new HuberLoss<float>(weighted: true).Evaluate(new float[3], new float[4], gradient)).Message);
            Assert.Contains("reads 3 for 3", Assert.Throws<ArgumentException>(() => new HuberLoss<float>().Evaluate(new float[3], new float[4], gradient)).Message);
        }

        [Fact]
        public void Softmax_turns_logits_into_probabilities()
        {
            var random = new Random(8);
            for (int round = 0; round < 50; round++)
            {
                double[] z = Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (random.NextDouble() - 0.5) * 20).ToArray();
                double[] expected = PlainSoftmaxCrossEntropy.Probabilities(z);
                var p = new double[z.Length];
                SoftmaxCrossEntropyLoss<double>.Softmax(z, p);
                for (int k = 0; k < z.Length; k++)
                {
                    Assert.True(Math.Abs(expected[k] - p[k]) <= 1e-14, $"p[{k}] = {p[k]}, plainly {expected[k]}");
                }

                // In place.
                SoftmaxCrossEntropyLoss<double>.Softmax(z, z);
                Assert.Equal(p, z);
            }

            // Logits whose exponentials overflow.
            var large = new float[] { 1000, 0, 1000 };
            SoftmaxCrossEntropyLoss<float>.Softmax(large, large);
            Assert.Equal(new[] { 0.5f, 0, 0.5f }, large);

            var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropyLoss<float>.Softmax(new float[3], new float[2]));
            Assert.Equal("probabilities", e.ParamName);
            Assert.Contains("length 2", e.Message);
            Assert.Contains("length 3", e.Message);
        }

        [Fact]
        public void IsCorrect_compares_the_largest_logit_with_the_class()
        {
            var indexed = new SoftmaxCrossEntropyLoss<float>(classIndex: true);
            Assert.True(indexed.IsCorrect(new float[] { -1, 4, 2 }, new float[] { 1 }));
            Assert.False(indexed.IsCorrect(new float[] { -1, 4, 2 }, new float[] { 2 }));
            var probabilities = new SoftmaxCrossEntropyLoss<float>();
            Assert.True(probabilities.IsCorrect(new float[] { -1, 4, 2 }, new float[] { 0.1f, 0.8f, 0.1f }));
            Assert.False(probabilities.IsCorrect(new float[] { 5, 4, 2 }, new float[] { 0, 1, 0 }));
        }

        [Fact]
        public void Evaluate_and_Accumulate_with_it_allocate_nothing()
        {
            var loss = new SoftmaxCrossEntropyLoss<float>(classIndex: true, labelSmoothing: 0.1, classWeights: Enumerable.Repeat(1.0, 10).ToArray());
            var net = new DigitsLogitsNet();
            float[] x = new float[64], t = { 7 }, gradient = new float[10], z = new float[10];
            float[] inputs = new float[64 * 40], targets = Enumerable.Range(0, 40).Select(i => (float)(i % 10)).ToArray();
            void Run()
            {
                loss.Evaluate(z, t, gradient);
                net.Accumulate(x, t, loss);
                net.AccumulateBatch(inputs, targets, loss);
                SoftmaxCrossEntropyLoss<float>.Softmax(z, gradient);
            }

            Run();
            Assert.Equal(0, Allocations.Least(Run));
        }

        // Random target probabilities summing to 1, one of them 0.
        private static double[] SoftTarget(Random random)
        {
            double[] t = Enumerable.Range(0, Classes).Select(_ => random.NextDouble()).ToArray();
            t[random.Next(Classes)] = 0;
            double sum = t.Sum();
            return t.Select(v => v / sum).ToArray();
        }

        // A one-hot dataset with each target replaced by its class index.
        private static Dataset<float> ClassIndices(Dataset<float> data)
        {
            float[] labels = Enumerable.Range(0, data.Count).Select(i => (float)Numbers.ArgMax(data.Target(i))).ToArray();
            return new Dataset<float>(data.Inputs.ToArray(), labels, data.InputCount, 1);
        }

        /// <summary>−ln p_y over probabilities (a softmax output), with the gradient −1 / p_y written plainly: what the loss over logits is for.</summary>
        private sealed class ProbabilityCrossEntropy : LossFunction<float>
        {
            public override int TargetCount(int outputCount) => 1;

            public override float Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> outputGradient)
            {
                int y = (int)target[0];
                outputGradient[y] = -1 / output[y];
                return -MathF.Log(output[y]);
            }
        }
    }
}
