using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace NnGen.PeerBenchmarks
{
    [Network(Inputs = 2)] [Layer(3, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(2, Activation.Identity)] public partial class Net2342 { }
    [Network(Inputs = 16)] [Layer(16, Activation.Tanh)] public partial class Net16Tanh { }
    [Network(Inputs = 64)] [Layer(64, Activation.Identity)] public partial class Net64 { }
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)] [Layer(32, Activation.Tanh)] [Layer(10, Activation.Softmax)] public partial class Net64x32x10 { }
    [Network(Inputs = 784, Cost = Cost.CrossEntropy)] [Layer(128, Activation.Relu)] [Layer(10, Activation.Softmax)] public partial class Net784Relu { }
    [Network(Inputs = 784, Cost = Cost.CrossEntropy)] [Layer(128, Activation.Tanh)] [Layer(10, Activation.Softmax)] public partial class Net784Tanh { }

    /// <summary>
    /// Inference through NnGen and through ONNX Runtime (one thread, sequential execution, pre-bound
    /// OrtValues, so neither side allocates per call) on the same function: models/*.onnx are written by
    /// make_models.py from the LCG parameters that <see cref="Fill"/> loads into the NnGen network. Setup
    /// checks that both give the same outputs before anything is timed.
    /// </summary>
    [MemoryDiagnoser]
    public class OnnxPeers : IDisposable
    {
        private IInferenceNetwork<float> _net = null!, _snapshot = null!;
        private InferenceSession _session = null!;
        private RunOptions _runOptions = null!;
        private OrtValue _x = null!, _y = null!;
        private float[] _input = null!, _output = null!, _onnxOutput = null!;
        private readonly string[] _inputNames = { "X" }, _outputNames = { "Y" };
        private OrtValue[] _inputs = null!, _outputs = null!;

        [Params(1, 256)]
        public int Samples { get; set; }

        [Params("2-3-4-2_tanh", "dense16x16_tanh", "dense64x64", "64-32-10_tanh_softmax", "784-128-10_relu_softmax", "784-128-10_tanh_softmax")]
        public string Case { get; set; } = "";

        [GlobalSetup]
        public void Setup()
        {
            (_net, int[] sizes) = Case switch
            {
                "2-3-4-2_tanh" => ((IInferenceNetwork<float>)new Net2342(), new[] { 2, 3, 4, 2 }),
                "dense16x16_tanh" => (new Net16Tanh(), new[] { 16, 16 }),
                "dense64x64" => (new Net64(), new[] { 64, 64 }),
                "64-32-10_tanh_softmax" => (new Net64x32x10(), new[] { 64, 32, 10 }),
                "784-128-10_relu_softmax" => (new Net784Relu(), new[] { 784, 128, 10 }),
                _ => (new Net784Tanh(), new[] { 784, 128, 10 }),
            };
            Fill((INetwork<float>)_net, sizes);
            _snapshot = _net switch
            {
                Net2342 n => n.ToInference(),
                Net16Tanh n => n.ToInference(),
                Net64 n => n.ToInference(),
                Net64x32x10 n => n.ToInference(),
                Net784Relu n => n.ToInference(),
                Net784Tanh n => n.ToInference(),
                _ => throw new InvalidOperationException(Case),
            };
            int inputs = sizes[0], outputs = sizes[^1];
            _input = new float[Samples * inputs];
            var lcg = new Lcg(777u);
            for (int i = 0; i < _input.Length; i++)
            {
                _input[i] = lcg.Next();
            }

            _output = new float[Samples * outputs];
            _onnxOutput = new float[Samples * outputs];

            var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
            _session = new InferenceSession(Path.Combine(AppContext.BaseDirectory, "models", Case + ".onnx"), options);
            _runOptions = new RunOptions();
            _x = OrtValue.CreateTensorValueFromMemory(_input, new long[] { Samples, inputs });
            _y = OrtValue.CreateTensorValueFromMemory(_onnxOutput, new long[] { Samples, outputs });
            _inputs = new[] { _x };
            _outputs = new[] { _y };

            OnnxRuntime();
            foreach (Action run in new Action[] { NnGen, NnGenInference })
            {
                Array.Clear(_output);
                run();
                double worst = 0;
                for (int i = 0; i < _output.Length; i++)
                {
                    worst = Math.Max(worst, Math.Abs(_output[i] - _onnxOutput[i]));
                }

                if (worst > 1e-4)
                {
                    throw new InvalidOperationException($"{Case}: NnGen ({run.Method.Name}) and ONNX Runtime differ by {worst}; the model is not the network.");
                }
            }
        }

        [Benchmark(Baseline = true)]
        public void NnGen()
        {
            if (Samples == 1)
            {
                _net.Forward(_input, _output);
            }
            else
            {
                _net.ForwardBatch(_input, _output);
            }
        }

        /// <summary>The same network's inference snapshot (ToInference): W packed in panels for its vectorised layers.</summary>
        [Benchmark]
        public void NnGenInference()
        {
            if (Samples == 1)
            {
                _snapshot.Forward(_input, _output);
            }
            else
            {
                _snapshot.ForwardBatch(_input, _output);
            }
        }

        [Benchmark]
        public void OnnxRuntime() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

        [GlobalCleanup]
        public void Dispose()
        {
            _x?.Dispose();
            _y?.Dispose();
            _runOptions?.Dispose();
            _session?.Dispose();
        }

        // shared/peers/rtneural/bench.cpp's makeParams: per layer W row by row scaled by 1/√fan-in, then b scaled by 0.1.
        private static void Fill(INetwork<float> net, int[] sizes)
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
