// Every activation as a hidden layer and every output activation, under every cost, in both code
// shapes, plus double precision: the whole generated surface, compiled here the way Unity compiles it
// (netstandard2.1, C# 9, no unsafe). One class per combination.
using NnGen;

namespace UnityLike
{
    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Logistic)]
    public partial class SquaredErrorIdentityLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Logistic)]
    public partial class SquaredErrorIdentityLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Tanh)]
    public partial class SquaredErrorLogisticTanhUnrolled { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Tanh)]
    public partial class SquaredErrorLogisticTanhVectorized { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class SquaredErrorTanhReluUnrolled { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class SquaredErrorTanhReluVectorized { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Elu)]
    public partial class SquaredErrorReluEluUnrolled { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Elu)]
    public partial class SquaredErrorReluEluVectorized { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class SquaredErrorEluSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class SquaredErrorEluSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Identity)]
    public partial class SquaredErrorSoftmaxIdentityUnrolled { }

    [Network(Inputs = 4, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Identity)]
    public partial class SquaredErrorSoftmaxIdentityVectorized { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Logistic)]
    public partial class HalfSquaredErrorIdentityLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Logistic)]
    public partial class HalfSquaredErrorIdentityLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Tanh)]
    public partial class HalfSquaredErrorLogisticTanhUnrolled { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Tanh)]
    public partial class HalfSquaredErrorLogisticTanhVectorized { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class HalfSquaredErrorTanhReluUnrolled { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class HalfSquaredErrorTanhReluVectorized { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Elu)]
    public partial class HalfSquaredErrorReluEluUnrolled { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Elu)]
    public partial class HalfSquaredErrorReluEluVectorized { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class HalfSquaredErrorEluSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class HalfSquaredErrorEluSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Identity)]
    public partial class HalfSquaredErrorSoftmaxIdentityUnrolled { }

    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Identity)]
    public partial class HalfSquaredErrorSoftmaxIdentityVectorized { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Logistic)]
    public partial class MeanSquaredErrorIdentityLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Logistic)]
    public partial class MeanSquaredErrorIdentityLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Tanh)]
    public partial class MeanSquaredErrorLogisticTanhUnrolled { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Tanh)]
    public partial class MeanSquaredErrorLogisticTanhVectorized { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class MeanSquaredErrorTanhReluUnrolled { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Relu)]
    public partial class MeanSquaredErrorTanhReluVectorized { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Elu)]
    public partial class MeanSquaredErrorReluEluUnrolled { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Elu)]
    public partial class MeanSquaredErrorReluEluVectorized { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class MeanSquaredErrorEluSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class MeanSquaredErrorEluSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Identity)]
    public partial class MeanSquaredErrorSoftmaxIdentityUnrolled { }

    [Network(Inputs = 4, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Identity)]
    public partial class MeanSquaredErrorSoftmaxIdentityVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyIdentitySoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyIdentitySoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Logistic)]
    public partial class CrossEntropyLogisticLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Logistic)]
    public partial class CrossEntropyLogisticLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyTanhSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyTanhSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Logistic)]
    public partial class CrossEntropyReluLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Logistic)]
    public partial class CrossEntropyReluLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyEluSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class CrossEntropyEluSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Logistic)]
    public partial class CrossEntropySoftmaxLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Logistic)]
    public partial class CrossEntropySoftmaxLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryCrossEntropyIdentitySoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Identity)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryCrossEntropyIdentitySoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryCrossEntropyLogisticLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Logistic)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryCrossEntropyLogisticLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryCrossEntropyTanhSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryCrossEntropyTanhSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryCrossEntropyReluLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryCrossEntropyReluLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryCrossEntropyEluSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Elu, Alpha = 0.5)]
    [Layer(3, Activation.Softmax)]
    public partial class BinaryCrossEntropyEluSoftmaxVectorized { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryCrossEntropySoftmaxLogisticUnrolled { }

    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Softmax)]
    [Layer(3, Activation.Logistic)]
    public partial class BinaryCrossEntropySoftmaxLogisticVectorized { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class DoubleTanhSoftmaxUnrolled { }

    [Network(Inputs = 4, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class DoubleTanhSoftmaxVectorized { }

    // One vectorised identity layer: Forward computes z straight into output, guarded by MemoryExtensions.Overlaps.
    [Network(Inputs = 16, CodeShape = CodeShape.Vectorized)]
    [Layer(16, Activation.Identity)]
    public partial class SingleIdentityLayerVectorized { }

    [Network(Inputs = 4, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(3, Activation.Identity)]
    public partial class DoubleSingleIdentityLayerVectorized { }
}
