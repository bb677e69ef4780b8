using System;
using System.Linq;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>Step is minibatch SGD: p ← p − (η / M) Σ ∇p C[i] over the M accumulated samples.</summary>
    public sealed class StepTests
    {
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Step_after_a_minibatch_applies_the_averaged_update(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 3);
            double[] before = net.Parameters.ToArray();
            var reference = new ReferenceMlp(@case.Spec, before);

            const int M = 7;
            const double LearningRate = 0.3;
            var random = new Random(17);
            var sum = new double[before.Length];
            for (int s = 0; s < M; s++)
            {
                double[] x = Samples.Input(@case.Spec, random);
                double[] t = Samples.Target(@case.Spec, random);
                net.Accumulate(x, t);
                double[] g = reference.Gradient(x, t);
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += g[i];
                }
            }

            Assert.Equal(M, net.AccumulatedSamples);
            net.Step(LearningRate);

            for (int i = 0; i < before.Length; i++)
            {
                double expected = before[i] - (LearningRate / M * sum[i]);
                Assert.True(Math.Abs(expected - net.Parameters[i]) <= 1e-12, $"parameter {i}: expected {expected:R}, got {net.Parameters[i]:R}");
            }

            Assert.Equal(0, net.AccumulatedSamples);
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0.0, g));
        }

        [Fact]
        public void Float_step_applies_the_averaged_update()
        {
            var net = new SeedNetF();
            NetSpec spec = Catalog.Single[nameof(SeedNetF)].Spec;
            Samples.Randomize(net, spec, seed: 4);
            float[] before = net.Parameters.ToArray();
            var random = new Random(5);
            for (int s = 0; s < 4; s++)
            {
                net.Accumulate(Samples.Convert<float>(Samples.Input(spec, random)), Samples.Convert<float>(Samples.Target(spec, random)));
            }

            float[] sum = net.Gradients.ToArray();
            net.Step(0.5f);

            for (int i = 0; i < before.Length; i++)
            {
                Assert.Equal(before[i] - (0.5f / 4 * sum[i]), net.Parameters[i], 6);
            }
        }

        [Fact]
        public void Step_with_no_accumulated_samples_changes_nothing()
        {
            var net = new SeedNetD();
            double[] before = net.Parameters.ToArray();
            net.Step(0.1);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void Clear_gradients_zeroes_the_sum_and_the_count()
        {
            var net = new SeedNetD();
            net.Accumulate(new[] { 0.3, -0.2 }, new[] { 0.5, 0.1 });
            Assert.Contains(net.Gradients.ToArray(), g => g != 0);

            net.ClearGradients();

            Assert.Equal(0, net.AccumulatedSamples);
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0.0, g));
        }

        [Fact]
        public void Training_lowers_the_loss()
        {
            var net = new SeedNetD();
            net.InitializeParameters(1);
            double[][] xs = Enumerable.Range(0, 32).Select(i => new[] { (i % 8 / 4.0) - 1, (i / 8 / 2.0) - 1 }).ToArray();
            double[][] ts = xs.Select(x => new[] { x[0] * x[1], Math.Sin(x[0]) }).ToArray();
            double MeanLoss() => xs.Select((x, i) => net.Loss(x, ts[i])).Average();

            double initial = MeanLoss();
            for (int epoch = 0; epoch < 300; epoch++)
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    net.Accumulate(xs[i], ts[i]);
                }

                net.Step(0.1);
            }

            Assert.True(MeanLoss() < initial / 5, $"loss went from {initial} to {MeanLoss()}");
        }
    }
}
