using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// Every generated member that runs per sample or per minibatch, in every network of the catalog and in its snapshot
    /// and value, is compiled optimised at its first call (AggressiveOptimization): a game's first frames run what the
    /// rest run, not tier-0 code 5 to 20 times slower. Set-up members (constructors, InitializeParameters, ToInference)
    /// are left to the JIT's tiers.
    /// </summary>
    public sealed class OptimizedFromFirstCallTests
    {
        private static readonly string[] PerCall =
        {
            "Forward", "ForwardBatch", "Loss", "Accumulate", "AccumulateGradient", "InputGradient", "AccumulateBatch", "Step",
            "ClearGradients", "BackpropagateGradient", "ForwardRows", "AccumulateAfterRows", "AccumulateRows",
        };

        [Fact]
        public void Every_per_sample_member_of_every_network_is_optimised_from_its_first_call()
        {
            Type[] networks = typeof(OptimizedFromFirstCallTests).Assembly.GetTypes()
                .Where(t => !t.IsNested && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IInferenceNetwork<>)))
                .SelectMany(t => new[] { t }.Concat(t.GetNestedTypes()))
                .ToArray();
            MethodInfo[] members = networks
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                .Where(m => PerCall.Contains(m.Name.Substring(m.Name.LastIndexOf('.') + 1)))
                .ToArray();

            // Teeth: the catalog has trainable, baked and snapshot networks with every kind of member.
            Assert.True(networks.Length > 50, $"{networks.Length} network types");
            foreach (string name in PerCall)
            {
                Assert.Contains(members, m => m.Name.EndsWith(name, StringComparison.Ordinal));
            }

            string[] missing = members
                .Where(m => !m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization))
                .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
                .Distinct()
                .ToArray();
            Assert.True(missing.Length == 0, "not AggressiveOptimization:\n" + string.Join('\n', missing));
        }
    }
}
