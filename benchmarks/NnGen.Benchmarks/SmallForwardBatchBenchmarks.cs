using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// ForwardBatch and LossBatch through small networks whose layers Auto unrolls: the Auto network's own batch members
    /// (a loop over Forward or Loss) and its ToInference snapshot's, against the matrix form, which is the Vectorized
    /// twin's batch members (the network packs W for each call; the snapshot keeps it packed). Decides whether an Auto
    /// network whose layers are all unrolled should run its inference batches in matrix form, as its AccumulateBatch does
    /// from NetworkPlan.BatchMatrixFromWeights weights on.
    /// </summary>
    [MemoryDiagnoser]
    public class SmallForwardBatchBenchmarks
    {
        private IInferenceNetwork<float> _loop = null!;
        private IInferenceNetwork<float> _matrix = null!;
        private IInferenceNetwork<float> _loopSnapshot = null!;
        private IInferenceNetwork<float> _matrixSnapshot = null!;
        private float[] _inputs = null!;
        private float[] _targets = null!;
        private float[] _outputs = null!;
        private float[] _losses = null!;

        [Params("2-3-4-2", "3-5-3 softmax", "2-8-2", "8-8", "4-6-6-2", "4-8-8-2", "1-6x6-1", "4-32-2", "10-10-10 softmax", "2-16-16-1 relu")]
        public string Network { get; set; } = string.Empty;

        [Params(64, 1024)]
        public int Batch { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            (INetwork<float> auto, INetwork<float> vectorized) = Network switch
            {
                "2-3-4-2" => ((INetwork<float>)new Small2342Auto(), (INetwork<float>)new Small2342Vectorized()),
                "3-5-3 softmax" => (new Small353Auto(), new Small353Vectorized()),
                "2-8-2" => (new Small282Auto(), new Small282Vectorized()),
                "8-8" => (new Small88Auto(), new Small88Vectorized()),
                "4-6-6-2" => (new Small4662Auto(), new Small4662Vectorized()),
                "4-8-8-2" => (new Small4882Auto(), new Small4882Vectorized()),
                "1-6x6-1" => (new Small16x61Auto(), new Small16x61Vectorized()),
                "4-32-2" => (new Small4322Auto(), new Small4322Vectorized()),
                "10-10-10 softmax" => (new Small101010Auto(), new Small101010Vectorized()),
                "2-16-16-1 relu" => (new Small216161Auto(), new Small216161Vectorized()),
                _ => throw new ArgumentOutOfRangeException(nameof(Network)),
            };
            auto.InitializeParameters(7);
            auto.Parameters.CopyTo(vectorized.Parameters);
            _loop = auto;
            _matrix = vectorized;
            _loopSnapshot = Snapshot(auto);
            _matrixSnapshot = Snapshot(vectorized);

            var random = new Random(3);
            _inputs = new float[Batch * auto.InputCount];
            _targets = new float[Batch * auto.OutputCount];
            _outputs = new float[Batch * auto.OutputCount];
            _losses = new float[Batch];
            for (int i = 0; i < _inputs.Length; i++)
            {
                _inputs[i] = (float)random.NextDouble();
            }

            for (int s = 0; s < Batch; s++)
            {
                _targets[(s * auto.OutputCount) + random.Next(auto.OutputCount)] = 1f;
            }
        }

        /// <summary>The network's ToInference() snapshot, which is a member of the generated class, not of the interface.</summary>
        internal static IInferenceNetwork<float> Snapshot(INetwork<float> network) =>
            (IInferenceNetwork<float>)network.GetType().GetMethod("ToInference")!.Invoke(network, null)!;

        [Benchmark(Baseline = true)]
        public float ForwardLoop() { _loop.ForwardBatch(_inputs, _outputs); return _outputs[0]; }

        [Benchmark]
        public float ForwardMatrix() { _matrix.ForwardBatch(_inputs, _outputs); return _outputs[0]; }

        [Benchmark]
        public float SnapshotForwardLoop() { _loopSnapshot.ForwardBatch(_inputs, _outputs); return _outputs[0]; }

        [Benchmark]
        public float SnapshotForwardMatrix() { _matrixSnapshot.ForwardBatch(_inputs, _outputs); return _outputs[0]; }

        [Benchmark]
        public float LossLoop() { _loop.LossBatch(_inputs, _targets, _outputs, _losses); return _losses[0]; }

        [Benchmark]
        public float LossMatrix() { _matrix.LossBatch(_inputs, _targets, _outputs, _losses); return _losses[0]; }
    }

    [Network(Inputs = 2)] [Layer(3, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small2342Auto { }
    [Network(Inputs = 3, Cost = Cost.CrossEntropy)] [Layer(5, Activation.Relu)] [Layer(3, Activation.Softmax)] public partial class Small353Auto { }
    [Network(Inputs = 2)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small282Auto { }
    [Network(Inputs = 8)] [Layer(8, Activation.Identity)] public partial class Small88Auto { }
    [Network(Inputs = 4)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4662Auto { }
    [Network(Inputs = 4)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4882Auto { }
    [Network(Inputs = 1)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Small16x61Auto { }
    [Network(Inputs = 4)] [Layer(32, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Small4322Auto { }
    [Network(Inputs = 10, Cost = Cost.CrossEntropy)] [Layer(10, Activation.Tanh)] [Layer(10, Activation.Softmax)] public partial class Small101010Auto { }
    [Network(Inputs = 2)] [Layer(16, Activation.Relu)] [Layer(16, Activation.Relu)] [Layer(1, Activation.Identity)] public partial class Small216161Auto { }
}
