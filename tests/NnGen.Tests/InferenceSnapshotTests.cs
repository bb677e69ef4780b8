using System;
using System.Linq;
using System.Threading.Tasks;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using NnGen.CompilerServices;
using Xunit;

using static NnGen.Tests.Tolerance;

namespace NnGen.Tests
{
    /// <summary>
    /// ToInference and the generated Inference class: a fixed copy of the parameters whose vectorised layers read
    /// W packed in panels (.NET 8+). Checked against the plain reference MLP on every catalogue network, against the
    /// network it was taken from, for isolation from later writes, for its checks, and for allocation.
    /// </summary>
    public class InferenceSnapshotTests
    {
        // Every catalogue network but those declared Unrolled, which have no snapshot.
        public static TheoryData<string> DoubleNames => new(Catalog.Double.Keys.Where(n => HasSnapshot(Catalog.Double[n].Create())));

        public static TheoryData<string> SingleNames => new(Catalog.Single.Keys.Where(n => HasSnapshot(Catalog.Single[n].Create())));

        [Theory]
        [MemberData(nameof(DoubleNames))]
        public void Double_snapshot_agrees_with_the_reference_and_its_network(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            var random = new Random(17);
            for (int trial = 0; trial < 3; trial++)
            {
                Samples.Randomize(net, @case.Spec, seed: trial);
                IInferenceNetwork<double> snapshot = Snapshot(net);
                var reference = new ReferenceMlp(@case.Spec, net.Parameters);
                Assert.Equal(net.Parameters.ToArray(), snapshot.Parameters.ToArray());

                const int Count = 40;
                double[] inputs = Enumerable.Range(0, Count).SelectMany(_ => Networks.Samples.Input(@case.Spec, random)).ToArray();
                double[] targets = Enumerable.Range(0, Count).SelectMany(_ => Networks.Samples.Target(@case.Spec, random)).ToArray();
                var batch = new double[Count * net.OutputCount];
                snapshot.ForwardBatch(inputs, batch);
                var batchOutputs = new double[Count * net.OutputCount];
                var batchLosses = new double[Count];
                snapshot.LossBatch(inputs, targets, batchOutputs, batchLosses);
                for (int s = 0; s < Count; s++)
                {
                    double[] x = inputs.AsSpan(s * net.InputCount, net.InputCount).ToArray();
                    double[] t = targets.AsSpan(s * net.OutputCount, net.OutputCount).ToArray();
                    var expected = new double[net.OutputCount];
                    var actual = new double[net.OutputCount];
                    var withLoss = new double[net.OutputCount];
                    net.Forward(x, expected);
                    snapshot.Forward(x, actual);
                    AssertClose(reference.Output(x), actual, 1e-13, $"{name} output");
                    AssertClose(expected, actual, 1e-13, $"{name} output against the network");
                    // ForwardBatch gives Forward's bits, on every machine, as Forward does (a layer runs the same expression).
                    Assert.Equal(actual, batch.AsSpan(s * net.OutputCount, net.OutputCount).ToArray());
                    // A saturated binary cross-entropy (C ≈ 12, a within 1e-5 of 1) turns the last bit of a into ~1e-11 of C.
                    AssertClose(new[] { reference.Loss(x, t) }, new[] { snapshot.Loss(x, t) }, 1e-10, $"{name} loss");
                    Assert.Equal(snapshot.Loss(x, t), snapshot.Loss(x, t, withLoss));
                    Assert.Equal(actual, withLoss);
                    Assert.Equal(actual, batchOutputs.AsSpan(s * net.OutputCount, net.OutputCount).ToArray());
                    Assert.Equal(snapshot.Loss(x, t), batchLosses[s]);
                }
            }
        }

