using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// One NnGen network against the hand-written baseline of the same shape, on the same 32 samples:
    /// one-sample Forward, one-sample Accumulate + Step, and a 32-sample minibatch. Each category has its
    /// own baseline, so the Ratio column reads "NnGen time / hand-written time".
    /// </summary>
    [MemoryDiagnoser]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public abstract class Comparison
    {
        private const int Batch = 32;

        private HandWrittenMlp _handWritten = null!;
        private float[][] _inputs = null!;
        private float[][] _targets = null!;
        private float[] _output = null!;
        private float[] _batchInputs = null!;
        private float[] _batchTargets = null!;

        protected abstract int[] Sizes { get; }

        protected abstract bool SoftmaxOutput { get; }

        protected float[] Input => _inputs[0];

        protected float[] Target => _targets[0];

        protected float[] Output => _output;

        [GlobalSetup]
        public void Setup()
        {
            int[] sizes = Sizes;
            _handWritten = new HandWrittenMlp(sizes, SoftmaxOutput, seed: 1);
            var random = new Random(2);
            _inputs = new float[Batch][];
            _targets = new float[Batch][];
            for (int s = 0; s < Batch; s++)
            {
                _inputs[s] = new float[sizes[0]];
                for (int j = 0; j < sizes[0]; j++)
                {
                    _inputs[s][j] = (float)random.NextDouble();
                }

                _targets[s] = new float[sizes[^1]];
                _targets[s][random.Next(sizes[^1])] = 1;
            }

            _output = new float[sizes[^1]];
            _batchInputs = _inputs.SelectMany(x => x).ToArray();
            _batchTargets = _targets.SelectMany(t => t).ToArray();
            SetupNetwork();
        }

        protected abstract void SetupNetwork();

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("1 Forward, one sample")]
        public void HandWritten_Forward() => _handWritten.Forward(_inputs[0], _output);

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("2 Accumulate+Step, one sample")]
        public void HandWritten_Train_one_sample()
        {
            _handWritten.Accumulate(_inputs[0], _targets[0], _output);
            _handWritten.Step(0.001f);
        }

        [Benchmark(Baseline = true)]
        [BenchmarkCategory("3 Minibatch of 32")]
        public void HandWritten_Train_minibatch()
        {
            for (int s = 0; s < Batch; s++)
            {
                _handWritten.Accumulate(_inputs[s], _targets[s], _output);
            }

            _handWritten.Step(0.001f);
        }

        /// <summary>The same minibatch through AccumulateBatch, in matrix form.</summary>
        protected void TrainBatched<TNet>(TNet net)
            where TNet : INetwork<float>
        {
            net.AccumulateBatch(_batchInputs, _batchTargets);
            net.Step(0.001f);
        }

        protected void TrainMinibatch<TNet>(TNet net)
            where TNet : INetwork<float>
        {
            for (int s = 0; s < Batch; s++)
            {
                net.Accumulate(_inputs[s], _targets[s]);
            }

            net.Step(0.001f);
        }
    }

    // The three classes repeat their NnGen methods on purpose: a field of the concrete generated type
    // keeps every call direct, as in user code, where a shared generic base would add interface
    // dispatch to an 18 ns measurement.
    public class Net2342Benchmarks : Comparison
    {
        private Net2342 _net = null!;

        protected override int[] Sizes => new[] { 2, 3, 4, 2 };

        protected override bool SoftmaxOutput => false;

        protected override void SetupNetwork() => _net = new Net2342();

        [Benchmark]
        [BenchmarkCategory("1 Forward, one sample")]
        public void NnGen_Forward() => _net.Forward(Input, Output);

        [Benchmark]
        [BenchmarkCategory("2 Accumulate+Step, one sample")]
        public void NnGen_Train_one_sample()
        {
            _net.Accumulate(Input, Target);
            _net.Step(0.001f);
        }

        [Benchmark]
        [BenchmarkCategory("3 Minibatch of 32")]
        public void NnGen_Train_minibatch() => TrainMinibatch(_net);

        [Benchmark]
        [BenchmarkCategory("3 Minibatch of 32")]
        public void NnGen_Train_minibatch_batched() => TrainBatched(_net);
    }

    public class Net64x32x10Benchmarks : Comparison
    {
        private Net64x32x10 _net = null!;

        protected override int[] Sizes => new[] { 64, 32, 10 };

        protected override bool SoftmaxOutput => true;

        protected override void SetupNetwork() => _net = new Net64x32x10();

        [Benchmark]
        [BenchmarkCategory("1 Forward, one sample")]
        public void NnGen_Forward() => _net.Forward(Input, Output);

        [Benchmark]
        [BenchmarkCategory("2 Accumulate+Step, one sample")]
        public void NnGen_Train_one_sample()
        {
            _net.Accumulate(Input, Target);
            _net.Step(0.001f);
        }

        [Benchmark]
        [BenchmarkCategory("3 Minibatch of 32")]
        public void NnGen_Train_minibatch() => TrainMinibatch(_net);

        [Benchmark]
        [BenchmarkCategory("3 Minibatch of 32")]
        public void NnGen_Train_minibatch_batched() => TrainBatched(_net);
    }

    public class Net784x128x10Benchmarks : Comparison
    {
        private Net784x128x10 _net = null!;

        protected override int[] Sizes => new[] { 784, 128, 10 };

        protected override bool SoftmaxOutput => true;

        protected override void SetupNetwork() => _net = new Net784x128x10();

        [Benchmark]
        [BenchmarkCategory("1 Forward, one sample")]
        public void NnGen_Forward() => _net.Forward(Input, Output);

        [Benchmark]
        [BenchmarkCategory("2 Accumulate+Step, one sample")]
        public void NnGen_Train_one_sample()
        {
            _net.Accumulate(Input, Target);
            _net.Step(0.001f);
        }

        [Benchmark]
        [BenchmarkCategory("3 Minibatch of 32")]
        public void NnGen_Train_minibatch() => TrainMinibatch(_net);

        [Benchmark]
        [BenchmarkCategory("3 Minibatch of 32")]
        public void NnGen_Train_minibatch_batched() => TrainBatched(_net);
    }
}
