namespace NnGen.Benchmarks
{
    // The digits classifier with the weights of samples/DigitsBaked/digits.nngw compiled in, in each shape.
    [Network(Inputs = 64, Cost = Cost.CrossEntropy, Weights = "digits.nngw")]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class BakedDigits { }

    [Network(Inputs = 64, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled, Weights = "digits.nngw")]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class BakedDigitsUnrolled { }

    // Trainable, so its Accumulate passes the JIT's size limit (NNG027); only its Forward, within it, is measured.
    #pragma warning disable NNG027
    [Network(Inputs = 64, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class Net64x32x10Unrolled { }
    #pragma warning restore NNG027
}
