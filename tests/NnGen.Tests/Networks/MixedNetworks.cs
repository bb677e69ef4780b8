// Networks left to CodeShape.Auto whose sizes make it mix the two shapes, so every boundary is
// exercised: a vectorised layer feeding an unrolled one and the reverse, with a hidden softmax and
// a softmax output on either side. (On .NET 8 and later, Auto unrolls a layer of at most 224
// multiply-adds, and all unrolled layers together up to 768.)

namespace NnGen.Tests.Networks
{
    // 20×16 = 320 vectorised → 16×3 = 48 unrolled.
    [Network(Inputs = 20, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
    [Layer(16, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class MixedVectorThenUnrolled { }

    // 3×4 unrolled → 4×70 = 280 vectorised → 70×2 = 140 unrolled.
    [Network(Inputs = 3, Cost = Cost.MeanSquaredError, Precision = Precision.Double)]
    [Layer(4, Activation.Relu)]
    [Layer(70, Activation.Elu, Alpha = 0.5)]
    [Layer(2, Activation.Identity)]
    public partial class MixedUnrolledVectorUnrolled { }

    // 4×70 vectorised hidden softmax → 70×3 = 210 unrolled → 3×2 unrolled logistic output with BCE.
    [Network(Inputs = 4, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double)]
    [Layer(70, Activation.Softmax)]
    [Layer(3, Activation.Tanh)]
    [Layer(2, Activation.Logistic)]
    public partial class MixedHiddenSoftmax { }

    // 2×3 unrolled → 3×100 = 300 vectorised softmax output with binary cross-entropy.
    [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double)]
    [Layer(3, Activation.Logistic, Max = 2, Steepness = -1.5, Midpoint = 0.3)]
    [Layer(100, Activation.Softmax)]
    public partial class MixedSoftmaxBinaryOutput { }
}

namespace NnGen.Tests.Networks
{
    // Unrolled with a fan-in of 40 and of 20: sums split into eight and four partial chains.
    // Its input-gradient members pass the JIT's size limit (NNG027) and run unoptimised, which tests of their results do not mind.
    #pragma warning disable NNG027
    [Network(Inputs = 40, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(20, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class WideUnrolled { }
    #pragma warning restore NNG027
}

namespace NnGen.Tests.Networks
{
    // Issue 9's reproducer: every layer vectorised, so Accumulate sums W(l+1)ᵀ δ(l+1) into stack spans.
    // Under [module: SkipLocalsInit] those spans start with whatever the stack held.
    [Network(Inputs = 40, Cost = Cost.SquaredError, Precision = Precision.Double)]
    [Layer(70, Activation.Tanh)]
    [Layer(33, Activation.Tanh)]
    [Layer(10, Activation.Identity)]
    public partial class Vectorized40_70_33_10 { }

    // A small unrolled layer (8×12) before a wide vectorised one (12×300): δ(1) reads 300-term columns
    // of W(2), which Auto builds by rows in a span rather than writing out term by term.
    [Network(Inputs = 8, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
    [Layer(12, Activation.Tanh)]
    [Layer(300, Activation.Softmax)]
    public partial class SmallBeforeWide { }

    // The same boundary with a hidden softmax on the unrolled side.
    [Network(Inputs = 3, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(4, Activation.Softmax)]
    [Layer(90, Activation.Logistic)]
    [Layer(2, Activation.Identity)]
    public partial class SoftmaxBeforeWide { }
}

namespace NnGen.Tests.Networks
{
    // Float layers wide enough for ForwardBatch to pack W (40×33 and 33×20 multiply-adds, rows that fill no
    // whole number of 16-row panels).
    [Network(Inputs = 40, Cost = Cost.CrossEntropy, Precision = Precision.Single)]
    [Layer(33, Activation.Tanh)]
    [Layer(20, Activation.Softmax)]
    public partial class PackedFloat40_33_20 { }

    // Every layer unrolled under Auto, but 4×32 + 32×2 = 192 weights: AccumulateBatch runs the matrix form
    // (NetworkPlan.BatchMatrixFromWeights), not Accumulate per sample. The CartPole sample's shape.
    [Network(Inputs = 4, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(32, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class UnrolledBatchInMatrixForm { }

    // The same in float with a softmax output: 10×10 + 10×10 = 200 weights, every layer unrolled.
    [Network(Inputs = 10, Cost = Cost.CrossEntropy)]
    [Layer(10, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class UnrolledBatchInMatrixFormF { }
}

namespace NnGen.Tests.Networks
{
    // 22 hidden layers of 6, too narrow for Auto to vectorise with profit: in one method, Accumulate and the members that
    // return an input gradient would pass the JIT's 20,000-instruction limit, so they are written in runs of layers, one
    // local function each (MemberSplit). Checked against the reference MLP and finite differences like every network here.
    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Elu)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Logistic)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Relu)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Identity)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Elu)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Logistic)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Relu)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Identity)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Elu)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Logistic)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Relu)]
    [Layer(3, Activation.Softmax)]
    public partial class SplitDeepNarrow { }
}
