using System;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Finite gradients whose update still overflows: a parameter past its type's range, or Adam's second moment past
    /// double's. <see cref="Optimizer.Step{T}"/> and the Trainer refuse the step and leave the parameters and the
    /// optimiser's state as they were, so that a training loop of one's own can catch the error and go on.
    /// </summary>
    public sealed class OptimizerOverflowTests
    {
        private const string Refused = "a parameter or the optimiser's state after the update is not a finite number";

        private static Optimizer Make(string kind) => kind switch
        {
            "sgd" => Optimizer.Sgd(),
            "sgd-decay" => Optimizer.Sgd(weightDecay: 0.01),
            "momentum" => Optimizer.Momentum(),
            _ => Optimizer.Adam(),
        };

        // badGradient is the output gradient of the refused step and learningRate its rate (the other steps take 0.05),
        // each one finite: 1e30 × η = 1e10 is beyond float's
        // 3.4e38; 1e300 × 1e10 beyond double's 1.8e308; Adam's step is about η whatever g is, but its second moment
        // (1 − β2) g² with g = 1e200 is 1e397, so only its state overflows (the parameters would stay finite, and every
        // later step of those parameters would be 0 for good).
        [Theory]
        [InlineData("sgd", 1e30, 1e10)]
        [InlineData("sgd-decay", 1e30, 1e10)]
        [InlineData("momentum", 1e30, 1e10)]
        public void A_float_step_past_floats_range_is_refused_and_changes_nothing(string kind, double badGradient, double learningRate)
        {
            var net = new TorchLikeNet();
            var twin = new TorchLikeNet();
            AssertRefusedAndLoopGoesOn<float>(net, twin, Make(kind), Make(kind), (float)badGradient, learningRate, new float[] { 0.4f, -0.1f, 0.3f, 0.2f });
        }

        [Theory]
        [InlineData("sgd", 1e300, 1e10)]
        [InlineData("momentum", 1e300, 1e10)]
        [InlineData("adam", 1e200, 0.05)]
        public void A_double_step_past_doubles_range_is_refused_and_changes_nothing(string kind, double badGradient, double learningRate)
        {
            var net = new TinyNet();
            var twin = new TinyNet();
            AssertRefusedAndLoopGoesOn<double>(net, twin, Make(kind), Make(kind), badGradient, learningRate, new[] { 0.4, -0.1 });
        }

        private static void AssertRefusedAndLoopGoesOn<T>(INetwork<T> net, INetwork<T> twin, Optimizer optimizer, Optimizer twinOptimizer, T badGradient, double learningRate, T[] input)
            where T : unmanaged, IEquatable<T>
        {
            net.InitializeParameters(5);
            twin.InitializeParameters(5);
            T[] good = Fill<T>(net.OutputCount, 0.5), other = Fill<T>(net.OutputCount, -0.3);

            // One good step on both, so that momentum and Adam hold state and Adam has counted a step.
            const double goodRate = 0.05;
            net.AccumulateGradient(input, good);
            optimizer.Step(net, goodRate);
            twin.AccumulateGradient(input, good);
            twinOptimizer.Step(twin, goodRate);
            T[] before = net.Parameters.ToArray();

            T[] bad = Fill<T>(net.OutputCount, 0.1);
            bad[0] = badGradient;
            net.AccumulateGradient(input, bad);
            Assert.True(double.IsFinite(Numbers.MaxAbsOrNaN<T>(net.Gradients)), "the test's gradient must be finite");

            TrainingDivergedException error = Assert.Throws<TrainingDivergedException>(() => optimizer.Step(net, learningRate));

            Assert.Contains(Refused, error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
            Assert.Equal(0, net.AccumulatedSamples);
            Assert.All(net.Gradients.ToArray(), g => Assert.True(g.Equals(default)));

            // The loop goes on as if the bad sample had never come: the velocity, the moments and Adam's step count were
            // not touched either, so the two networks stay equal bit for bit.
            for (int step = 0; step < 3; step++)
            {
                net.AccumulateGradient(input, other);
                optimizer.Step(net, goodRate);
                twin.AccumulateGradient(input, other);
                twinOptimizer.Step(twin, goodRate);
            }

            Assert.Equal(twin.Parameters.ToArray(), net.Parameters.ToArray());
        }

        private static T[] Fill<T>(int count, double value)
            where T : unmanaged
        {
            var values = new T[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = Numbers.FromDouble<T>(value * (i + 1));
            }

            return values;
        }

        // The Trainer with Adam, and a loss whose gradient is finite but so large that the second moment overflows: the
        // run stops at that batch with the parameters of the batch before. Before, the moments went infinite silently
        // and those parameters never moved again.
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void The_trainer_refuses_an_adam_step_whose_moments_overflow(int threads)
        {
            var inputs = new double[24 * 2];
            var targets = new double[24 * 2];
            var random = new Random(3);
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = random.NextDouble() - 0.5;
                targets[i] = random.NextDouble() - 0.5;
            }

            targets[(20 * 2) + 1] = 1e200; // sample 20, in the third batch of 8 (no shuffle)
            var data = new Dataset<double>(inputs, targets, 2, 2);
            var net = new TinyNet();
            net.InitializeParameters(7);
            var reference = new TinyNet();
            reference.InitializeParameters(7);
            var loss = new ScaledGradientLoss();
            var options = new TrainerOptions { Epochs = 1, BatchSize = 8, Shuffle = false, LearningRate = 0.01, Optimizer = Optimizer.Adam(), Threads = threads };

            var error = Assert.Throws<TrainingDivergedException>(() => new Trainer<double>(net, options, loss).Train(data));

            Assert.Equal((1, 3), (error.Epoch, error.Batch));
            Assert.Contains(Refused, error.Message, StringComparison.Ordinal);
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0.0, g));

            // The parameters are those after the first two batches, as a run over just those 16 samples leaves them.
            var firstTwo = new Dataset<double>(inputs.AsSpan(0, 16 * 2).ToArray(), targets.AsSpan(0, 16 * 2).ToArray(), 2, 2);
            new Trainer<double>(reference, options, loss).Train(firstTwo);
            Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
        }

        // ½ Σ (a − t)² with a small loss but the raw difference as its gradient: t = 1e200 gives a finite gradient of
        // −1e200 and, to keep the loss finite, a loss that counts only the sign of each difference.
        private sealed class ScaledGradientLoss : LossFunction<double>
        {
            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient)
            {
                double loss = 0;
                for (int k = 0; k < output.Length; k++)
                {
                    outputGradient[k] = output[k] - target[k];
                    loss += Math.Abs(Math.Sign(outputGradient[k]));
                }

                return loss;
            }
        }
    }
}
