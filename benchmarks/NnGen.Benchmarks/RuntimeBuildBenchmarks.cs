using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Forward and Accumulate of three networks, compiled twice: here against the runtime's net8.0 build
    /// (TensorPrimitives), and in NnGen.Benchmarks.NetStandard against its netstandard2.1 build (Vector&lt;T&gt;
    /// loops and plain transcendental functions), the one Unity and Godot 4.0–4.3 load. The same code, so the
    /// difference is the runtime build alone.
    /// </summary>
    [MemoryDiagnoser]
    public class RuntimeBuildBenchmarks
    {
        private readonly Net2342 _small = new();
        private readonly Net64x32x10 _digits = new();
        private readonly Net784x128x10 _mnist = new();
        private readonly float[] _output = new float[10];
        private float[] _x2 = null!, _t2 = null!, _x64 = null!, _t10 = null!, _x784 = null!;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(5);
            float[] Random(int n)
            {
                var values = new float[n];
                for (int i = 0; i < n; i++)
                {
                    values[i] = (float)random.NextDouble();
                }

                return values;
            }

            _x2 = Random(2);
            _t2 = Random(2);
            _x64 = Random(64);
            _x784 = Random(784);
            _t10 = new float[10];
            _t10[3] = 1;
            _small.InitializeParameters(1);
            _digits.InitializeParameters(1);
            _mnist.InitializeParameters(1);
        }

        [Benchmark(Description = "2-3-4-2 Forward")]
        public void SmallForward() => _small.Forward(_x2, _output.AsSpan(0, 2));

        [Benchmark(Description = "2-3-4-2 Accumulate")]
        public float SmallAccumulate() => _small.Accumulate(_x2, _t2);

        [Benchmark(Description = "64-32-10 Forward")]
        public void DigitsForward() => _digits.Forward(_x64, _output);

        [Benchmark(Description = "64-32-10 Accumulate")]
        public float DigitsAccumulate() => _digits.Accumulate(_x64, _t10);

        [Benchmark(Description = "784-128-10 Forward")]
        public void MnistForward() => _mnist.Forward(_x784, _output);

        [Benchmark(Description = "784-128-10 Accumulate")]
        public float MnistAccumulate() => _mnist.Accumulate(_x784, _t10);
    }
}
