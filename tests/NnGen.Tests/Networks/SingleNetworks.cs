// Float networks: the default precision, checked against the double reference with float tolerances.

namespace NnGen.Tests.Networks
{
    [Network(Inputs = 2, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class SeedNetF { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyTanhSoftmaxF { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Elu)]
    [Layer(2, Activation.Logistic, Max = 0.9, Steepness = 0.7, Midpoint = 0.1)]
    public partial class BinaryLogisticBelowOneF { }

    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Relu)]
    [Layer(3, Activation.Softmax)]
    [Layer(2, Activation.Logistic, Max = 2, Steepness = -1.5, Midpoint = 0.3)]
    public partial class MeanSoftmaxCustomLogisticF { }

    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(2, Activation.Logistic)]
    public partial class BinaryLogisticF { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryTanhSoftmaxF { }
}
