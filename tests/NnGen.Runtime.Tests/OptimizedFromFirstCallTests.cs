using System;
using System.Linq;
using System.Reflection;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Every method of NnGen.CompilerServices, which generated code calls per sample, is compiled optimised at its first
    /// call (AggressiveOptimization), also those meant to inline (AggressiveInlining): the JIT stops inlining into a large
    /// caller once its budget is spent (an unrolled Accumulate), and compiles such a method on its own. Never tier-0 code, which is
    /// 5 to 20 times slower and which the JIT replaces only after 30 calls and a quiet 100 ms (see Kernels). This holds
    /// every path, also those this machine does not take (AVX2, 128-bit, no SIMD); the integration test FirstCallTests
    /// checks in the JIT's own listing the paths it does take, generated members included.
    /// </summary>
    public sealed class OptimizedFromFirstCallTests
    {
        private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

        [Fact]
        public void Every_method_of_the_compiler_services_is_optimised_from_its_first_call()
        {
            Type[] types = typeof(Kernels).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(Kernels).Namespace && !t.IsInterface && !IsCompilerGenerated(t))
                .ToArray();
            Assert.Contains(typeof(PanelKernels), types);

            string[] missing = types
                .SelectMany(t => t.GetMethods(Declared).Where(m => !m.IsAbstract && !IsCompilerGenerated(m) && !IsColdPath(m)).Select(m => (Type: t, Method: m)))
                .Where(x => !IsOptimisedFromFirstCall(x.Method))
                .Select(x => $"{x.Type.Name}.{x.Method.Name}({string.Join(", ", x.Method.GetParameters().Select(p => p.ParameterType.Name))})")
                .ToArray();

            Assert.True(missing.Length == 0, "not AggressiveOptimization:\n" + string.Join('\n', missing));
        }

        [Theory]
        [InlineData(typeof(HuberLoss<float>), nameof(HuberLoss<float>.Evaluate))]
        [InlineData(typeof(HuberLoss<float>), nameof(HuberLoss<float>.CheckTarget))]
        [InlineData(typeof(SoftmaxCrossEntropyLoss<float>), nameof(SoftmaxCrossEntropyLoss<float>.Evaluate))]
        [InlineData(typeof(SoftmaxCrossEntropyLoss<float>), nameof(SoftmaxCrossEntropyLoss<float>.CheckTarget))]
        [InlineData(typeof(BinaryCrossEntropyWithLogitsLoss<float>), nameof(BinaryCrossEntropyWithLogitsLoss<float>.Evaluate))]
        [InlineData(typeof(BinaryCrossEntropyWithLogitsLoss<float>), nameof(BinaryCrossEntropyWithLogitsLoss<float>.CheckTarget))]
        public void The_built_in_loss_functions_are_optimised_from_their_first_call(Type loss, string method)
        {
            MethodInfo info = loss.GetMethod(method, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)!;
            Assert.True(IsOptimisedFromFirstCall(info), $"{loss.Name}.{method} runs per sample and is not AggressiveOptimization");
        }

        private static bool IsOptimisedFromFirstCall(MethodInfo method) =>
            (method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0;

        // What runs only when something is wrong, or once: building an exception or its message, throwing it, and asking a
        // loss function once whether it suits a network (the answer is kept).
        private static bool IsColdPath(MethodInfo method) =>
            typeof(Exception).IsAssignableFrom(method.ReturnType)
            || method.Name.StartsWith("Throw", StringComparison.Ordinal)
            || (method.DeclaringType == typeof(SpanGuard) && method.Name is "AskSuitability" or "TypeName");

        private static bool IsCompilerGenerated(MemberInfo member) => member.Name.Contains('<', StringComparison.Ordinal);
    }
}
