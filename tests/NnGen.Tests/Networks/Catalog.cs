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
            Case<SeedNetD>(2, Cost.SquaredError, L(3, Tanh), L(4, Tanh), L(2, Identity)),
            Case<SquaredReluTanh>(3, Cost.SquaredError, L(4, Relu), L(2, Tanh)),
            Case<SquaredTanhRelu>(3, Cost.SquaredError, L(4, Tanh), L(3, Relu)),
            Case<SquaredLogisticElu>(3, Cost.SquaredError, L(5, Logistic), L(2, Elu) with { Alpha = 0.7 }),
            Case<SquaredEluLogistic>(2, Cost.SquaredError, L(4, Elu), L(3, Logistic)),
            Case<SquaredTanhSoftmax>(3, Cost.SquaredError, L(4, Tanh), L(3, Softmax)),
            Case<HalfCustomLogisticIdentity>(4, Cost.HalfSquaredError, L(3, Logistic) with { Max = 2, Steepness = -1.5, Midpoint = 0.3 }, L(2, Identity)),
            Case<HalfSoftmaxTanh>(3, Cost.HalfSquaredError, L(3, Softmax), L(2, Tanh)),
            Case<HalfTanhCustomLogistic>(2, Cost.HalfSquaredError, L(3, Tanh), L(2, Logistic) with { Max = 1.5, Steepness = 2, Midpoint = -0.5 }),
            Case<MeanReluReluIdentity>(3, Cost.MeanSquaredError, L(5, Relu), L(4, Relu), L(2, Identity)),
            Case<MeanEluSoftmax>(2, Cost.MeanSquaredError, L(3, Elu) with { Alpha = 2 }, L(3, Softmax)),
            Case<MeanIdentityTanh>(3, Cost.MeanSquaredError, L(2, Identity), L(3, Tanh)),
            Case<CrossEntropyTanhSoftmax>(4, Cost.CrossEntropy, L(5, Tanh), L(3, Softmax)),
            Case<CrossEntropyDeepHiddenSoftmax>(3, Cost.CrossEntropy, L(4, Relu), L(4, Softmax), L(3, Elu), L(3, Softmax)),
            Case<CrossEntropyTanhLogistic>(3, Cost.CrossEntropy, L(4, Tanh), L(2, Logistic)),
            Case<CrossEntropyCustomLogistic>(3, Cost.CrossEntropy, L(3, Identity), L(2, Logistic) with { Max = 0.8, Steepness = 2, Midpoint = -0.2 }),
            Case<BinaryTanhLogistic>(3, Cost.BinaryCrossEntropy, L(4, Tanh), L(3, Logistic)),
            Case<BinarySteepLogistic>(2, Cost.BinaryCrossEntropy, L(3, Relu), L(2, Logistic) with { Steepness = -1.7, Midpoint = 0.4 }),
            Case<BinaryLogisticBelowOne>(3, Cost.BinaryCrossEntropy, L(4, Elu), L(2, Logistic) with { Max = 0.9, Steepness = 0.7, Midpoint = 0.1 }),
            Case<BinaryLogisticSoftmax>(3, Cost.BinaryCrossEntropy, L(4, Logistic), L(3, Softmax)),
            Case<SingleLayerLinear>(3, Cost.SquaredError, L(2, Identity)),
            Case<SingleLayerSoftmax>(4, Cost.CrossEntropy, L(3, Softmax)),
            Case<FiveLayers>(2, Cost.HalfSquaredError, L(3, Tanh), L(3, Relu), L(3, Logistic), L(3, Elu), L(2, Identity)),
            Case<PairSoftmaxIdentity>(2, Cost.SquaredError, L(2, Softmax), L(2, Identity)),
        }.ToDictionary(c => c.Name);

        public static readonly IReadOnlyDictionary<string, NetCase<float>> Single = new[]
        {
            Case<SeedNetF, float>(2, Cost.SquaredError, L(3, Tanh), L(4, Tanh), L(2, Identity)),
            Case<CrossEntropyTanhSoftmaxF, float>(4, Cost.CrossEntropy, L(5, Tanh), L(3, Softmax)),
            Case<BinaryLogisticBelowOneF, float>(3, Cost.BinaryCrossEntropy, L(4, Elu), L(2, Logistic) with { Max = 0.9, Steepness = 0.7, Midpoint = 0.1 }),
            Case<BinaryLogisticF, float>(2, Cost.BinaryCrossEntropy, L(2, Logistic)),
            Case<MeanSoftmaxCustomLogisticF, float>(3, Cost.MeanSquaredError, L(4, Relu), L(3, Softmax), L(2, Logistic) with { Max = 2, Steepness = -1.5, Midpoint = 0.3 }),
        }.ToDictionary(c => c.Name);

        public static TheoryData<string> DoubleNames => new(Double.Keys);

        public static TheoryData<string> SingleNames => new(Single.Keys);

        private static RefLayer L(int size, Activation activation) => new(size, activation);

        private static NetCase<double> Case<TNet>(int inputs, Cost cost, params RefLayer[] layers)
            where TNet : INetwork<double>, new() =>
            Case<TNet, double>(inputs, cost, layers);

        private static NetCase<T> Case<TNet, T>(int inputs, Cost cost, params RefLayer[] layers)
            where TNet : INetwork<T>, new()
            where T : unmanaged =>
            new(typeof(TNet).Name, () => new TNet(), new NetSpec(inputs, cost, layers));
    }
}
