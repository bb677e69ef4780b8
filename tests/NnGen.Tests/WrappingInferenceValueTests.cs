using System;
using System.Linq;
using System.Reflection;
using NnGen.Testing;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// Every network with ToInference also has ToInferenceValue, so code that uses it keeps compiling when a layer grows past
    /// what a value's fields hold, or when the project also targets netstandard2.1. Where the weights do not fit, the value
    /// holds an Inference snapshot and forwards to it: its outputs must be the snapshot's to the bit, it must check its
    /// spans, stay a copy, allocate nothing, and say clearly what is wrong with default(InferenceValue). Compiled against
    /// both runtimes (on netstandard2.1 every value wraps its snapshot).
    /// </summary>
    public class WrappingInferenceValueTests
    {
        /// <summary>Whether an InferenceValue type holds an Inference snapshot rather than the weights themselves.</summary>
        public static bool WrapsASnapshot(Type value) =>
            value.GetField("_inference", BindingFlags.NonPublic | BindingFlags.Instance)?.FieldType.Name == "Inference";

        [Fact]
        public void Networks_too_big_for_fields_get_a_value_that_wraps_their_snapshot()
        {
            Assert.True(WrapsASnapshot(typeof(PanelTooBigF.InferenceValue)));
            Assert.True(WrapsASnapshot(typeof(WideSquare32F.InferenceValue)));
            Assert.True(WrapsASnapshot(typeof(LanesEightPartsD.InferenceValue)));
        }

        [Fact]
        public void A_wrapping_value_gives_the_snapshot_bits()
        {
            var big = new PanelTooBigF();
            var wide = new WideSquare32F();
            var eight = new LanesEightPartsD();
            var random = new Random(11);
            for (int trial = 0; trial < 3; trial++)
            {
                big.InitializeParameters(trial);
                wide.InitializeParameters(trial + 10);
                eight.InitializeParameters(trial + 20);
                PanelTooBigF.InferenceValue bigValue = big.ToInferenceValue();
                WideSquare32F.InferenceValue wideValue = wide.ToInferenceValue();
                LanesEightPartsD.InferenceValue eightValue = eight.ToInferenceValue();
                for (int s = 0; s < 20; s++)
                {
                    float[] x16 = Enumerable.Range(0, 16).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
                    Assert.Equal(Forward(big.ToInference(), x16).Select(BitConverter.SingleToInt32Bits), Forward((input, output) => bigValue.Forward(input, output), x16, 16).Select(BitConverter.SingleToInt32Bits));

                    float[] x4 = x16.Take(4).ToArray();
                    Assert.Equal(Forward(wide.ToInference(), x4).Select(BitConverter.SingleToInt32Bits), Forward((input, output) => wideValue.Forward(input, output), x4, 32).Select(BitConverter.SingleToInt32Bits));

                    double[] x33 = Enumerable.Range(0, 33).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
                    var expected = new double[2];
                    var actual = new double[2];
                    eight.ToInference().Forward(x33, expected);
                    eightValue.Forward(x33, actual);
                    Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
                }
            }
        }

        [Fact]
        public void A_wrapping_value_checks_its_spans_is_a_copy_and_allocates_nothing()
        {
            var net = new PanelTooBigF();
            net.InitializeParameters(4);
            PanelTooBigF.InferenceValue value = net.ToInferenceValue();
            float[] output = Enumerable.Repeat(9f, 17).ToArray();
            ArgumentException input = Assert.Throws<ArgumentException>(() => value.Forward(new float[15], output.AsSpan(0, 16)));
            Assert.Equal("input", input.ParamName);
            Assert.Contains("15", input.Message, StringComparison.Ordinal);
            Assert.Contains("16", input.Message, StringComparison.Ordinal);
            ArgumentException wrongOutput = Assert.Throws<ArgumentException>(() => value.Forward(new float[16], output));
            Assert.Equal("output", wrongOutput.ParamName);
            Assert.All(output, v => Assert.Equal(9f, v));
            Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new PanelTooBigF.InferenceValue(new float[3])).ParamName);

            float[] x = Enumerable.Range(0, 16).Select(i => (float)Math.Sin(i)).ToArray();
            var before = new float[16];
            value.Forward(x, before);
            net.InitializeParameters(5);
            var after = new float[16];
            value.Forward(x, after);
            Assert.Equal(before, after);

            value.Forward(x, after);
            Assert.Equal(0, Allocations.Least(() =>
            {
                for (int repeat = 0; repeat < 1000; repeat++)
                {
                    value.Forward(x, after);
                }
            }));
        }

        [Fact]
        public void A_default_wrapping_value_says_it_holds_no_parameters()
        {
            PanelTooBigF.InferenceValue value = default;
            var output = new float[16];
            InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => value.Forward(new float[16], output));
            Assert.Contains("ToInferenceValue()", error.Message, StringComparison.Ordinal);
        }

        private static float[] Forward(IInferenceNetwork<float> network, float[] x)
        {
            var output = new float[network.OutputCount];
            network.Forward(x, output);
            return output;
        }

        private static float[] Forward(ForwardFn forward, float[] x, int outputs)
        {
            var output = new float[outputs];
            forward(x, output);
            return output;
        }

        private delegate void ForwardFn(ReadOnlySpan<float> input, Span<float> output);
    }
}
