using System.Linq;
using System.Reflection;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// SplitDeepNarrow is in the catalog so that the members written in runs of layers (MemberSplit) are checked like every
    /// other network: against the reference MLP, finite differences, the batch paths, in every build of these tests (with
    /// SkipLocalsInit, without AVX2, against the netstandard 2.1 runtime). That holds only while it really is split.
    /// </summary>
    public sealed class SplitMemberTests
    {
        [Fact]
        public void SplitDeepNarrow_runs_its_training_members_in_local_functions_and_Forward_in_one_method()
        {
            string[] locals = typeof(SplitDeepNarrow).GetMethods(BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Select(m => m.Name)
                .Where(name => name.Contains("FromLayer", System.StringComparison.Ordinal))
                .ToArray();
            Assert.Contains(locals, name => name.StartsWith("<Accumulate>g__AccumulateFromLayer", System.StringComparison.Ordinal));
            Assert.Contains(locals, name => name.StartsWith("<BackpropagateGradient>g__BackpropagateGradientFromLayer", System.StringComparison.Ordinal));
            Assert.DoesNotContain(locals, name => name.StartsWith("<Forward>", System.StringComparison.Ordinal));
        }
    }
}
