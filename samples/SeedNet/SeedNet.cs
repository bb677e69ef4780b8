using NnGen;

namespace NnGen.Samples
{
    /// <summary>
    /// The 2-3-4-2 tanh network worked through by hand in the derivation NnGen's spec cites as seed 001:
    /// two tanh hidden layers, an identity output and the squared-error cost.
    /// </summary>
    [Network(Inputs = 2, Cost = Cost.SquaredError)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class SeedNet
    {
    }
}
