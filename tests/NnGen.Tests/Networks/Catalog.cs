using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Tests.Reference;
using Xunit;
using static NnGen.Activation;

namespace NnGen.Tests.Networks
{
    /// <summary>A generated network under test with the spec the reference MLP computes for it.</summary>
    public sealed record NetCase<T>(string Name, Func<INetwork<T>> Create, NetSpec Spec)
        where T : unmanaged
    {
        public override string ToString() => Name;
    }

    /// <summary>
    /// Every test network, each described a second time, by hand, as a <see cref="NetSpec"/>: the
    /// reference knows nothing of the attributes, so a generator that misreads one is caught.
    /// </summary>
    public static class Catalog
    {
        public static readonly IReadOnlyDictionary<string, NetCase<double>> Double = new[]
        {
            Both<SeedNetD, SeedNetDVectorized>(2, Cost.SquaredError, L(3, Tanh), L(4, Tanh), L(2, Identity)),
            Both<SquaredReluTanh, SquaredReluTanhVectorized>(3, Cost.SquaredError, L(4, Relu), L(2, Tanh)),
            Both<SquaredTanhRelu, SquaredTanhReluVectorized>(3, Cost.SquaredError, L(4, Tanh), L(3, Relu)),
            Both<SquaredLogisticElu, SquaredLogisticEluVectorized>(3, Cost.SquaredError, L(5, Logistic), L(2, Elu) with { Alpha = 0.7 }),
            Both<SquaredEluLogistic, SquaredEluLogisticVectorized>(2, Cost.SquaredError, L(4, Elu), L(3, Logistic)),
            Both<SquaredTanhSoftmax, SquaredTanhSoftmaxVectorized>(3, Cost.SquaredError, L(4, Tanh), L(3, Softmax)),
            Both<HalfCustomLogisticIdentity, HalfCustomLogisticIdentityVectorized>(4, Cost.HalfSquaredError, L(3, Logistic) with { Max = 2, Steepness = -1.5, Midpoint = 0.3 }, L(2, Identity)),
            Both<HalfSoftmaxTanh, HalfSoftmaxTanhVectorized>(3, Cost.HalfSquaredError, L(3, Softmax), L(2, Tanh)),
            Both<HalfTanhCustomLogistic, HalfTanhCustomLogisticVectorized>(2, Cost.HalfSquaredError, L(3, Tanh), L(2, Logistic) with { Max = 1.5, Steepness = 2, Midpoint = -0.5 }),
            Both<MeanReluReluIdentity, MeanReluReluIdentityVectorized>(3, Cost.MeanSquaredError, L(5, Relu), L(4, Relu), L(2, Identity)),
            Both<MeanEluSoftmax, MeanEluSoftmaxVectorized>(2, Cost.MeanSquaredError, L(3, Elu) with { Alpha = 2 }, L(3, Softmax)),
            Both<MeanIdentityTanh, MeanIdentityTanhVectorized>(3, Cost.MeanSquaredError, L(2, Identity), L(3, Tanh)),
            Both<CrossEntropyTanhSoftmax, CrossEntropyTanhSoftmaxVectorized>(4, Cost.CrossEntropy, L(5, Tanh), L(3, Softmax)),
            Both<CrossEntropyDeepHiddenSoftmax, CrossEntropyDeepHiddenSoftmaxVectorized>(3, Cost.CrossEntropy, L(4, Relu), L(4, Softmax), L(3, Elu), L(3, Softmax)),
            Both<CrossEntropyTanhLogistic, CrossEntropyTanhLogisticVectorized>(3, Cost.CrossEntropy, L(4, Tanh), L(2, Logistic)),
            Both<CrossEntropyCustomLogistic, CrossEntropyCustomLogisticVectorized>(3, Cost.CrossEntropy, L(3, Identity), L(2, Logistic) with { Max = 0.8, Steepness = 2, Midpoint = -0.2 }),
            Both<BinaryTanhLogistic, BinaryTanhLogisticVectorized>(3, Cost.BinaryCrossEntropy, L(4, Tanh), L(3, Logistic)),
            Both<BinarySteepLogistic, BinarySteepLogisticVectorized>(2, Cost.BinaryCrossEntropy, L(3, Relu), L(2, Logistic) with { Steepness = -1.7, Midpoint = 0.4 }),
            Both<BinaryLogisticBelowOne, BinaryLogisticBelowOneVectorized>(3, Cost.BinaryCrossEntropy, L(4, Elu), L(2, Logistic) with { Max = 0.9, Steepness = 0.7, Midpoint = 0.1 }),
            Both<BinaryLogisticSoftmax, BinaryLogisticSoftmaxVectorized>(3, Cost.BinaryCrossEntropy, L(4, Logistic), L(3, Softmax)),
            Both<SingleLayerLinear, SingleLayerLinearVectorized>(3, Cost.SquaredError, L(2, Identity)),
            Both<SingleLayerSoftmax, SingleLayerSoftmaxVectorized>(4, Cost.CrossEntropy, L(3, Softmax)),
            Both<FiveLayers, FiveLayersVectorized>(2, Cost.HalfSquaredError, L(3, Tanh), L(3, Relu), L(3, Logistic), L(3, Elu), L(2, Identity)),
            Both<PairSoftmaxIdentity, PairSoftmaxIdentityVectorized>(2, Cost.SquaredError, L(2, Softmax), L(2, Identity)),
            One<MixedVectorThenUnrolled>(20, Cost.CrossEntropy, L(16, Tanh), L(3, Softmax)),
            One<MixedUnrolledVectorUnrolled>(3, Cost.MeanSquaredError, L(4, Relu), L(70, Elu) with { Alpha = 0.5 }, L(2, Identity)),
            One<MixedHiddenSoftmax>(4, Cost.BinaryCrossEntropy, L(70, Softmax), L(3, Tanh), L(2, Logistic)),
            One<WideUnrolled>(40, Cost.CrossEntropy, L(20, Tanh), L(3, Softmax)),
            One<MixedSoftmaxBinaryOutput>(2, Cost.BinaryCrossEntropy, L(3, Logistic) with { Max = 2, Steepness = -1.5, Midpoint = 0.3 }, L(100, Softmax)),
            One<Vectorized40_70_33_10>(40, Cost.SquaredError, L(70, Tanh), L(33, Tanh), L(10, Identity)),
            One<SmallBeforeWide>(8, Cost.CrossEntropy, L(12, Tanh), L(300, Softmax)),
            One<SoftmaxBeforeWide>(3, Cost.HalfSquaredError, L(4, Softmax), L(90, Logistic), L(2, Identity)),
            One<RowSplitEluDouble>(70, Cost.HalfSquaredError, L(20, Elu) with { Alpha = 0.5 }, L(4, Identity)),
            One<UnrolledBatchInMatrixForm>(4, Cost.HalfSquaredError, L(32, Tanh), L(2, Identity)),
            One<SplitDeepNarrow>(3, Cost.CrossEntropy, L(6, Tanh), L(6, Elu), L(6, Tanh), L(6, Logistic), L(6, Tanh), L(6, Relu), L(6, Tanh), L(6, Identity), L(6, Tanh), L(6, Elu), L(6, Tanh), L(6, Logistic), L(6, Tanh), L(6, Relu), L(6, Tanh), L(6, Identity), L(6, Tanh), L(6, Elu), L(6, Tanh), L(6, Logistic), L(6, Tanh), L(6, Relu), L(3, Softmax)),
        }.SelectMany(c => c).ToDictionary(c => c.Name);

