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

        /// <summary>Inputs uniform in [0, 1) and one-hot targets for 784-128-10, the same on every run.</summary>
        public static Dataset<float> RandomSet(int count)
        {
            var random = new Random(5);
            var inputs = new float[count * 784];
            var targets = new float[count * 10];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)random.NextDouble();
            }

            for (int s = 0; s < count; s++)
            {
                targets[(s * 10) + random.Next(10)] = 1;
            }

            return new Dataset<float>(inputs, targets, 784, 10);
        }

        /// <summary>A background thread that only computes until <paramref name="stop"/> says so, as a game's own update or render thread would.</summary>
        public static Thread StartBusy(Func<bool> stop)
        {
            var thread = new Thread(() =>
            {
                double v = 1;
                while (!stop())
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        v = (v * 1.0000001) + 1e-9;
                    }
                }

                GC.KeepAlive(v);
            }) { IsBackground = true };
            thread.Start();
            return thread;
        }

        [GlobalSetup]
        public void Setup()
        {
            _data = RandomSet(Count);
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
                _busy = StartBusy(() => _stopBusy);
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
