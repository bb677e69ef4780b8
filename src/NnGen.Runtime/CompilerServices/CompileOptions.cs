using System.Runtime.CompilerServices;

namespace NnGen.CompilerServices
{
    /// <summary>How the JIT compiles the methods a sample's pass runs (see <see cref="Kernels"/>).</summary>
    internal static class CompileOptions
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization: compiled optimised at the first call, never as tier-0 code. Its value,
        /// 512, since netstandard2.1's reference assemblies do not name it; the runtimes that load that build honour it
        /// (.NET 6 in Godot 4.0–4.3) or ignore it (Unity's Mono and IL2CPP).
        /// </summary>
        public const MethodImplOptions Optimized = (MethodImplOptions)512;
    }
}
