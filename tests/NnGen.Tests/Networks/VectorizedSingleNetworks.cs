// The float networks of SingleNetworks.cs again, with every layer forced to the vectorised code shape, so that
// every correctness test runs on both shapes. Keep the two files in step: Catalog.cs registers each
// declaration with its twin under one spec.

namespace NnGen.Tests.Networks
{
    [Network(Inputs = 2, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class SeedNetFVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyTanhSoftmaxFVectorized { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Elu)]
    [Layer(2, Activation.Logistic, Max = 0.9, Steepness = 0.7, Midpoint = 0.1)]
    public partial class BinaryLogisticBelowOneFVectorized { }

    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Relu)]
    [Layer(3, Activation.Softmax)]
    [Layer(2, Activation.Logistic, Max = 2, Steepness = -1.5, Midpoint = 0.3)]
    public partial class MeanSoftmaxCustomLogisticFVectorized { }

    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(2, Activation.Logistic)]
    public partial class BinaryLogisticFVectorized { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryTanhSoftmaxFVectorized { }
}
