using BenchmarkDotNet.Attributes;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// What the optimiser adds to the Trainer's minibatch: one epoch of 2,048 samples through 784-128-10, float, one
    /// thread, no per-epoch evaluation, with plain SGD (the generated Step), momentum and Adam. Each of the two is a pass
    /// over the 101,770 parameters per minibatch; momentum and Adam compute every new value twice (a first pass that checks
    /// they are finite, then the one that writes them).
    /// </summary>
    [MemoryDiagnoser]
    public class OptimizerBenchmarks
    {
        private const int Count = 2048;

        private Dataset<float> _data = null!;
        private Trainer<float> _trainer = null!;

        [Params("sgd", "momentum", "adam")]
        public string Optimizer { get; set; } = "sgd";

        private const int BatchSize = 32;

        [GlobalSetup]
        public void Setup()
        {
            _data = TrainerBenchmarks.RandomSet(Count);
            _trainer = new Trainer<float>(new Net784x128x10(), new TrainerOptions
            {
                Epochs = 1,
                BatchSize = BatchSize,
                LearningRate = 0.0001,
                TrainingEvaluationSamples = 0,
                Optimizer = Optimizer switch
                {
                    "momentum" => NnGen.Optimizer.Momentum(),
                    "adam" => NnGen.Optimizer.Adam(),
                    _ => NnGen.Optimizer.Sgd(),
                },
            });
        }

        /// <summary>One epoch, reported per minibatch.</summary>
        [Benchmark(OperationsPerInvoke = Count / BatchSize, Description = "one epoch of 2,048, per minibatch of 32")]
        public void Epoch() => _trainer.Train(_data);
    }
}

namespace NnGen.Benchmarks
{
    /// <summary>
    /// A training loop of one's own (reinforcement learning): one AccumulateGradient and one optimiser step on
    /// 784-128-10, float. "generated" is the network's own Step(η), the bare SGD update; the others are Optimizer.Step,
    /// which checks the gradient and the update. The difference to "generated" is the optimiser's cost per step.
    /// </summary>
    [MemoryDiagnoser]
    public class OptimizerStepBenchmarks
    {
        private readonly float[] _input = new float[784];
        private readonly float[] _outputGradient = new float[10];
        private Net784x128x10 _net = null!;
        private Optimizer? _optimizer;

        [Params("generated", "sgd", "momentum", "adam")]
        public string Optimizer { get; set; } = "generated";

        [GlobalSetup]
        public void Setup()
        {
            var random = new System.Random(3);
            for (int i = 0; i < _input.Length; i++)
            {
                _input[i] = (float)random.NextDouble();
            }

            _outputGradient[3] = 0.5f;
            _outputGradient[7] = -0.25f;
            _net = new Net784x128x10();
            _net.InitializeParameters(1);
            _optimizer = Optimizer switch
            {
                "sgd" => NnGen.Optimizer.Sgd(),
                "momentum" => NnGen.Optimizer.Momentum(),
                "adam" => NnGen.Optimizer.Adam(),
                _ => null,
            };
        }

        [Benchmark(Description = "AccumulateGradient + step")]
        public void Step()
        {
            _net.AccumulateGradient(_input, _outputGradient);
            if (_optimizer is null)
            {
                _net.Step(1e-6f);
            }
            else
            {
                _optimizer.Step(_net, 1e-6);
            }
        }
    }
}
