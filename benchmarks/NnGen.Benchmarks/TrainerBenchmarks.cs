using System;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// The path the Trainer takes, per minibatch: shuffle, gather, AccumulateBatch (with two threads, each thread's
    /// block of layer 1's rows: 784-128-10's layer 1 holds nearly all of its multiply-adds), divergence checks, Step.
    /// One epoch of 2,048 samples through 784-128-10, float, without the per-epoch training evaluation
    /// (TrainingEvaluationSamples = 0), so the time is training alone. BusyThreads = 1 runs one more thread that only
    /// computes, as a game's own update or render thread would, so that two training threads and it share two cores.
    /// </summary>
    [MemoryDiagnoser]
    public class TrainerBenchmarks
    {
        private const int Count = 2048;

        private Dataset<float> _data = null!;
        private Trainer<float> _trainer = null!;
        private Thread? _busy;
        private volatile bool _stopBusy;

        [Params(32, 64)]
        public int BatchSize { get; set; }

        [Params(1, 2)]
        public int Threads { get; set; }

        [Params(0, 1)]
        public int BusyThreads { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(5);
            var inputs = new float[Count * 784];
            var targets = new float[Count * 10];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)random.NextDouble();
            }

            for (int s = 0; s < Count; s++)
            {
                targets[(s * 10) + random.Next(10)] = 1;
            }

            _data = new Dataset<float>(inputs, targets, 784, 10);
            var net = new Net784x128x10();
            _trainer = new Trainer<float>(net, new TrainerOptions
            {
                Epochs = 1,
                BatchSize = BatchSize,
                LearningRate = 0.001,
                Threads = Threads,
                TrainingEvaluationSamples = 0,
            });

            _stopBusy = false;
            if (BusyThreads > 0)
            {
                _busy = new Thread(() =>
                {
                    double v = 1;
                    while (!_stopBusy)
                    {
                        for (int i = 0; i < 1000; i++)
                        {
                            v = (v * 1.0000001) + 1e-9;
                        }
                    }

                    GC.KeepAlive(v);
                }) { IsBackground = true };
                _busy.Start();
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _stopBusy = true;
            _busy?.Join();
            _busy = null;
        }

        /// <summary>One epoch, reported per sample: multiply by BatchSize for the time of a minibatch.</summary>
        [Benchmark(OperationsPerInvoke = Count, Description = "one epoch of 2,048, per sample")]
        public void Epoch() => _trainer.Train(_data);
    }
}
