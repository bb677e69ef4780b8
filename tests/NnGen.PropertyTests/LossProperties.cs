using System;
using System.Linq;
using CsCheck;
using NnGen.Testing;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// SoftmaxCrossEntropyLoss over random class counts (2 to 300: its exponentials are kept on the stack up to 256 and
    /// computed again beyond), logit spreads up to 10⁴ (far past where e^z overflows or a probability rounds to 0), class
    /// indices, label smoothing and class weights: the loss is finite and at least 0, the gradient finite and summing to 0
    /// (Σ_j p_j W − w_j q_j = W − W), float within float's rounding of double, and where the exponentials stay in range,
    /// double equals PyTorch's definition written plainly; and BinaryCrossEntropyWithLogitsLoss the same way. Fixed seeds.
    /// </summary>
    public sealed class LossProperties
    {
        private static readonly Gen<(int Classes, double Spread, double Smoothing, bool Weighted, int Seed)> Cases =
            Gen.Select(Gen.Int[2, 300], Gen.Double[0.01, 10_000], Gen.Double[0, 0.5], Gen.Bool, Gen.Int[0, 1_000_000]);

        [Fact]
        public void Softmax_cross_entropy_stays_finite_and_follows_its_definition_at_any_logit_spread()
        {
            Cases.Sample(c => Check(c.Classes, c.Spread, c.Smoothing, c.Weighted, c.Seed), cases: 400, stream: 61);
        }

        private static readonly Gen<(int Labels, double Spread, bool Weighted, int Seed)> LabelCases =
            Gen.Select(Gen.Int[1, 40], Gen.Double[0.01, 10_000], Gen.Bool, Gen.Int[0, 1_000_000]);

        // BinaryCrossEntropyWithLogitsLoss likewise: finite, at least 0, |g_k| ≤ w_k max(1, P_k), float = double rounded once,
        // and PyTorch's definition where 1 − σ(z) keeps its digits (|z| < 25).
        [Fact]
        public void Binary_cross_entropy_with_logits_stays_finite_and_follows_its_definition_at_any_logit_spread()
        {
            LabelCases.Sample(c => CheckLabels(c.Labels, c.Spread, c.Weighted, c.Seed), cases: 400, stream: 62);
        }

        private static void CheckLabels(int labels, double spread, bool weighted, int seed)
        {
            var random = new Random(seed);
            float[] z = Enumerable.Range(0, labels).Select(_ => (float)((random.NextDouble() - 0.5) * spread)).ToArray();
            double[] zd = z.Select(v => (double)v).ToArray();
            double[] positiveWeights = Enumerable.Range(0, labels).Select(_ => 0.1 + (random.NextDouble() * 5)).ToArray();
            double[] t = Enumerable.Range(0, labels).Select(_ => random.Next(3) == 0 ? Math.Round(random.NextDouble(), 3) : random.Next(2)).ToArray();
            double[]? w = weighted ? Enumerable.Range(0, labels).Select(_ => random.Next(4) == 0 ? 0 : Math.Round(random.NextDouble() * 3, 3)).ToArray() : null;
            double[] target = w is null ? t : t.Concat(w).ToArray();

            var g = new float[labels];
            var gd = new double[labels];
            float loss = new BinaryCrossEntropyWithLogitsLoss<float>(weighted, positiveWeights).Evaluate(z, target.Select(v => (float)v).ToArray(), g);
            double lossd = new BinaryCrossEntropyWithLogitsLoss<double>(weighted, positiveWeights).Evaluate(zd, target.Select(v => (double)(float)v).ToArray(), gd);

            Assert.True(float.IsFinite(loss) && loss >= 0, $"loss {loss:R}");
            Assert.True(Math.Abs(loss - lossd) <= 1e-6 * Math.Max(1, lossd), $"float loss {loss:R}, double {lossd:R}");
            for (int k = 0; k < labels; k++)
            {
                Assert.Equal((double)(float)gd[k], g[k]);
                double bound = (w is null ? 1 : (float)w[k]) * Math.Max(1, positiveWeights[k]) * (1 + 1e-12);
                Assert.True(Math.Abs(gd[k]) <= bound, $"g[{k}] = {gd[k]:R}, beyond {bound:R}");
            }

            if (spread < 50)
            {
                double[] tf = t.Select(v => (double)(float)v).ToArray();
                double[]? wf = w?.Select(v => (double)(float)v).ToArray();
                double expected = PlainBinaryCrossEntropyWithLogits.Value(zd, tf, wf, positiveWeights, out double[] expectedGradient);
                Assert.True(Math.Abs(expected - lossd) <= 1e-8 * Math.Max(1, expected), $"loss {lossd:R}, PyTorch's {expected:R}");
                for (int k = 0; k < labels; k++)
                {
                    Assert.True(Math.Abs(expectedGradient[k] - gd[k]) <= 1e-12 * Math.Max(1, Math.Abs(expectedGradient[k])), $"g[{k}] = {gd[k]:R}, PyTorch's {expectedGradient[k]:R}");
                }
            }
        }

        private static void Check(int classes, double spread, double smoothing, bool weighted, int seed)
        {
            var random = new Random(seed);
            float[] z = Enumerable.Range(0, classes).Select(_ => (float)((random.NextDouble() - 0.5) * spread)).ToArray();
            double[] zd = z.Select(v => (double)v).ToArray();
            double[]? weights = weighted ? Enumerable.Range(0, classes).Select(_ => random.NextDouble() * 3).ToArray() : null;
            int label = random.Next(classes);

            var single = new SoftmaxCrossEntropyLoss<float>(classIndex: true, smoothing, weights);
            var precise = new SoftmaxCrossEntropyLoss<double>(classIndex: true, smoothing, weights);
            var g = new float[classes];
            var gd = new double[classes];
            float loss = single.Evaluate(z, new float[] { label }, g);
            double lossd = precise.Evaluate(zd, new double[] { label }, gd);

            Assert.True(float.IsFinite(loss) && loss >= 0, $"loss {loss:R}");
            Assert.True(Math.Abs(loss - lossd) <= 1e-6 * Math.Max(1, lossd), $"float loss {loss:R}, double {lossd:R}");
            double weightSum = 0;
            for (int k = 0; k < classes; k++)
            {
                weightSum += (weights?[k] ?? 1) * (((1 - smoothing) * (k == label ? 1 : 0)) + (smoothing / classes));
            }

            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                Assert.True(float.IsFinite(g[k]), $"g[{k}] = {g[k]:R}");
                Assert.Equal((double)(float)gd[k], g[k]);   // computed in double, rounded once
                sum += gd[k];
            }

            Assert.True(Math.Abs(sum) <= 1e-12 * Math.Max(1, weightSum), $"Σ g = {sum:R}");

            // Where e^z neither overflows nor underflows, PyTorch's definition computed directly.
            if (spread < 600)
            {
                double expected = PlainSoftmaxCrossEntropy.Value(zd, label, weights, smoothing, out double[] expectedGradient);
                Assert.True(Math.Abs(expected - lossd) <= 1e-11 * Math.Max(1, expected), $"loss {lossd:R}, PyTorch's {expected:R}");
                for (int k = 0; k < classes; k++)
                {
                    Assert.True(Math.Abs(expectedGradient[k] - gd[k]) <= 1e-12 * Math.Max(1, weightSum), $"g[{k}] = {gd[k]:R}, PyTorch's {expectedGradient[k]:R}");
                }
            }
        }
    }
}
