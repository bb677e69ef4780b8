using System;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>Bad arguments throw a clear exception and change nothing.</summary>
    public sealed class ArgumentTests
    {
        [Fact]
        public void Forward_rejects_a_short_input_naming_it_and_both_lengths()
        {
            var net = new SeedNetF();
            var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[1], new float[2]));
            Assert.Equal("input", error.ParamName);
            Assert.Contains("length 1", error.Message, StringComparison.Ordinal);
            Assert.Contains("length 2", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Forward_rejects_a_long_output_and_leaves_it_untouched()
        {
            var net = new SeedNetF();
            float[] output = { 7f, 7f, 7f };
            var error = Assert.Throws<ArgumentException>(() => net.Forward(new float[2], output));
            Assert.Equal("output", error.ParamName);
            Assert.Contains("length 3", error.Message, StringComparison.Ordinal);
            Assert.Contains("length 2", error.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { 7f, 7f, 7f }, output);
        }

        [Fact]
        public void Loss_rejects_a_wrong_target()
        {
            var net = new CrossEntropyTanhSoftmax();
            var error = Assert.Throws<ArgumentException>(() => net.Loss(new double[4], new double[2]));
            Assert.Equal("target", error.ParamName);
            Assert.Contains("length 2", error.Message, StringComparison.Ordinal);
            Assert.Contains("length 3", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1, 3)]
        [InlineData(4, 2)]
        [InlineData(4, 4)]
        [InlineData(0, 0)]
        public void Accumulate_rejects_wrong_lengths_and_changes_no_state(int inputLength, int targetLength)
        {
            var net = new CrossEntropyTanhSoftmax();
            net.Accumulate(new[] { 0.1, 0.2, 0.3, 0.4 }, new[] { 0.0, 1.0, 0.0 });
            double[] parameters = net.Parameters.ToArray();
            double[] gradients = net.Gradients.ToArray();

            var error = Assert.Throws<ArgumentException>(() => net.Accumulate(new double[inputLength], new double[targetLength]));

            Assert.Equal(inputLength != 4 ? "input" : "target", error.ParamName);
            Assert.Equal(parameters, net.Parameters.ToArray());
            Assert.Equal(gradients, net.Gradients.ToArray());
            Assert.Equal(1, net.AccumulatedSamples);
        }

        [Theory]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        [InlineData(-0.1)]
        public void Step_rejects_a_bad_learning_rate_and_changes_no_state(double learningRate)
        {
            var net = new SeedNetD();
            net.Accumulate(new[] { 0.3, -0.2 }, new[] { 0.5, 0.1 });
            double[] parameters = net.Parameters.ToArray();
            double[] gradients = net.Gradients.ToArray();

            var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.Step(learningRate));

            Assert.Equal("learningRate", error.ParamName);
            Assert.Equal(parameters, net.Parameters.ToArray());
            Assert.Equal(gradients, net.Gradients.ToArray());
            Assert.Equal(1, net.AccumulatedSamples);
        }
    }
}
