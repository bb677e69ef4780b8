using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// .NET's JIT compiles a method of more than 20,000 IL instructions without optimisation, for good. The generator
    /// estimates what its straight-line members come to (JitMethodSize): CodeShape.Auto keeps below the limit with
    /// it, a member past it is split between layers (MemberSplit), and a forced CodeShape.Unrolled with a layer too large
    /// for one method gets NNG027. Here random networks near the limit are compiled in
    /// Release, as users ship them, and the IL the compiler really wrote is counted, instruction by instruction,
    /// the way the JIT counts it (nops included). The estimate must be at least that count up to 36,000 instructions
    /// (past that it only has to be past the limit), and near the limit at most 15% above it, so that NNG027 and Auto
    /// do not act on members well within it.
    /// </summary>
    public sealed class MethodSizeProperties
    {
        private static readonly string[] Hidden = { "Tanh", "Relu", "Elu", "Logistic", "Identity" };

        // Where the estimate has to be an upper bound; past it Roslyn's stack scheduler gives up on some temporaries.
        private const int BoundedUpTo = 36_000;

        // DEFAULT_MIN_OPTS_LV_NUM_COUNT and DEFAULT_MIN_OPTS_LV_REF_COUNT, the JIT's limits on locals and on references to them.
        private const int MaxLocals = 2_000;
        private const int MaxLocalReferences = 8_000;

        // How far above the real count the estimate may be, where that decides something.
        private const double Tightness = 1.15;

        private sealed record Net(int Inputs, int[] Sizes, string[] Activations, string Cost, string Precision, string Shape)
        {
            public string Source()
            {
                string layers = string.Concat(Sizes.Select((s, i) => $"[Layer({s}, Activation.{Activations[i]})] "));
                return $"using NnGen;\n[Network(Inputs = {Inputs}, Cost = Cost.{Cost}, Precision = Precision.{Precision}, CodeShape = CodeShape.{Shape})] {layers}\npublic partial class Net {{ }}";
            }
        }

        // Two to eight layers (or many narrow ones), about 300 to 3,000 weights: around the limit for Accumulate and for Forward.
        private static readonly Gen<Net> Networks =
            Gen.Select(Gen.Int[1, 48], Gen.Int[1, 8], Gen.Int[3, 40], Gen.Int[0, 4])
                .Select(Gen.Bool, Gen.Bool, Gen.Int[0, 4], (shape, dbl, auto, activation) => (shape.Item1, shape.Item2, shape.Item3, shape.Item4, dbl, auto, activation))
                .SelectMany(t => Gen.Int[Math.Max(1, t.Item3 / 2), t.Item3].Array[t.Item2].Select(sizes =>
                {
                    (int inputs, _, _, int output, bool dbl, bool auto, int activation) = t;
                    string outputActivation = output switch { 0 => "Softmax", 1 => "Logistic", _ => "Identity" };
                    string cost = output switch { 0 => "CrossEntropy", 1 => "BinaryCrossEntropy", _ => "MeanSquaredError" };
                    sizes[sizes.Length - 1] = Math.Max(sizes[sizes.Length - 1] / 3, 2);
                    string[] activations = sizes.Select((_, i) => i == sizes.Length - 1 ? outputActivation : Hidden[(activation + i) % Hidden.Length]).ToArray();
                    return new Net(inputs, sizes, activations, cost, dbl ? "Double" : "Single", auto ? "Auto" : "Unrolled");
                }))
                .Where(n => Weights(n) is >= 300 and <= 3_000);

        // Shapes the random draw rarely reaches: deep and narrow (many neurons per weight), and the measured edges.
        public static TheoryData<int, int[]> Edges() => new()
        {
            { 12, new[] { 12, 12, 12, 12, 12, 4 } },
            { 1, Enumerable.Repeat(6, 22).Append(1).ToArray() },
            { 1, Enumerable.Repeat(3, 60).Append(1).ToArray() },
            { 8, new[] { 24, 8, 24, 8 } },
            { 24, new[] { 24, 10 } },
            { 28, new[] { 28, 10 } },
            { 48, new[] { 48, 10 } },
            { 52, new[] { 52, 10 } },

            // Found by stream 1027: an unrolled layer after vectorised ones reads a(l−1) from a span in every multiply-add.
            { 28, new[] { 17, 20, 10 } },

            // Deep and narrow, just past 255 locals: the old estimate multiplied everything by 1.5 there and warned of
            // members of 16,556 and 17,734 instructions (the random draw's 44-6-8-9-8-5-6-8-4-2, and 8-8x10-2).
            { 44, new[] { 6, 8, 9, 8, 5, 6, 8, 4, 2 } },
            { 8, Enumerable.Repeat(8, 10).Append(2).ToArray() },

            // Split between layers (MemberSplit): forced Unrolled in two to five runs, and under Auto around the layers
            // it vectorises.
            { 16, Enumerable.Repeat(16, 8).Append(4).ToArray() },
            { 4, Enumerable.Repeat(12, 9).Append(4).ToArray() },
            { 10, new[] { 20, 5, 20, 5, 20, 5, 20, 3 } },

            // Deep and narrow past Auto's unroll budget (944 multiply-adds), which vectorised its narrow layers before:
            // now they stay unrolled and the members are split.
            { 1, Enumerable.Repeat(4, 60).Append(1).ToArray() },
        };

        // One wide layer from a narrow input, which Auto keeps unrolled (224 multiply-adds) and cannot vectorise by width.
        [Theory]
        [InlineData(1, 224, "Softmax", "CrossEntropy")]
        [InlineData(1, 224, "Elu", "MeanSquaredError")]

        // Binary cross-entropy after softmax summed o_k = Σ_{p≠k} e_p term by term, K(K − 1) additions that the estimate
        // did not count: under Auto, 1 → 75 came to 20,498 IL instructions in Accumulate (MinOpts). Now o_k = s − e_k below
        // the maximum, K terms.
        [InlineData(1, 75, "Softmax", "BinaryCrossEntropy")]
        public void The_same_holds_for_a_wide_layer_from_a_narrow_input(int inputs, int size, string activation, string cost)
        {
            bool output = activation == "Softmax";
            int[] sizes = output ? new[] { size } : new[] { size, 1 };
            string[] activations = output ? new[] { activation } : new[] { activation, "Identity" };
            Check(new Net(inputs, sizes, activations, cost, "Single", "Auto"));
        }

        // The same quadratic sum, forced Unrolled: 3 → 2 → 3 → 96 softmax came to 24,752 IL instructions in Loss, estimated
        // at 8,727 (found by MethodSizeSurvey's wide layers).
        [Fact]
        public void The_estimate_bounds_binary_cross_entropy_after_a_wide_softmax()
        {
            Check(new Net(3, new[] { 2, 3, 96 }, new[] { "Identity", "Logistic", "Softmax" }, "BinaryCrossEntropy", "Single", "Unrolled"));
            Check(new Net(1, new[] { 120 }, new[] { "Softmax" }, "BinaryCrossEntropy", "Double", "Unrolled"));
        }

        // An unrolled layer beside a vectorised one cannot be cut from it, and Auto only looked at each unrolled layer alone:
        // 1,179 → 1 → 213 Relu kept 213 Relu unrolled, and Accumulate came to 20,007 IL instructions, MinOpts; the second
        // to 22,483. Found by searching the estimate (Auto_keeps_every_run_within_its_budget_by_the_estimate).
        [Theory]
        [InlineData(1179, new[] { 1, 213 }, new[] { "Relu", "Relu" }, "MeanSquaredError")]
        [InlineData(1636, new[] { 72, 2, 256, 1, 196 }, new[] { "Softmax", "Elu", "Elu", "Logistic", "Relu" }, "MeanSquaredError")]
        public void The_same_holds_for_an_unrolled_layer_beside_a_vectorised_one(int inputs, int[] sizes, string[] activations, string cost) =>
            Check(new Net(inputs, sizes, activations, cost, "Single", "Auto"));

        // Wide layers of one input, which the survey behind the estimate did not draw: per neuron they cost more than its
        // fit said. Found by compiling random Auto networks with inputs up to 2,000 and bottlenecks (not run in CI): 1 → 184
        // Identity's Accumulate came to 11,365 instructions against an estimate of 9,010, 1 → 60 to 2,745 against 2,002,
        // 1 → 120 Relu to 8,699 against 8,390, and 1,701 → 1 → 192 Elu to 19,130 against 17,947, which is past Auto's
        // budget, and Loss of 1 → 120 Relu to 4,877 against 4,372. MethodSizeSurvey draws such shapes now (its wide family),
        // and the estimate is fitted to them.
        [Theory]
        [InlineData(1, new[] { 60 }, new[] { "Identity" }, "HalfSquaredError")]
        [InlineData(1, new[] { 184 }, new[] { "Identity" }, "HalfSquaredError")]
        [InlineData(1, new[] { 120 }, new[] { "Relu" }, "MeanSquaredError")]
        [InlineData(1701, new[] { 1, 192 }, new[] { "Identity", "Elu" }, "SquaredError")]

        // Past the limit, forced Unrolled, with no NNG027 before the estimate was fitted again to MethodSizeSurvey's wide
        // layers: InputGradient of 20,148, 20,125 and 20,674 IL instructions (the last in float) estimated at 19,526,
        // 19,990 and 19,995.
        [InlineData(2, new[] { 170 }, new[] { "Elu" }, "SquaredError")]
        [InlineData(511, new[] { 1, 3 }, new[] { "Tanh", "Tanh" }, "SquaredError")]
        [InlineData(1, new[] { 246 }, new[] { "Tanh" }, "HalfSquaredError")]
        public void The_estimate_bounds_a_wide_layer_of_one_input(int inputs, int[] sizes, string[] activations, string cost)
        {
            Check(new Net(inputs, sizes, activations, cost, "Double", "Unrolled"));
            Check(new Net(inputs, sizes, activations, cost, "Single", "Auto"));
        }

        // Auto's promise, by the estimate itself, over far more shapes than the compiled properties can afford: wide inputs,
        // bottlenecks, narrow and wide layers, every activation and cost, with and without the matrix kernels.
        [Fact]
        public void Auto_keeps_every_run_within_its_budget_by_the_estimate()
        {
            Gen<(int Inputs, int[] Sizes, ActivationKind[] Activations, CostKind Cost, bool Kernels)> declarations =
                Gen.Select(Gen.Int[1, 4000], Gen.Int[1, 6], Gen.Int[0, 4], Gen.Bool)
                    .SelectMany(t => Gen.Select(
                        Gen.OneOf(Gen.Int[1, 7], Gen.Int[1, 300]).Array[t.Item2],
                        Gen.Int[0, 5].Array[t.Item2],
                        (sizes, kinds) => (t.Item1, sizes, kinds.Select(k => (ActivationKind)k).ToArray(), (CostKind)t.Item3, t.Item4)));
            declarations.Sample(
                d =>
                {
                    bool[] vectorized = NetworkPlan.ChooseShapes(d.Inputs, d.Sizes, d.Activations, d.Cost, CodeShapeKind.Auto, d.Kernels);
                    foreach (bool training in new[] { false, true })
                    {
                        long largest = MemberSplit.Largest(d.Inputs, d.Sizes, d.Activations, d.Cost, vectorized, training);
                        Assert.True(largest <= JitMethodSize.AutoBudget, $"{largest} estimated for a method of {(training ? "Accumulate" : "Forward")}");
                    }
                },
                cases: 3000,
                stream: 49,
                print: d => $"{d.Inputs} → {string.Join(" → ", d.Sizes.Select((s, i) => $"{s} {d.Activations[i]}"))}, {d.Cost}, kernels {d.Kernels}");
        }

        // A hidden softmax layer, which the random draw leaves out: its locals m, e(l) and s come before a(l).
        [Theory]
        [InlineData(16, new[] { 30, 20, 6 })]
        [InlineData(40, new[] { 12, 12, 12, 4 })]
        public void The_same_holds_with_a_hidden_softmax_layer(int inputs, int[] sizes)
        {
            string[] activations = sizes.Select((_, i) => i == 0 ? "Softmax" : i == sizes.Length - 1 ? "Logistic" : "Elu").ToArray();
            Check(new Net(inputs, sizes, activations, "BinaryCrossEntropy", "Double", "Unrolled"));
            Check(new Net(inputs, sizes, activations, "SquaredError", "Single", "Auto"));
        }

        [Fact]
        public void Every_estimate_is_at_least_the_instructions_the_compiler_writes_and_no_Auto_member_passes_the_limit() =>
            Networks.Sample(n => Check(n), cases: 24, stream: 27, print: n => n.Source());

        /// <summary>
        /// The deep and narrow networks and the measured edges, about half of this class's time, in a class of their own:
        /// xunit runs the tests of one class one after another, and two classes side by side.
        /// </summary>
        public sealed class DeepAndEdges
        {
            // Auto used to vectorise 152 of these 4-wide layers to keep within its unroll budget, and Accumulate's first method
            // (layers 1-154, a stretch of vectorised layers that cannot be cut) came to 20,984 instructions: MinOpts. Narrow
            // layers now stay unrolled, split into seven runs. The batch members, which loop over every layer in one method
            // (about 330 instructions a layer here), are past the limit from about 70 layers on, and are left out.
            // 1-6x120-1 then came to 66,572 bytes of IL in its snapshot's Forward, in lanes in one method: past the JIT's other
            // limit of 60,000 bytes, MinOpts. The lanes are split as well now (MemberSplit.LanesRuns).
            [Theory]
            [InlineData(4, 200)]
            [InlineData(6, 120)]
            public void A_deep_narrow_network_under_Auto_stays_unrolled_and_split(int width, int depth)
            {
                int[] sizes = Enumerable.Repeat(width, depth).Append(1).ToArray();
                string[] activations = sizes.Select((_, i) => i == sizes.Length - 1 ? "Identity" : "Tanh").ToArray();
                Check(new Net(1, sizes, activations, "MeanSquaredError", "Single", "Auto"), batchMembersWithin: false);
            }

            [Theory]
            [MemberData(nameof(Edges), MemberType = typeof(MethodSizeProperties))]
            public void The_same_holds_for_deep_narrow_networks_and_at_the_measured_edges(int inputs, int[] sizes)
            {
                string[] activations = sizes.Select((_, i) => i == sizes.Length - 1 ? "Identity" : "Tanh").ToArray();
                Check(new Net(inputs, sizes, activations, "MeanSquaredError", "Single", "Auto"));
                Check(new Net(inputs, sizes, activations, "MeanSquaredError", "Single", "Unrolled"));
            }
        }

        private static void Check(Net net, bool batchMembersWithin = true)
        {
            string source = net.Source();
            GeneratorOutput output = GeneratorRunner.Run(source);
            Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);

            // The header says which layers the plan vectorised: the estimate is of that plan.
            string header = output.Source.Split('\n').First(l => l.Contains("// Code shape: ", StringComparison.Ordinal));
            bool[] vectorized = header.Split(',').Select(part => part.Contains("vectorised", StringComparison.Ordinal)).ToArray();
            Assert.Equal(net.Sizes.Length, vectorized.Length);
            MemberSizes estimate = JitMethodSize.Estimate(
                net.Inputs, net.Sizes, net.Activations.Select(Enum.Parse<ActivationKind>).ToArray(), Enum.Parse<CostKind>(net.Cost), vectorized);

            // A member past the limit is split between layers into local functions (MemberSplit): then the member's own
            // method is only its first run, which the whole member's estimate bounds but does not describe tightly.
            bool split = output.Source.Contains("// Split: ", StringComparison.Ordinal);
            IReadOnlyList<MethodIl> methods = IlCounter.Methods(output.OutputCompilation);
            Dictionary<string, int> counts = methods
                .GroupBy(m => m.Key)
                .ToDictionary(g => g.Key, g => g.Max(m => m.Instructions));
            if (net.Shape == "Auto")
            {
                // The JIT's other limit: a method of more than 60,000 bytes of IL is compiled with MinOpts too. Lanes
                // (the snapshot's Vector128 code) come to about 3.4 bytes an instruction, unrolled code to about 2.3.
                // And past 2,000 locals or 8,000 references to locals and arguments (counted here as every ldloc, stloc,
                // ldarg and starg form, addresses included).
                foreach (MethodIl m in methods.Where(m => batchMembersWithin || !BatchMember(m.Key)))
                {
                    Assert.True(m.Bytes <= JitMethodSize.IlByteLimit, $"{m.Key}: {m.Bytes} bytes of IL under CodeShape.Auto");
                    Assert.True(m.Locals <= MaxLocals, $"{m.Key}: {m.Locals} locals under CodeShape.Auto");
                    Assert.True(m.LocalReferences <= MaxLocalReferences, $"{m.Key}: {m.LocalReferences} references to locals under CodeShape.Auto");
                }
            }

            ActivationKind[] kinds = net.Activations.Select(Enum.Parse<ActivationKind>).ToArray();
            var costKind = Enum.Parse<CostKind>(net.Cost);
            long? Bound(string method) => BoundedBy(method) switch
            {
                "Forward" => estimate.Forward,
                "Accumulate" => estimate.Accumulate,
                "InputGradient" => estimate.InputGradient,
                _ => null,
            };

            foreach ((string method, int instructions) in counts)
            {
                long? bound = Bound(method);

                // Each method of a split member, the member's own (its first run) and each local function, within the
                // estimate of its run.
                if (RunBound(net, kinds, costKind, vectorized, method, split) is { } runBound)
                {
                    Assert.True(instructions <= runBound || (instructions > BoundedUpTo && runBound > JitMethodSize.InstructionLimit), $"{method}: {instructions} IL instructions, its run estimated at most {runBound}");
                }

                Assert.True(bound is null || instructions <= bound || (instructions > BoundedUpTo && bound > JitMethodSize.InstructionLimit), $"{method}: {instructions} IL instructions, estimated at most {bound}");

                // Tight against the largest method an estimate bounds, which is the one that decides: Loss rather than
                // Forward, Accumulate(…, inputGradient) rather than BackpropagateGradient.
                int largestBounded = counts.Where(c => BoundedBy(c.Key) == BoundedBy(method)).Max(c => c.Value);
                Assert.True(split || bound is null || largestBounded < 10_000 || largestBounded > BoundedUpTo || bound <= Tightness * largestBounded, $"{method}: the largest method it bounds has {largestBounded} IL instructions, estimated at {bound}, more than {Tightness} times as many");
                if (net.Shape == "Auto" && (batchMembersWithin || !BatchMember(method)))
                {
                    // Every method of an Auto network is optimised by the JIT, with room to spare: the wide layers are
                    // vectorised, and what stays unrolled past the budget (layers narrower than 8) is split between layers.
                    Assert.True(instructions <= JitMethodSize.AutoBudget, $"{method}: {instructions} IL instructions under CodeShape.Auto ({header.Trim()})");
                }
            }

            // NNG027 warns of exactly what the split leaves past the limit (a layer too large for one method), and so of
            // every method that really is past it.
            long largest = Math.Max(
                MemberSplit.Largest(net.Inputs, net.Sizes, kinds, costKind, vectorized, training: false),
                MemberSplit.Largest(net.Inputs, net.Sizes, kinds, costKind, vectorized, training: true));
            bool warned = output.GeneratorDiagnostics.Any(d => d.Id == "NNG027");
            bool past = counts.Where(c => c.Key.StartsWith("Net.", StringComparison.Ordinal) && (batchMembersWithin || !BatchMember(c.Key))).Any(c => c.Value > JitMethodSize.InstructionLimit);
            Assert.Equal(net.Shape == "Unrolled" && largest > JitMethodSize.InstructionLimit, warned);
            Assert.True(!past || warned, "a method passes the JIT's limit and nothing warned");
        }

        // Which of JitMethodSize's estimates bounds a method: Forward's bounds Loss as well, InputGradient's every member
        // that returns an input gradient.
        private static string? BoundedBy(string method) => method switch
        {
            "Net.Forward/2" or "Net.Loss/2" or "Net.Loss/3" => "Forward",
            "Net.Accumulate/2" => "Accumulate",
            "Net.Accumulate/3" or "Net.BackpropagateGradient/5" => "InputGradient",
            _ => null,
        };

        // A baked network on .NET 8+ computes Forward and Loss in Vector128 lanes, cut between layers (MemberSplit.LanesRuns),
        // where a wide layer meets the JIT's 60,000-byte limit first and a layer of many neurons and few inputs its
        // 20,000-instruction limit. NNG027 is given by LanesMethodSize's bound there.
        private sealed record BakedNet(int Inputs, int Size, string Activation, bool Hidden, bool Double)
        {
            public string Cost => Activation switch { "Softmax" => "CrossEntropy", "Logistic" when !Hidden => "BinaryCrossEntropy", _ => "MeanSquaredError" };

            public override string ToString() => $"{Inputs} → {Size} {Activation}{(Hidden ? " → 2" : string.Empty)}, {(Double ? "double" : "float")}";
        }

        private static readonly string[] LaneActivations = { "Identity", "Tanh", "Relu", "Elu", "Logistic", "Softmax" };

        // Near either limit by the bound: between 0.7 and 1.5 times it.
        private static readonly Gen<BakedNet> BakedNetworks =
            Gen.Select(Gen.Int[1, 110], Gen.Int[2, 420], Gen.Int[0, LaneActivations.Length - 1], Gen.Bool, Gen.Bool)
                .Select(t => new BakedNet(t.Item1, t.Item2, LaneActivations[t.Item3], t.Item4 && LaneActivations[t.Item3] != "Softmax", t.Item5))
                .Where(n => LanesRatio(n) is >= 0.7 and <= 1.5);

        [Theory]
        [InlineData(64, 64, "Tanh", false, false)]
        [InlineData(96, 96, "Tanh", false, false)]
        [InlineData(64, 64, "Elu", true, true)]
        [InlineData(1, 300, "Softmax", false, true)]
        [InlineData(1, 400, "Tanh", true, false)]

        // Found by stream 148: 39,315 bytes and 12,670 instructions, but the output layer's cost per neuron made it 63,895.
        [InlineData(9, 316, "Elu", true, false)]
        public void NNG027_on_a_baked_network_in_lanes_warns_of_every_method_past_a_limit(int inputs, int size, string activation, bool hidden, bool isDouble) =>
            CheckBaked(new BakedNet(inputs, size, activation, hidden, isDouble));

        [Fact]
        public void The_same_holds_for_random_baked_networks_near_the_limits() =>
            BakedNetworks.Sample(CheckBaked, cases: 6, stream: 48, print: n => n.ToString());

        private static void CheckBaked(BakedNet net)
        {
            string layers = $"[Layer({net.Size}, Activation.{net.Activation})]" + (net.Hidden ? " [Layer(2, Activation.Identity)]" : string.Empty);
            var precision = net.Double ? Precision.Double : Precision.Single;
            var architecture = new NetworkArchitecture(
                net.Inputs,
                Enum.Parse<Cost>(net.Cost),
                precision,
                net.Hidden
                    ? new[] { new LayerArchitecture(net.Size, Enum.Parse<Activation>(net.Activation)), new LayerArchitecture(2, Activation.Identity) }
                    : new[] { new LayerArchitecture(net.Size, Enum.Parse<Activation>(net.Activation)) });
            byte[] file = net.Double
                ? WeightsFiles.Nngw(architecture, Enumerable.Range(0, architecture.ParameterCount).Select(i => 0.01 * ((i % 7) - 3)).ToArray())
                : WeightsFiles.Nngw(architecture, Enumerable.Range(0, architecture.ParameterCount).Select(i => (float)(0.01 * ((i % 7) - 3))).ToArray());
            string source = $"using NnGen;\n[Network(Inputs = {net.Inputs}, Cost = Cost.{net.Cost}, Precision = Precision.{precision}, CodeShape = CodeShape.Unrolled, Weights = \"net.nngw\")] {layers}\npublic partial class Net {{ }}";
            GeneratorOutput output = GeneratorRunner.Run(new AdditionalText[] { new WeightsAdditionalText("/p/net.nngw", file) }, source);
            Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);

            MethodIl[] methods = IlCounter.Methods(output.OutputCompilation)
                .Where(m => m.Key.StartsWith("Net.", StringComparison.Ordinal) && !BatchMember(m.Key))
                .ToArray();
            double largest = methods.Max(m => Math.Max((double)m.Bytes / JitMethodSize.IlByteLimit, (double)m.Instructions / JitMethodSize.InstructionLimit));
            bool past = methods.Any(m => m.Bytes > JitMethodSize.IlByteLimit || m.Instructions > JitMethodSize.InstructionLimit || m.Locals > MaxLocals || m.LocalReferences > MaxLocalReferences);
            bool warned = output.GeneratorDiagnostics.Any(d => d.Id == "NNG027");
            MethodIl top = methods.OrderByDescending(m => m.Bytes).First();
            string seen = $"{net}: the largest method {top.Key}, {top.Bytes} bytes, {top.Instructions} instructions";
            Assert.True(!past || warned, seen + ", past a limit, and nothing warned");

            // The bound is at most about 1.4 times the real size near the limits for an output layer, 1.8 for a hidden one.
            Assert.True(!warned || largest >= 1 / (net.Hidden ? 1.9 : 1.45), seen + ", well within both limits, and NNG027 warned");
        }

        // The larger of LanesMethodSize's bytes and instructions of the network's widest layer, over its limit.
        private static double LanesRatio(BakedNet net)
        {
            var activation = Enum.Parse<ActivationKind>(net.Activation);
            var precision = net.Double ? PrecisionKind.Double : PrecisionKind.Single;
            return Math.Max(
                (double)LanesMethodSize.Bytes(net.Inputs, net.Size, activation, precision, output: !net.Hidden) / JitMethodSize.IlByteLimit,
                (double)LanesMethodSize.Instructions(net.Inputs, net.Size, activation, precision, output: !net.Hidden) / JitMethodSize.InstructionLimit);
        }

        private static bool BatchMember(string method) =>
            method.Contains("Batch/", StringComparison.Ordinal) || method.Contains("AccumulateAfterRows/", StringComparison.Ordinal);

        // The estimate of the run a method computes: a local function "<Accumulate>g__AccumulateFromLayer16|…" the run that
        // starts at layer 16, a split member's own method its first run; null for any other method.
        private static long? RunBound(Net net, ActivationKind[] kinds, CostKind cost, bool[] vectorized, string method, bool split)
        {
            System.Text.RegularExpressions.Match local = System.Text.RegularExpressions.Regex.Match(method, @"^Net\.<(\w+)>g__\w+FromLayer(\d+)\|");
            string? member = local.Success ? local.Groups[1].Value
                : split && method is "Net.Forward/2" or "Net.Loss/2" or "Net.Loss/3" or "Net.Accumulate/2" or "Net.Accumulate/3" or "Net.BackpropagateGradient/5" ? method.Substring(4, method.IndexOf('/', StringComparison.Ordinal) - 4)
                : null;
            if (member is null)
            {
                return null;
            }

            bool training = member is not ("Forward" or "Loss");
            IReadOnlyList<LayerRun> runs = MemberSplit.Runs(net.Inputs, net.Sizes, kinds, cost, vectorized, training);
            LayerRun run = local.Success ? runs.Single(r => r.First == int.Parse(local.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - 1) : runs[0];
            return MemberSplit.SizeOfRun(net.Inputs, net.Sizes, kinds, cost, vectorized, run.First, run.Last, training);
        }

        private static int Weights(Net net) => net.Sizes.Select((s, i) => s * (i == 0 ? net.Inputs : net.Sizes[i - 1])).Sum();
    }
}
