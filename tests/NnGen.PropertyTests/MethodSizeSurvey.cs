using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Common;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Not a test: the survey that JitMethodSize's coefficients were fitted to. It compiles random networks, unrolled and
    /// under Auto, and writes each large member's IL count, nops and locals to a file, one line per member:
    /// inputs|sizes|activations;custom parameters|cost|bytes per value|member|instructions|locals|nops|vectorised layers.
    /// benchmarks/method-sizes/fit.py fits the coefficients to such files (docs/benchmarks.md, "The JIT's size limit,
    /// estimated again"). Run it with NNGEN_METHOD_SIZE_SURVEY=file;seed;networks, for example
    /// <c>NNGEN_METHOD_SIZE_SURVEY='/tmp/s1.csv;12345;200' dotnet test tests/NnGen.PropertyTests -c Release --filter MethodSizeSurvey</c>.
    /// </summary>
    public sealed class MethodSizeSurvey
    {
        private const string Variable = "NNGEN_METHOD_SIZE_SURVEY";
        private static readonly string[] Hidden = { "Tanh", "Relu", "Elu", "Logistic", "Identity" };
        private static readonly string[] Outputs = { "Softmax", "Logistic", "Identity", "Tanh", "Relu", "Elu" };
        private static readonly string[] Costs = { "CrossEntropy", "BinaryCrossEntropy", "MeanSquaredError", "SquaredError", "HalfSquaredError" };

        private sealed record Net(int Inputs, int[] Sizes, string[] Activations, bool[] Custom, string Cost, bool Double)
        {
            public string Layers(int i) => $"[Layer({Sizes[i]}, Activation.{Activations[i]}{(Custom[i] ? CustomArguments(Activations[i]) : string.Empty)})] ";

            private static string CustomArguments(string activation) => activation switch
            {
                "Elu" => ", Alpha = 0.5",
                "Logistic" => ", Max = 2, Steepness = -1.5, Midpoint = 0.3",
                _ => string.Empty,
            };
        }

        // One to twelve layers of about 300 to 4,000 weights in all: around the JIT's limit for every member.
        private static readonly Gen<Net> Networks =
            Gen.Select(Gen.Int[1, 60], Gen.Int[1, 12], Gen.Int[3, 40], Gen.Int[0, 5], Gen.Int[0, 4], Gen.Bool, Gen.Int[0, 4])
                .SelectMany(t => Gen.Select(Gen.Int[Math.Max(1, t.Item3 / 2), t.Item3].Array[t.Item2], Gen.Bool.Array[t.Item2]).Select((sizes, custom) =>
                {
                    (int inputs, _, _, int output, int cost, bool dbl, int activation) = t;
                    sizes[sizes.Length - 1] = Math.Max(sizes[sizes.Length - 1] / 3, 2);
                    string[] activations = sizes.Select((_, i) => i == sizes.Length - 1 ? Outputs[output] : Hidden[(activation + i) % Hidden.Length]).ToArray();
                    string costName = Costs[cost].Contains("Cross", StringComparison.Ordinal) && output > 1 ? "SquaredError" : Costs[cost];
                    return new Net(inputs, sizes, activations, custom, costName, dbl);
                }))
                .Where(n => n.Sizes.Select((s, i) => s * (i == 0 ? n.Inputs : n.Sizes[i - 1])).Sum() is >= 300 and <= 4_000);

        private static readonly string[] Activations = { "Identity", "Logistic", "Tanh", "Relu", "Elu", "Softmax" };

        // Wide layers of few inputs (1 → N, and N after a bottleneck of one to three neurons) and wide inputs into a
        // bottleneck, which the first family rarely draws: there a neuron's own instructions outweigh its weights'. Chosen
        // around the limit by the estimate of the network unrolled.
        private static readonly Gen<Net> WideNetworks =
            Gen.Select(Gen.OneOf(Gen.Int[1, 3], Gen.Int[100, 2_000]), Gen.Int[1, 4], Gen.Int[0, 5], Gen.Int[0, 4], Gen.Bool)
                .SelectMany(t => Gen.Select(Gen.OneOf(Gen.Int[1, 3], Gen.Int[40, 300]).Array[t.Item2], Gen.Int[0, 4].Array[t.Item2], Gen.Bool.Array[t.Item2]).Select((sizes, hidden, custom) =>
                {
                    (int inputs, _, int output, int cost, bool dbl) = t;
                    string[] activations = sizes.Select((_, i) => i == sizes.Length - 1 ? Activations[output] : Hidden[hidden[i]]).ToArray();
                    string costName = Costs[cost].Contains("Cross", StringComparison.Ordinal) && output is not 1 and not 5 ? "SquaredError" : Costs[cost];
                    return new Net(inputs, sizes, activations, custom, costName, dbl);
                }))
                .Where(n => n.Sizes.Select((s, i) => (In: i == 0 ? n.Inputs : n.Sizes[i - 1], Out: s)).Any(l => (l.In <= 3 && l.Out >= 40) || (l.In >= 40 && l.Out <= 3)))
                .Where(n => UnrolledEstimate(n) is >= 3_000 and <= 40_000);

        private static long UnrolledEstimate(Net n) =>
            JitMethodSize.Estimate(n.Inputs, n.Sizes, n.Activations.Select(Enum.Parse<ActivationKind>).ToArray(), Enum.Parse<CostKind>(n.Cost)).Largest(trains: true);

        [SurveyFact]
        public void Survey()
        {
            string[] arguments = Environment.GetEnvironmentVariable(Variable)!.Split(';');
            (string file, uint seed, int count) = (arguments[0], uint.Parse(arguments[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(arguments[2], System.Globalization.CultureInfo.InvariantCulture));
            Gen<Net> family = arguments.Length > 3 && arguments[3] == "wide" ? WideNetworks : Networks;
            var lines = new List<string>();
            for (int k = 0; k < count; k++)
            {
                Net net = family.Generate(new PCG(seed, (ulong)k), null!, out _);
                foreach (string shape in new[] { "Unrolled", "Auto" })
                {
                    string layers = string.Concat(net.Sizes.Select((_, i) => net.Layers(i)));
                    string source = $"using NnGen;\n[Network(Inputs = {net.Inputs}, Cost = Cost.{net.Cost}, Precision = Precision.{(net.Double ? "Double" : "Single")}, CodeShape = CodeShape.{shape})] {layers}\npublic partial class Net {{ }}";
                    GeneratorOutput output = GeneratorRunner.Run(source);
                    if (output.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
                    {
                        continue;
                    }

                    string header = output.Source.Split('\n').First(l => l.Contains("// Code shape: ", StringComparison.Ordinal));
                    string vectorized = string.Join(",", header.Split(',').Select(part => part.Contains("vectorised", StringComparison.Ordinal) ? "1" : "0"));
                    if (shape == "Auto" && !vectorized.Contains('1', StringComparison.Ordinal))
                    {
                        continue;
                    }

                    string described = $"{net.Inputs}|{string.Join(",", net.Sizes)}|{string.Join(",", net.Activations)};{string.Join(",", net.Custom.Select(c => c ? 1 : 0))}|{net.Cost}|{(net.Double ? 8 : 4)}";
                    foreach (MethodIl method in IlCounter.Methods(output.OutputCompilation).Where(m => m.Key.StartsWith("Net.", StringComparison.Ordinal) && m.Instructions > 1_000))
                    {
                        lines.Add($"{described}|{method.Key.Substring(4)}|{method.Instructions}|{method.Locals}|{method.Nops}|{vectorized}");
                    }
                }
            }

            File.WriteAllLines(file, lines);
        }

        /// <summary>Runs only where NNGEN_METHOD_SIZE_SURVEY is set.</summary>
        private sealed class SurveyFactAttribute : FactAttribute
        {
            public SurveyFactAttribute()
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
                {
                    Skip = "a survey, not a test: set " + Variable + " to run it";
                }
            }
        }
    }
}
