using System;
using System.Linq;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>Loss(input, target, output) is Forward and Loss in one pass: the same bits as each alone.</summary>
    public sealed class LossWithOutputTests
    {
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Double_loss_and_output_are_the_bits_of_Loss_and_Forward(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(41);
            INetwork<double> net = @case.Create();
            Networks.Samples.Randomize(net, @case.Spec, seed: 3);
            for (int s = 0; s < 5; s++)
            {
                double[] x = Networks.Samples.Input(@case.Spec, random), t = Networks.Samples.Target(@case.Spec, random);
                var expected = new double[net.OutputCount];
                net.Forward(x, expected);
                var output = new double[net.OutputCount];
                double loss = net.Loss(x, t, output);
                Assert.Equal(BitConverter.DoubleToInt64Bits(net.Loss(x, t)), BitConverter.DoubleToInt64Bits(loss));
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), output.Select(BitConverter.DoubleToInt64Bits));
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_loss_and_output_are_the_bits_of_Loss_and_Forward(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(42);
            INetwork<float> net = @case.Create();
            for (int s = 0; s < 5; s++)
            {
                float[] x = Networks.Samples.Convert<float>(Networks.Samples.Input(@case.Spec, random));
                float[] t = Networks.Samples.Convert<float>(Networks.Samples.Target(@case.Spec, random));
                var expected = new float[net.OutputCount];
                net.Forward(x, expected);
                var output = new float[net.OutputCount];
                float loss = net.Loss(x, t, output);
                Assert.Equal(BitConverter.SingleToInt32Bits(net.Loss(x, t)), BitConverter.SingleToInt32Bits(loss));
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), output.Select(BitConverter.SingleToInt32Bits));
            }
        }

        [Fact]
        public void A_wrong_output_length_is_rejected_naming_it_and_nothing_is_written()
        {
            var net = new SeedNetF();
            float[] output = { 7f, 7f, 7f };
            var error = Assert.Throws<ArgumentException>(() => net.Loss(new float[2], new float[2], output));
            Assert.Equal("output", error.ParamName);
            Assert.Contains("length 3", error.Message, StringComparison.Ordinal);
            Assert.Contains("length 2", error.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { 7f, 7f, 7f }, output);
        }

        [Fact]
        public void Loss_with_output_allocates_nothing()
        {
            var net = new CrossEntropyTanhSoftmax();
            var x = new double[4];
            var t = new double[] { 0, 1, 0 };
            var output = new double[3];
            AllocationTests.AssertNoAllocation(() => net.Loss(x, t, output));
        }
    }
}
