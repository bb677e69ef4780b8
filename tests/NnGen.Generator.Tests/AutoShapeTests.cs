using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.Generator.Tests
{
    /// <summary>
    /// CodeShape.Auto follows the runtime build the project gets: against .NET 8 or later (the matrix kernels)
    /// a layer of more than 224 multiply-adds is vectorised; against netstandard 2.1 (Unity, Godot before 4.4,
    /// netstandard libraries: Vector&lt;T&gt; dot products per row) only one of more than 256.
    /// </summary>
    public sealed class AutoShapeTests
    {
        [Theory]
        [InlineData(12, "layer 1 unrolled", "layer 1 unrolled")]
        [InlineData(14, "layer 1 unrolled", "layer 1 unrolled")]
        [InlineData(15, "layer 1 vectorised", "layer 1 unrolled")]
        [InlineData(16, "layer 1 vectorised", "layer 1 unrolled")]
        [InlineData(17, "layer 1 vectorised", "layer 1 vectorised")]
        public void A_square_layer_is_unrolled_or_vectorised_by_its_size_and_the_target(int size, string onNet8, string onNetStandard)
        {
            string source = $@"
                using NnGen;
                [Network(Inputs = {size})] [Layer({size}, Activation.Tanh)] public partial class Square {{ }}";

            Assert.Contains("// Code shape: " + onNet8, Shapes(GeneratorRunner.Compile(source)), StringComparison.Ordinal);
            Assert.Contains("// Code shape: " + onNetStandard, Shapes(NetStandardCompilation(source)), StringComparison.Ordinal);
        }

        // Every layer small enough to unroll, but unrolled whole the members that return an input gradient passed the JIT's
        // limit of 20,000 IL instructions (20,064 for 12-12x5-4, 20,192 for 8-24-8-24-8) and ran unoptimised for good: Auto
        // vectorises one layer. Layers narrower than 8 stay unrolled, being slower still vectorised; a member still past the
        // limit is split between layers (DiagnosticTests, MethodSizeProperties).
        [Theory]
        [InlineData("[Network(Inputs = 12)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(12, Activation.Tanh)] [Layer(4, Activation.Identity)]",
            1)]
        [InlineData("[Network(Inputs = 8)] [Layer(24, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(24, Activation.Tanh)] [Layer(8, Activation.Identity)]",
            1)]
        [InlineData("[Network(Inputs = 1)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(1, Activation.Identity)]",
            0)]
        public void Small_layers_are_vectorised_only_as_far_as_the_JIT_limit_needs_and_never_narrower_than_8(string declaration, int vectorisedLayer)
        {
            string source = "using NnGen;\n" + declaration + " public partial class Deep { }";
            int layers = declaration.Split("[Layer(").Length - 1;
            string shapes = string.Join(", ", Enumerable.Range(1, layers).Select(l => $"layer {l} {(l == vectorisedLayer ? "vectorised" : "unrolled")}"));
            Assert.Contains("// Code shape: " + shapes + "\n", Shapes(GeneratorRunner.Compile(source)).Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        // AccumulateBatch(inputs, targets), what the Trainer calls: an Auto network whose layers are all unrolled runs the
        // matrix form from NetworkPlan.BatchMatrixFromWeights (96) weights on, where it was 1.4–1.5× faster at minibatches
        // of 32 and 64, and loops over Accumulate below, where it was not. Forced Unrolled always loops (the bits of
        // Accumulate), and so does netstandard 2.1, whose batch products have no SIMD kernels.
        [Theory]
        [InlineData("[Network(Inputs = 4)] [Layer(32, Activation.Tanh)] [Layer(2, Activation.Identity)]", true, false)]
        [InlineData("[Network(Inputs = 4)] [Layer(8, Activation.Tanh)] [Layer(8, Activation.Tanh)] [Layer(2, Activation.Identity)]", true, false)]
        [InlineData("[Network(Inputs = 8)] [Layer(12, Activation.Tanh)]", true, false)]
        [InlineData("[Network(Inputs = 8)] [Layer(11, Activation.Tanh)]", false, false)]
        [InlineData("[Network(Inputs = 2)] [Layer(3, Activation.Tanh)] [Layer(4, Activation.Tanh)] [Layer(2, Activation.Identity)]", false, false)]
        [InlineData("[Network(Inputs = 4, CodeShape = CodeShape.Unrolled)] [Layer(32, Activation.Tanh)] [Layer(2, Activation.Identity)]", false, false)]
        [InlineData("[Network(Inputs = 4, CodeShape = CodeShape.Vectorized)] [Layer(3, Activation.Tanh)]", true, true)]
        public void AccumulateBatch_of_an_all_unrolled_Auto_network_takes_the_matrix_form_from_96_weights(string declaration, bool matrixOnNet8, bool matrixOnNetStandard)
        {
            string source = "using NnGen;\n" + declaration + " public partial class Net { }";
            const string Matrix = "float total = AccumulateBatch(inputs, targets, _gradients);";
            const string Loop = "total += Accumulate(inputs.Slice(s * InputCount, InputCount), targets.Slice(s * OutputCount, OutputCount));";
            foreach ((string generated, bool matrix) in new[] { (Shapes(GeneratorRunner.Compile(source)), matrixOnNet8), (Shapes(NetStandardCompilation(source)), matrixOnNetStandard) })
            {
                Assert.Equal(matrix, generated.Contains(Matrix, StringComparison.Ordinal));
                Assert.Equal(!matrix, generated.Contains(Loop, StringComparison.Ordinal));
            }
        }

        // Per-sample members are compiled optimised at their first call. netstandard 2.1 has the flag but not its name
        // (MethodImplOptions.AggressiveOptimization came with .NET Core 3.0), so there it is written as its value.
        [Fact]
        public void Per_sample_members_are_marked_AggressiveOptimization_by_name_or_by_value_where_netstandard_lacks_the_name()
        {
            const string Source = @"
                using NnGen;
                [Network(Inputs = 2)] [Layer(3, Activation.Tanh)] [Layer(1, Activation.Identity)] public partial class Small { }";
            const string Named = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
            const string Value = "[global::System.Runtime.CompilerServices.MethodImpl((global::System.Runtime.CompilerServices.MethodImplOptions)512)]";

            string net8 = Shapes(GeneratorRunner.Compile(Source));
            Assert.Contains(Named + "\n    public void Forward(", net8.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain(Value, net8, StringComparison.Ordinal);

            string netStandard = Shapes(NetStandardCompilation(Source));
            Assert.Contains(Value, netStandard, StringComparison.Ordinal);
            Assert.DoesNotContain("MethodImplOptions.AggressiveOptimization", netStandard, StringComparison.Ordinal);
            Assert.Equal(
                net8.Split('\n').Count(line => line.Contains(Named, StringComparison.Ordinal)),
                netStandard.Split('\n').Count(line => line.Contains(Value, StringComparison.Ordinal)));
        }

        private static string Shapes(Compilation compilation)
        {
            GeneratorDriver driver = GeneratorRunner.CreateDriver().RunGenerators(compilation);
            return driver.GetRunResult().GeneratedTrees.Single().GetText().ToString();
        }

        private static CSharpCompilation NetStandardCompilation(string source) => GeneratorRunner.CompileForNetStandard(source);
    }
}