        public static readonly IReadOnlyDictionary<string, NetCase<float>> Single = new[]
        {
            Both<SeedNetF, SeedNetFVectorized, float>(2, Cost.SquaredError, L(3, Tanh), L(4, Tanh), L(2, Identity)),
            Both<CrossEntropyTanhSoftmaxF, CrossEntropyTanhSoftmaxFVectorized, float>(4, Cost.CrossEntropy, L(5, Tanh), L(3, Softmax)),
            Both<BinaryLogisticBelowOneF, BinaryLogisticBelowOneFVectorized, float>(3, Cost.BinaryCrossEntropy, L(4, Elu), L(2, Logistic) with { Max = 0.9, Steepness = 0.7, Midpoint = 0.1 }),
            Both<BinaryLogisticF, BinaryLogisticFVectorized, float>(2, Cost.BinaryCrossEntropy, L(2, Logistic)),
            Both<BinaryTanhSoftmaxF, BinaryTanhSoftmaxFVectorized, float>(3, Cost.BinaryCrossEntropy, L(4, Tanh), L(3, Softmax)),
            Both<MeanSoftmaxCustomLogisticF, MeanSoftmaxCustomLogisticFVectorized, float>(3, Cost.MeanSquaredError, L(4, Relu), L(3, Softmax), L(2, Logistic) with { Max = 2, Steepness = -1.5, Midpoint = 0.3 }),
            One<RowSplitTanhF, float>(48, Cost.CrossEntropy, L(40, Tanh), L(12, Relu), L(3, Softmax)),
            One<RowSplitLogisticF, float>(33, Cost.BinaryCrossEntropy, L(50, Logistic) with { Max = 1.5, Steepness = 0.8, Midpoint = 0.2 }, L(6, Logistic)),
            One<UnrolledBatchInMatrixFormF, float>(10, Cost.CrossEntropy, L(10, Tanh), L(10, Softmax)),
        }.SelectMany(c => c).ToDictionary(c => c.Name);

        public static TheoryData<string> DoubleNames => new(Double.Keys);

        /// <summary>The spec of a network of either precision, by class name.</summary>
        public static NetSpec SpecOf(string name) => Double.TryGetValue(name, out NetCase<double>? d) ? d.Spec : Single[name].Spec;

        public static TheoryData<string> SingleNames => new(Single.Keys);

        private static RefLayer L(int size, Activation activation) => new(size, activation);

        // A network declared unrolled and its vectorised twin, both checked against one spec.
        private static NetCase<double>[] Both<TUnrolled, TVectorized>(int inputs, Cost cost, params RefLayer[] layers)
            where TUnrolled : INetwork<double>, new()
            where TVectorized : INetwork<double>, new() =>
            Both<TUnrolled, TVectorized, double>(inputs, cost, layers);

        private static NetCase<T>[] Both<TUnrolled, TVectorized, T>(int inputs, Cost cost, params RefLayer[] layers)
            where TUnrolled : INetwork<T>, new()
            where TVectorized : INetwork<T>, new()
            where T : unmanaged
        {
            var spec = new NetSpec(inputs, cost, layers);
            return new[]
            {
                new NetCase<T>(typeof(TUnrolled).Name, () => new TUnrolled(), spec),
                new NetCase<T>(typeof(TVectorized).Name, () => new TVectorized(), spec),
            };
        }

        private static NetCase<double>[] One<TNet>(int inputs, Cost cost, params RefLayer[] layers)
            where TNet : INetwork<double>, new() =>
            One<TNet, double>(inputs, cost, layers);

        private static NetCase<T>[] One<TNet, T>(int inputs, Cost cost, params RefLayer[] layers)
            where TNet : INetwork<T>, new()
            where T : unmanaged =>
            new[] { new NetCase<T>(typeof(TNet).Name, () => new TNet(), new NetSpec(inputs, cost, layers)) };
    }
}
