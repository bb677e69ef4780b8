using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Deep networks of narrow layers, each layer within Auto's per-layer limit of 224 multiply-adds and most of them
    /// all unrolled under Auto: each network forced Unrolled, forced Vectorized, and under Auto (whose header says which
    /// layers it vectorised), one sample at a time, and Auto's and Vectorized's inference snapshots. Checks Auto's
    /// per-layer rule (measured on two N × N layers, Crossover) and its budget of 768 unrolled multiply-adds on networks
    /// many layers deep. The Trainer's minibatch runs the matrix form in all three from 96 weights on.
    /// </summary>
    [MemoryDiagnoser]
    public class DeepNetworkShapes
    {
        private INetwork<float> _unrolled = null!;
        private INetwork<float> _vectorized = null!;
        private INetwork<float> _auto = null!;
        private IInferenceNetwork<float> _autoSnapshot = null!;
        private IInferenceNetwork<float> _vectorizedSnapshot = null!;
        private float[] _input = null!;
        private float[] _target = null!;
        private float[] _output = null!;

        [Params("1-8x12-1", "1-6x22-1", "8-8x6-2", "4-12x5-2", "11-9-8-10-7-7-7-7-10-10-7-3")]
        public string Network { get; set; } = string.Empty;

        [GlobalSetup]
        public void Setup()
        {
            (_unrolled, _vectorized, _auto) = Network switch
            {
                "1-8x12-1" => ((INetwork<float>)new Deep1_8x12_1Unrolled(), (INetwork<float>)new Deep1_8x12_1Vectorized(), (INetwork<float>)new Deep1_8x12_1Auto()),
                "1-6x22-1" => (new Deep1_6x22_1Unrolled(), new Deep1_6x22_1Vectorized(), new Deep1_6x22_1Auto()),
                "8-8x6-2" => (new Deep8_8x6_2Unrolled(), new Deep8_8x6_2Vectorized(), new Deep8_8x6_2Auto()),
                "4-12x5-2" => (new Deep4_12x5_2Unrolled(), new Deep4_12x5_2Vectorized(), new Deep4_12x5_2Auto()),
                "11-9-8-10-7-7-7-7-10-10-7-3" => (new Deep11_9_8_10_7_7_7_7_10_10_7_3Unrolled(), new Deep11_9_8_10_7_7_7_7_10_10_7_3Vectorized(), new Deep11_9_8_10_7_7_7_7_10_10_7_3Auto()),
                _ => throw new ArgumentOutOfRangeException(nameof(Network)),
            };
            _unrolled.InitializeParameters(7);
            _unrolled.Parameters.CopyTo(_vectorized.Parameters);
            _unrolled.Parameters.CopyTo(_auto.Parameters);
            _autoSnapshot = SmallForwardBatchBenchmarks.Snapshot(_auto);
            _vectorizedSnapshot = SmallForwardBatchBenchmarks.Snapshot(_vectorized);
            var random = new Random(3);
            _input = new float[_auto.InputCount];
            _target = new float[_auto.OutputCount];
            _output = new float[_auto.OutputCount];
            for (int i = 0; i < _input.Length; i++)
            {
                _input[i] = (float)random.NextDouble();
            }

            for (int i = 0; i < _target.Length; i++)
            {
                _target[i] = (float)random.NextDouble();
            }
        }

        [Benchmark]
        public float Unrolled_Forward() { _unrolled.Forward(_input, _output); return _output[0]; }

        [Benchmark]
        public float Vectorized_Forward() { _vectorized.Forward(_input, _output); return _output[0]; }

        [Benchmark]
        public float Auto_Forward() { _auto.Forward(_input, _output); return _output[0]; }

        [Benchmark]
        public float Vectorized_SnapshotForward() { _vectorizedSnapshot.Forward(_input, _output); return _output[0]; }

        [Benchmark]
        public float Auto_SnapshotForward() { _autoSnapshot.Forward(_input, _output); return _output[0]; }

        [Benchmark]
        public float Unrolled_Accumulate() { float loss = _unrolled.Accumulate(_input, _target); _unrolled.ClearGradients(); return loss; }

        [Benchmark]
        public float Vectorized_Accumulate() { float loss = _vectorized.Accumulate(_input, _target); _vectorized.ClearGradients(); return loss; }

        [Benchmark]
        public float Auto_Accumulate() { float loss = _auto.Accumulate(_input, _target); _auto.ClearGradients(); return loss; }
    }

    // Forced Unrolled, the Accumulate of 1-8x12-1, 1-6x22-1 and 11-9-...-3 passed the JIT's limit and ran unoptimised (NNG027) before members were split between layers.
#pragma warning disable NNG027
    [Network(Inputs = 1, CodeShape = CodeShape.Unrolled)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Deep1_8x12_1Unrolled { }
    [Network(Inputs = 1, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Deep1_8x12_1Vectorized { }
    [Network(Inputs = 1)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Deep1_8x12_1Auto { }
    [Network(Inputs = 1, CodeShape = CodeShape.Unrolled)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Deep1_6x22_1Unrolled { }
    [Network(Inputs = 1, CodeShape = CodeShape.Vectorized)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Deep1_6x22_1Vectorized { }
    [Network(Inputs = 1)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Deep1_6x22_1Auto { }
    [Network(Inputs = 8, CodeShape = CodeShape.Unrolled)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Deep8_8x6_2Unrolled { }
    [Network(Inputs = 8, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Deep8_8x6_2Vectorized { }
    [Network(Inputs = 8)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Deep8_8x6_2Auto { }
    [Network(Inputs = 4, CodeShape = CodeShape.Unrolled)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Deep4_12x5_2Unrolled { }
    [Network(Inputs = 4, CodeShape = CodeShape.Vectorized)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Deep4_12x5_2Vectorized { }
    [Network(Inputs = 4)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Deep4_12x5_2Auto { }
    [Network(Inputs = 11, CodeShape = CodeShape.Unrolled)] [Layer(9, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(3, Activation.Identity)] public partial class Deep11_9_8_10_7_7_7_7_10_10_7_3Unrolled { }
    [Network(Inputs = 11, CodeShape = CodeShape.Vectorized)] [Layer(9, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(3, Activation.Identity)] public partial class Deep11_9_8_10_7_7_7_7_10_10_7_3Vectorized { }
    [Network(Inputs = 11)] [Layer(9, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(10, Activation.Tanh)] [Layer(7, Activation.Tanh)] [Layer(3, Activation.Identity)] public partial class Deep11_9_8_10_7_7_7_7_10_10_7_3Auto { }
#pragma warning restore NNG027
}
