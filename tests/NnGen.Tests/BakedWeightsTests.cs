using System;
using System.IO;
using System.Linq;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// A network with baked weights computes, bit for bit, what its trainable twin's inference snapshot
    /// (ToInference) computes with the same file loaded at run time: same parameters, same outputs, same batch
    /// outputs, same loss. Both read the vectorised layers' W packed in panels; the twin itself reads the rows of W,
    /// so it agrees to rounding there, and bit for bit where every layer is unrolled.
    /// </summary>
    public sealed class BakedWeightsTests
    {
        [Fact]
        public void Unrolled_float_baked_net_is_bit_identical_to_the_loaded_twin() =>
            AssertBitIdentical<BakedSeedNetF, SeedNetF, float>("seed-f.nngw", WeightsFile.Load, snapshot: null);

        [Fact]
        public void Vectorized_float_baked_net_is_bit_identical_to_the_loaded_twins_snapshot() =>
            AssertBitIdentical<BakedCustomLogisticFVectorized, MeanSoftmaxCustomLogisticFVectorized, float>("custom-logistic-f-vectorized.nngw", WeightsFile.Load, twin => twin.ToInference());

        [Fact]
        public void Mixed_double_baked_net_is_bit_identical_to_the_loaded_twins_snapshot() =>
            AssertBitIdentical<BakedMixed, MixedUnrolledVectorUnrolled, double>("mixed-d.nngw", WeightsFile.Load, twin => twin.ToInference());

        [Fact]
        public void Safetensors_baked_net_is_bit_identical_to_the_imported_twin() =>
            AssertBitIdentical<BakedCrossEntropy, CrossEntropyTanhSoftmax, double>("cross-entropy-d.safetensors", (net, path) => Safetensors.Import(net, path), snapshot: null);

        [Fact]
        public void A_baked_network_is_inference_only()
        {
            IInferenceNetwork<float> net = new BakedSeedNetF();
            Assert.False(net is INetwork<float>);
            Assert.Null(typeof(BakedSeedNetF).GetMethod("Accumulate"));
            Assert.Null(typeof(BakedSeedNetF).GetMethod("InitializeParameters"));
            Assert.Equal(SeedNetF.Architecture, BakedSeedNetF.Architecture);
        }

        [Fact]
        public void A_baked_network_does_not_allocate()
        {
            var net = new BakedMixed();
            double[] input = { 0.1, -0.2, 0.3 };
            double[] output = new double[BakedMixed.OutputCount];
            AllocationTests.AssertNoAllocation(() => net.Forward(input, output));
        }

        [Fact]
        public void A_baked_network_evaluates_with_the_runtime()
        {
            var random = new Random(3);
            double[] inputs = Enumerable.Range(0, 20 * 4).Select(_ => random.NextDouble()).ToArray();
            double[] targets = Enumerable.Range(0, 20 * 3).Select(i => i % 3 == (i / 3) % 3 ? 1.0 : 0.0).ToArray();
            var data = new Dataset<double>(inputs, targets, 4, 3);

            var baked = new BakedCrossEntropy();
            var twin = new CrossEntropyTanhSoftmax();
            Safetensors.Import(twin, Path.Combine(BakedCases.WeightsFolder(), "cross-entropy-d.safetensors"));

            Assert.Equal(Evaluation.Evaluate(twin, data), Evaluation.Evaluate(baked, data));
        }

        // Bit for bit against the twin's snapshot, or the twin itself where there is none (every layer unrolled);
        // against the twin to rounding where the snapshot packs a layer.
        private static void AssertBitIdentical<TBaked, TTwin, T>(string fileName, Action<INetwork<T>, string> load, Func<TTwin, IInferenceNetwork<T>>? snapshot)
            where TBaked : IInferenceNetwork<T>, new()
            where TTwin : INetwork<T>, new()
            where T : unmanaged
        {
            IInferenceNetwork<T> baked = new TBaked();
            var loaded = new TTwin();
            load(loaded, Path.Combine(BakedCases.WeightsFolder(), fileName));
            IInferenceNetwork<T> twin = snapshot is null ? loaded : snapshot(loaded);

            Assert.Equal(Bits(loaded.Parameters.ToArray()), Bits(baked.Parameters.ToArray()));
            Assert.Equal(Bits(twin.Parameters.ToArray()), Bits(baked.Parameters.ToArray()));

            var random = new Random(fileName.Length);
            const int Samples = 50;
            T[] inputs = Enumerable.Range(0, Samples * twin.InputCount).Select(_ => Networks.Samples.FromDouble<T>((random.NextDouble() * 4) - 2)).ToArray();
            T[] targets = Enumerable.Range(0, Samples * twin.OutputCount).Select(_ => Networks.Samples.FromDouble<T>(random.NextDouble())).ToArray();
            var expected = new T[twin.OutputCount];
            var actual = new T[twin.OutputCount];
            var fromLoaded = new T[twin.OutputCount];
            double tolerance = typeof(T) == typeof(float) ? 1e-5 : 1e-12;
            for (int s = 0; s < Samples; s++)
            {
                ReadOnlySpan<T> x = inputs.AsSpan(s * twin.InputCount, twin.InputCount);
                ReadOnlySpan<T> t = targets.AsSpan(s * twin.OutputCount, twin.OutputCount);
                twin.Forward(x, expected);
                baked.Forward(x, actual);
                Assert.Equal(Bits(expected), Bits(actual));
                Assert.Equal(Bits(new[] { twin.Loss(x, t) }), Bits(new[] { baked.Loss(x, t) }));

                loaded.Forward(x, fromLoaded);
                double[] a = Networks.Samples.ToDouble<T>(actual), l = Networks.Samples.ToDouble<T>(fromLoaded);
                for (int k = 0; k < a.Length; k++)
                {
                    Assert.True(Math.Abs(a[k] - l[k]) <= tolerance * Math.Max(1, Math.Abs(l[k])), $"sample {s} output {k}: baked {a[k]:R}, loaded {l[k]:R}");
                }
            }

            var batchExpected = new T[Samples * twin.OutputCount];
            var batchActual = new T[Samples * twin.OutputCount];
            twin.ForwardBatch(inputs, batchExpected);
            baked.ForwardBatch(inputs, batchActual);
            Assert.Equal(Bits(batchExpected), Bits(batchActual));
        }

        private static long[] Bits<T>(T[] values)
            where T : unmanaged =>
            values.Select(v => v is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)(object)v)).ToArray();
    }
}
