namespace NnGen.PropertyTests
{
    // The networks the mutated files are loaded into: one of each precision, the same shape.
    [Network(Inputs = 3, Cost = Cost.SquaredError)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class FloatNet { }

    [Network(Inputs = 3, Cost = Cost.SquaredError, Precision = Precision.Double)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class DoubleNet { }
}