        [Theory]
        [MemberData(nameof(SingleNames))]
        public void Float_snapshot_agrees_with_the_reference_to_float_precision(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            INetwork<float> net = @case.Create();
            var random = new Random(19);
            for (int trial = 0; trial < 3; trial++)
            {
                Samples.Randomize(net, @case.Spec, seed: trial);
                IInferenceNetwork<float> snapshot = Snapshot(net);
                var reference = new ReferenceMlp(@case.Spec, Samples.ToDouble<float>(net.Parameters));
                double[] x = Samples.Input(@case.Spec, random);
                var actual = new float[net.OutputCount];
                snapshot.Forward(Samples.Convert<float>(x), actual);
                AssertClose(reference.Output(x), Samples.ToDouble<float>(actual), 1e-5, $"{name} output");

                // In a batch (more samples than a chunk): each output and cost has the bits of Forward and Loss alone.
                const int Count = 40;
                float[] inputs = Enumerable.Range(0, Count).SelectMany(_ => Samples.Convert<float>(Samples.Input(@case.Spec, random))).ToArray();
                float[] targets = Enumerable.Range(0, Count).SelectMany(_ => Samples.Convert<float>(Samples.Target(@case.Spec, random))).ToArray();
                var batch = new float[Count * net.OutputCount];
                var batchOutputs = new float[Count * net.OutputCount];
                var batchLosses = new float[Count];
                snapshot.ForwardBatch(inputs, batch);
                snapshot.LossBatch(inputs, targets, batchOutputs, batchLosses);
                for (int s = 0; s < Count; s++)
                {
                    ReadOnlySpan<float> input = inputs.AsSpan(s * net.InputCount, net.InputCount), target = targets.AsSpan(s * net.OutputCount, net.OutputCount);
                    snapshot.Forward(input, actual);
                    Assert.Equal(actual, batch.AsSpan(s * net.OutputCount, net.OutputCount).ToArray());
                    Assert.Equal(actual, batchOutputs.AsSpan(s * net.OutputCount, net.OutputCount).ToArray());
                    Assert.Equal(snapshot.Loss(input, target), batchLosses[s]);
                }
            }
        }

        // Wide enough that every layer is packed: rows past a panel, a partial panel, columns not a multiple of the chains.
        [Fact]
        public void Packed_layers_agree_with_the_network_and_keep_the_same_outputs_alone_and_in_any_order()
        {
            var net = new Vectorized40_70_33_10();
            net.InitializeParameters(5);
            Vectorized40_70_33_10.Inference snapshot = net.ToInference();
            var random = new Random(23);
            double[] inputs = Enumerable.Range(0, 300 * 40).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var batch = new double[300 * 10];
            snapshot.ForwardBatch(inputs, batch);
            var expected = new double[10];
            var first = new double[10];
            var again = new double[10];
            for (int s = 0; s < 300; s++)
            {
                ReadOnlySpan<double> x = inputs.AsSpan(s * 40, 40);
                net.Forward(x, expected);
                snapshot.Forward(x, first);
                snapshot.Forward(x, again);
                AssertClose(expected, first, 1e-13, $"sample {s}");
                Assert.Equal(first, batch.AsSpan(s * 10, 10).ToArray());
                Assert.Equal(first, again);
            }
        }

        [Fact]
        public void Writes_after_ToInference_do_not_reach_the_snapshot()
        {
            var net = new MixedVectorThenUnrolled();
            net.InitializeParameters(1);
            MixedVectorThenUnrolled.Inference snapshot = net.ToInference();
            double[] before = snapshot.Parameters.ToArray();
            double[] x = Enumerable.Range(0, MixedVectorThenUnrolled.InputCount).Select(i => Math.Sin(i)).ToArray();
            var expected = new double[MixedVectorThenUnrolled.OutputCount];
            snapshot.Forward(x, expected);

            net.Parameters.Fill(0.5);
            net.Accumulate(x, new double[] { 0, 1, 0 });
            net.Step(0.1);
            net.InitializeParameters(2);

            var actual = new double[MixedVectorThenUnrolled.OutputCount];
            snapshot.Forward(x, actual);
            Assert.Equal(before, snapshot.Parameters.ToArray());
            Assert.Equal(expected, actual);
        }

        [Fact]
        public void A_double_tanh_layer_of_a_snapshot_is_fast_math_tanh_of_its_identity_twin_bit_for_bit()
        {
            // FastMath.Tanh one value at a time, as unrolled layers: TensorPrimitives' double tanh changed its last bit with
            // the vector width, so the snapshot's outputs differed between AVX2 and 128-bit runs of one machine, and
            // Math.Tanh (the C library's) changes it with the operating system.
            var tanh = new SnapshotDoubleTanhLayer();
            tanh.InitializeParameters(3);
            var twin = new SnapshotDoubleIdentityLayer();
            tanh.Parameters.CopyTo(twin.Parameters);
            double[] x = Enumerable.Range(0, 24).Select(i => 2 * Math.Sin(i * 0.7)).ToArray();
            var a = new double[40];
            var z = new double[40];
            tanh.ToInference().Forward(x, a);
            twin.ToInference().Forward(x, z);
            Assert.Equal(z.Select(v => BitConverter.DoubleToInt64Bits(FastMath.Tanh(v))), a.Select(BitConverter.DoubleToInt64Bits));
        }

