namespace NnGen.Tests.NoAvx2
{
    // xunit runs the tests a class inherits: each of these runs its base class's tests in this project's test host,
    // where AVX2 is off. A test class added to NnGen.Tests that covers a vector path belongs here too.
    public sealed class InferenceValueWithoutAvx2 : InferenceValueTests
    {
    }

    public sealed class WrappingInferenceValueWithoutAvx2 : WrappingInferenceValueTests
    {
    }

    public sealed class UnrolledLanesWithoutAvx2 : UnrolledLanesTests
    {
    }

    public sealed class InPlaceForwardWithoutAvx2 : InPlaceForwardTests
    {
    }

    public sealed class InferenceSnapshotWithoutAvx2 : InferenceSnapshotTests
    {
    }

    public sealed class AllocationWithoutAvx2 : AllocationTests
    {
    }
}
