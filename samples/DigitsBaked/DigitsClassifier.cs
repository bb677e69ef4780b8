using NnGen;

namespace NnGen.Samples.DigitsBaked
{
    /// <summary>
    /// The digits sample's network (64 pixels → 32 tanh → 10 softmax) with the weights it trained baked in.
    /// Unrolled: every multiply-add in a fixed order, with no SIMD sum whose width depends on the CPU, so
    /// it gives the same bits under the JIT, under NativeAOT, and on every x64 or Arm machine.
    /// </summary>
    [Network(Inputs = 64, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled, Weights = "digits.nngw")]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class DigitsClassifier
    {
    }

    /// <summary>
    /// The same weights baked into vectorised layers: they are packed in panels, and each output is a fixed chain of
    /// fused multiply-adds, the same bits on every machine, also where x64 has no FMA instruction (NativeAOT's default
    /// target, where each is rounded once in software). Other bits than the unrolled network's: the sums run in
    /// another order.
    /// </summary>
    [Network(Inputs = 64, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized, Weights = "digits.nngw")]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class PackedDigitsClassifier
    {
    }
}
