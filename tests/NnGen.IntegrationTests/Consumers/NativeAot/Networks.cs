using NnGen;

namespace NativeAotConsumer
{
    // Trained here, unrolled: every sum in a fixed order, so training gives the same bits under the JIT and NativeAOT.
    [Network(Inputs = 64, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(8, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class UnrolledDigits { }

    // Logits out, trained with a loss function of the runtime instead of a declared cost.
    [Network(Inputs = 64, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(8, Activation.Elu)]
    [Layer(10, Activation.Identity)]
    public partial class LogitDigits { }

    [Network(Inputs = 64, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(8, Activation.Logistic)]
    [Layer(10, Activation.Softmax)]
    public partial class DoubleDigits { }

    // Auto vectorises both layers: the trainer's minibatches run the matrix kernels, whose sums follow the widest vector
    // the code may use, so the trained weights are not promised to agree between the JIT and NativeAOT; their accuracy is.
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class AutoDigits { }
}
