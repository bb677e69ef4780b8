using System;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using NnGen.CompilerServices;
using NnGen.Testing;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Random vectorised networks, float and double, every activation and cost: where the generator gives a network
    /// IRowSplitTraining (an element-wise layer 1 and a layer after it), any blocks of whole panels of layer 1's rows
    /// give AccumulateBatch's bits, and the Trainer's threads, where they split layer 1's rows, train to one thread's bits,
    /// whether the run finishes or is cancelled between two minibatches. The cases are fixed (<see cref="Seeded"/>).
    /// </summary>
    public sealed class RowSplitProperties
    {
        private static readonly string[] Activations = { "Identity", "Logistic", "Tanh", "Relu", "Elu", "Softmax" };
        private static readonly string[] Costs = { "SquaredError", "HalfSquaredError", "MeanSquaredError", "CrossEntropy", "BinaryCrossEntropy" };

        // Up to 70 inputs and 60 rows in layer 1 (several panels, a partial last one), smaller layers after it.
        private static readonly Gen<(int Inputs, (int Size, string Activation) First, (int Size, string Activation)[] After, string Cost, bool Double)> Network =
            Gen.Select(Gen.Int[1, 70], Gen.Select(Gen.Int[1, 60], Gen.OneOf(Activations)), Gen.Select(Gen.Int[1, 12], Gen.OneOf(Activations)).Array[0, 2], Gen.OneOf(Costs), Gen.Bool)
                .Select(n => (n.Item1, n.Item2, n.Item3, Servable(n.Item4, n.Item3.Length > 0 ? n.Item3[n.Item3.Length - 1].Item2 : n.Item2.Item2), n.Item5));

        // A cross-entropy cost needs an output in (0, 1) (NNG011): after any other output the draw takes mean squared
        // error instead, so that the network is checked rather than skipped. The draws themselves are as before.
        private static string Servable(string cost, string output) =>
            cost is "CrossEntropy" or "BinaryCrossEntropy" && output is not ("Softmax" or "Logistic") ? "MeanSquaredError" : cost;

        [Fact]
        public void Blocks_of_rows_of_random_networks_give_the_bits_of_AccumulateBatch()
        {
            Network.Array[16].Sample(Check, cases: 1, stream: 41, print: networks => string.Join("\n", networks.Select(Declare)));
        }

        private static void Check((int Inputs, (int Size, string Activation) First, (int Size, string Activation)[] After, string Cost, bool Double)[] networks)
        {
            RandomNetworks.Check(string.Join("\n", networks.Select((n, i) => Declare(n).Replace("class Net", $"class Net{i}", StringComparison.Ordinal))), "random-row-splits", (assembly, output) =>
            {
                int split = 0;
                for (int i = 0; i < networks.Length; i++)
                {
                    object net = Activator.CreateInstance(assembly.GetType($"Random.Net{i}")!)!;
                    if (net is not INetwork<double> && net is not INetwork<float>)
                    {
                        // A cost the output activation cannot serve (binary cross-entropy after tanh, say) is a diagnostic,
                        // and the class stays empty.
                        Assert.Contains(output.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
                        continue;
                    }

                    bool expected = networks[i].After.Length > 0 && networks[i].First.Activation != "Softmax";
                    Assert.True(expected == (net is IRowSplitTraining<double> || net is IRowSplitTraining<float>), $"Net{i} implements IRowSplitTraining: {!expected}");
                    if (!expected)
                    {
                        continue;
                    }

                    split++;
                    if (networks[i].Double)
                    {
                        Compare(() => (INetwork<double>)Activator.CreateInstance(net.GetType())!, i, v => v);
                        CompareTraining(() => (INetwork<double>)Activator.CreateInstance(net.GetType())!, i, v => v);
                    }
                    else
                    {
                        Compare(() => (INetwork<float>)Activator.CreateInstance(net.GetType())!, i, v => (float)v);
                        CompareTraining(() => (INetwork<float>)Activator.CreateInstance(net.GetType())!, i, v => (float)v);
                    }
                }

                // A cost the output cannot serve leaves a class empty; the sample must still hold a few networks that split.
                Assert.True(split >= 4 || Seeded.Fuzzing, $"only {split} of {networks.Length} networks split");
            }, invalidAllowed: true);
        }

        private static string Declare((int Inputs, (int Size, string Activation) First, (int Size, string Activation)[] After, string Cost, bool Double) n) =>
            $"[Network(Inputs = {n.Inputs}, Cost = Cost.{n.Cost}, CodeShape = CodeShape.Vectorized{(n.Double ? ", Precision = Precision.Double" : string.Empty)})]\n" +
            string.Concat(new[] { n.First }.Concat(n.After).Select(l => $"[Layer({l.Size}, Activation.{l.Activation})]\n")) +
            "public partial class Net { }";

        private static void Compare<T>(Func<INetwork<T>> create, int index, Func<double, T> number)
            where T : unmanaged
        {
            var random = new Random(index + 500);
            INetwork<T> whole = create(), parts = create();
            int inputs = whole.InputCount, outputs = whole.OutputCount;
            for (int k = 0; k < whole.ParameterCount; k++)
            {
                whole.Parameters[k] = parts.Parameters[k] = number((random.NextDouble() * 2) - 1);
            }

            // More than a chunk of samples, packed tiles (16 or more) and not, and blocks of one to three panels.
            int count = random.Next(1, 46);
            int panel = typeof(T) == typeof(float) ? 16 : 8, block = panel * random.Next(1, 4);
            T[] x = Enumerable.Range(0, count * inputs).Select(_ => number((random.NextDouble() * 4) - 2)).ToArray();
            T[] t = Enumerable.Range(0, count * outputs).Select(_ => number(random.NextDouble())).ToArray();
            var expected = new T[whole.ParameterCount];
            T expectedLoss = whole.AccumulateBatch(x, t, expected);

            (T[] gradients, T loss, _) = RowBlocks.Run(parts, x, t, block, accumulate: true);
            Assert.True(expectedLoss.Equals(loss), $"Net{index}, {count} samples, blocks of {block}: loss {loss} against {expectedLoss}");
            int differ = Enumerable.Range(0, expected.Length).FirstOrDefault(k => !expected[k].Equals(gradients[k]), -1);
            Assert.True(differ < 0, $"Net{index}, {count} samples, blocks of {block}: gradient {differ} is {(differ < 0 ? default : gradients[differ])}, AccumulateBatch's {(differ < 0 ? default : expected[differ])}");
        }

        // The Trainer's threads against one thread on the same network and data: random minibatches (past 256 samples,
        // two gathered blocks of one), one to three epochs, and in half the cases a cancellation at a random sample of the
        // run, counted on the calling thread by a loss function in place of the declared cost. A threaded run steps each
        // minibatch in the next one's first job, so a run cancelled in between must still take that step.
        private static void CompareTraining<T>(Func<INetwork<T>> create, int index, Func<double, T> number)
            where T : unmanaged
        {
            INetwork<T> probe = create();
            int inputs = probe.InputCount, outputs = probe.OutputCount, parameters = probe.ParameterCount;

            // The trainer splits layer 1's rows, and gives one thread's bits, where that layer has two panels or more and
            // at least half the multiply-adds; elsewhere it splits the samples, whose sums differ from one thread's in
            // their order (RowSplitTests.Threads_train_every_network_like_one_accumulate_per_sample checks those).
            NetworkArchitecture architecture = probe.Architecture;
            long first = (long)architecture.Layers[0].Size * inputs, all = 0;
            for (int l = 0; l < architecture.Layers.Count; l++)
            {
                all += (long)architecture.Layers[l].Size * architecture.FanIn(l);
            }

            if (architecture.Layers[0].Size < 2 * (typeof(T) == typeof(float) ? 16 : 8) || 2 * first < all)
            {
                return;
            }

            var random = new Random(index + 900);
            int count = random.Next(20, 400), batch = random.Next(1, 300), epochs = random.Next(1, 4);
            T[] start = Enumerable.Range(0, parameters).Select(_ => number((random.NextDouble() * 2) - 1)).ToArray();
            T[] x = Enumerable.Range(0, count * inputs).Select(_ => number((random.NextDouble() * 4) - 2)).ToArray();
            T[] t = Enumerable.Range(0, count * outputs).Select(_ => number(random.NextDouble())).ToArray();
            var data = new Dataset<T>(x, t, inputs, outputs);
            int cancelAt = random.Next(2) == 0 ? 0 : random.Next(1, count * epochs);

            (T[] Parameters, string End) Train(int threads)
            {
                INetwork<T> net = create();
                start.CopyTo(net.Parameters);
                using var cancel = new System.Threading.CancellationTokenSource();
                var trainer = new Trainer<T>(
                    net,
                    new TrainerOptions { Epochs = epochs, BatchSize = batch, LearningRate = 0.01, Seed = index, Threads = threads, TrainingEvaluationSamples = 0 },
                    cancelAt == 0 ? null : CancellingLoss<T>.HalfSquaredError(cancel, cancelAt));
                try
                {
                    trainer.Train(data, cancellationToken: cancel.Token);
                    return (net.Parameters.ToArray(), "finished");
                }
                catch (Exception e) when (e is OperationCanceledException or TrainingDivergedException)
                {
                    return (net.Parameters.ToArray(), e.GetType().Name);
                }
            }

            (T[] one, string end) = Train(1);
            foreach (int threads in new[] { 2, 3 })
            {
                (T[] many, string manyEnd) = Train(threads);
                string what = $"Net{index}, {count} samples, minibatches of {batch}, {epochs} epoch(s), cancelled at {cancelAt}, {threads} threads";
                Assert.True(end == manyEnd, $"{what}: {manyEnd} against one thread's {end}");
                int differ = Enumerable.Range(0, one.Length).FirstOrDefault(k => !one[k].Equals(many[k]), -1);
                Assert.True(differ < 0, $"{what}: parameter {differ} differs from one thread's");
            }
        }
    }
}
