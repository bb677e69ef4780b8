namespace NnGen.Generator.Common
{
    // The generator does not load NnGen.Attributes (an analyzer must not depend on the user's
    // references), so it mirrors the three enums by value. A test checks that the values agree.

    internal enum ActivationKind
    {
        Identity = 0,
        Logistic = 1,
        Tanh = 2,
        Relu = 3,
        Elu = 4,
        Softmax = 5,
    }

    internal enum CostKind
    {
        SquaredError = 0,
        HalfSquaredError = 1,
        MeanSquaredError = 2,
        CrossEntropy = 3,
        BinaryCrossEntropy = 4,
    }

    internal enum PrecisionKind
    {
        Single = 0,
        Double = 1,
    }

    internal enum CodeShapeKind
    {
        Auto = 0,
        Unrolled = 1,
        Vectorized = 2,
    }
}
