using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using CsCheck;
using Microsoft.CodeAnalysis;
using NnGen.Generator;
using NnGen.Generator.Emitting;
using NnGen.Generator.Planning;
using NnGen.Generator.Tests.Infrastructure;
using NnGen.Generator.Validation;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// A straight-line member that would pass the JIT's limit is written in runs of layers, one local function each
    /// (<see cref="MemberSplit"/>), and promises the bits of one method. Random small networks (every activation and cost,
    /// float and double, some with vectorised layers under Auto, half as a netstandard 2.1 project gets them) are emitted
    /// twice from the generator's own model: once
    /// with every member in one method, once cut between every two unrolled layers. Both are compiled and run on the same
    /// parameters and inputs, saturating ones included, and every member (Forward, both Loss, the three Accumulate, both
    /// AccumulateGradient, InputGradient) must give the same bits: outputs, costs, gradient sums and input gradients.
    /// </summary>
    public sealed class SplitProperties
    {
        private static readonly string[] Activations = { "Identity", "Logistic", "Tanh", "Relu", "Elu", "Softmax" };

        // Two to five layers of up to 20 neurons after up to 20 inputs: Auto vectorises the layers of more than 224
        // multiply-adds, so some runs hold a vectorised layer, which no cut may separate from its neighbours.
        private static readonly Gen<Net> Network =
            Gen.Select(Gen.Int[1, 20], Gen.Select(Gen.Int[1, 20], Gen.OneOf(Activations)).Array[2, 5], Gen.Bool, Gen.Int[0, 2])
                .Select(n =>
                {
                    (int Size, string Activation)[] layers = n.Item2.Select(l => (l.Item2 == "Softmax" ? Math.Max(l.Item1, 2) : l.Item1, l.Item2)).ToArray();
                    string output = layers[layers.Length - 1].Activation;
                    string cost = output switch
                    {
                        "Softmax" => new[] { "CrossEntropy", "BinaryCrossEntropy", "SquaredError" }[n.Item4],
                        "Logistic" => new[] { "BinaryCrossEntropy", "CrossEntropy", "MeanSquaredError" }[n.Item4],
                        _ => new[] { "MeanSquaredError", "HalfSquaredError", "SquaredError" }[n.Item4],
                    };
                    return new Net(n.Item1, layers, cost, n.Item3);
                });

        internal sealed record Net(int Inputs, (int Size, string Activation)[] Layers, string Cost, bool Double)
        {
            public string Declare(int index) =>
                $"[Network(Inputs = {Inputs}, Cost = Cost.{Cost}{(Double ? ", Precision = Precision.Double" : string.Empty)})]\n"
                + string.Concat(Layers.Select(l => $"[Layer({l.Size}, Activation.{l.Activation})]\n"))
                + $"public partial class Net{index} {{ }}";
        }

        [Fact]
        public void Members_cut_between_every_two_unrolled_layers_give_the_bits_of_one_method()
        {
            Network.Array[20].Sample(Check, cases: 1, stream: 41, print: networks => string.Join("\n", networks.Select((n, i) => n.Declare(i))));
        }

        private static void Check(Net[] networks)
        {
            string source = "using NnGen;\nnamespace Random\n{\n" + string.Join("\n", networks.Select((n, i) => n.Declare(i))) + "\n}\n";
            GeneratorOutput output = GeneratorRunner.Run(source);
            Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            NetworkModel[] models = output.Run.Results.Single().TrackedSteps[NetworkGenerator.Steps.Model]
                .SelectMany(step => step.Outputs)
                .Select(o => o.Value)
                .OfType<NetworkModel>()
                .OrderBy(m => int.Parse(m.Type.Name.Substring("Net".Length), System.Globalization.CultureInfo.InvariantCulture))
                .ToArray();
            Assert.Equal(networks.Length, models.Length);

            // Even networks as a project on .NET 8 or later gets them (the matrix kernels, lanes in the snapshot,
            // AggressiveOptimization by name); odd ones as a netstandard 2.1 project does (Unity): no lanes, so the snapshot
            // class's members are split too, and the flag written as its value.
            NetworkPlan[] plans = models.Select((m, i) => i % 2 == 0
                ? NetworkPlan.Create(m, hasMatrixKernels: true, hasLanes: true)
                : NetworkPlan.Create(m, hasMatrixKernels: false, hasLanes: false, namesAggressiveOptimization: false)).ToArray();
            int cuts = 0;
            string[] whole = plans.Select(p => SourceEmitter.Emit(p.WithRuns(One(p), One(p)))).ToArray();
            string[] cut = plans.Select(p =>
            {
                IReadOnlyList<LayerRun> runs = Everywhere(p);
                cuts += runs.Count - 1;
                return SourceEmitter.Emit(p.WithRuns(runs, runs));
            }).ToArray();
            Assert.True(cuts >= networks.Length, $"only {cuts} cuts in {networks.Length} networks");

            // CI's sample must cut a vectorised network; another stream's sample may hold none, which is no finding.
            if (!Seeded.Fuzzing)
            {
                Assert.Contains(plans, p => p.HasVectorizedLayer && Everywhere(p).Count > 1);
            }

            Run(whole, "split-whole", wholeAssembly => Run(cut, "split-cut", cutAssembly =>
            {
                for (int i = 0; i < networks.Length; i++)
                {
                    object one = Activator.CreateInstance(wholeAssembly.GetType($"Random.Net{i}")!)!;
                    object runs = Activator.CreateInstance(cutAssembly.GetType($"Random.Net{i}")!)!;
                    if (networks[i].Double)
                    {
                        Compare((INetwork<double>)one, (INetwork<double>)runs, i, v => v);
                    }
                    else
                    {
                        Compare((INetwork<float>)one, (INetwork<float>)runs, i, v => (float)v);
                    }
                }
            }));
        }

        private static IReadOnlyList<LayerRun> One(NetworkPlan plan) => new[] { new LayerRun(0, plan.Layers.Count - 1) };

        // A run ends after every layer that is unrolled and followed by an unrolled one.
        private static IReadOnlyList<LayerRun> Everywhere(NetworkPlan plan)
        {
            var runs = new List<LayerRun>();
            int first = 0;
            for (int i = 0; i < plan.Layers.Count; i++)
            {
                if (i == plan.Layers.Count - 1 || (!plan.Layers[i].IsVectorized && !plan.Layers[i + 1].IsVectorized))
                {
                    runs.Add(new LayerRun(first, i));
                    first = i + 1;
                }
            }

            return runs;
        }

        // The emitted files alone, without the generator: each declares its whole partial class.
        private static void Run(string[] sources, string name, Action<Assembly> check)
        {
            Compilation compilation = GeneratorRunner.Compile(sources);
            using var image = new MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            var context = new AssemblyLoadContext(name, isCollectible: true);
            try
            {
                image.Position = 0;
                check(context.LoadFromStream(image));
            }
            finally
            {
                context.Unload();
            }
        }

        private static void Compare<T>(INetwork<T> one, INetwork<T> runs, int index, Func<double, T> number)
            where T : unmanaged
        {
            var random = new Random(index + 4000);
            one.InitializeParameters(index);
            one.Parameters.CopyTo(runs.Parameters);
            int inputs = one.InputCount, outputs = one.OutputCount;
            var loss = new HuberLoss<T>();
            for (int s = 0; s < 12; s++)
            {
                // Every fifth input far out, where tanh, logistic and softmax saturate and Relu and Elu switch.
                T[] x = Enumerable.Range(0, inputs).Select(j => number((j + s) % 5 == 0 ? (s % 2 == 0 ? 25 : -25) : (random.NextDouble() * 6) - 3)).ToArray();
                T[] t = Enumerable.Range(0, outputs).Select(_ => number(random.NextDouble())).ToArray();
                T[] g = Enumerable.Range(0, outputs).Select(_ => number((random.NextDouble() * 2) - 1)).ToArray();
                string at = $"Net{index}, sample {s}";

                Same(at + ", Forward", Each(n => { var y = new T[outputs]; n.Forward(x, y); return y; }));
                Same(at + ", Loss", Each(n => new[] { n.Loss(x, t) }));
                Same(at + ", Loss with the output", Each(n => { var y = new T[outputs]; return y.Prepend(n.Loss(x, t, y)).ToArray(); }));
                Same(at + ", Accumulate", Each(n => new[] { n.Accumulate(x, t) }.Concat(n.Gradients.ToArray()).ToArray()));
                Same(at + ", Accumulate with an input gradient", Each(n => { var ig = new T[inputs]; return ig.Prepend(n.Accumulate(x, t, ig)).Concat(n.Gradients.ToArray()).ToArray(); }));
                Same(at + ", Accumulate with a loss function", Each(n => new[] { n.Accumulate(x, t, loss) }.Concat(n.Gradients.ToArray()).ToArray()));
                Same(at + ", AccumulateGradient", Each(n => { n.AccumulateGradient(x, g); return n.Gradients.ToArray(); }));
                Same(at + ", AccumulateGradient with an input gradient", Each(n => { var ig = new T[inputs]; n.AccumulateGradient(x, g, ig); return ig.Concat(n.Gradients.ToArray()).ToArray(); }));
                Same(at + ", InputGradient", Each(n => { var ig = new T[inputs]; n.InputGradient(x, g, ig); return ig; }));
                Same(at + ", the snapshot's Forward and Loss", Each(n =>
                {
                    var snapshot = (IInferenceNetwork<T>)n.GetType().GetMethod("ToInference")!.Invoke(n, null)!;
                    var y = new T[outputs];
                    snapshot.Forward(x, y);
                    return y.Prepend(snapshot.Loss(x, t)).ToArray();
                }));
                Assert.Equal(one.AccumulatedSamples, runs.AccumulatedSamples);
            }

            (T[] One, T[] Runs) Each(Func<INetwork<T>, T[]> member) => (member(one), member(runs));
        }

        private static void Same<T>(string what, (T[] One, T[] Runs) values)
            where T : unmanaged
        {
            Assert.True(
                MemoryMarshal.AsBytes(values.One.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(values.Runs.AsSpan())),
                $"{what}: {string.Join(", ", values.One.Take(8))} in one method against {string.Join(", ", values.Runs.Take(8))} in runs");
        }
    }
}
