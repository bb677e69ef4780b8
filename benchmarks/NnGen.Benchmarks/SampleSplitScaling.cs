using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NnGen.Benchmarks
{
    // Layer 1 holds just under half of the multiply-adds, so TrainerOptions.Threads splits each minibatch by samples.
    [Network(Inputs = 256, Cost = Cost.CrossEntropy)]
    [Layer(256, Activation.Tanh)]
    [Layer(256, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    public partial class Net256x256x256x10 { }

    /// <summary>
    /// <see cref="ThreadScaling"/> for the sample split: one-thread and two-thread trainers of 256-256-256-10 (or, with
    /// small=1, the unrolled 2-3-4-2, where each minibatch is a few microseconds and the threads' meetings weigh most)
    /// train alternate epochs of 2,048 random samples in one process; prints the medians per minibatch, their ratio and a
    /// cache line's round trip between the two threads.
    /// </summary>
    /// <remarks><c>dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- sample-split-scaling [batch=64] [epochs=40] [small=0]</c></remarks>
    public static class SampleSplitScaling
    {
        public static void Run(string[] args)
        {
            int batch = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
            int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
            bool small = args.Length > 2 && args[2] == "1";
            const int Count = 2048;
            int inputCount = small ? 2 : 256, outputCount = small ? 2 : 10;
            var random = new Random(3);
            float[] inputs = Enumerable.Range(0, Count * inputCount).Select(_ => (float)random.NextDouble()).ToArray();
            var targets = new float[Count * outputCount];
            for (int s = 0; s < Count; s++)
            {
                targets[(s * outputCount) + random.Next(outputCount)] = 1;
            }

            var data = new Dataset<float>(inputs, targets, inputCount, outputCount);
            Trainer<float> Make(int threads)
            {
                INetwork<float> net = small ? new Net2342() : new Net256x256x256x10();
                net.InitializeParameters(3);
                return new Trainer<float>(net, new TrainerOptions { Epochs = 1, BatchSize = batch, LearningRate = 0.001, Threads = threads, TrainingEvaluationSamples = 0 });
            }

            (List<double> timesOne, List<double> timesTwo, List<double> ratios) = ThreadScaling.Alternate(Make(1), Make(2), data, batch, epochs);

            Console.WriteLine(FormattableString.Invariant(
                $"{(small ? "2-3-4-2" : "256-256-256-10")}, batch {batch}, {Count} samples, {epochs} epoch pairs: one thread {ThreadScaling.Median(timesOne):F1} µs per minibatch, two threads {ThreadScaling.Median(timesTwo):F1} µs, scaling {ThreadScaling.Median(ratios):F2}x; a cache line's round trip between two threads: {TwoCoreCheck.RoundTripNanoseconds():F0} ns"));
        }
    }
}
