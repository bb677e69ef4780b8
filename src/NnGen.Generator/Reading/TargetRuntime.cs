using Microsoft.CodeAnalysis;

namespace NnGen.Generator.Reading
{
    /// <summary>Which build of NnGen.Runtime the project runs on, as far as CodeShape.Auto cares.</summary>
    internal static class TargetRuntime
    {
        /// <summary>
        /// True where the project compiles against .NET 8 or later (it sees Vector512&lt;T&gt;): NuGet then gives it
        /// the runtime's net8.0 build, whose matrix kernels make small vectorised layers pay off sooner. Unity,
        /// Godot before 4.4 and netstandard libraries see no Vector512 and get the netstandard2.1 build.
        /// </summary>
        public static bool HasMatrixKernels(Compilation compilation) =>
            compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null;
    }
}
