using NnGen.Generator.Common;
using NnGen.Generator.Reading;

namespace NnGen.Generator.Validation
{
    /// <summary>A network that passed validation: every value defined, in range and consistent.</summary>
    internal sealed record NetworkModel(
        TypeShape Type,
        LocationInfo? AttributeLocation,
        int Inputs,
        CostKind Cost,
        PrecisionKind Precision,
        CodeShapeKind CodeShape,
        EquatableArray<LayerModel> Layers);

    /// <summary>A validated layer. Parameters that its activation ignores hold their defaults.</summary>
    internal sealed record LayerModel(
        int Size,
        ActivationKind Activation,
        double Alpha,
        double Max,
        double Steepness,
        double Midpoint);

    /// <summary>The outcome of validation: a model when there is no error, and every diagnostic found.</summary>
    internal sealed record ValidationResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}