        [Fact]
        public void A_snapshot_of_the_same_parameters_gives_the_same_bits_as_one_built_from_them()
        {
            var net = new Vectorized40_70_33_10();
            net.InitializeParameters(8);
            var built = new Vectorized40_70_33_10.Inference(net.Parameters);
            Vectorized40_70_33_10.Inference taken = net.ToInference();
            double[] x = Enumerable.Range(0, 40).Select(i => Math.Cos(i * 0.3)).ToArray();
            var a = new double[10];
            var b = new double[10];
            built.Forward(x, a);
            taken.Forward(x, b);
            Assert.Equal(a, b);
        }

        [Fact]
        public void Parameters_of_the_wrong_length_are_rejected_naming_both_lengths()
        {
            var e = Assert.Throws<ArgumentException>(() => new Vectorized40_70_33_10.Inference(new double[5]));
            Assert.Equal("parameters", e.ParamName);
            Assert.Contains("5", e.Message, StringComparison.Ordinal);
            Assert.Contains(Vectorized40_70_33_10.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_snapshot_checks_its_spans_like_the_network()
        {
            var snapshot = new Vectorized40_70_33_10().ToInference();
            var e = Assert.Throws<ArgumentException>(() => snapshot.Forward(new double[39], new double[10]));
            Assert.Equal("input", e.ParamName);
            e = Assert.Throws<ArgumentException>(() => snapshot.ForwardBatch(new double[80], new double[19]));
            Assert.Equal("outputs", e.ParamName);
        }

        [Fact]
        public void A_snapshot_does_not_allocate_after_warm_up()
        {
            var snapshot = new Vectorized40_70_33_10().ToInference();
            double[] input = Enumerable.Range(0, 40).Select(i => i * 0.01).ToArray();
            double[] inputs = Enumerable.Range(0, 64 * 40).Select(i => Math.Sin(i)).ToArray();
            double[] target = new double[10];
            var output = new double[10];
            var outputs = new double[64 * 10];
            AllocationTests.AssertNoAllocation(() =>
            {
                snapshot.Forward(input, output);
                snapshot.ForwardBatch(inputs, outputs);
                snapshot.Loss(input, target, output);
            });
        }

        [Fact]
        public void One_snapshot_serves_several_threads_at_once()
        {
            var net = new Vectorized40_70_33_10();
            net.InitializeParameters(3);
            Vectorized40_70_33_10.Inference snapshot = net.ToInference();
            double[][] inputs = Enumerable.Range(0, 64).Select(s => Enumerable.Range(0, 40).Select(i => Math.Sin((s * 40) + i)).ToArray()).ToArray();
            double[][] expected = inputs.Select(x =>
            {
                var y = new double[10];
                snapshot.Forward(x, y);
                return y;
            }).ToArray();

            Parallel.For(0, 4, _ =>
            {
                var y = new double[10];
                for (int round = 0; round < 50; round++)
                {
                    for (int s = 0; s < inputs.Length; s++)
                    {
                        snapshot.Forward(inputs[s], y);
                        Assert.Equal(expected[s], y);
                    }
                }
            });
        }

        [Fact]
        public void A_forced_unrolled_network_has_no_snapshot()
        {
            Assert.Null(typeof(SeedNetD).GetMethod("ToInference"));
            Assert.NotNull(typeof(SeedNetDVectorized).GetMethod("ToInference"));
        }

        private static bool HasSnapshot(object net) => net.GetType().GetMethod("ToInference") is not null;

        private static IInferenceNetwork<T> Snapshot<T>(INetwork<T> net)
            where T : unmanaged =>
            (IInferenceNetwork<T>)net.GetType().GetMethod("ToInference")!.Invoke(net, null)!;
    }

    [Network(Inputs = 24, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(40, Activation.Tanh)]
    public partial class SnapshotDoubleTanhLayer { }

    [Network(Inputs = 24, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(40, Activation.Identity)]
    public partial class SnapshotDoubleIdentityLayer { }
}
