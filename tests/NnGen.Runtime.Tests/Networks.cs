namespace NnGen.Runtime.Tests
{
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class DigitsNet { }

    // Same layer count, another hidden size: a weights file of one must not load into the other.
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
    [Layer(16, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class NarrowDigitsNet { }

    // Same sizes, another activation.
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
    [Layer(32, Activation.Relu)]
    [Layer(10, Activation.Softmax)]
    public partial class ReluDigitsNet { }

    [Network(Inputs = 64, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class DigitsNetDouble { }

    [Network(Inputs = 2, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(3, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class TinyNet { }

    // Layer 1 holds less than half of the multiply-adds, so threads split its minibatches by samples; 25,348 parameters,
    // enough for the threads to step their slices of them in a job of their own.
    [Network(Inputs = 64, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(128, Activation.Tanh)]
    [Layer(128, Activation.Tanh)]
    [Layer(4, Activation.Identity)]
    public partial class SampleSplitNet { }

    // Vectorised, so that the Trainer's gathered AccumulateBatch runs the batch kernels.
    [Network(Inputs = 40, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(24, Activation.Relu)]
    [Layer(5, Activation.Softmax)]
    public partial class WideDoubleNet { }

    [Network(Inputs = 40, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(24, Activation.Tanh)]
    [Layer(5, Activation.Softmax)]
    public partial class WideSingleNet { }

    // Layer 1 holds little of the work (128 of 1,088 multiply-adds), so threads split the samples, not its rows.
    [Network(Inputs = 8, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(16, Activation.Tanh)]
    [Layer(48, Activation.Relu)]
    [Layer(4, Activation.Softmax)]
    public partial class TailHeavyDoubleNet { }

    // What torch.nn.Sequential(Linear(4, 5), ReLU(), Linear(5, 3)) computes.
    [Network(Inputs = 4, Cost = Cost.SquaredError)]
    [Layer(5, Activation.Relu)]
    [Layer(3, Activation.Identity)]
    public partial class TorchLikeNet { }

    // Three layers, so safetensors names "0", "2", "10" must sort naturally.
    [Network(Inputs = 2, Cost = Cost.SquaredError)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class ThreeLayerNet { }

    // Two layers of the same shape, so one safetensors layer can be imported into both.
    [Network(Inputs = 2, Cost = Cost.SquaredError)]
    [Layer(2, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class TwoByTwoNet { }

    // 131,328 parameters: a stream that claims its tensors but holds a few bytes must not make Import allocate for them.
    [Network(Inputs = 512, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(256, Activation.Identity)]
    public partial class WideLinearNet { }

    // Linear regression, y = w x + b: what a robust loss is for.
    [Network(Inputs = 1, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(1, Activation.Identity)]
    public partial class LineNet { }

    // The same in float: the smallest network, for sets of many samples.
    [Network(Inputs = 1, Cost = Cost.HalfSquaredError)]
    [Layer(1, Activation.Identity)]
    public partial class FloatLineNet { }

    // A Q-network's shape: four actions, one value each.
    [Network(Inputs = 3, Cost = Cost.HalfSquaredError)]
    [Layer(8, Activation.Tanh)]
    [Layer(4, Activation.Identity)]
    public partial class QNet { }

    // DigitsNet with logits for outputs, for a softmax cross-entropy in the loss function; the declared cost goes unused.
    [Network(Inputs = 64, Cost = Cost.HalfSquaredError)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Identity)]
    public partial class DigitsLogitsNet { }

    // All unrolled: AccumulateBatch calls Accumulate per sample.
    [Network(Inputs = 3, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Identity)]
    public partial class SmallLogitsNet { }

    // SmallLogitsNet's shape with a softmax output, in float.
    [Network(Inputs = 3, Cost = Cost.CrossEntropy)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class SmallSoftmaxNet { }

    // And with logits, in float.
    [Network(Inputs = 3, Cost = Cost.HalfSquaredError)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Identity)]
    public partial class SmallSingleLogitsNet { }

    // SmallSingleLogitsNet with a logistic output.
    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy)]
    [Layer(4, Activation.Tanh)]
    [Layer(3, Activation.Logistic)]
    public partial class SmallLogisticNet { }
}
