using System;
using System.IO;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Inference of the trained digits classifier (64-32-10): weights loaded at run time into a trainable
    /// network against the same weights baked into the code, in the vectorised shape Auto picks and
    /// fully unrolled; and 256 images through ForwardBatch against a loop of Forward calls.
    /// </summary>
    [MemoryDiagnoser]
    public class InferenceBenchmarks
    {
        private const int Images = 256;

        private readonly Net64x32x10 _loaded = new();
        private readonly Net64x32x10Unrolled _loadedUnrolled = new();
        private readonly BakedDigits _baked = new();
        private readonly BakedDigitsUnrolled _bakedUnrolled = new();
        private readonly float[] _output = new float[10];
        private readonly float[] _outputs = new float[Images * 10];
        private float[] _input = null!;
        private float[] _inputs = null!;

        [GlobalSetup]
        public void Setup()
        {
            string weights = Path.Combine(AppContext.BaseDirectory, "digits.nngw");
            WeightsFile.Load(_loaded, weights);
            WeightsFile.Load(_loadedUnrolled, weights);
            var random = new Random(3);
            _inputs = new float[Images * 64];
            for (int i = 0; i < _inputs.Length; i++)
            {
                _inputs[i] = random.Next(17) / 16f;
            }

            _input = _inputs.AsSpan(0, 64).ToArray();
        }

        [Benchmark(Baseline = true, Description = "Forward, loaded weights, vectorised (Auto)")]
        public void Loaded() => _loaded.Forward(_input, _output);

        [Benchmark(Description = "Forward, baked weights, vectorised (Auto)")]
        public void Baked() => _baked.Forward(_input, _output);

        [Benchmark(Description = "Forward, loaded weights, unrolled")]
        public void LoadedUnrolled() => _loadedUnrolled.Forward(_input, _output);

        [Benchmark(Description = "Forward, baked weights, unrolled")]
        public void BakedUnrolled() => _bakedUnrolled.Forward(_input, _output);

        [Benchmark(OperationsPerInvoke = Images, Description = "per image: ForwardBatch of 256, baked (Auto)")]
        public void BakedBatch() => _baked.ForwardBatch(_inputs, _outputs);

        [Benchmark(OperationsPerInvoke = Images, Description = "per image: 256 × Forward, baked (Auto)")]
        public void BakedLoop()
        {
            for (int s = 0; s < Images; s++)
            {
                _baked.Forward(_inputs.AsSpan(s * 64, 64), _outputs.AsSpan(s * 10, 10));
            }
        }
    }
}
