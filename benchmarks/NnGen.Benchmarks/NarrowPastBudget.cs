using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Deep networks of layers narrower than 8 whose unrolled multiply-adds pass Auto's budget of 768 (NetworkPlan.UnrollBudget).
    /// Auto used to vectorise their layers, largest first, until the rest fitted the budget: 38 of 1-6x60-1's 61 layers
    /// and 56 of 1-4x60-1's. Now it leaves layers narrower than 8 unrolled, as its instruction rule already did, and
    /// the members past the JIT's limit are split between layers (MemberSplit). Run at the commit before and after the
    /// change to compare the two shapes of the same declaration (docs/benchmarks.md, "Narrow layers past the unroll budget").
    /// </summary>
    [MemoryDiagnoser]
    public class NarrowPastBudget
    {
        private INetwork<float> _net = null!;
        private IInferenceNetwork<float> _snapshot = null!;
        private float[] _input = null!;
        private float[] _target = null!;
        private float[] _output = null!;
        private float[] _inputGradient = null!;
        private float[] _inputs = null!;
        private float[] _targets = null!;

        [Params("1-6x60-1", "1-4x60-1")]
        public string Network { get; set; } = "1-6x60-1";

        [GlobalSetup]
        public void Setup()
        {
            _net = Network switch
            {
                "1-6x60-1" => new Narrow6x60(),
                "1-4x60-1" => new Narrow4x60(),
                _ => throw new ArgumentOutOfRangeException(nameof(Network)),
            };
            _net.InitializeParameters(7);
            _snapshot = SmallForwardBatchBenchmarks.Snapshot(_net);
            var random = new Random(3);
            _input = new float[_net.InputCount];
            _target = new float[_net.OutputCount];
            _output = new float[_net.OutputCount];
            _inputGradient = new float[_net.InputCount];
            _inputs = new float[_net.InputCount * 32];
            _targets = new float[_net.OutputCount * 32];
            foreach (float[] values in new[] { _input, _target, _inputs, _targets })
            {
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)random.NextDouble();
                }
            }
        }

        [Benchmark]
        public float Forward() { _net.Forward(_input, _output); return _output[0]; }

        [Benchmark]
        public float SnapshotForward() { _snapshot.Forward(_input, _output); return _output[0]; }

        [Benchmark]
        public float Accumulate() { float loss = _net.Accumulate(_input, _target); _net.ClearGradients(); return loss; }

        [Benchmark]
        public float Accumulate_with_input_gradient() { float loss = _net.Accumulate(_input, _target, _inputGradient); _net.ClearGradients(); return loss; }

        /// <summary>What the Trainer calls per minibatch of 32: the matrix form in both shapes (from 96 weights on).</summary>
        [Benchmark]
        public float AccumulateBatch_32() { float loss = _net.AccumulateBatch(_inputs, _targets); _net.ClearGradients(); return loss; }
    }

    [Network(Inputs = 1)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Narrow6x60 { }
    [Network(Inputs = 1)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Narrow4x60 { }
}
