using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Where vectorised code overtakes unrolled code: a network of two N × N layers (tanh, identity)
    /// generated in each shape. Decides NetworkPlan.UnrollLayerLimitWithKernels for CodeShape.Auto.
    /// </summary>
    [MemoryDiagnoser]
    public class Crossover
    {
        private INetwork<float> _unrolled = null!;
        private INetwork<float> _vectorized = null!;
        private float[] _input = null!;
        private float[] _target = null!;
        private float[] _output = null!;
        private float[] _inputs = null!;
        private float[] _targets = null!;

        /// <summary>The Trainer's minibatch size, for the batch members.</summary>
        public const int Batch = 32;

        [Params(8, 12, 14, 16, 24, 32)]
        public int N { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            (_unrolled, _vectorized) = N switch
            {
                8 => ((INetwork<float>)new Square8Unrolled(), (INetwork<float>)new Square8Vectorized()),
                12 => (new Square12Unrolled(), new Square12Vectorized()),
                14 => (new Square14Unrolled(), new Square14Vectorized()),
                16 => (new Square16Unrolled(), new Square16Vectorized()),
                24 => (new Square24Unrolled(), new Square24Vectorized()),
                32 => (new Square32Unrolled(), new Square32Vectorized()),
                _ => throw new ArgumentOutOfRangeException(nameof(N)),
            };
            var random = new Random(3);
            _input = new float[N];
            _target = new float[N];
            for (int i = 0; i < N; i++)
            {
                _input[i] = (float)random.NextDouble();
                _target[i] = (float)random.NextDouble();
            }

            _output = new float[N];
            _inputs = new float[Batch * N];
            _targets = new float[Batch * N];
            for (int i = 0; i < _inputs.Length; i++)
            {
                _inputs[i] = (float)random.NextDouble();
                _targets[i] = (float)random.NextDouble();
            }
        }

        [Benchmark]
        public void Unrolled_Forward() => _unrolled.Forward(_input, _output);

        [Benchmark]
        public void Vectorized_Forward() => _vectorized.Forward(_input, _output);

        [Benchmark]
        public float Unrolled_Accumulate() => _unrolled.Accumulate(_input, _target);

        [Benchmark]
        public float Vectorized_Accumulate() => _vectorized.Accumulate(_input, _target);

        [Benchmark]
        public float Unrolled_AccumulateBatch32() => _unrolled.AccumulateBatch(_inputs, _targets);

        [Benchmark]
        public float Vectorized_AccumulateBatch32() => _vectorized.AccumulateBatch(_inputs, _targets);
    }
}
