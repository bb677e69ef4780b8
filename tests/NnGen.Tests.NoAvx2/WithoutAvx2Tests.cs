using System;
using Xunit;

namespace NnGen.Tests.NoAvx2
{
    /// <summary>This project's runsettings switch AVX2 off; this fails if they stop reaching the test host.</summary>
    public sealed class WithoutAvx2Tests
    {
        [Fact]
        public void The_suite_runs_without_AVX2()
        {
            Assert.Equal("0", Environment.GetEnvironmentVariable("DOTNET_EnableAVX2"));
            Assert.False(System.Runtime.Intrinsics.X86.Avx2.IsSupported);
            Assert.False(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated);
            Assert.False(System.Runtime.Intrinsics.X86.Avx512F.IsSupported);
        }
    }
}
