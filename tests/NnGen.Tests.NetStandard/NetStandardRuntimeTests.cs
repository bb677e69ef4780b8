using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>What only this assembly can show: that the suite really ran against the netstandard2.1 runtime.</summary>
    public sealed class NetStandardRuntimeTests
    {
        [Fact]
        public void The_runtime_under_test_is_the_netstandard2_1_build_with_no_package_dependency()
        {
            Assembly runtime = typeof(INetwork<>).Assembly;
            Assert.Equal(".NETStandard,Version=v2.1", runtime.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
            Assert.DoesNotContain(runtime.GetReferencedAssemblies(), a => a.Name is "System.Numerics.Tensors" or "System.IO.Hashing" or "System.Text.Json");
        }
    }
}
