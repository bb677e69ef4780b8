using System;
using System.Linq;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>InitializeParameters follows spec §5 and is reproducible bit for bit.</summary>
    public sealed class InitializationTests
    {
        [Fact]
        public void Same_seed_gives_the_same_bits_and_another_seed_does_not()
        {
            var a = new CrossEntropyDeepHiddenSoftmax();
            var b = new CrossEntropyDeepHiddenSoftmax();
            a.InitializeParameters(42);
            b.InitializeParameters(42);
            Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());

            b.InitializeParameters(43);
            Assert.NotEqual(a.Parameters.ToArray(), b.Parameters.ToArray());
        }

        [Fact]
        public void A_new_instance_holds_the_parameters_of_seed_zero()
        {
            var fresh = new SeedNetD();
            var seeded = new SeedNetD();
            seeded.InitializeParameters(7);
            seeded.InitializeParameters(0);
            Assert.Equal(seeded.Parameters.ToArray(), fresh.Parameters.ToArray());
        }

        [Fact]
        public void Float_and_double_networks_with_the_same_seed_start_alike()
        {
            var single = new SeedNetF();
            var @double = new SeedNetD();
            single.InitializeParameters(9);
            @double.InitializeParameters(9);
            Assert.Equal(@double.Parameters.ToArray().Select(p => (float)p), single.Parameters.ToArray());
        }

        [Fact]
        public void Initialization_clears_the_gradients()
        {
            var net = new SeedNetD();
            net.Accumulate(new[] { 0.3, -0.2 }, new[] { 0.5, 0.1 });
            net.InitializeParameters(1);
            Assert.Equal(0, net.AccumulatedSamples);
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0.0, g));
        }

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Weights_lie_within_each_layer_bound_and_biases_are_zero(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            net.InitializeParameters(123);
            double[] p = net.Parameters.ToArray();

            int at = 0;
            for (int l = 0; l < @case.Spec.Layers.Length; l++)
            {
                RefLayer layer = @case.Spec.Layers[l];
                int fanIn = @case.Spec.FanIn(l);
                double bound = ExpectedBound(layer.Activation, fanIn, layer.Size);
                double[] weights = p.Skip(at).Take(layer.Size * fanIn).ToArray();
                at += weights.Length;
                double[] biases = p.Skip(at).Take(layer.Size).ToArray();
                at += biases.Length;

                Assert.All(weights, w => Assert.InRange(w, -bound, bound));
                Assert.All(biases, b => Assert.Equal(0.0, b));
                Assert.True(weights.Distinct().Count() == weights.Length, $"layer {l + 1} has repeated weights");
            }
        }

        [Fact]
        public void Wide_layers_fill_their_bound_uniformly()
        {
            // 5 × 4 + 4 × 2 weights are too few for statistics; draw many seeds of one network instead.
            var net = new MeanReluReluIdentity();
            double bound = ExpectedBound(Activation.Relu, 3, 5);
            var weights = Enumerable.Range(0, 400).SelectMany(seed =>
            {
                net.InitializeParameters(seed);
                return net.Parameters.Slice(0, 15).ToArray();
            }).ToArray();

            double mean = weights.Average();
            double variance = weights.Select(w => (w - mean) * (w - mean)).Average();
            Assert.InRange(mean, -0.05 * bound, 0.05 * bound);
            Assert.InRange(variance, 0.95 * bound * bound / 3, 1.05 * bound * bound / 3);
            Assert.True(weights.Max() > 0.99 * bound && weights.Min() < -0.99 * bound);
        }

        // Spec §5: He for Relu and Elu, 4 × Xavier for Logistic, Xavier otherwise.
        private static double ExpectedBound(Activation activation, int fanIn, int fanOut) => activation switch
        {
            Activation.Relu or Activation.Elu => Math.Sqrt(6.0 / fanIn),
            Activation.Logistic => 4 * Math.Sqrt(6.0 / (fanIn + fanOut)),
            _ => Math.Sqrt(6.0 / (fanIn + fanOut)),
        };
    }
}
