using NnGen.Generator.Common;
using NnGen.Generator.Reading;

namespace NnGen.Generator.Validation
{
    /// <summary>A network that passed validation: every value defined, in range and consistent.</summary>
    /// <remarks>
    /// It holds no location: a model compares equal after an edit that only moves the declaration, so the
    /// code is not emitted again. Where diagnostics point is in <see cref="NetworkSites"/>.
    /// </remarks>
    internal sealed record NetworkModel(
        TypeShape Type,
        int Inputs,
        CostKind Cost,
        PrecisionKind Precision,
        CodeShapeKind CodeShape,
        EquatableArray<LayerModel> Layers,
        WeightsReference? Weights = null,
        BakedWeights? Baked = null);

    /// <summary>The weights file a declaration names, and the layers of it to bake (none: every layer of the file).</summary>
    internal sealed record WeightsReference(string Name, EquatableArray<string> Layers = default);

    /// <summary>Where diagnostics found after validation point: the [Network] attribute and its Weights argument.</summary>
    internal sealed record NetworkSites(LocationInfo? Attribute, LocationInfo? Weights);

    /// <summary>
    /// Parameters read from a weights file at compile time, in the flat layout of Parameters and in the
    /// file's values (float32 values widened exactly); the emitter rounds them to the network's precision
    /// as WeightsFile.Load does, so baked and loaded networks hold the same bits.
    /// </summary>
    internal sealed record BakedWeights(string FileName, string Description, EquatableArray<double> Values);

    /// <summary>A validated layer. Parameters that its activation ignores hold their defaults.</summary>
    internal sealed record LayerModel(LayerSpec Spec)
    {
        public LayerModel(int size, ActivationKind activation, double alpha, double max, double steepness, double midpoint)
            : this(new LayerSpec(size, (int)activation, alpha, max, steepness, midpoint))
        {
        }

        public int Size => Spec.Size;

        public ActivationKind Activation => (ActivationKind)Spec.Activation;
    }

    /// <summary>The outcome of validation: a model when there is no error, and every diagnostic found.</summary>
    /// <param name="ForTarget">Diagnostics that hold for one kind of runtime only (see <see cref="TargetDiagnostic"/>).</param>
    internal sealed record ValidationResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, NetworkSites Sites, EquatableArray<TargetDiagnostic> ForTarget = default);

    /// <summary>
    /// A diagnostic that holds only where the project's runtime has Vector128 lanes (TargetRuntime.HasLanes), or only where
    /// it has not: a baked network's NNG027, whose Forward and Loss compute in lanes on .NET 8+ and as scalars elsewhere.
    /// </summary>
    internal sealed record TargetDiagnostic(DiagnosticInfo Diagnostic, bool Lanes);
}
