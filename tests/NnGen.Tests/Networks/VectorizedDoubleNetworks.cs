// The double networks of DoubleNetworks.cs again, with every layer forced to the vectorised code shape, so that
// every correctness test runs on both shapes. Keep the two files in step: Catalog.cs registers each
// declaration with its twin under one spec.

namespace NnGen.Tests.Networks
{
    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class SeedNetDVectorized { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Relu)]
    [Layer(2, Activation.Tanh)]
    public partial class SquaredReluTanhVectorized { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class SquaredTanhReluVectorized { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Logistic)]
    [Layer(2, Activation.Elu, Alpha = 0.7)]
    public partial class SquaredLogisticEluVectorized { }

    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Elu)]
    [Layer(3, Activation.Logistic)]
    public partial class SquaredEluLogisticVectorized { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class SquaredTanhSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Logistic, Max = 2, Steepness = -1.5, Midpoint = 0.3)]
    [Layer(2, Activation.Identity)]
    public partial class HalfCustomLogisticIdentityVectorized { }

    [Network(Inputs = 3, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Softmax)]
    [Layer(2, Activation.Tanh)]
    public partial class HalfSoftmaxTanhVectorized { }

    [Network(Inputs = 2, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Tanh)]
    [Layer(2, Activation.Logistic, Max = 1.5, Steepness = 2, Midpoint = -0.5)]
    public partial class HalfTanhCustomLogisticVectorized { }

    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Relu)]
    [Layer(4, Activation.Relu)]
    [Layer(2, Activation.Identity)]
    public partial class MeanReluReluIdentityVectorized { }

    [Network(Inputs = 2, Cost = Cost.MeanSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Elu, Alpha = 2)]
    [Layer(3, Activation.Softmax)]
    public partial class MeanEluSoftmaxVectorized { }

    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(2, Activation.Identity)]
    [Layer(3, Activation.Tanh)]
    public partial class MeanIdentityTanhVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyTanhSoftmaxVectorized { }

    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Relu)]
    [Layer(4, Activation.Softmax)]
    [Layer(3, Activation.Elu)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyDeepHiddenSoftmaxVectorized { }

    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Logistic)]
    public partial class CrossEntropyTanhLogisticVectorized { }

    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Identity)]
    [Layer(2, Activation.Logistic, Max = 0.8, Steepness = 2, Midpoint = -0.2)]
    public partial class CrossEntropyCustomLogisticVectorized { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryTanhLogisticVectorized { }

    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Relu)]
    [Layer(2, Activation.Logistic, Steepness = -1.7, Midpoint = 0.4)]
    public partial class BinarySteepLogisticVectorized { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Elu)]
    [Layer(2, Activation.Logistic, Max = 0.9, Steepness = 0.7, Midpoint = 0.1)]
    public partial class BinaryLogisticBelowOneVectorized { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Logistic)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryLogisticSoftmaxVectorized { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(2, Activation.Identity)]
    public partial class SingleLayerLinearVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Softmax)]
    public partial class SingleLayerSoftmaxVectorized { }

    [Network(Inputs = 2, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    [Layer(3, Activation.Logistic)]
    [Layer(3, Activation.Elu)]
    [Layer(2, Activation.Identity)]
    public partial class FiveLayersVectorized { }

    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(2, Activation.Softmax)]
    [Layer(2, Activation.Identity)]
    public partial class PairSoftmaxIdentityVectorized { }
}
