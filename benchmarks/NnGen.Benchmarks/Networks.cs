namespace NnGen.Benchmarks
{
    // The three networks of the issue, each in the shape CodeShape.Auto chooses.
    [Network(Inputs = 2, Cost = Cost.SquaredError)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class Net2342 { }

    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class Net64x32x10 { }

    [Network(Inputs = 784, Cost = Cost.CrossEntropy)]
    [Layer(128, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class Net784x128x10 { }

    // The two above with logits for outputs, for SoftmaxCrossEntropyLoss.
    [Network(Inputs = 64, Cost = Cost.HalfSquaredError)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Identity)]
    public partial class Net64x32x10Logits { }

    [Network(Inputs = 784, Cost = Cost.HalfSquaredError)]
    [Layer(128, Activation.Tanh)]
    [Layer(10, Activation.Identity)]
    public partial class Net784x128x10Logits { }

    // The crossover study: one N × N tanh layer and an N × N identity layer, in each shape.
    [Network(Inputs = 8, CodeShape = CodeShape.Unrolled)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Identity)] public partial class Square8Unrolled { }
    [Network(Inputs = 8, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Identity)] public partial class Square8Vectorized { }
    [Network(Inputs = 12, CodeShape = CodeShape.Unrolled)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Identity)] public partial class Square12Unrolled { }
    [Network(Inputs = 12, CodeShape = CodeShape.Vectorized)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Identity)] public partial class Square12Vectorized { }
    [Network(Inputs = 14, CodeShape = CodeShape.Unrolled)] [Layer(14, Activation.Tanh)] [Layer(14, Activation.Identity)] public partial class Square14Unrolled { }
    [Network(Inputs = 14, CodeShape = CodeShape.Vectorized)] [Layer(14, Activation.Tanh)] [Layer(14, Activation.Identity)] public partial class Square14Vectorized { }
    [Network(Inputs = 16, CodeShape = CodeShape.Unrolled)] [Layer(16, Activation.Tanh)] [Layer(16, Activation.Identity)] public partial class Square16Unrolled { }
    [Network(Inputs = 16, CodeShape = CodeShape.Vectorized)] [Layer(16, Activation.Tanh)] [Layer(16, Activation.Identity)] public partial class Square16Vectorized { }
    // Past the JIT's size limit on purpose (NNG027): 24 and 32 measure the cliff that CodeShape.Auto avoids.
    #pragma warning disable NNG027
    [Network(Inputs = 24, CodeShape = CodeShape.Unrolled)] [Layer(24, Activation.Tanh)] [Layer(24, Activation.Identity)] public partial class Square24Unrolled { }
    #pragma warning restore NNG027
    [Network(Inputs = 24, CodeShape = CodeShape.Vectorized)] [Layer(24, Activation.Tanh)] [Layer(24, Activation.Identity)] public partial class Square24Vectorized { }
    // Past the JIT's size limit on purpose (NNG027), as above.
    #pragma warning disable NNG027
    [Network(Inputs = 32, CodeShape = CodeShape.Unrolled)] [Layer(32, Activation.Tanh)] [Layer(32, Activation.Identity)] public partial class Square32Unrolled { }
    #pragma warning restore NNG027
    [Network(Inputs = 32, CodeShape = CodeShape.Vectorized)] [Layer(32, Activation.Tanh)] [Layer(32, Activation.Identity)] public partial class Square32Vectorized { }
}
