// The networks every settings consumer compiles. The placeholder lines around them become a block
// namespace, a file-scoped one, or nothing (the global namespace), per consumer.
using NnGen;

NAMESPACE_OPEN
    // Unrolled (Auto, small): locals and FastMath.Tanh.
    [Network(Inputs = 3, Cost = Cost.CrossEntropy)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    internal sealed partial class SmallNet { }

    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
    [Layer(5, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    internal sealed partial class SmallNetDouble { }

    // Issue 9's reproducer: vectorised layers, whose Accumulate sums into stack spans.
    [Network(Inputs = 40, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(70, Activation.Tanh)]
    [Layer(33, Activation.Tanh)]
    [Layer(10, Activation.Identity)]
    internal sealed partial class WideNet { }

    [Network(Inputs = 40, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(70, Activation.Tanh)]
    [Layer(33, Activation.Tanh)]
    [Layer(10, Activation.Identity)]
    internal sealed partial class WideNetDouble { }

#if NNGEN_SOFTMAX_BINARY
    // Binary cross-entropy after softmax, whose largest output is taken relative to the second-largest z: in locals,
    // and in stack spans (f, u) that must be written before they are read.
    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy)]
    [Layer(4, Activation.Tanh)]
    [Layer(6, Activation.Softmax)]
    internal sealed partial class SoftmaxBinaryNet { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double)]
    [Layer(4, Activation.Tanh)]
    [Layer(6, Activation.Softmax)]
    internal sealed partial class SoftmaxBinaryNetDouble { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Tanh)]
    [Layer(6, Activation.Softmax)]
    internal sealed partial class SoftmaxBinarySpansNet { }

    [Network(Inputs = 3, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(4, Activation.Tanh)]
    [Layer(6, Activation.Softmax)]
    internal sealed partial class SoftmaxBinarySpansNetDouble { }
#endif

    // Auto mixing the shapes: a small unrolled layer before a wide vectorised one, Elu and Logistic.
    [Network(Inputs = 8, Cost = Cost.BinaryCrossEntropy)]
    [Layer(12, Activation.Elu, Alpha = 0.5)]
    [Layer(90, Activation.Logistic)]
    internal sealed partial class MixedNet { }

    [Network(Inputs = 8, Cost = Cost.BinaryCrossEntropy, Precision = Precision.Double)]
    [Layer(12, Activation.Elu, Alpha = 0.5)]
    [Layer(90, Activation.Logistic)]
    internal sealed partial class MixedNetDouble { }

    // Vectorised layers of one panel each: the InferenceValue computes them inline (AVX-512 or AVX2 branches).
    [Network(Inputs = 6, Cost = Cost.SquaredError, CodeShape = CodeShape.Vectorized)]
    [Layer(12, Activation.Tanh)]
    [Layer(5, Activation.Identity)]
    internal sealed partial class PanelNet { }

    [Network(Inputs = 6, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(12, Activation.Tanh)]
    [Layer(5, Activation.Identity)]
    internal sealed partial class PanelNetDouble { }

    // A double panel is 8 rows: this one's InferenceValue holds panels (PanelNetDouble's 12 rows do not fit).
    [Network(Inputs = 6, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(6, Activation.Tanh)]
    [Layer(5, Activation.Identity)]
    internal sealed partial class PanelValueDouble { }

#if NNGEN_DEEP
    // 22 narrow layers, which Auto leaves unrolled: in one method Accumulate would pass the JIT's limit, so it is written
    // in runs of layers, local functions that take the member's parameters again and pass δ back through out arguments.
    [Network(Inputs = 1, Cost = Cost.HalfSquaredError)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    internal sealed partial class DeepNet { }

    [Network(Inputs = 1, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    internal sealed partial class DeepNetDouble { }
#endif

#if NNGEN_DEEP_LANES
    // 44 narrow layers: the snapshot's Forward, in Vector128 lanes, is split between layers too (lanes past the JIT's
    // 60,000 bytes of IL). In float a(l) crosses the cut in its vectors, in double (no vector tanh) as scalars.
    [Network(Inputs = 1, Cost = Cost.HalfSquaredError)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    internal sealed partial class DeepLanes { }

    [Network(Inputs = 1, Cost = Cost.HalfSquaredError, Precision = Precision.Double)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    internal sealed partial class DeepLanesDouble { }
#endif
NAMESPACE_CLOSE
