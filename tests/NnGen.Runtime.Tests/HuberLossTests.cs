using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The ready-made <see cref="HuberLoss{T}"/>: its values and gradients against the definition written plainly (PlainHuber),
    /// against central differences of its own value, what it does in training (robust regression on iris with corrupted
    /// targets; a DQN-style update that only moves the taken action's outputs) and what it refuses.
    /// </summary>
    public sealed class HuberLossTests
    {
        [Fact]
        public void A_negative_weight_is_refused_with_nothing_changed()
        {
            var huber = new HuberLoss<float>(weighted: true);
            var net = new QNet();
            net.InitializeParameters(1);
            float[] x = { 0.1f, 0.2f, 0.3f };
            var e = Assert.Throws<ArgumentException>(() => net.Accumulate(x, new float[] { 0, 0, 1, 0, 0, 0, -1, 0 }, huber));
            Assert.Equal("target", e.ParamName);
            Assert.Contains("its weight 2 is -1", e.Message);
            Assert.Equal(0, net.AccumulatedSamples);
            Assert.Null(huber.CheckTarget(new float[] { 0, 0, 1, 0, 0, 0, 1, 0 }, 4));
            Assert.Null(new HuberLoss<float>().CheckTarget(new float[] { -5, 0, 1, 0 }, 4));
        }

        [Theory]
        [InlineData(1.0, false)]
        [InlineData(0.25, false)]
        [InlineData(0.25, true)]
        [InlineData(3.0, true)]
        public void Values_and_gradients_follow_the_definition_on_both_sides_of_delta(double delta, bool weighted)
        {
            var random = new Random(17);
            for (int round = 0; round < 200; round++)
            {
                int count = 1 + random.Next(6);
                double[] a = Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.5) * 8 * delta).ToArray();
                double[] t = Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.5) * 2 * delta).ToArray();
                if (round % 5 == 0)
                {
                    t[0] = a[0] - delta; // exactly on the kink
                }

                double[]? w = weighted ? Enumerable.Range(0, count).Select(k => k == 0 ? 0 : random.NextDouble() * 2).ToArray() : null;
                double expected = PlainHuber.Value(a, t, w, delta, out double[] expectedGradient);

                var huber = new HuberLoss<double>(delta, weighted);
                double[] target = w is null ? t : t.Concat(w).ToArray();
                Assert.Equal(target.Length, huber.TargetCount(count));
                var gradient = new double[count];
                double loss = huber.Evaluate(a, target, gradient);

                Assert.Equal(expected, loss, 12);
                for (int k = 0; k < count; k++)
                {
                    Assert.Equal(expectedGradient[k], gradient[k], 14);
                }

                // The same in float, within float's rounding of the inputs.
                var single = new HuberLoss<float>(delta, weighted);
                var singleGradient = new float[count];
                float singleLoss = single.Evaluate(a.Select(v => (float)v).ToArray(), target.Select(v => (float)v).ToArray(), singleGradient);
                Assert.Equal(expected, singleLoss, 3);
                for (int k = 0; k < count; k++)
                {
                    Assert.Equal(expectedGradient[k], singleGradient[k], 4);
                }
            }
        }

        [Fact]
        public void Hand_computed_values()
        {
            var huber = new HuberLoss<double>();
            var gradient = new double[3];

            // r = 0.3: ½ · 0.09 = 0.045; r = −3: 1 · (3 − ½) = 2.5; r = 1 (the kink): ½ from either side.
            double loss = huber.Evaluate(new[] { 1.3, -1.0, 2.0 }, new[] { 1.0, 2.0, 1.0 }, gradient);

            Assert.Equal(0.045 + 2.5 + 0.5, loss, 14);
            Assert.Equal(new[] { 0.3, -1.0, 1.0 }, gradient.Select(g => Math.Round(g, 14)).ToArray());
        }

        [Fact]
        public void Gradients_match_central_differences_of_the_value()
        {
            var random = new Random(5);
            var huber = new HuberLoss<double>(0.7, weighted: true);
            for (int round = 0; round < 100; round++)
            {
                double[] a = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() - 0.5) * 6).ToArray();
                double[] target = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() - 0.5) * 2)
                    .Concat(Enumerable.Range(0, 4).Select(_ => random.NextDouble())).ToArray();
                var gradient = new double[4];
                huber.Evaluate(a, target, gradient);
                for (int k = 0; k < 4; k++)
                {
                    if (Math.Abs(Math.Abs(a[k] - target[k]) - 0.7) < 1e-4)
                    {
                        continue; // the second derivative jumps at the kink; the first does not, but the difference quotient straddles it
                    }

                    const double step = 1e-6;
                    double saved = a[k];
                    a[k] = saved + step;
                    double plus = huber.Evaluate(a, target, new double[4]);
                    a[k] = saved - step;
                    double minus = huber.Evaluate(a, target, new double[4]);
                    a[k] = saved;
                    Assert.Equal((plus - minus) / (2 * step), gradient[k], 7);
                }
            }
        }

        [Fact]
        public void A_large_delta_trains_as_the_declared_half_squared_error()
        {
            // Within δ the loss is ½ Σ r² and its gradient a − t: the Trainer must then give HalfSquaredError's training.
            Dataset<double> data = Regression(40, seed: 3);
            var declared = new TinyNet();
            declared.InitializeParameters(2);
            var huber = new TinyNet();
            huber.InitializeParameters(2);
            var options = new TrainerOptions { Epochs = 5, BatchSize = 8, LearningRate = 0.1, Seed = 4 };

            TrainingResult a = new Trainer<double>(declared, options).Train(data);
            TrainingResult b = new Trainer<double>(huber, options, new HuberLoss<double>(1e6)).Train(data);

            double[] expected = declared.Parameters.ToArray(), actual = huber.Parameters.ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 12);
            }

            Assert.Equal(a.Last.Train.Loss, b.Last.Train.Loss, 12);
        }

        // Iris: petal width from petal length, a straight line (r ≈ 0.96). One training target in ten is in millimetres
        // instead of centimetres (the widths run 0.1–2.5 cm). The squared error's line moves towards those outliers; Huber's
        // hardly does.
        [Fact]
        public void Huber_fits_iris_through_corrupted_targets_where_the_squared_error_does_not()
        {
            (double[] length, double[] width) = LoadIrisPetals();
            var order = Enumerable.Range(0, length.Length).ToArray();
            var random = new Random(11);
            order = order.OrderBy(_ => random.Next()).ToArray();
            int[] train = order.Take(120).ToArray(), test = order.Skip(120).ToArray();
            double mean = train.Average(i => length[i]);
            double deviation = Math.Sqrt(train.Average(i => (length[i] - mean) * (length[i] - mean)));

            Dataset<double> Data(IEnumerable<int> rows, bool corrupt) =>
                new Dataset<double>(
                    rows.Select(i => (length[i] - mean) / deviation).ToArray(),
                    rows.Select((i, n) => corrupt && n % 10 == 0 ? width[i] * 10 : width[i]).ToArray(),
                    1,
                    1);

            double TestError(LossFunction<double>? loss, bool corrupt)
            {
                var net = new LineNet();
                net.InitializeParameters(1);
                var options = new TrainerOptions { Epochs = 300, BatchSize = 10, LearningRate = 0.05, Seed = 2 };
                new Trainer<double>(net, options, loss).Train(Data(train, corrupt));
                var y = new double[1];
                return test.Average(i =>
                {
                    net.Forward(new[] { (length[i] - mean) / deviation }, y);
                    return Math.Abs(y[0] - width[i]);
                });
            }

            double clean = TestError(null, corrupt: false);
            double squared = TestError(null, corrupt: true);
            double huber = TestError(new HuberLoss<double>(0.2), corrupt: true);

            // Mean absolute error on the 30 clean test flowers, in cm.
            Assert.True(clean < 0.2, $"clean fit {clean:F3}");
            Assert.True(huber < clean + 0.05, $"Huber {huber:F3} against the clean fit's {clean:F3}");
            Assert.True(squared > huber + 0.5, $"squared error {squared:F3} against Huber's {huber:F3}, clean {clean:F3}");
        }

        // A DQN step: the sample's target is the TD target on the action taken, with weight 1, and weight 0 elsewhere.
        // The output rows of actions never taken must not move, with one thread and two.
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void Weights_of_0_leave_the_actions_not_taken_as_they_were(int threads)
        {
            var random = new Random(8);
            const int samples = 64;
            var inputs = new float[samples * 3];
            var targets = new float[samples * 8];
            for (int s = 0; s < samples; s++)
            {
                for (int j = 0; j < 3; j++)
                {
                    inputs[(s * 3) + j] = (float)(random.NextDouble() - 0.5);
                }

                int action = random.Next(2) * 2; // actions 0 and 2 only
                targets[(s * 8) + action] = (float)(random.NextDouble() * 10); // far beyond δ = 1: the linear branch
                targets[(s * 8) + 4 + action] = 1;
            }

            var net = new QNet();
            net.InitializeParameters(3);
            float[] before = net.Parameters.ToArray();
            var options = new TrainerOptions { Epochs = 3, BatchSize = 16, LearningRate = 0.05, Seed = 1, Threads = threads };

            TrainingResult result = new Trainer<float>(net, options, new HuberLoss<float>(weighted: true)).Train(new Dataset<float>(inputs, targets, 3, 8));

            // Layer 2's W (4 × 8, row by row) and b follow layer 1's 8 × 3 + 8 = 32 values.
            float[] after = net.Parameters.ToArray();
            foreach (int action in new[] { 1, 3 })
            {
                for (int j = 0; j < 8; j++)
                {
                    Assert.Equal(before[32 + (action * 8) + j], after[32 + (action * 8) + j]);
                }

                Assert.Equal(before[32 + 32 + action], after[32 + 32 + action]);
            }

            Assert.NotEqual(before[32], after[32]);
            Assert.True(double.IsNaN(result.Last.Train.Accuracy), "a regression loss reports no accuracy");
            Assert.True(result.Last.Train.Loss < result.History[0].Train.Loss, "the loss did not fall");
        }

        [Fact]
        public void A_nan_output_gives_a_nan_loss_and_gradient()
        {
            var gradient = new double[2];
            double loss = new HuberLoss<double>().Evaluate(new[] { double.NaN, 0.5 }, new[] { 0.0, 0.0 }, gradient);
            Assert.True(double.IsNaN(loss));
            Assert.True(double.IsNaN(gradient[0]));
            Assert.Equal(0.5, gradient[1]);
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(-1.0)]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        public void A_delta_that_is_not_positive_and_finite_is_refused(double delta)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HuberLoss<float>(delta));
            Assert.Equal("delta", error.ParamName);
        }

        [Fact]
        public void Targets_of_the_wrong_length_are_refused_naming_the_loss()
        {
            var net = new QNet();
            net.InitializeParameters(1);
            float[] before = net.Parameters.ToArray();
            var data = new Dataset<float>(new float[3 * 4], new float[4 * 4], 3, 4); // values without their weights

            var error = Assert.ThrowsAny<ArgumentException>(() =>
                new Trainer<float>(net, new TrainerOptions { Epochs = 1 }, new HuberLoss<float>(weighted: true)).Train(data));

            Assert.Contains("loss function", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void Evaluate_allocates_nothing()
        {
            var huber = new HuberLoss<float>(0.5, weighted: true);
            float[] output = { 0.1f, 2f, -3f }, target = { 0f, 0f, 0f, 1f, 0.5f, 2f };
            var gradient = new float[3];
            huber.Evaluate(output, target, gradient);

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                huber.Evaluate(output, target, gradient);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }

        private static Dataset<double> Regression(int count, int seed)
        {
            var random = new Random(seed);
            double[] inputs = Enumerable.Range(0, count * 2).Select(_ => random.NextDouble() - 0.5).ToArray();
            double[] targets = Enumerable.Range(0, count).SelectMany(s => new[] { Math.Sin(3 * inputs[2 * s]) * 0.5, inputs[(2 * s) + 1] * inputs[2 * s] }).ToArray();
            return new Dataset<double>(inputs, targets, 2, 2);
        }

        private static (double[] Length, double[] Width) LoadIrisPetals()
        {
            string[] rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv")).Skip(1).Where(r => r.Length > 0).ToArray();
            Assert.Equal(150, rows.Length);
            double Column(string row, int column) => double.Parse(row.Split(',')[column], CultureInfo.InvariantCulture);
            return (rows.Select(r => Column(r, 2)).ToArray(), rows.Select(r => Column(r, 3)).ToArray());
        }
    }
}
