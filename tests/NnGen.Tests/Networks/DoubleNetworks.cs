// Networks under test, declared as users declare them and generated at build time by the real
// generator. Together they put every activation in a hidden and in an output layer, every cost
// behind every output it accepts, a hidden softmax, custom activation parameters, and depths 1 to 5.
// Catalog.cs pairs each with an independent description for the reference MLP.

namespace NnGen.Tests.Networks
{
    // Squared error behind every output activation.
    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class SeedNetD { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Relu)]
    [Layer(2, Activation.Tanh)]
    public partial class SquaredReluTanh { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class SquaredTanhRelu { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Logistic)]
    [Layer(2, Activation.Elu, Alpha = 0.7)]
    public partial class SquaredLogisticElu { }

    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Elu)]
    [Layer(3, Activation.Logistic)]
    public partial class SquaredEluLogistic { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class SquaredTanhSoftmax { }

    // Half squared error, with custom logistic parameters and a hidden softmax.
    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Logistic, Max = 2, Steepness = -1.5, Midpoint = 0.3)]
    [Layer(2, Activation.Identity)]
    public partial class HalfCustomLogisticIdentity { }

    [Network(Inputs = 3, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Softmax)]
    [Layer(2, Activation.Tanh)]
    public partial class HalfSoftmaxTanh { }

    [Network(Inputs = 2, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Tanh)]
    [Layer(2, Activation.Logistic, Max = 1.5, Steepness = 2, Midpoint = -0.5)]
    public partial class HalfTanhCustomLogistic { }

    // Mean squared error.
    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Relu)]
    [Layer(4, Activation.Relu)]
    [Layer(2, Activation.Identity)]
    public partial class MeanReluReluIdentity { }

    [Network(Inputs = 2, Cost = Cost.MeanSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Elu, Alpha = 2)]
    [Layer(3, Activation.Softmax)]
    public partial class MeanEluSoftmax { }

    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(2, Activation.Identity)]
    [Layer(3, Activation.Tanh)]
    public partial class MeanIdentityTanh { }

    // Cross-entropy: softmax (fused) and logistic outputs.
    [Network(Inputs = 4, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyTanhSoftmax { }

    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Relu)]
    [Layer(4, Activation.Softmax)]
    [Layer(3, Activation.Elu)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyDeepHiddenSoftmax { }

    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Logistic)]
    public partial class CrossEntropyTanhLogistic { }

    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Identity)]
    [Layer(2, Activation.Logistic, Max = 0.8, Steepness = 2, Midpoint = -0.2)]
    public partial class CrossEntropyCustomLogistic { }

    // Binary cross-entropy: logistic (fused for Max = 1) and softmax outputs.
    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryTanhLogistic { }

    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Relu)]
    [Layer(2, Activation.Logistic, Steepness = -1.7, Midpoint = 0.4)]
    public partial class BinarySteepLogistic { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Elu)]
    [Layer(2, Activation.Logistic, Max = 0.9, Steepness = 0.7, Midpoint = 0.1)]
    public partial class BinaryLogisticBelowOne { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Logistic)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryLogisticSoftmax { }

    // Depths 1 and 5, and the smallest hidden softmax.
    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(2, Activation.Identity)]
    public partial class SingleLayerLinear { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Softmax)]
    public partial class SingleLayerSoftmax { }

    [Network(Inputs = 2, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    [Layer(3, Activation.Logistic)]
    [Layer(3, Activation.Elu)]
    [Layer(2, Activation.Identity)]
    public partial class FiveLayers { }

    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(2, Activation.Softmax)]
    [Layer(2, Activation.Identity)]
    public partial class PairSoftmaxIdentity { }
}

namespace NnGen.Tests.Networks
{
    // SeedNetD (2-3-4-2) split in two for the chaining test: layer 1, then layers 2 and 3.
    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double)]
    [Layer(3, Activation.Tanh)]
    public partial class SeedNetFirstLayer { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class SeedNetLastLayers { }
}
