// Networks with baked weights: each declares the shape of a trainable twin elsewhere in this project
// and compiles in the weights file under Weights/ saved from that twin (see BakedWeightsFilesTests).

namespace NnGen.Tests.Networks
{
    // Unrolled float with FastMath tanh.
    [Network(Inputs = 2, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled, Weights = "seed-f.nngw")]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class BakedSeedNetF { }

    // Vectorised float with a hidden softmax and a custom logistic output.
    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, CodeShape = CodeShape.Vectorized, Weights = "Weights/custom-logistic-f-vectorized.nngw")]
    [Layer(4, Activation.Relu)]
    [Layer(3, Activation.Softmax)]
    [Layer(2, Activation.Logistic, Max = 2, Steepness = -1.5, Midpoint = 0.3)]
    public partial class BakedCustomLogisticFVectorized { }

    // Double, Auto: unrolled → vectorised → unrolled.
    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, Precision = Precision.Double, Weights = "mixed-d.nngw")]
    [Layer(4, Activation.Relu)]
    [Layer(70, Activation.Elu, Alpha = 0.5)]
    [Layer(2, Activation.Identity)]
    public partial class BakedMixed { }

    // Double from a PyTorch-style safetensors file of F32 tensors.
    [Network(Inputs = 4, Cost = Cost.CrossEntropy, Precision = Precision.Double, Weights = "cross-entropy-d.safetensors")]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class BakedCrossEntropy { }
}
