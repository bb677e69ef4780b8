using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// A [Network] class as written, before validation: raw attribute values (enums as ints, since
    /// they may be undefined) and where each one came from. Only equatable values, so that the
    /// pipeline can cache it; no symbol or syntax survives the read.
    /// </summary>
    internal sealed record NetworkDeclaration(
        TypeShape Type,
        LocationInfo? AttributeLocation,
        NamedValue<int> Inputs,
        NamedValue<int> Cost,
        NamedValue<int> Precision,
        NamedValue<int> CodeShape,
        NamedValue<string?> Weights,
        NamedValue<EquatableArray<string>?> WeightsLayers,
        EquatableArray<LayerDeclaration> Layers,
        StructuralProblems Problems);

    /// <summary>One [Layer] attribute as written.</summary>
    internal sealed record LayerDeclaration(
        int Size,
        int Activation,
        LocationInfo? Location,
        LocationInfo? SizeLocation,
        LocationInfo? ActivationLocation,
        NamedValue<double> Alpha,
        NamedValue<double> Max,
        NamedValue<double> Steepness,
        NamedValue<double> Midpoint);

    /// <summary>A named attribute argument: its value (the default when absent) and where it was set.</summary>
    internal readonly record struct NamedValue<T>(T Value, bool IsSet, LocationInfo? Location);

    /// <summary>What is wrong with the class itself rather than with an attribute's values.</summary>
    internal sealed record StructuralProblems(
        bool IsPartial,
        bool IsStatic,
        string? NonPartialContainingType,
        bool LayersSplitAcrossDeclarations,
        EquatableArray<MemberConflict> MemberConflicts,
        string? FileLocalType,
        string? BaseNetwork,
        string? CompiledOutputCopy,
        string? OldLanguageVersion);

    /// <summary>A member the user declared (or inherited) under a name that the generator emits.</summary>
    internal sealed record MemberConflict(string MemberName, string Existing, LocationInfo? Location);

    /// <summary>
    /// The declaration around the generated members: namespace, containing types, the class header, with
    /// keywords used as names escaped ("@class"). <see cref="Key"/> tells every type of the compilation apart
    /// (case, arity and file-local types included); the generator turns it into a unique hint name.
    /// </summary>
    internal sealed record TypeShape(
        string Namespace,
        EquatableArray<ContainingType> ContainingTypes,
        string Keyword,
        string Name,
        string TypeParameters,
        string DisplayName,
        string Key);

    internal sealed record ContainingType(string Keyword, string NameWithTypeParameters);
}
