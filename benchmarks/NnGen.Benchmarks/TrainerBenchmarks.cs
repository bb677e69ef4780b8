using System;
using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// The path the Trainer takes, per minibatch: shuffle, gather, AccumulateBatch (with two threads, each thread's
    /// block of layer 1's rows: 784-128-10's layer 1 holds nearly all of its multiply-adds), divergence checks, Step.
    /// One epoch of 2,048 samples through 784-128-10, float, without the per-epoch training evaluation
    /// (TrainingEvaluationSamples = 0), so the time is training alone.
    /// </summary>
    [MemoryDiagnoser]
    public class TrainerBenchmarks
    {
        private const int Count = 2048;

        private Dataset<float> _data = null!;
        private Trainer<float> _trainer = null!;

        [Params(32, 64)]
        public int BatchSize { get; set; }

        [Params(1, 2)]
        public int Threads { get; set; }

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
        }

        /// <summary>One epoch, reported per sample: multiply by BatchSize for the time of a minibatch.</summary>
        [Benchmark(OperationsPerInvoke = Count, Description = "one epoch of 2,048, per sample")]
        public void Epoch() => _trainer.Train(_data);
    }
}
