using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    // The seven networks of the RTNeural peer benchmark (shared/peers/rtneural/bench.cpp), float, Auto shape.
    [Network(Inputs = 4)] [Layer(4, Activation.Identity)] public partial class RtnDense4x4 { }
    [Network(Inputs = 16)] [Layer(16, Activation.Identity)] public partial class RtnDense16x16 { }
    [Network(Inputs = 16)] [Layer(16, Activation.Tanh)] public partial class RtnDense16x16Tanh { }
    [Network(Inputs = 64)] [Layer(64, Activation.Identity)] public partial class RtnDense64x64 { }
    [Network(Inputs = 2)] [Layer(3, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Rtn2342 { }
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)] [Layer(32, Activation.Tanh)] [Layer(10, Activation.Softmax)] public partial class Rtn64x32x10 { }
    [Network(Inputs = 784, Cost = Cost.CrossEntropy)] [Layer(128, Activation.Relu)] [Layer(10, Activation.Softmax)] public partial class Rtn784x128x10 { }

    /// <summary>
    /// One-sample inference, timed as bench.cpp times RTNeural: a ring of 64 inputs from the same 32-bit LCG,
    /// the same parameters in the same order, each call's output read into an accumulator. One benchmark
    /// operation is one Forward call. Run bench.cpp's builds and this one after the other on the same machine.
    /// Each case runs twice: through the network itself, and through its inference snapshot (ToInference), which
    /// reads W packed in panels as RTNeural reads its transposed weights. Each case writes its loop out: one method generic over the network type would be shared between the
    /// reference types and call Forward through the interface, a cost user code calling its own network does not pay.
    /// </summary>
    public class RtNeuralCases
    {
        private const int Ring = 64;

        private readonly RtnDense4x4 _dense4 = new();
        private readonly RtnDense16x16 _dense16 = new();
        private readonly RtnDense16x16Tanh _dense16Tanh = new();
        private readonly RtnDense64x64 _dense64 = new();
        private readonly Rtn2342 _small = new();
        private readonly Rtn64x32x10 _digits = new();
        private readonly Rtn784x128x10 _mnist = new();
        private RtnDense4x4.Inference _dense4Snapshot = null!;
        private RtnDense16x16.Inference _dense16Snapshot = null!;
        private RtnDense16x16Tanh.Inference _dense16TanhSnapshot = null!;
        private RtnDense64x64.Inference _dense64Snapshot = null!;
        private Rtn2342.Inference _smallSnapshot = null!;
        private RtnDense4x4.InferenceValue _dense4Value;
        private RtnDense16x16.InferenceValue _dense16Value;
        private RtnDense16x16Tanh.InferenceValue _dense16TanhValue;
        private Rtn2342.InferenceValue _smallValue;
        private Rtn64x32x10.Inference _digitsSnapshot = null!;
        private Rtn784x128x10.Inference _mnistSnapshot = null!;
        private readonly float[] _output = new float[128];
        private float[] _ring4 = null!, _ring16 = null!, _ring64 = null!, _ring2 = null!, _ring784 = null!;
        private float _sink;

        [GlobalSetup]
        public void Setup()
        {
            Fill(_dense4, 4, 4);
            Fill(_dense16, 16, 16);
            Fill(_dense16Tanh, 16, 16);
            Fill(_dense64, 64, 64);
            Fill(_small, 2, 3, 4, 2);
            Fill(_digits, 64, 32, 10);
            Fill(_mnist, 784, 128, 10);
            _dense4Snapshot = _dense4.ToInference();
            _dense16Snapshot = _dense16.ToInference();
            _dense16TanhSnapshot = _dense16Tanh.ToInference();
            _dense64Snapshot = _dense64.ToInference();
            _smallSnapshot = _small.ToInference();
            _dense4Value = _dense4.ToInferenceValue();
            _dense16Value = _dense16.ToInferenceValue();
            _dense16TanhValue = _dense16Tanh.ToInferenceValue();
            _smallValue = _small.ToInferenceValue();
            _digitsSnapshot = _digits.ToInference();
            _mnistSnapshot = _mnist.ToInference();
            _ring4 = Inputs(4);
            _ring16 = Inputs(16);
            _ring64 = Inputs(64);
            _ring2 = Inputs(2);
            _ring784 = Inputs(784);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "a dense 4×4")]
        public float Dense4x4()
        {
            Span<float> output = _output.AsSpan(0, 4);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense4.Forward(_ring4.AsSpan(r * 4, 4), output);
                acc += output[r % 4];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "b dense 16×16")]
        public float Dense16x16()
        {
            Span<float> output = _output.AsSpan(0, 16);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense16.Forward(_ring16.AsSpan(r * 16, 16), output);
                acc += output[r % 16];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "c dense 16×16 + tanh")]
        public float Dense16x16Tanh()
        {
            Span<float> output = _output.AsSpan(0, 16);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense16Tanh.Forward(_ring16.AsSpan(r * 16, 16), output);
                acc += output[r % 16];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "d dense 64×64")]
        public float Dense64x64()
        {
            Span<float> output = _output.AsSpan(0, 64);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense64.Forward(_ring64.AsSpan(r * 64, 64), output);
                acc += output[r % 64];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "e 2-3-4-2 tanh")]
        public float Small2342()
        {
            Span<float> output = _output.AsSpan(0, 2);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _small.Forward(_ring2.AsSpan(r * 2, 2), output);
                acc += output[r % 2];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "f 64-32-10 tanh, softmax")]
        public float Digits()
        {
            Span<float> output = _output.AsSpan(0, 10);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _digits.Forward(_ring64.AsSpan(r * 64, 64), output);
                acc += output[r % 10];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "g 784-128 relu-10 softmax")]
        public float Mnist()
        {
            Span<float> output = _output.AsSpan(0, 10);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _mnist.Forward(_ring784.AsSpan(r * 784, 784), output);
                acc += output[r % 10];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "a dense 4×4, ToInference")]
        public float Dense4x4Snapshot()
        {
            Span<float> output = _output.AsSpan(0, 4);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense4Snapshot.Forward(_ring4.AsSpan(r * 4, 4), output);
                acc += output[r % 4];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "b dense 16×16, ToInference")]
        public float Dense16x16Snapshot()
        {
            Span<float> output = _output.AsSpan(0, 16);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense16Snapshot.Forward(_ring16.AsSpan(r * 16, 16), output);
                acc += output[r % 16];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "c dense 16×16 + tanh, ToInference")]
        public float Dense16x16TanhSnapshot()
        {
            Span<float> output = _output.AsSpan(0, 16);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense16TanhSnapshot.Forward(_ring16.AsSpan(r * 16, 16), output);
                acc += output[r % 16];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "d dense 64×64, ToInference")]
        public float Dense64x64Snapshot()
        {
            Span<float> output = _output.AsSpan(0, 64);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _dense64Snapshot.Forward(_ring64.AsSpan(r * 64, 64), output);
                acc += output[r % 64];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "e 2-3-4-2 tanh, ToInference")]
        public float Small2342Snapshot()
        {
            Span<float> output = _output.AsSpan(0, 2);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _smallSnapshot.Forward(_ring2.AsSpan(r * 2, 2), output);
                acc += output[r % 2];
            }

            return Sink(acc);
        }

        // The networks whose every layer computes in lanes (a, e) or is one panel (b, c) also get ToInferenceValue: the
        // loop copies the value into a local first, as its documentation asks, so that the JIT keeps its fields in registers.
        [Benchmark(OperationsPerInvoke = Ring, Description = "a dense 4×4, ToInferenceValue")]
        public float Dense4x4Value()
        {
            RtnDense4x4.InferenceValue model = _dense4Value;
            Span<float> output = _output.AsSpan(0, 4);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                model.Forward(_ring4.AsSpan(r * 4, 4), output);
                acc += output[r % 4];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "b dense 16×16, ToInferenceValue")]
        public float Dense16x16Value()
        {
            RtnDense16x16.InferenceValue model = _dense16Value;
            Span<float> output = _output.AsSpan(0, 16);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                model.Forward(_ring16.AsSpan(r * 16, 16), output);
                acc += output[r % 16];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "c dense 16×16 + tanh, ToInferenceValue")]
        public float Dense16x16TanhValue()
        {
            RtnDense16x16Tanh.InferenceValue model = _dense16TanhValue;
            Span<float> output = _output.AsSpan(0, 16);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                model.Forward(_ring16.AsSpan(r * 16, 16), output);
                acc += output[r % 16];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "e 2-3-4-2 tanh, ToInferenceValue")]
        public float Small2342Value()
        {
            Rtn2342.InferenceValue model = _smallValue;
            Span<float> output = _output.AsSpan(0, 2);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                model.Forward(_ring2.AsSpan(r * 2, 2), output);
                acc += output[r % 2];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "f 64-32-10 tanh, softmax, ToInference")]
        public float DigitsSnapshot()
        {
            Span<float> output = _output.AsSpan(0, 10);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _digitsSnapshot.Forward(_ring64.AsSpan(r * 64, 64), output);
                acc += output[r % 10];
            }

            return Sink(acc);
        }

        [Benchmark(OperationsPerInvoke = Ring, Description = "g 784-128 relu-10 softmax, ToInference")]
        public float MnistSnapshot()
        {
            Span<float> output = _output.AsSpan(0, 10);
            float acc = 0;
            for (int r = 0; r < Ring; r++)
            {
                _mnistSnapshot.Forward(_ring784.AsSpan(r * 784, 784), output);
                acc += output[r % 10];
            }

            return Sink(acc);
        }

        private float Sink(float acc)
        {
            _sink += acc;
            return _sink;
        }

        // bench.cpp's makeParams: per layer W row by row scaled by 1/√fan-in, then b scaled by 0.1.
        private static void Fill(INetwork<float> net, params int[] sizes)
        {
            var lcg = new Lcg(12345u);
            Span<float> p = net.Parameters;
            int at = 0;
            for (int l = 1; l < sizes.Length; l++)
            {
                float scale = (float)(1.0 / Math.Sqrt(sizes[l - 1]));
                for (int i = 0; i < sizes[l] * sizes[l - 1]; i++)
                {
                    p[at++] = lcg.Next() * scale;
                }

                for (int i = 0; i < sizes[l]; i++)
                {
                    p[at++] = lcg.Next() * 0.1f;
                }
            }
        }

        // INPUT_SCALE (an environment variable, 1 when unset) multiplies every input, as benchmarks/rtneural/bench-input-scale.sh's
        // build of bench.cpp does: RTNeural's xsimd tanh skips its exponential and division when every lane is below 0.625,
        // so its time depends on the inputs; NnGen's tanh has no branch. BenchmarkDotNet's child process inherits the variable.
        private static float[] Inputs(int size)
        {
            string? scaleText = Environment.GetEnvironmentVariable("INPUT_SCALE");
            float scale = 1f;
            if (scaleText is not null && !float.TryParse(scaleText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out scale))
            {
                throw new InvalidOperationException($"INPUT_SCALE must be a number such as 4 or 0.1, not '{scaleText}'.");
            }

            var lcg = new Lcg(777u);
            var x = new float[Ring * size];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = lcg.Next() * scale;
            }

            return x;
        }

        // bench.cpp's Lcg: uniform in [−1, 1), exact in float.
        private struct Lcg
        {
            private uint _state;

            public Lcg(uint seed) => _state = seed;

            public float Next()
            {
                _state = unchecked((_state * 1664525u) + 1013904223u);
                return ((_state >> 8) * (1.0f / 16777216.0f) * 2.0f) - 1.0f;
            }
        }
    }
}
