using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// A minibatch through small networks whose layers Auto unrolls: AccumulateBatch looping over the unrolled
    /// Accumulate (the forced-Unrolled twin) against the matrix form (the Vectorized twin's AccumulateBatch, the same
    /// code Auto's batch path runs from NetworkPlan.BatchMatrixFromWeights weights on). Decides that threshold.
    /// </summary>
    [MemoryDiagnoser]
    public class SmallBatchBenchmarks
    {
        private INetwork<float> _unrolled = null!;
        private INetwork<float> _matrix = null!;
        private float[] _inputs = null!;
        private float[] _targets = null!;

        [Params("2-3-4-2", "3-5-3 softmax", "1-8-1", "2-8-2", "4-4-4", "8-8", "4-6-6-2", "4-8-8-2", "1-6x6-1", "4-32-2", "10-10-10 softmax", "2-16-16-1 relu")]
        public string Network { get; set; } = string.Empty;

        [Params(32, 64)]
        public int Batch { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            (_unrolled, _matrix) = Network switch
            {
                "2-3-4-2" => ((INetwork<float>)new Small2342Unrolled(), (INetwork<float>)new Small2342Vectorized()),
                "3-5-3 softmax" => (new Small353Unrolled(), new Small353Vectorized()),
                "1-8-1" => (new Small181Unrolled(), new Small181Vectorized()),
                "2-8-2" => (new Small282Unrolled(), new Small282Vectorized()),
                "4-4-4" => (new Small444Unrolled(), new Small444Vectorized()),
                "8-8" => (new Small88Unrolled(), new Small88Vectorized()),
                "4-6-6-2" => (new Small4662Unrolled(), new Small4662Vectorized()),
                "4-8-8-2" => (new Small4882Unrolled(), new Small4882Vectorized()),
                "1-6x6-1" => (new Small16x61Unrolled(), new Small16x61Vectorized()),
                "4-32-2" => (new Small4322Unrolled(), new Small4322Vectorized()),
                "10-10-10 softmax" => (new Small101010Unrolled(), new Small101010Vectorized()),
                "2-16-16-1 relu" => (new Small216161Unrolled(), new Small216161Vectorized()),
                _ => throw new ArgumentOutOfRangeException(nameof(Network)),
            };
            var random = new Random(3);
            _inputs = new float[Batch * _unrolled.InputCount];
            _targets = new float[Batch * _unrolled.OutputCount];
            for (int i = 0; i < _inputs.Length; i++)
            {
                _inputs[i] = (float)random.NextDouble();
            }

            for (int s = 0; s < Batch; s++)
            {
                _targets[(s * _unrolled.OutputCount) + random.Next(_unrolled.OutputCount)] = 1f;
            }
        }

        [Benchmark(Baseline = true)]
        public float PerSampleUnrolled()
        {
            float loss = _unrolled.AccumulateBatch(_inputs, _targets);
            _unrolled.ClearGradients();
            return loss;
        }

        [Benchmark]
        public float MatrixForm()
        {
            float loss = _matrix.AccumulateBatch(_inputs, _targets);
            _matrix.ClearGradients();
            return loss;
        }
    }

    [Network(Inputs = 2, CodeShape = CodeShape.Unrolled)] [Layer(3, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small2342Unrolled { }
    [Network(Inputs = 2, CodeShape = CodeShape.Vectorized)] [Layer(3, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small2342Vectorized { }
    [Network(Inputs = 3, CodeShape = CodeShape.Unrolled, Cost = Cost.CrossEntropy)] [Layer(5, Activation.Relu)] [Layer(3, Activation.Softmax)] public partial class Small353Unrolled { }
    [Network(Inputs = 3, CodeShape = CodeShape.Vectorized, Cost = Cost.CrossEntropy)] [Layer(5, Activation.Relu)] [Layer(3, Activation.Softmax)] public partial class Small353Vectorized { }
    [Network(Inputs = 1, CodeShape = CodeShape.Unrolled)] [Layer(8, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Small181Unrolled { }
    [Network(Inputs = 1, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Small181Vectorized { }
    [Network(Inputs = 2, CodeShape = CodeShape.Unrolled)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small282Unrolled { }
    [Network(Inputs = 2, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small282Vectorized { }
    [Network(Inputs = 4, CodeShape = CodeShape.Unrolled)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Identity)] public partial class Small444Unrolled { }
    [Network(Inputs = 4, CodeShape = CodeShape.Vectorized)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Identity)] public partial class Small444Vectorized { }
    [Network(Inputs = 8, CodeShape = CodeShape.Unrolled)] [Layer(8, Activation.Identity)] public partial class Small88Unrolled { }
    [Network(Inputs = 8, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Identity)] public partial class Small88Vectorized { }
    [Network(Inputs = 4, CodeShape = CodeShape.Unrolled)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4662Unrolled { }
    [Network(Inputs = 4, CodeShape = CodeShape.Vectorized)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4662Vectorized { }
    [Network(Inputs = 4, CodeShape = CodeShape.Unrolled)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4882Unrolled { }
    [Network(Inputs = 4, CodeShape = CodeShape.Vectorized)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4882Vectorized { }
    [Network(Inputs = 1, CodeShape = CodeShape.Unrolled)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Small16x61Unrolled { }
    [Network(Inputs = 1, CodeShape = CodeShape.Vectorized)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Small16x61Vectorized { }
    [Network(Inputs = 4, CodeShape = CodeShape.Unrolled)] [Layer(32, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4322Unrolled { }
    [Network(Inputs = 4, CodeShape = CodeShape.Vectorized)] [Layer(32, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4322Vectorized { }
    [Network(Inputs = 10, CodeShape = CodeShape.Unrolled, Cost = Cost.CrossEntropy)] [Layer(10, Activation.Tanh)] [Layer(10, Activation.Softmax)] public partial class Small101010Unrolled { }
    [Network(Inputs = 10, CodeShape = CodeShape.Vectorized, Cost = Cost.CrossEntropy)] [Layer(10, Activation.Tanh)] [Layer(10, Activation.Softmax)] public partial class Small101010Vectorized { }
    [Network(Inputs = 2, CodeShape = CodeShape.Unrolled)] [Layer(16, Activation.Relu)] [Layer(16, Activation.Relu)] [Layer(1, Activation.Identity)] public partial class Small216161Unrolled { }
    [Network(Inputs = 2, CodeShape = CodeShape.Vectorized)] [Layer(16, Activation.Relu)] [Layer(16, Activation.Relu)] [Layer(1, Activation.Identity)] public partial class Small216161Vectorized { }
}
