using System;
using NnGen.Testing;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    // A user's own member named Sizes: the extension must not clash with it (no NNG004, no ambiguity).
    [Network(Inputs = 3, Cost = Cost.SquaredError)]
    [Layer(5, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class NetWithOwnSizes
    {
        public string Sizes => "mine";
    }

    /// <summary>Sizes are constants on the type and readable from an instance.</summary>
    public sealed class SizesTests
    {
        // Constant contexts: these lines only compile while the sizes are constants.
        private const int SeedInputs = SeedNetF.InputCount;
        private const int SeedParameters = SeedNetF.ParameterCount;

        [Fact]
        public void The_constants_size_stack_buffers_and_constant_expressions()
        {
            Span<float> input = stackalloc float[SeedNetF.InputCount];
            Span<float> output = stackalloc float[SeedNetF.OutputCount];
            new SeedNetF().Forward(input, output);
            Assert.Equal(2, SeedInputs);
            Assert.Equal(3 * 2 + 3 + 4 * 3 + 4 + 2 * 4 + 2, SeedParameters);
        }

        [Fact]
        public void An_instance_reads_the_same_sizes_as_the_type()
        {
            var net = new MixedUnrolledVectorUnrolled();
            NetworkSizes sizes = net.Sizes();
            Assert.Equal(MixedUnrolledVectorUnrolled.InputCount, sizes.InputCount);
            Assert.Equal(MixedUnrolledVectorUnrolled.OutputCount, sizes.OutputCount);
            Assert.Equal(MixedUnrolledVectorUnrolled.ParameterCount, sizes.ParameterCount);
            Assert.Equal(net.Parameters.Length, sizes.ParameterCount);
            Assert.Equal(MixedUnrolledVectorUnrolled.Architecture.InputCount, sizes.InputCount);
            Assert.Equal(MixedUnrolledVectorUnrolled.Architecture.ParameterCount, sizes.ParameterCount);
        }

        [Fact]
        public void Generic_code_and_baked_networks_read_sizes_through_the_interface()
        {
            Assert.Equal(new NetworkSizes(2, 2, 35), SizesOf(new BakedSeedNetF()));
            Assert.Equal(new NetworkSizes(4, 3, 4 * 5 + 5 + 5 * 3 + 3), SizesOf(new BakedCrossEntropy()));
            Assert.Equal("2 inputs, 2 outputs, 35 parameters", new SeedNetF().Sizes().ToString());
        }

        [Fact]
        public void A_member_of_the_users_own_named_Sizes_wins_over_the_extension()
        {
            var net = new NetWithOwnSizes();
            Assert.Equal("mine", net.Sizes);
            Assert.Equal(new NetworkSizes(3, 2, 3 * 5 + 5 + 5 * 2 + 2), ((INetwork<float>)net).Sizes());
        }

        [Fact]
        public void A_null_network_is_an_ArgumentNullException()
        {
            IInferenceNetwork<float>? net = null;
            Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => net!.Sizes()).ParamName);
        }

        [Fact]
        public void Reading_sizes_allocates_nothing()
        {
            var net = new SeedNetF();
            int sum = net.Sizes().ParameterCount;
            int windows = 0;
            Assert.Equal(0, Allocations.Least(() =>
            {
                windows++;
                for (int i = 0; i < 100; i++)
                {
                    sum += net.Sizes().ParameterCount;
                }
            }));
            Assert.Equal(((100 * windows) + 1) * 35, sum);
        }

        private static NetworkSizes SizesOf<T>(IInferenceNetwork<T> network) where T : unmanaged => network.Sizes();
    }
}
