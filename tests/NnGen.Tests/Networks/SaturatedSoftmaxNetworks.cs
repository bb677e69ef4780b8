// Binary cross-entropy after softmax, in both precisions and both code shapes, for StabilityTests: z = W(1)_{·,0} for the input (1, 0).

namespace NnGen.Tests.Networks
{
    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Softmax)]
    public partial class SoftmaxBinaryF { }

    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Softmax)]
    public partial class SoftmaxBinaryVectorizedF { }

    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(4, Activation.Softmax)]
    public partial class SoftmaxBinary { }

    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Softmax)]
    public partial class SoftmaxBinaryVectorized { }
}
