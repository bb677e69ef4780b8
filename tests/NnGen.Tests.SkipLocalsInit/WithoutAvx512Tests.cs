using System;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>This project's runsettings switch AVX-512 off; this fails if they stop reaching the test host.</summary>
    public sealed class WithoutAvx512Tests
    {
        [Fact]
        public void The_suite_runs_without_AVX_512()
        {
            Assert.Equal("0", Environment.GetEnvironmentVariable("DOTNET_EnableAVX512"));
            Assert.False(System.Runtime.Intrinsics.X86.Avx512F.IsSupported);
            Assert.False(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated);
        }
    }
}
