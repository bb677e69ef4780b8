using System;
using System.Linq;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// The generated backpropagation against central finite differences of the generated Loss, in
    /// double, for every network in the catalog (every activation, every cost, hidden softmax, depths 1–5).
    /// </summary>
    public sealed class GradientCheckTests
    {
        // Central differences: truncation error ~h², roundoff ~eps·|C|/h. 1e-5 balances the two for losses up to a few hundred.
        private const double Step = 1e-5;

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Accumulated_gradient_matches_finite_differences(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            // A seed from the name that is the same in every process (string.GetHashCode is randomised per process).
            var random = new Random(name.Aggregate(17, (hash, ch) => unchecked((hash * 31) + ch)) & 0x7fff);
            for (int trial = 0; trial < 3; trial++)
            {
                INetwork<double> net = @case.Create();
                Samples.Randomize(net, @case.Spec, seed: 100 + trial);
                double[] x = Samples.Input(@case.Spec, random);
                double[] t = Samples.Target(@case.Spec, random);

                double loss = net.Accumulate(x, t);
                double[] analytic = net.Gradients.ToArray();
                Assert.Equal(net.Loss(x, t), loss, 15);

                Span<double> p = net.Parameters;
                for (int i = 0; i < p.Length; i++)
                {
                    double saved = p[i];
                    p[i] = saved + Step;
                    double plus = net.Loss(x, t);
                    p[i] = saved - Step;
                    double minus = net.Loss(x, t);
                    p[i] = saved;

                    double numeric = (plus - minus) / (2 * Step);

                    // Truncation (~h²) and roundoff: each loss is a sum over the outputs, good to some hundred ulps of |C|,
                    // divided by 2h. A 300-way softmax with a soft target has |C| in the hundreds.
                    double roundoff = 256 * 2.2e-16 * Math.Abs(loss) / Step;
                    double tolerance = 1e-7 + roundoff + (1e-6 * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
                    Assert.True(
                        Math.Abs(numeric - analytic[i]) <= tolerance,
                        $"{name}, trial {trial}, parameter {i}: backprop {analytic[i]:R}, finite difference {numeric:R}");
                }
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Gradients_of_several_samples_add_up(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(7);
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 5);
            double[] x1 = Samples.Input(@case.Spec, random), t1 = Samples.Target(@case.Spec, random);
            double[] x2 = Samples.Input(@case.Spec, random), t2 = Samples.Target(@case.Spec, random);

            net.Accumulate(x1, t1);
            double[] first = net.Gradients.ToArray();
            net.ClearGradients();
            net.Accumulate(x2, t2);
            double[] second = net.Gradients.ToArray();
            net.ClearGradients();

            net.Accumulate(x1, t1);
            net.Accumulate(x2, t2);
            Assert.Equal(2, net.AccumulatedSamples);
            for (int i = 0; i < first.Length; i++)
            {
                // A tolerance, not "14 decimal places": rounding to places fails on a 1-ulp difference that
                // straddles a rounding boundary, and fused multiply-adds legitimately differ by an ulp.
                Assert.Equal(first[i] + second[i], net.Gradients[i], 1e-14 * Math.Max(1, Math.Abs(first[i] + second[i])));
            }
        }
    }
}
