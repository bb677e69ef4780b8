using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// What a loss function of the user's costs against the declared cost it reproduces: Accumulate of 2-3-4-2 (squared
    /// error, unrolled), Accumulate of 64-32-10 and AccumulateBatch of 32 samples through 784-128-10 (cross-entropy over softmax, vectorised),
    /// each with the declared cost and with the same loss written as a LossFunction (one virtual call per sample, a(L)
    /// handed over in a span, g written and then taken through the softmax Jacobian instead of the fused a − t), and the
    /// same networks with logits for outputs and the runtime's SoftmaxCrossEntropyLoss.
    /// </summary>
    [MemoryDiagnoser]
    public class LossFunctionBenchmarks
    {
        private readonly Net2342 _small = new();
        private readonly Net784x128x10 _wide = new();
        private readonly Net64x32x10 _medium = new();
        private readonly Net64x32x10Logits _mediumLogits = new();
        private readonly Net784x128x10Logits _wideLogits = new();
        private readonly SoftmaxCrossEntropyLoss<float> _overLogits = new();
        private readonly SoftmaxCrossEntropyLoss<float> _overLogitsByIndex = new(classIndex: true);
        private readonly float[] _class2 = { 2 };
        private readonly float[] _x64 = new float[64];
        private readonly float[] _t10 = { 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
        private readonly SquaredError _squared = new();
        private readonly CrossEntropy _crossEntropy = new();
        private readonly float[] _x = { 0.3f, -0.7f };
        private readonly float[] _t = { 0.2f, -0.4f };
        private Dataset<float> _batch = null!;

        [GlobalSetup]
        public void Setup()
        {
            _small.InitializeParameters(1);
            _wide.InitializeParameters(2);
            _medium.InitializeParameters(3);
            _mediumLogits.InitializeParameters(3);
            _wideLogits.InitializeParameters(2);
            for (int i = 0; i < _x64.Length; i++)
            {
                _x64[i] = (i % 7) / 7f;
            }
            _batch = TrainerBenchmarks.RandomSet(32);
        }

        [Benchmark(Description = "2-3-4-2 Accumulate, declared squared error")]
        public float SmallDeclared()
        {
            float loss = _small.Accumulate(_x, _t);
            _small.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "2-3-4-2 Accumulate, the same as a LossFunction")]
        public float SmallLossFunction()
        {
            float loss = _small.Accumulate(_x, _t, _squared);
            _small.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "2-3-4-2 AccumulateGradient, g given")]
        public float SmallGradient()
        {
            _small.AccumulateGradient(_x, _t);
            _small.ClearGradients();
            return _small.Gradients[0];
        }

        [Benchmark(Description = "64-32-10 Accumulate, declared cross-entropy")]
        public float MediumDeclared()
        {
            float loss = _medium.Accumulate(_x64, _t10);
            _medium.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "64-32-10 Accumulate, the same as a LossFunction")]
        public float MediumLossFunction()
        {
            float loss = _medium.Accumulate(_x64, _t10, _crossEntropy);
            _medium.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "64-32-10 logits Accumulate, SoftmaxCrossEntropyLoss")]
        public float MediumOverLogits()
        {
            float loss = _mediumLogits.Accumulate(_x64, _t10, _overLogits);
            _mediumLogits.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "64-32-10 logits Accumulate, SoftmaxCrossEntropyLoss by class index")]
        public float MediumOverLogitsByIndex()
        {
            float loss = _mediumLogits.Accumulate(_x64, _class2, _overLogitsByIndex);
            _mediumLogits.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "64-32-10 AccumulateGradient, g given")]
        public float MediumGradient()
        {
            _medium.AccumulateGradient(_x64, _t10);
            _medium.ClearGradients();
            return _medium.Gradients[0];
        }

        [Benchmark(Description = "784-128-10 AccumulateBatch of 32, declared cross-entropy")]
        public float WideDeclared()
        {
            float loss = _wide.AccumulateBatch(_batch.Inputs, _batch.Targets);
            _wide.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "784-128-10 AccumulateBatch of 32, the same as a LossFunction")]
        public float WideLossFunction()
        {
            float loss = _wide.AccumulateBatch(_batch.Inputs, _batch.Targets, _crossEntropy);
            _wide.ClearGradients();
            return loss;
        }

        [Benchmark(Description = "784-128-10 logits AccumulateBatch of 32, SoftmaxCrossEntropyLoss")]
        public float WideOverLogits()
        {
            float loss = _wideLogits.AccumulateBatch(_batch.Inputs, _batch.Targets, _overLogits);
            _wideLogits.ClearGradients();
            return loss;
        }

        /// <summary>C = Σ (a − t)², the declared SquaredError.</summary>
        private sealed class SquaredError : LossFunction<float>
        {
            public override float Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> outputGradient)
            {
                float loss = 0;
                for (int k = 0; k < output.Length; k++)
                {
                    float r = output[k] - target[k];
                    loss += r * r;
                    outputGradient[k] = 2 * r;
                }

                return loss;
            }
        }

        /// <summary>C = −Σ t ln a over the probabilities, g = −t / a (a clamped to 1e-30).</summary>
        private sealed class CrossEntropy : LossFunction<float>
        {
            public override float Evaluate(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> outputGradient)
            {
                float loss = 0;
                for (int k = 0; k < output.Length; k++)
                {
                    if (target[k] != 0)
                    {
                        float a = MathF.Max(output[k], 1e-30f);
                        loss -= target[k] * MathF.Log(a);
                        outputGradient[k] = -target[k] / a;
                    }
                }

                return loss;
            }
        }
    }
}
