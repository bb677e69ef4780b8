using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Networks under CodeShape.Auto whose layers are all small enough to unroll (768 multiply-adds or fewer) but whose
    /// members, unrolled whole, pass the JIT's limit of 20,000 IL instructions: before JitMethodSize, the members that
    /// return an input gradient (and for the deepest, Accumulate) were compiled with MinOpts, unoptimised for good.
    /// Now Auto vectorises a layer of each. BenchmarkDotNet's warm-up does not help a MinOpts method: it never tiers up.
    /// </summary>
    [MemoryDiagnoser]
    public class JitLimitBenchmarks
    {
        private INetwork<float> _net = null!;
        private float[] _input = null!;
        private float[] _target = null!;
        private float[] _output = null!;
        private float[] _inputGradient = null!;
        private float[] _inputs = null!;
        private float[] _targets = null!;

        [Params("12-12x5-4", "8-24-8-24-8", "1-6x22-1", "24-24-10 unrolled", "48-48-10 unrolled")]
        public string Network { get; set; } = "12-12x5-4";

        [GlobalSetup]
        public void Setup()
        {
            _net = Network switch
            {
                "12-12x5-4" => new DeepNarrow12(),
                "8-24-8-24-8" => new Zigzag8x24(),
                "1-6x22-1" => new Narrow6x22(),
                "24-24-10 unrolled" => new Unrolled24(),
                "48-48-10 unrolled" => new Unrolled48(),
                _ => throw new ArgumentOutOfRangeException(nameof(Network)),
            };
            _net.InitializeParameters(7);
            var random = new Random(3);
            _input = new float[_net.InputCount];
            _target = new float[_net.OutputCount];
            for (int i = 0; i < _input.Length; i++)
            {
                _input[i] = (float)random.NextDouble();
            }

            for (int i = 0; i < _target.Length; i++)
            {
                _target[i] = (float)random.NextDouble();
            }

            _output = new float[_net.OutputCount];
            _inputGradient = new float[_net.InputCount];
            _inputs = new float[_net.InputCount * 32];
            _targets = new float[_net.OutputCount * 32];
            for (int i = 0; i < _inputs.Length; i++)
            {
                _inputs[i] = (float)random.NextDouble();
            }

            for (int i = 0; i < _targets.Length; i++)
            {
                _targets[i] = (float)random.NextDouble();
            }
        }

        [Benchmark]
        public void Forward() => _net.Forward(_input, _output);

        [Benchmark]
        public float Accumulate() => _net.Accumulate(_input, _target);

        [Benchmark]
        public float Accumulate_with_input_gradient() => _net.Accumulate(_input, _target, _inputGradient);

        [Benchmark]
        public void InputGradient() => _net.InputGradient(_input, _target, _inputGradient);

        /// <summary>What the Trainer calls per minibatch of 32: per-sample Accumulate for a network unrolled whole, the blocked kernels otherwise.</summary>
        [Benchmark]
        public float AccumulateBatch_32()
        {
            float loss = _net.AccumulateBatch(_inputs, _targets);
            _net.ClearGradients();
            return loss;
        }
    }

    [Network(Inputs = 12)]
    [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)]
    [Layer(4, Activation.Identity)]
    public partial class DeepNarrow12 { }

    [Network(Inputs = 8)]
    [Layer(24, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(24, Activation.Tanh)] [Layer(8, Activation.Identity)]
    public partial class Zigzag8x24 { }

    [Network(Inputs = 1)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    public partial class Narrow6x22 { }

    // Forced Unrolled just past the limit in one method: 24-24-10's members that return an input gradient, 48-48-10's
    // Forward and Loss (and, with a layer too large for one method, its Accumulate: NNG027).
#pragma warning disable NNG027
    [Network(Inputs = 24, CodeShape = CodeShape.Unrolled)]
    [Layer(24, Activation.Tanh)] [Layer(10, Activation.Identity)]
    public partial class Unrolled24 { }

    [Network(Inputs = 48, CodeShape = CodeShape.Unrolled)]
    [Layer(48, Activation.Tanh)] [Layer(10, Activation.Identity)]
    public partial class Unrolled48 { }
#pragma warning restore NNG027
}
