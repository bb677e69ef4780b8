using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NnGen.Generator.Reading
{
    /// <summary>What the project's build of NnGen.Runtime offers the generated code (an equatable value for the pipeline).</summary>
    /// <param name="MatrixKernels">See <see cref="TargetRuntime.HasMatrixKernels"/>.</param>
    /// <param name="Lanes">See <see cref="TargetRuntime.HasLanes"/>.</param>
    /// <param name="NamedOptimization">See <see cref="TargetRuntime.NamesAggressiveOptimization"/>.</param>
    /// <param name="LocalFunctionAttributes">See <see cref="TargetRuntime.AllowsLocalFunctionAttributes"/>.</param>
    internal readonly record struct RuntimeFeatures(bool MatrixKernels, bool Lanes, bool NamedOptimization, bool LocalFunctionAttributes);

    /// <summary>Which build of NnGen.Runtime the project runs on, as far as CodeShape.Auto and the snapshots care.</summary>
    internal static class TargetRuntime
    {
        public static RuntimeFeatures Of(Compilation compilation) =>
            new(HasMatrixKernels(compilation), HasLanes(compilation), NamesAggressiveOptimization(compilation), AllowsLocalFunctionAttributes(compilation));

        /// <summary>
        /// True where the runtime the project references has LaneLayout (its net8.0 build, which also has
        /// FastMath.Tanh of a Vector128): baked networks and snapshots then compute unrolled layers in Vector128 lanes.
        /// Not the same as <see cref="HasMatrixKernels"/>: a .NET 8+ project may reference the netstandard2.1 build.
        /// </summary>
        public static bool HasLanes(Compilation compilation) =>
            compilation.GetTypeByMetadataName("NnGen.CompilerServices.LaneLayout") is not null;

        /// <summary>
        /// True where the project compiles against .NET 8 or later (it sees Vector512&lt;T&gt;): NuGet then gives it
        /// the runtime's net8.0 build, whose matrix kernels make small vectorised layers pay off sooner. Unity,
        /// Godot before 4.4 and netstandard libraries see no Vector512 and get the netstandard2.1 build.
        /// </summary>
        public static bool HasMatrixKernels(Compilation compilation) =>
            compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null;

        /// <summary>
        /// True where the project's MethodImplOptions names AggressiveOptimization (.NET Core 3.0 and later); netstandard2.1,
        /// which Unity and Godot before 4.4 compile against, has the flag only as its value, 512.
        /// </summary>
        public static bool NamesAggressiveOptimization(Compilation compilation) =>
            compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.MethodImplOptions") is { } options
            && options.GetMembers("AggressiveOptimization").Length > 0;

        /// <summary>
        /// True where the project compiles C# 9 or later, which allows attributes on local functions; a netstandard2.1
        /// library compiles C# 8 by default (Unity compiles C# 9).
        /// </summary>
        public static bool AllowsLocalFunctionAttributes(Compilation compilation) =>
            compilation is not CSharpCompilation { LanguageVersion: < LanguageVersion.CSharp9 };
    }
}
