using NnGen;

namespace NnGen.Samples.Digits
{
    /// <summary>64 pixels → 32 tanh → 10 softmax classes, trained with cross-entropy.</summary>
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class DigitsNet
    {
    }
}
