using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Snapshots of 784-128-10 (float and double) on this machine as it is and with AVX2 switched off, which also
    /// switches off FMA3: the machine NativeAOT compiles for by default, and .NET under Rosetta 2 or on older or
    /// low-power x86. There the packed layers' chains of fused multiply-adds run in software (SoftwareFma). The
    /// trainable network's Forward, whose sums are not fused, is the comparison.
    /// dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- --filter '*WithoutFma*'
    /// </summary>
    [Config(typeof(Jobs))]
    public class WithoutFmaBenchmarks
    {
        private readonly Net784x128x10 _float = new();
        private readonly Net784x128x10Double _double = new();
        private readonly float[] _xf = new float[784];
        private readonly float[] _yf = new float[10];
        private readonly double[] _xd = new double[784];
        private readonly double[] _yd = new double[10];
        private Net784x128x10.Inference _floatSnapshot = null!;
        private Net784x128x10Double.Inference _doubleSnapshot = null!;

        [GlobalSetup]
        public void Setup()
        {
            _float.InitializeParameters(1);
            _double.InitializeParameters(1);
            _floatSnapshot = _float.ToInference();
            _doubleSnapshot = _double.ToInference();
            for (int i = 0; i < 784; i++)
            {
                _xf[i] = (float)Math.Sin(i);
                _xd[i] = Math.Sin(i);
            }
        }

        [Benchmark(Description = "784-128-10 float, ToInference().Forward")]
        public void FloatSnapshot() => _floatSnapshot.Forward(_xf, _yf);

        [Benchmark(Description = "784-128-10 float, network Forward")]
        public void FloatNetwork() => _float.Forward(_xf, _yf);

        [Benchmark(Description = "784-128-10 double, ToInference().Forward")]
        public void DoubleSnapshot() => _doubleSnapshot.Forward(_xd, _yd);

        [Benchmark(Description = "784-128-10 double, network Forward")]
        public void DoubleNetwork() => _double.Forward(_xd, _yd);

        private sealed class Jobs : ManualConfig
        {
            public Jobs()
            {
                AddJob(Job.ShortRun.WithId("this machine"));
                AddJob(Job.ShortRun.WithId("AVX2 and FMA off").WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX2", "0")));
            }
        }
    }
}
