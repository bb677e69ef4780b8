using System;
using System.Linq;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

using static NnGen.Tests.Tolerance;

namespace NnGen.Tests
{
    /// <summary>
    /// Gradients in, gradients out (spec §6.1): AccumulateGradient, InputGradient and Accumulate with an input
    /// gradient, on every catalog network (every activation at the output, both shapes, mixed networks),
    /// against central finite differences of a loss the test makes up, against the plain reference MLP, against
    /// Accumulate with the declared cost, and chained.
    /// </summary>
    public sealed class CustomLossTests
    {
        private const double Step = 1e-5;

        // C = g · a(L) for a random g: its gradient with respect to a(L) is g, so the network's gradients must be
        // the finite differences of g · Forward(x), with respect to the parameters and to the input.
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Gradients_of_a_custom_loss_match_finite_differences(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(name.Length * 7919);
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 21);
            double[] x = Samples.Input(@case.Spec, random);
            double[] g = Enumerable.Range(0, net.OutputCount).Select(_ => (random.NextDouble() * 2) - 1).ToArray();

            net.ClearGradients();
            var inputGradient = new double[net.InputCount];
            net.AccumulateGradient(x, g, inputGradient);
            double[] analytic = net.Gradients.ToArray();
            Assert.Equal(1, net.AccumulatedSamples);

            double Loss(double[] input)
            {
                var y = new double[net.OutputCount];
                net.Forward(input, y);
                return y.Select((v, k) => v * g[k]).Sum();
            }

            AssertMatchesFiniteDifferences(net, analytic, () => Loss(x), name);

            for (int j = 0; j < x.Length; j++)
            {
                double saved = x[j];
                x[j] = saved + Step;
                double plus = Loss(x);
                x[j] = saved - Step;
                double minus = Loss(x);
                x[j] = saved;
                AssertNear((plus - minus) / (2 * Step), inputGradient[j], $"{name}, input {j}");
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Gradients_of_a_custom_loss_agree_with_the_reference(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(17);
            INetwork<double> net = @case.Create();
            for (int trial = 0; trial < 3; trial++)
            {
                Samples.Randomize(net, @case.Spec, seed: 40 + trial);
                var reference = new ReferenceMlp(@case.Spec, net.Parameters);
                double[] x = Samples.Input(@case.Spec, random);
                double[] g = Enumerable.Range(0, net.OutputCount).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
                (double[] parameters, double[] input) = reference.Backpropagate(x, g);

                net.ClearGradients();
                net.AccumulateGradient(x, g);
                AssertClose(parameters, net.Gradients.ToArray(), 1e-11, $"{name} AccumulateGradient");

                net.ClearGradients();
                var inputGradient = new double[net.InputCount];
                net.AccumulateGradient(x, g, inputGradient);
                AssertClose(parameters, net.Gradients.ToArray(), 1e-11, $"{name} AccumulateGradient with the input gradient");
                AssertClose(input, inputGradient, 1e-11, $"{name} input gradient");

                // InputGradient: the same ∂C/∂a(0), and the sums and the count untouched.
                double[] before = net.Gradients.ToArray();
                var alone = new double[net.InputCount];
                net.InputGradient(x, g, alone);
                AssertClose(input, alone, 1e-11, $"{name} InputGradient");
                Assert.Equal(before, net.Gradients.ToArray());
                Assert.Equal(1, net.AccumulatedSamples);

                // Accumulate with the declared cost, and its input gradient.
                double[] t = Samples.Target(@case.Spec, random);
                (double[] costParameters, double[] costInput) = reference.Backpropagate(x, ReferenceMlp.CostGradient(@case.Spec.Cost, reference.Output(x), t));
                net.ClearGradients();
                var costInputGradient = new double[net.InputCount];
                double loss = net.Accumulate(x, t, costInputGradient);
                Assert.Equal(net.Loss(x, t), loss, 12);
                AssertClose(costParameters, net.Gradients.ToArray(), 1e-11, $"{name} Accumulate with the input gradient");
                AssertClose(costInput, costInputGradient, 1e-11, $"{name} cost input gradient");
            }
        }

        // AccumulateGradient with g = ∂C/∂a(L) of the declared cost is Accumulate.
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void AccumulateGradient_with_the_cost_gradient_equals_Accumulate(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(29);
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 3);
            double[] x = Samples.Input(@case.Spec, random);
            double[] t = Samples.Target(@case.Spec, random);

            net.ClearGradients();
            net.Accumulate(x, t);
            double[] expected = net.Gradients.ToArray();

            var a = new double[net.OutputCount];
            net.Forward(x, a);
            net.ClearGradients();
            net.AccumulateGradient(x, ReferenceMlp.CostGradient(@case.Spec.Cost, a, t));
            AssertClose(expected, net.Gradients.ToArray(), 1e-11, name);
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_networks_agree_with_the_reference_to_float_precision(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(31);
            INetwork<float> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 2);
            var reference = new ReferenceMlp(@case.Spec, Samples.ToDouble<float>(net.Parameters));
            double[] x = Samples.Input(@case.Spec, random);
            double[] g = Enumerable.Range(0, net.OutputCount).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            (double[] parameters, double[] input) = reference.Backpropagate(x, g);

            net.ClearGradients();
            var inputGradient = new float[net.InputCount];
            net.AccumulateGradient(Samples.Convert<float>(x), Samples.Convert<float>(g), inputGradient);
            AssertClose(parameters, Samples.ToDouble<float>(net.Gradients), 1e-4, $"{name} gradient");
            AssertClose(input, Samples.ToDouble<float>(inputGradient), 1e-4, $"{name} input gradient");
        }

