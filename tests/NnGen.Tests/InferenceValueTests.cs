using System;
using System.Linq;
using NnGen.Testing;
using Xunit;

namespace NnGen.Tests
{
    // Vectorised networks whose every layer is one panel (16 float rows, 8 double), in at most 24 Vector512: their
    // InferenceValue holds each panel in fields and computes it inline with AVX-512 (the runtime's kernel elsewhere).
    // A partial panel with a fused tanh, fan-in below 4 (empty chains) with relu, two panel layers in a row, double.
    [Network(Inputs = 16, CodeShape = CodeShape.Vectorized)] [Layer(12, Activation.Tanh)] public partial class PanelTanh12F { }

    [Network(Inputs = 3, CodeShape = CodeShape.Vectorized)] [Layer(16, Activation.Relu)] public partial class PanelRelu3F { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] [Layer(3, Activation.Softmax)] public partial class PanelTwoF { }

    [Network(Inputs = 8, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] public partial class PanelTanh8D { }

    [Network(Inputs = 5, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)] [Layer(6, Activation.Logistic)] [Layer(4, Activation.Identity)] public partial class PanelTwoD { }

    // Two panel layers of 16 × 16: 36 Vector512, more than 24.
    [Network(Inputs = 16, CodeShape = CodeShape.Vectorized)] [Layer(16, Activation.Tanh)] [Layer(16, Activation.Identity)] public partial class PanelTooBigF { }

    // 32 rows: two panels in one layer.
    [Network(Inputs = 4, CodeShape = CodeShape.Vectorized)] [Layer(32, Activation.Identity)] public partial class WideSquare32F { }
}

#if !NNGEN_NETSTANDARD_RUNTIME
namespace NnGen.Tests
{
    /// <summary>
    /// ToInferenceValue: Inference's Forward over lanes or panels held in the fields of a struct, for networks whose every
    /// layer computes in lanes (unrolled, two neurons or more, at most 64 vectors) or is one packed panel (at most 24
    /// Vector512 in all), against the net8.0 runtime. Its outputs must
    /// be Inference's, and the network's, to the bit; it must check its spans, compute in place, stay a copy, and
    /// allocate nothing. Not compiled against the netstandard2.1 runtime, which has no lanes, so every value there holds
    /// its snapshot (NnGen.Tests.NetStandard defines NNGEN_NETSTANDARD_RUNTIME; see the test at the end, and
    /// WrappingInferenceValueTests for values that hold a snapshot on every runtime).
    /// </summary>
    public class InferenceValueTests
    {
        private delegate void ForwardFn<T>(ReadOnlySpan<T> input, Span<T> output);

