using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NnGen.Tests
{
    // Auto-shaped networks small enough that every layer is unrolled: their snapshots compute the unrolled layers of
    // two neurons or more in Vector128 lanes. Together they cover a whole group stored into the output (4 × 4, 2 × 2
    // double), two groups (8 rows), a partial last group (3, 5, 6, 7 rows), 4 and 8 partial sums (fan-in 20, 40 and
    // 33), every activation in float and double, and a one-neuron layer, which stays scalar, between layers in lanes.
    [Network(Inputs = 4)] [Layer(4, Activation.Identity)] public partial class LanesDense4x4F { }

    [Network(Inputs = 2)] [Layer(3, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class LanesSmallTanhF { }

    [Network(Inputs = 3)] [Layer(8, Activation.Relu)] [Layer(8, Activation.Identity)] public partial class LanesEightF { }

    [Network(Inputs = 5, Cost = Cost.CrossEntropy)]
    [Layer(7, Activation.Logistic, Max = 2, Steepness = 0.5, Midpoint = 0.25)]
    [Layer(6, Activation.Elu, Alpha = 0.7)]
    [Layer(5, Activation.Softmax)]
    public partial class LanesOddF { }

    [Network(Inputs = 40, Cost = Cost.CrossEntropy)] [Layer(5, Activation.Tanh)] [Layer(3, Activation.Softmax)] public partial class LanesEightPartsF { }

    [Network(Inputs = 20)] [Layer(6, Activation.Identity)] [Layer(1, Activation.Tanh)] [Layer(6, Activation.Logistic)] public partial class LanesFourPartsF { }

    [Network(Inputs = 3, Precision = Precision.Double)] [Layer(5, Activation.Tanh)] [Layer(4, Activation.Elu)] [Layer(3, Activation.Identity)] public partial class LanesD { }

    [Network(Inputs = 33, Cost = Cost.CrossEntropy, Precision = Precision.Double)] [Layer(3, Activation.Logistic)] [Layer(2, Activation.Softmax)] public partial class LanesEightPartsD { }

    [Network(Inputs = 2, Precision = Precision.Double)] [Layer(2, Activation.Relu)] [Layer(2, Activation.Identity)] public partial class LanesTwoD { }

    // Layers that hand their vectors on (identity and float tanh into a layer in lanes): each a_j is a shuffle of its lane.
    [Network(Inputs = 3)] [Layer(6, Activation.Identity)] [Layer(5, Activation.Tanh)] [Layer(7, Activation.Identity)] [Layer(3, Activation.Relu)] public partial class LanesChainF { }

    [Network(Inputs = 3, Precision = Precision.Double)] [Layer(5, Activation.Identity)] [Layer(3, Activation.Identity)] [Layer(2, Activation.Logistic)] public partial class LanesChainD { }

    // Layer 2 (4 × 60 = 240 multiply-adds) is vectorised: layer 1's tanh writes its lanes into the span layer 2
    // reads, and layer 3 (60 × 3, eight partial sums) reads layer 2's span into its broadcasts.
    [Network(Inputs = 3)] [Layer(4, Activation.Tanh)] [Layer(60, Activation.Identity)] [Layer(3, Activation.Tanh)] public partial class LanesAroundPackedF { }

    /// <summary>
    /// An inference snapshot computes its unrolled layers four floats (two doubles) at a time, each lane running the
    /// multiplies and additions of its neuron's unrolled sum in the same order (LaneLayout, LaneEmitter). Its outputs and
    /// losses must then be the network's to the bit: the network's scalar code is the reference, over random parameters
    /// and inputs that include zeros, saturating values and negative zero. LaneLayout's own layout is tested in
    /// NnGen.Runtime.Tests (LaneLayoutTests).
    /// </summary>
    public class UnrolledLanesTests
    {
        // The net8.0 runtime has LaneLayout; the netstandard2.1 build (NnGen.Tests.NetStandard runs this file against
        // it) does not, and the same snapshots then run the plain unrolled code: the same bits either way.
        private static readonly bool LanesExpected = typeof(IInferenceNetwork<>).Assembly.GetType("NnGen.CompilerServices.LaneLayout") is not null;

        [Fact]
        public void Float_snapshots_in_lanes_give_the_networks_bits()
        {
            Check(new LanesDense4x4F(), n => n.ToInference());
            Check(new LanesSmallTanhF(), n => n.ToInference());
            Check(new LanesEightF(), n => n.ToInference());
            Check(new LanesOddF(), n => n.ToInference());
            Check(new LanesEightPartsF(), n => n.ToInference());
            Check(new LanesFourPartsF(), n => n.ToInference());
            Check(new LanesChainF(), n => n.ToInference());
        }

        [Fact]
        public void Double_snapshots_in_lanes_give_the_networks_bits()
        {
            Check(new LanesD(), n => n.ToInference());
            Check(new LanesEightPartsD(), n => n.ToInference());
            Check(new LanesTwoD(), n => n.ToInference());
            Check(new LanesChainD(), n => n.ToInference());
        }

        [Fact]
        public void Lanes_next_to_a_packed_layer_agree_with_the_network()
        {
            var net = new LanesAroundPackedF();
            var random = new Random(11);
            Fill(net, random);
            LanesAroundPackedF.Inference snapshot = net.ToInference();
            Assert.Equal(LanesExpected, typeof(LanesAroundPackedF.Inference).GetField("_lanes", BindingFlags.NonPublic | BindingFlags.Instance) is not null);
            var expected = new float[3];
            var actual = new float[3];
            for (int s = 0; s < 50; s++)
            {
                float[] x = Enumerable.Range(0, 3).Select(i => Number<float>(Input(random, (s * 3) + i))).ToArray();
                net.Forward(x, expected);
                snapshot.Forward(x, actual);
                for (int i = 0; i < 3; i++)
                {
                    // Only the packed layer's sums run in another order: agreement to float rounding.
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"sample {s}, output {i}: {expected[i]} against {actual[i]}");
                }
            }
        }

        [Fact]
        public void A_layer_in_lanes_that_writes_the_output_computes_in_place()
        {
            var net = new LanesDense4x4F();
            Fill(net, new Random(3));
            LanesDense4x4F.Inference snapshot = net.ToInference();
            float[] x = { 0.5f, -1.25f, 2f, -0.125f };
            var expected = new float[4];
            snapshot.Forward(x, expected);
            float[] buffer = x.ToArray();
            snapshot.Forward(buffer, buffer);
            Assert.Equal(Bits(expected), Bits(buffer));
        }

        private static void Check<TNet, T>(TNet net, Func<TNet, IInferenceNetwork<T>> toInference)
            where TNet : INetwork<T>
            where T : unmanaged
        {
            string name = typeof(TNet).Name;
            var random = new Random(name.Length * 7919);
            for (int trial = 0; trial < 5; trial++)
            {
                Fill(net, random);
                IInferenceNetwork<T> snapshot = toInference(net);
                Assert.True(LanesExpected == snapshot.GetType().GetField("_lanes", BindingFlags.NonPublic | BindingFlags.Instance) is not null, $"{name}: lanes where the runtime has LaneLayout");
                Assert.True(snapshot.GetType().GetField("_packed", BindingFlags.NonPublic | BindingFlags.Instance) is null, $"{name}: every layer is unrolled");

                const int Count = 64;
                T[] inputs = Enumerable.Range(0, Count * net.InputCount).Select(i => Number<T>(Input(random, i))).ToArray();
                T[] targets = Enumerable.Range(0, Count * net.OutputCount).Select(_ => Number<T>(random.NextDouble())).ToArray();
                var batch = new T[Count * net.OutputCount];
                snapshot.ForwardBatch(inputs, batch);
                var expected = new T[net.OutputCount];
                var actual = new T[net.OutputCount];
                for (int s = 0; s < Count; s++)
                {
                    ReadOnlySpan<T> x = inputs.AsSpan(s * net.InputCount, net.InputCount);
                    ReadOnlySpan<T> t = targets.AsSpan(s * net.OutputCount, net.OutputCount);
                    net.Forward(x, expected);
                    snapshot.Forward(x, actual);
                    Assert.True(Bits(expected).SequenceEqual(Bits(actual)), $"{name}, trial {trial}, sample {s}: {string.Join(", ", expected)} against {string.Join(", ", actual)}");
                    Assert.True(Bits(expected).SequenceEqual(Bits(batch.AsSpan(s * net.OutputCount, net.OutputCount).ToArray())), $"{name}, sample {s} in the batch");
                    Assert.Equal(Bits(new[] { net.Loss(x, t) }), Bits(new[] { snapshot.Loss(x, t) }));
                }
            }
        }

        // Mostly uniform in [−3, 3); every 7th input saturates (±40), every 11th is zero or −0.
        private static double Input(Random random, int i) =>
            i % 11 == 0 ? (i % 22 == 0 ? 0.0 : -0.0) : i % 7 == 0 ? (random.Next(2) == 0 ? 40 : -40) : (random.NextDouble() * 6) - 3;

        private static void Fill<T>(INetwork<T> net, Random random)
            where T : unmanaged
        {
            Span<T> p = net.Parameters;
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = Number<T>((random.NextDouble() * 3) - 1.5);
            }
        }

        private static T Number<T>(double value) => typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;

        private static long[] Bits<T>(T[] values) =>
            values.Select(v => v is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)(object)v!)).ToArray();
    }
}
