using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// A network's first calls run at full speed. The JIT would otherwise compile each method first as unoptimised
    /// tier-0 code (5 to 20 times slower here) and replace it only after 30 calls and 100 ms in which nothing new was
    /// compiled: the first frames of a game, or the first steps of an agent that learns as it plays, would run at a
    /// fraction of the speed of the rest. tests/NnGen.FirstCallCheck sets up a dozen networks (unrolled, vectorised,
    /// packed snapshots, values, baked, float and double, with loss functions of the caller's) and then calls each
    /// per-sample and per-minibatch member once, with the JIT listing every method it compiles and how.
    /// </summary>
    public sealed class FirstCallTests
    {
        // "  17: JIT compiled Mid:Forward(System.ReadOnlySpan`1[float],System.Span`1[float]) [FullOpts, IL size=268, code size=538]"
        private static readonly Regex Compiled = new(@"JIT compiled (?<method>.+?) \[(?<tier>[^,\]]+),", RegexOptions.Compiled);

        [Fact]
        public void Every_NnGen_method_a_first_call_compiles_is_compiled_optimised()
        {
            string check = DotNet.BuiltProgram("NnGen.FirstCallCheck");
            string listing = Path.Combine(Path.GetTempPath(), $"nngen-first-calls-{Guid.NewGuid():N}.txt");
            try
            {
                string output = DotNet.RunProgram(
                    "dotnet",
                    Path.GetDirectoryName(check)!,
                    TimeSpan.FromMinutes(2),
                    new Dictionary<string, string> { ["DOTNET_JitStdOutFile"] = listing, ["DOTNET_JitDisasmSummary"] = "1" },
                    check);
                Assert.Contains("called", output, StringComparison.Ordinal);

                string[] lines = File.ReadAllLines(listing);
                int begin = Array.FindIndex(lines, line => line.Contains("g__BeginCalls", StringComparison.Ordinal));
                Assert.True(begin >= 0, "the listing has no BeginCalls:\n" + string.Join('\n', lines.Take(50)));

                (string Method, string Tier)[] ours = lines.Skip(begin + 1)
                    .Select(line => Compiled.Match(line))
                    .Where(m => m.Success)
                    .Select(m => (m.Groups["method"].Value, m.Groups["tier"].Value))
                    .Where(c => c.Item1.StartsWith("NnGen.", StringComparison.Ordinal) || c.Item1.StartsWith("FirstCallCheck.Networks.", StringComparison.Ordinal))
                    .ToArray();

                // The listing has teeth: the calls compiled generated members and kernels of every kind, optimised.
                foreach (string method in new[]
                {
                    "FirstCallCheck.Networks.SeedNet:Forward(", "FirstCallCheck.Networks.SeedNet:Accumulate(", "FirstCallCheck.Networks.SeedNet:Step(",
                    "FirstCallCheck.Networks.Digits:AccumulateBatch(", "FirstCallCheck.Networks.Mnist+Inference:Forward(",
                    "FirstCallCheck.Networks.MixedDouble:AccumulateGradient(", "FirstCallCheck.Networks.BakedSeedNet:Forward(",
                    "FirstCallCheck.Networks.DeepNarrow:BackpropagateGradient(", "FirstCallCheck.Networks.DeepNarrow:Accumulate(",
                    "NnGen.CompilerServices.Kernels:Softmax(", "NnGen.CompilerServices.MatrixKernels:", "NnGen.HuberLoss`1[float]:Evaluate(",
                })
                {
                    Assert.Contains(ours, c => c.Method.StartsWith(method, StringComparison.Ordinal) && !IsUnoptimised(c.Tier));
                }

                string[] unoptimised = ours
                    .Where(c => IsUnoptimised(c.Tier) && !RunsOnce(c.Method))
                    .Select(c => $"{c.Method} [{c.Tier}]")
                    .ToArray();
                Assert.True(unoptimised.Length == 0, "compiled unoptimised at a first call:\n" + string.Join('\n', unoptimised));
            }
            finally
            {
                File.Delete(listing);
            }
        }

        private static bool IsUnoptimised(string tier) => tier.Contains("Tier0", StringComparison.Ordinal) || tier.Contains("MinOpts", StringComparison.Ordinal);

        // A static constructor runs once per type; SpanGuard.AskSuitability once per loss function and network, which
        // then remember the answer.
        private static bool RunsOnce(string method) =>
            method.Contains(":.cctor(", StringComparison.Ordinal) || method.StartsWith("NnGen.CompilerServices.SpanGuard:AskSuitability[", StringComparison.Ordinal);
    }
}