        // 2-3-4-2 split into A = 2-3 and B = 3-4-2: B's input gradient passed to A as A's output gradient gives the
        // pair exactly the gradients of the whole network.
        [Fact]
        public void A_chained_pair_has_the_gradients_of_the_whole_network()
        {
            var whole = new SeedNetD();
            whole.InitializeParameters(9);
            var first = new SeedNetFirstLayer();
            var rest = new SeedNetLastLayers();
            int split = (2 * 3) + 3;
            whole.Parameters.Slice(0, split).CopyTo(first.Parameters);
            whole.Parameters.Slice(split).CopyTo(rest.Parameters);

            var random = new Random(4);
            for (int sample = 0; sample < 5; sample++)
            {
                double[] x = { random.NextDouble() - 0.5, random.NextDouble() - 0.5 };
                double[] t = { random.NextDouble(), random.NextDouble() };
                double wholeLoss = whole.Accumulate(x, t);

                var hidden = new double[3];
                first.Forward(x, hidden);
                var hiddenGradient = new double[3];
                double restLoss = rest.Accumulate(hidden, t, hiddenGradient);
                first.AccumulateGradient(x, hiddenGradient);
                Assert.Equal(wholeLoss, restLoss, 12);
            }

            double[] pair = first.Gradients.ToArray().Concat(rest.Gradients.ToArray()).ToArray();
            double[] expected = whole.Gradients.ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - pair[i]) <= 1e-12, $"parameter {i}: whole {expected[i]:R}, chained {pair[i]:R}");
            }

            Assert.Equal(5, first.AccumulatedSamples);
            Assert.Equal(5, rest.AccumulatedSamples);
        }

        [Fact]
        public void Wrong_lengths_throw_naming_the_argument_and_change_nothing()
        {
            var net = new SeedNetD();
            net.InitializeParameters(1);
            double[] parameters = net.Parameters.ToArray();
            double[] x = { 0.1, 0.2 }, g = { 1, -1 };

            ArgumentException e = Assert.Throws<ArgumentException>(() => net.AccumulateGradient(x, new double[3]));
            Assert.Equal("outputGradient", e.ParamName);
            e = Assert.Throws<ArgumentException>(() => net.AccumulateGradient(x, g, new double[1]));
            Assert.Equal("inputGradient", e.ParamName);
            Assert.Contains("2", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => net.InputGradient(new double[3], g, new double[2]));
            Assert.Equal("input", e.ParamName);
            e = Assert.Throws<ArgumentException>(() => net.Accumulate(x, g, new double[5]));
            Assert.Equal("inputGradient", e.ParamName);

            Assert.Equal(parameters, net.Parameters.ToArray());
            Assert.All(net.Gradients.ToArray(), v => Assert.Equal(0.0, v));
            Assert.Equal(0, net.AccumulatedSamples);
        }

        /// <summary>Each parameter's gradient in <paramref name="analytic"/> against central differences of <paramref name="loss"/>.</summary>
        internal static void AssertMatchesFiniteDifferences(INetwork<double> net, double[] analytic, Func<double> loss, string name)
        {
            Span<double> p = net.Parameters;
            for (int i = 0; i < p.Length; i++)
            {
                double saved = p[i];
                p[i] = saved + Step;
                double plus = loss();
                p[i] = saved - Step;
                double minus = loss();
                p[i] = saved;
                AssertNear((plus - minus) / (2 * Step), analytic[i], $"{name}, parameter {i}");
            }
        }

        private static void AssertNear(double numeric, double analytic, string what)
        {
            double tolerance = 1e-7 + (1e-6 * Math.Max(Math.Abs(numeric), Math.Abs(analytic)));
            Assert.True(Math.Abs(numeric - analytic) <= tolerance, $"{what}: backprop {analytic:R}, finite difference {numeric:R}");
        }
    }
}
