using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// A network's first calls, and a trainer's first minibatches, run at full speed. The JIT would otherwise compile
    /// each method first as unoptimised tier-0 code (5 to 20 times slower here) and replace it only after 30 calls and
    /// 100 ms in which nothing new was compiled: the first frames of a game, or the first steps of an agent that learns as
    /// it plays, would run at a fraction of the speed of the rest. tests/NnGen.FirstCallCheck sets up a dozen networks
    /// (unrolled, vectorised, packed snapshots, values, baked, float and double, with loss functions of the caller's), calls
    /// each per-sample and per-minibatch member once, then trains five of them every way a trainer runs its minibatches,
    /// with the JIT listing every method it compiles and how.
    /// </summary>
    public sealed class FirstCallTests : IClassFixture<FirstCallTests.Listing>
    {
        // "  17: JIT compiled Mid:Forward(System.ReadOnlySpan`1[float],System.Span`1[float]) [FullOpts, IL size=268, code size=538]"
        private static readonly Regex Compiled = new(@"JIT compiled (?<method>.+?) \[(?<tier>[^,\]]+),", RegexOptions.Compiled);

        private readonly Listing _listing;

        public FirstCallTests(Listing listing) => _listing = listing;

        [Fact]
        public void Every_NnGen_method_a_first_call_compiles_is_compiled_optimised()
        {
            (string Method, string Tier)[] ours = _listing.Between("g__BeginCalls", "g__EndCalls");
            Assert.Contains("called", _listing.Output, StringComparison.Ordinal);

            // The listing has teeth: the calls compiled generated members and kernels of every kind, optimised.
            RequireOptimised(
                ours,
                "FirstCallCheck.Networks.SeedNet:Forward(", "FirstCallCheck.Networks.SeedNet:Accumulate(", "FirstCallCheck.Networks.SeedNet:Step(",
                "FirstCallCheck.Networks.Digits:AccumulateBatch(", "FirstCallCheck.Networks.Mnist+Inference:Forward(",
                "FirstCallCheck.Networks.MixedDouble:AccumulateGradient(", "FirstCallCheck.Networks.BakedSeedNet:Forward(",
                "FirstCallCheck.Networks.DeepNarrow:BackpropagateGradient(", "FirstCallCheck.Networks.DeepNarrow:Accumulate(",
                "FirstCallCheck.Networks.DeepNarrower:Accumulate(", "FirstCallCheck.Networks.DeepNarrower:<Accumulate>g__AccumulateFromLayer",
                "FirstCallCheck.Networks.DeepNarrower:<BackpropagateGradient>g__BackpropagateGradientFromLayer",
                "NnGen.CompilerServices.Kernels:Softmax(", "NnGen.CompilerServices.MatrixKernels:", "NnGen.HuberLoss`1[float]:Evaluate(");

            string[] unoptimised = ours
                .Where(c => IsUnoptimised(c.Tier) && !RunsOnce(c.Method))
                .Select(c => $"{c.Method} [{c.Tier}]")
                .ToArray();
            Assert.True(unoptimised.Length == 0, "compiled unoptimised at a first call:\n" + string.Join('\n', unoptimised));
        }

        /// <summary>
        /// The trainer's loop over minibatches, its threads and their meetings, its updates and its per-epoch evaluation
        /// ran as tier-0 code for the first few hundred milliseconds of a process, longer where two threads spun for the
        /// cores the JIT's background compiler needed: on 784-128-10 at batch 64 the first 15 or so epochs of 2,048 samples
        /// took 170 µs a minibatch on two threads, the rest 130 (docs/benchmarks.md).
        /// </summary>
        [Fact]
        public void Every_NnGen_method_a_trainer_runs_per_minibatch_or_epoch_is_compiled_optimised()
        {
            (string Method, string Tier)[] ours = _listing.Between("g__BeginTraining", null);
            Assert.Contains("trained", _listing.Output, StringComparison.Ordinal);

            // Each kind of run reached its own code: the row split and the sample split, the stateful optimisers, the
            // evaluation, the threads' team, the network's row-split members.
            RequireOptimised(
                ours,
                "NnGen.Trainer`1[float]:RunEpoch(", "NnGen.Trainer`1[float]:Update(", "NnGen.Trainer`1[double]:RunEpoch(",
                "NnGen.Trainer`1+RowSplitAccumulation[float]:RunUnit(", "NnGen.Trainer`1+RowSplitAccumulation[float]:Prepare(",
                "NnGen.Trainer`1+ParallelAccumulation[float]:Work(", "NnGen.UnitTeam+Crew:TryTake(", "NnGen.UnitTeam+Crew:WaitForJob(",
                "NnGen.Numbers:MaxAbsOrNaN[float](", "NnGen.Trainer`1+RowSplitAccumulation[float]:StepRows(", "NnGen.Evaluation:Evaluate[float](",
                "NnGen.UpdatePass:RunSingle[", "NnGen.UpdatePass:RunDouble[", "NnGen.Shuffling:Shuffle(",
                "FirstCallCheck.Networks.Mnist:global::NnGen.CompilerServices.IRowSplitTraining<System.Single>.AccumulateRows(");

            string[] unoptimised = ours
                .Where(c => IsUnoptimised(c.Tier) && !RunsOnce(c.Method) && !RunsOncePerTraining(c.Method))
                .Select(c => $"{c.Method} [{c.Tier}]")
                .ToArray();
            Assert.True(unoptimised.Length == 0, "compiled unoptimised in a training run:\n" + string.Join('\n', unoptimised));
        }

        private static void RequireOptimised((string Method, string Tier)[] ours, params string[] methods)
        {
            foreach (string method in methods)
            {
                Assert.True(
                    ours.Any(c => c.Method.StartsWith(method, StringComparison.Ordinal) && !IsUnoptimised(c.Tier)),
                    $"no optimised {method} in the listing:\n" + string.Join('\n', ours.Select(c => $"{c.Method} [{c.Tier}]")));
            }
        }

        private static bool IsUnoptimised(string tier) => tier.Contains("Tier0", StringComparison.Ordinal) || tier.Contains("MinOpts", StringComparison.Ordinal);

        // A static constructor runs once per type; SpanGuard.AskSuitability once per loss function and network, which
        // then remember the answer.
        private static bool RunsOnce(string method) =>
            method.Contains(":.cctor(", StringComparison.Ordinal) || method.StartsWith("NnGen.CompilerServices.SpanGuard:AskSuitability[", StringComparison.Ordinal);

        // What a call of Train does once, before or after its epochs or once per epoch around RunEpoch: Train's own body
        // (its loop over epochs, whose work is in the methods it calls), the checks of the data, the options and the
        // schedule, the objects it makes (the threads' team and plan among them; a team's thread starts once and then
        // loops in an optimised method), and the properties it reads, which optimised callers inline.
        private static bool RunsOncePerTraining(string method) =>
            method.Contains(":.ctor(", StringComparison.Ordinal)
            || method.Contains(":get_", StringComparison.Ordinal)
            || (method.StartsWith("NnGen.Trainer`1[", StringComparison.Ordinal) && method.Contains("]:Train(", StringComparison.Ordinal))
            || method.StartsWith("NnGen.Trainer`1+ThreadedRun[", StringComparison.Ordinal)
            || method.StartsWith("NnGen.DatasetChecks:RequireFits[", StringComparison.Ordinal)
            || method.StartsWith("NnGen.LearningRateSchedule", StringComparison.Ordinal)
            || method.StartsWith("NnGen.TrainerOptions:", StringComparison.Ordinal)
            || method.Contains(":CreateState(", StringComparison.Ordinal)
            || method.StartsWith("NnGen.UnitTeam+Crew:Start(", StringComparison.Ordinal)
            || method.StartsWith("NnGen.UnitTeam+Crew+<>c__DisplayClass", StringComparison.Ordinal);

        /// <summary>The check program's output and the JIT's listing of what it compiled, from one run.</summary>
        public sealed class Listing
        {
            private readonly string[] _lines;

            public Listing()
            {
                string check = DotNet.BuiltProgram("NnGen.FirstCallCheck");
                string listing = Path.Combine(Path.GetTempPath(), $"nngen-first-calls-{Guid.NewGuid():N}.txt");
                try
                {
                    Output = DotNet.RunProgram(
                        "dotnet",
                        Path.GetDirectoryName(check)!,
                        TimeSpan.FromMinutes(2),
                        new Dictionary<string, string> { ["DOTNET_JitStdOutFile"] = listing, ["DOTNET_JitDisasmSummary"] = "1" },
                        check);
                    _lines = File.ReadAllLines(listing);
                }
                finally
                {
                    File.Delete(listing);
                }
            }

            public string Output { get; }

            /// <summary>The NnGen methods and the check's networks' members compiled after the marker `from`, up to `to`.</summary>
            public (string Method, string Tier)[] Between(string from, string? to)
            {
                int begin = Array.FindIndex(_lines, line => line.Contains(from, StringComparison.Ordinal));
                Assert.True(begin >= 0, $"the listing has no {from}:\n" + string.Join('\n', _lines.Take(50)));
                int end = to is null ? _lines.Length : Array.FindIndex(_lines, begin + 1, line => line.Contains(to, StringComparison.Ordinal));
                Assert.True(end > begin, $"the listing has no {to} after {from}");

                return _lines.Skip(begin + 1).Take(end - begin - 1)
                    .Select(line => Compiled.Match(line))
                    .Where(m => m.Success)
                    .Select(m => (m.Groups["method"].Value, m.Groups["tier"].Value))
                    .Where(c => c.Item1.StartsWith("NnGen.", StringComparison.Ordinal) || c.Item1.StartsWith("FirstCallCheck.Networks.", StringComparison.Ordinal))
                    .ToArray();
            }
        }
    }
}
