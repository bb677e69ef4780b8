using System.Runtime.CompilerServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// How the JIT compiles the methods a sample's pass or a trainer's minibatch runs (see NnGen.CompilerServices.Kernels
    /// and Trainer). In src/Shared, so that PortableMath, which the generator compiles too (netstandard2.0, which also
    /// lacks the name), takes the same value.
    /// </summary>
    internal static class CompileOptions
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization: compiled optimised at the first call, never as tier-0 code. Its value,
        /// 512, since netstandard2.1's reference assemblies do not name it. CoreCLR honours it wherever it loads that build
        /// (.NET 6 in Godot 4.0–4.3); IL2CPP and NativeAOT compile ahead of time, with no tiers to skip.
        /// </summary>
        public const MethodImplOptions Optimized = (MethodImplOptions)512;
    }
}