        [Fact]
        public void Float_values_give_the_bits_of_the_snapshot_and_the_network()
        {
            Check(new LanesDense4x4F(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
            Check(new LanesSmallTanhF(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
            Check(new LanesEightF(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
            Check(new LanesOddF(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
            Check(new LanesChainF(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
        }

        [Fact]
        public void Double_values_give_the_bits_of_the_snapshot_and_the_network()
        {
            Check(new LanesD(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
            Check(new LanesTwoD(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
            Check(new LanesChainD(), n => n.ToInference(), n => n.ToInferenceValue().Forward);
        }

        [Fact]
        public void Panel_values_give_the_bits_of_the_snapshot()
        {
            // Vectorised layers: the snapshot reads packed panels, whose sums run in another order than the network's,
            // so the snapshot is the reference here (the network agrees to rounding, tested elsewhere).
            Check(new Linear16F(), n => n.ToInference(), n => n.ToInferenceValue().Forward, againstNetwork: false);
            Check(new PanelTanh12F(), n => n.ToInference(), n => n.ToInferenceValue().Forward, againstNetwork: false);
            Check(new PanelRelu3F(), n => n.ToInference(), n => n.ToInferenceValue().Forward, againstNetwork: false);
            Check(new PanelTwoF(), n => n.ToInference(), n => n.ToInferenceValue().Forward, againstNetwork: false);
            Check(new PanelTanh8D(), n => n.ToInference(), n => n.ToInferenceValue().Forward, againstNetwork: false);
            Check(new PanelTwoD(), n => n.ToInference(), n => n.ToInferenceValue().Forward, againstNetwork: false);
        }

        [Fact]
        public void A_panel_value_computes_in_place()
        {
            var net = new PanelTanh12F();
            net.InitializeParameters(4);
            PanelTanh12F.InferenceValue value = net.ToInferenceValue();
            float[] x = Enumerable.Range(0, 16).Select(i => (float)Math.Cos(i)).ToArray();
            var expected = new float[12];
            value.Forward(x, expected);
            float[] buffer = x.ToArray();
            value.Forward(buffer, buffer.AsSpan(0, 12));
            Assert.Equal(expected, buffer.AsSpan(0, 12).ToArray());
            buffer = x.ToArray();
            value.Forward(buffer, buffer.AsSpan(4, 12));
            Assert.Equal(expected, buffer.AsSpan(4, 12).ToArray());
        }

        [Theory]
        [InlineData(typeof(LanesDense4x4F), true)]
        [InlineData(typeof(LanesSmallTanhF), true)]
        [InlineData(typeof(LanesChainD), true)]
        [InlineData(typeof(LanesFourPartsF), false)]      // a one-neuron layer stays scalar
        [InlineData(typeof(LanesAroundPackedF), false)]   // a vectorised layer reads panels
        [InlineData(typeof(LanesEightPartsF), false)]     // 40 inputs × 5 neurons: 88 vectors, more than 64
        [InlineData(typeof(LanesEightPartsD), false)]     // 33 × 3 in double: 68 vectors
        [InlineData(typeof(Linear16F), true)]             // one panel
        [InlineData(typeof(PanelTwoF), true)]             // two panels, 16 Vector512
        [InlineData(typeof(PanelTooBigF), false)]         // two panels, 36 Vector512
        [InlineData(typeof(WideSquare32F), false)]        // two panels in one layer
        public void Every_network_has_a_value_which_holds_the_weights_only_where_they_fit(Type network, bool holdsWeights)
        {
            Type? value = network.GetNestedType("InferenceValue");
            Assert.NotNull(value);
            Assert.NotNull(network.GetMethod("ToInferenceValue"));
            Assert.Equal(!holdsWeights, WrappingInferenceValueTests.WrapsASnapshot(value!));
        }

        [Fact]
        public void A_value_checks_its_spans_before_writing_and_computes_in_place()
        {
            var net = new LanesDense4x4F();
            net.InitializeParameters(3);
            LanesDense4x4F.InferenceValue value = net.ToInferenceValue();
            float[] output = { 9, 9, 9, 9, 9 };
            ArgumentException input = Assert.Throws<ArgumentException>(() => value.Forward(new float[3], output.AsSpan(0, 4)));
            Assert.Equal("input", input.ParamName);
            Assert.Contains("length 3", input.Message, StringComparison.Ordinal);
            Assert.Contains("length 4", input.Message, StringComparison.Ordinal);
            ArgumentException wrongOutput = Assert.Throws<ArgumentException>(() => value.Forward(new float[4], output));
            Assert.Equal("output", wrongOutput.ParamName);
            Assert.All(output, x => Assert.Equal(9f, x));
            ArgumentException parameters = Assert.Throws<ArgumentException>(() => new LanesDense4x4F.InferenceValue(new float[19]));
            Assert.Equal("parameters", parameters.ParamName);

            float[] x = { 0.5f, -1.25f, 2f, -0.125f };
            var expected = new float[4];
            value.Forward(x, expected);
            float[] buffer = x.ToArray();
            value.Forward(buffer, buffer);
            Assert.Equal(expected, buffer);
        }

        [Fact]
        public void A_default_value_computes_with_every_parameter_0_on_every_path()
        {
            // The vector paths read default's zero fields; the kernel fallback (no AVX2) has no packed copy to read and
            // must give the same outputs rather than an error about a damaged array.
            float[] x = { 0.5f, -1f, 2f, 0.25f, -3f, 1f, 0f, 7f, -0.5f, 1.5f, -2f, 3f, 0.75f, -0.25f, 4f, -4f };
            Assert.Equal(Run(default(PanelTanh12F.InferenceValue).Forward, x, 12), Run(new PanelTanh12F.InferenceValue(new float[PanelTanh12F.ParameterCount]).Forward, x, 12));
            Assert.Equal(Run(default(PanelTwoF.InferenceValue).Forward, x.AsSpan(0, 4).ToArray(), 3), Run(new PanelTwoF.InferenceValue(new float[PanelTwoF.ParameterCount]).Forward, x.AsSpan(0, 4).ToArray(), 3));
            Assert.Equal(Run(default(LanesSmallTanhF.InferenceValue).Forward, x.AsSpan(0, 2).ToArray(), 2), Run(new LanesSmallTanhF.InferenceValue(new float[LanesSmallTanhF.ParameterCount]).Forward, x.AsSpan(0, 2).ToArray(), 2));
            double[] xd = { 1, -2, 0.5, 3, -0.25 };
            var expected = new double[4];
            var actual = new double[4];
            new PanelTwoD.InferenceValue(new double[PanelTwoD.ParameterCount]).Forward(xd, expected);
            default(PanelTwoD.InferenceValue).Forward(xd, actual);
            Assert.Equal(expected, actual);

            static float[] Run(ForwardFn<float> forward, float[] input, int outputs)
            {
                var output = new float[outputs];
                forward(input, output);
                return output;
            }
        }

        [Fact]
        public void A_value_is_a_copy_taken_when_it_is_made()
        {
            var net = new LanesSmallTanhF();
            net.InitializeParameters(5);
            LanesSmallTanhF.InferenceValue value = net.ToInferenceValue();
            float[] x = { 0.3f, -0.7f };
            var before = new float[2];
            value.Forward(x, before);
            net.InitializeParameters(6);
            net.Parameters[0] = 100;
            var after = new float[2];
            value.Forward(x, after);
            Assert.Equal(before, after);
            Assert.Equal(before, new LanesSmallTanhF.InferenceValue(ParametersOf(5)).ForwardArray(x));
        }

        [Fact]
        public void A_value_in_a_loop_allocates_nothing()
        {
            var net = new LanesSmallTanhF();
            net.InitializeParameters(2);
            LanesSmallTanhF.InferenceValue value = net.ToInferenceValue();
            float[] inputs = Enumerable.Range(0, 128).Select(i => (float)Math.Sin(i)).ToArray();
            var output = new float[2];
            float sum = Run(value, inputs, output);
            Assert.Equal(0, Allocations.Least(() =>
            {
                for (int repeat = 0; repeat < 100; repeat++)
                {
                    sum += Run(value, inputs, output);
                }
            }));
            Assert.False(float.IsNaN(sum));

            static float Run(LanesSmallTanhF.InferenceValue local, float[] inputs, float[] output)
            {
                float total = 0;
                for (int s = 0; s < inputs.Length / 2; s++)
                {
                    local.Forward(inputs.AsSpan(s * 2, 2), output);
                    total += output[s % 2];
                }

                return total;
            }
        }

        private static float[] ParametersOf(int seed)
        {
            var net = new LanesSmallTanhF();
            net.InitializeParameters(seed);
            return net.Parameters.ToArray();
        }

        private static void Check<TNet, T>(TNet net, Func<TNet, IInferenceNetwork<T>> toInference, Func<TNet, ForwardFn<T>> toValue, bool againstNetwork = true)
            where TNet : INetwork<T>
            where T : unmanaged
        {
            string name = typeof(TNet).Name;
            var random = new Random(name.Length * 7907);
            for (int trial = 0; trial < 5; trial++)
            {
                Span<T> p = net.Parameters;
                for (int i = 0; i < p.Length; i++)
                {
                    p[i] = Number<T>((random.NextDouble() * 3) - 1.5);
                }

                IInferenceNetwork<T> snapshot = toInference(net);
                ForwardFn<T> value = toValue(net);
                var expected = new T[net.OutputCount];
                var fromSnapshot = new T[net.OutputCount];
                var actual = new T[net.OutputCount];
                for (int s = 0; s < 64; s++)
                {
                    // Mostly uniform in [−3, 3); some saturating (±40), some zero and −0.
                    T[] x = Enumerable.Range(0, net.InputCount).Select(i =>
                    {
                        int k = (s * net.InputCount) + i;
                        return Number<T>(k % 11 == 0 ? (k % 22 == 0 ? 0.0 : -0.0) : k % 7 == 0 ? (random.Next(2) == 0 ? 40 : -40) : (random.NextDouble() * 6) - 3);
                    }).ToArray();
                    net.Forward(x, expected);
                    snapshot.Forward(x, fromSnapshot);
                    value(x, actual);
                    Assert.True(!againstNetwork || Bits(expected).SequenceEqual(Bits(actual)), $"{name}, trial {trial}, sample {s}: {string.Join(", ", expected)} against {string.Join(", ", actual)}");
                    Assert.True(Bits(fromSnapshot).SequenceEqual(Bits(actual)), $"{name}, trial {trial}, sample {s}: the snapshot differs");
                }
            }
        }

        private static T Number<T>(double value) => typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;

        private static long[] Bits<T>(T[] values) =>
            values.Select(v => v is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)(object)v!)).ToArray();
    }

    internal static class InferenceValueExtensions
    {
        public static float[] ForwardArray(this LanesSmallTanhF.InferenceValue value, float[] x)
        {
            var output = new float[2];
            value.Forward(x, output);
            return output;
        }
    }
}
#else
namespace NnGen.Tests
{
    /// <summary>The netstandard2.1 runtime has no lanes: every network's InferenceValue holds its Inference snapshot there.</summary>
    public class InferenceValueTests
    {
        [Fact]
        public void Without_lanes_every_value_wraps_its_snapshot()
        {
            Assert.True(WrappingInferenceValueTests.WrapsASnapshot(typeof(LanesDense4x4F.InferenceValue)));
            Assert.True(WrappingInferenceValueTests.WrapsASnapshot(typeof(Linear16F.InferenceValue)));
            Assert.True(WrappingInferenceValueTests.WrapsASnapshot(typeof(PanelTwoF.InferenceValue)));
        }
    }
}
#endif
