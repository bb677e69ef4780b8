namespace NnGen.Tests.Networks
{
    // Wide first layers of several panels of rows (16 in float, 8 in double), with a last panel that is not full,
    // for IRowSplitTraining and the Trainer's threads that split layer 1 by rows.
    [Network(Inputs = 70, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(20, Activation.Elu, Alpha = 0.5)]
    [Layer(4, Activation.Identity)]
    public partial class RowSplitEluDouble { }

    [Network(Inputs = 48, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(40, Activation.Tanh)]
    [Layer(12, Activation.Relu)]
    [Layer(3, Activation.Softmax)]
    public partial class RowSplitTanhF { }

    [Network(Inputs = 33, Cost = Cost.BinaryCrossEntropy)]
    [Layer(50, Activation.Logistic, Max = 1.5, Steepness = 0.8, Midpoint = 0.2)]
    [Layer(6, Activation.Logistic)]
    public partial class RowSplitLogisticF { }

    // 132 panels of float rows (the last of 4): with two threads each home has more tiles than a thread gets units, so
    // several tiles make one unit. Not in the catalog, whose finite-difference checks would take long over 12,600
    // weights.
    [Network(Inputs = 6, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
    [Layer(2100, Activation.Tanh)]
    [Layer(3, Activation.Softmax)]
    public partial class RowSplitVeryWideF { }
}
