using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    [Network(Inputs = 2, Cost = Cost.SquaredError, Precision = Precision.Double)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class SeedNetDouble { }

    [Network(Inputs = 16, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
    [Layer(16, Activation.Logistic)]
    [Layer(8, Activation.Elu)]
    [Layer(4, Activation.Softmax)]
    public partial class SmallDoubleClassifier { }

    [Network(Inputs = 64, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
    [Layer(64, Activation.Tanh)]
    public partial class DoubleTanh64 { }

    /// <summary>
    /// Double networks whose time goes to their activations: e^x and tanh x from FastMath (NnGen's own arithmetic, the
    /// same bits on every OS) where they called Math.Exp and Math.Tanh (the C library's) before d080d9b, and where the
    /// trainable network's vectorised tanh called TensorPrimitives.Tanh.
    /// </summary>
    public class DoubleActivationBenchmarks
    {
        private readonly SeedNetDouble _seed = new();
        private readonly SmallDoubleClassifier _classifier = new();
        private readonly double[] _x2 = { 0.3, -0.7 };
        private readonly double[] _y2 = new double[2];
        private readonly double[] _x16 = new double[16];
        private readonly double[] _y4 = new double[4];
        private readonly double[] _x64 = new double[64];
        private readonly double[] _y64 = new double[64];
        private readonly DoubleTanh64 _tanh64Network = new();
        private DoubleTanh64.Inference _tanh64 = null!;

        [GlobalSetup]
        public void Setup()
        {
            _seed.InitializeParameters(1);
            _classifier.InitializeParameters(2);
            _tanh64Network.InitializeParameters(3);
            _tanh64 = _tanh64Network.ToInference();
            for (int i = 0; i < 16; i++)
            {
                _x16[i] = Math.Sin(i);
            }

            for (int i = 0; i < 64; i++)
            {
                _x64[i] = Math.Cos(i * 0.3);
            }
        }

        [Benchmark(Description = "2-3-4-2 tanh, double, Forward")]
        public void SeedForward() => _seed.Forward(_x2, _y2);

        [Benchmark(Description = "2-3-4-2 tanh, double, Accumulate")]
        public double SeedAccumulate() => _seed.Accumulate(_x2, _y2);

        [Benchmark(Description = "16-16 logistic-8 Elu-4 softmax, double unrolled, Forward")]
        public void ClassifierForward() => _classifier.Forward(_x16, _y4);

        [Benchmark(Description = "64 × 64 tanh, double, network Forward")]
        public void Tanh64NetworkForward() => _tanh64Network.Forward(_x64, _y64);

        [Benchmark(Description = "64 × 64 tanh, double, ToInference().Forward")]
        public void Tanh64Forward() => _tanh64.Forward(_x64, _y64);
    }
}
