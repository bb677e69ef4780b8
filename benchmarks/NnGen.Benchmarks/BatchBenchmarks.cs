using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    [Network(Inputs = 784, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
    [Layer(128, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class Net784x128x10Double { }

    /// <summary>
    /// The batch paths of 784-128-10 against the machine's limit: a minibatch of 32 (AccumulateBatch + Step,
    /// what the Trainer calls), ForwardBatch of 256, in float and double, and <see cref="PeakFma"/>, the
    /// fused multiply-adds per nanosecond one core sustains, which the % of peak in docs/benchmarks.md divides by.
    /// </summary>
    [MemoryDiagnoser]
    public class BatchBenchmarks
    {
        /// <summary>Multiply-adds of one sample through 784-128-10: 784·128 + 128·10.</summary>
        public const long MultiplyAddsPerSample = (784 * 128) + (128 * 10);

        private const int Minibatch = 32;
        private const int Images = 256;

        private readonly Net784x128x10 _single = new();
        private readonly Net784x128x10Double _double = new();
        private float[] _inputs = null!, _targets = null!, _outputs = null!;
        private double[] _inputsD = null!, _targetsD = null!, _outputsD = null!;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(4);
            _inputs = new float[Images * 784];
            _targets = new float[Images * 10];
            for (int i = 0; i < _inputs.Length; i++)
            {
                _inputs[i] = (float)random.NextDouble();
            }

            for (int s = 0; s < Images; s++)
            {
                _targets[(s * 10) + random.Next(10)] = 1;
            }

            _outputs = new float[Images * 10];
            _inputsD = Array.ConvertAll(_inputs, x => (double)x);
            _targetsD = Array.ConvertAll(_targets, x => (double)x);
            _outputsD = new double[Images * 10];
        }

        [Benchmark(Description = "float: minibatch of 32, AccumulateBatch + Step")]
        public void MinibatchSingle()
        {
            _single.AccumulateBatch(_inputs.AsSpan(0, Minibatch * 784), _targets.AsSpan(0, Minibatch * 10));
            _single.Step(0.001f);
        }

        [Benchmark(Description = "double: minibatch of 32, AccumulateBatch + Step")]
        public void MinibatchDouble()
        {
            _double.AccumulateBatch(_inputsD.AsSpan(0, Minibatch * 784), _targetsD.AsSpan(0, Minibatch * 10));
            _double.Step(0.001);
        }

        [Benchmark(Description = "float: ForwardBatch of 256")]
        public void ForwardBatchSingle() => _single.ForwardBatch(_inputs, _outputs);

        [Benchmark(Description = "double: ForwardBatch of 256")]
        public void ForwardBatchDouble() => _double.ForwardBatch(_inputsD, _outputsD);

        /// <summary>
        /// 12 independent chains of 512-bit (or 256-bit) float FMAs, 100,000 rounds: 1.2 M vector FMAs, and
        /// 19.2 M (or 9.6 M) scalar multiply-adds, straight from registers. Peak = those / the time.
        /// </summary>
        [Benchmark(Description = "peak: 1.2 M vector FMAs from registers")]
        public float PeakFma()
        {
            if (Avx512F.IsSupported)
            {
                return PeakFma512();
            }

            return Fma.IsSupported ? PeakFma256() : 0;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float PeakFma512()
        {
            Vector512<float> m = Vector512.Create(0.999999f), k = Vector512.Create(1e-7f);
            Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
            for (int i = 0; i < 100_000; i++)
            {
                a0 = Avx512F.FusedMultiplyAdd(a0, m, k);
                a1 = Avx512F.FusedMultiplyAdd(a1, m, k);
                a2 = Avx512F.FusedMultiplyAdd(a2, m, k);
                a3 = Avx512F.FusedMultiplyAdd(a3, m, k);
                a4 = Avx512F.FusedMultiplyAdd(a4, m, k);
                a5 = Avx512F.FusedMultiplyAdd(a5, m, k);
                a6 = Avx512F.FusedMultiplyAdd(a6, m, k);
                a7 = Avx512F.FusedMultiplyAdd(a7, m, k);
                a8 = Avx512F.FusedMultiplyAdd(a8, m, k);
                a9 = Avx512F.FusedMultiplyAdd(a9, m, k);
                a10 = Avx512F.FusedMultiplyAdd(a10, m, k);
                a11 = Avx512F.FusedMultiplyAdd(a11, m, k);
            }

            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float PeakFma256()
        {
            Vector256<float> m = Vector256.Create(0.999999f), k = Vector256.Create(1e-7f);
            Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
            for (int i = 0; i < 100_000; i++)
            {
                a0 = Fma.MultiplyAdd(a0, m, k);
                a1 = Fma.MultiplyAdd(a1, m, k);
                a2 = Fma.MultiplyAdd(a2, m, k);
                a3 = Fma.MultiplyAdd(a3, m, k);
                a4 = Fma.MultiplyAdd(a4, m, k);
                a5 = Fma.MultiplyAdd(a5, m, k);
                a6 = Fma.MultiplyAdd(a6, m, k);
                a7 = Fma.MultiplyAdd(a7, m, k);
                a8 = Fma.MultiplyAdd(a8, m, k);
                a9 = Fma.MultiplyAdd(a9, m, k);
                a10 = Fma.MultiplyAdd(a10, m, k);
                a11 = Fma.MultiplyAdd(a11, m, k);
            }

            return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }
    }
}
