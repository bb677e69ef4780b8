using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.Generator.Tests
{
    /// <summary>
    /// The reproducers of issue 9, sections 2 and 3, each by name: legal declarations that crashed the
    /// generator or made code that did not compile, and declarations that compiled into something wrong.
    /// Each now gets working, warning-free code or an NNG diagnostic, and never takes other networks down.
    /// </summary>
    public sealed class UserProjectTests
    {
        private const string Usings = "using NnGen;\n";

        private const string Bystander = """

            namespace Bystanders
            {
                [NnGen.Network(Inputs = 2)]
                [NnGen.Layer(2, NnGen.Activation.Tanh)]
                public partial class Bystander { }
            }
            """;

        [Fact]
        public void Net_and_NET_in_one_namespace_both_get_code()
        {
            AssertCompilesClean(2, """
                namespace App
                {
                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Net { }
                    [Network(Inputs = 3)] [Layer(2, Activation.Tanh)] public partial class NET { }
                }
                """);
        }

        // A forced Unrolled network gets no snapshot, so the names are the user's to take.
        [Fact]
        public void A_forced_unrolled_network_may_name_a_member_Inference_or_ToInference()
        {
            AssertCompilesClean(2, """
                namespace App
                {
                    [Network(Inputs = 2, CodeShape = CodeShape.Unrolled)] [Layer(2, Activation.Tanh)]
                    public partial class Net
                    {
                        public sealed class Inference { }

                        public Inference ToInference() => new Inference();
                    }

                    [Network(Inputs = 2, CodeShape = CodeShape.Unrolled)] [Layer(2, Activation.Tanh)] public partial class Inference { }
                }
                """);
        }

        // The snapshot of a generic network nested in generic types: Outer<T>.Net<U>.Inference, built and used.
        [Fact]
        public void A_generic_nested_network_gets_a_snapshot_that_compiles()
        {
            AssertCompilesClean(1, """
                namespace App
                {
                    public partial class Outer<T>
                    {
                        [Network(Inputs = 20, CodeShape = CodeShape.Vectorized)] [Layer(16, Activation.Tanh)] [Layer(3, Activation.Softmax)]
                        public partial class Net<U>
                        {
                            public static float First(Net<U> net, System.ReadOnlySpan<float> x)
                            {
                                Inference inference = net.ToInference();
                                System.Span<float> y = stackalloc float[OutputCount];
                                inference.Forward(x, y);
                                return y[0];
                            }
                        }
                    }
                }
                """);
        }

        [Fact]
        public void Net_1_beside_generic_Net_of_T_both_get_code()
        {
            AssertCompilesClean(2, """
                namespace App
                {
                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Net_1 { }
                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Net<T> { }
                }
                """);
        }

        [Fact]
        public void Keyword_namespace_class_containing_type_and_type_parameter_are_escaped()
        {
            AssertCompilesClean(3, """
                namespace @fixed.@unsafe
                {
                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class @class { }
                    public partial class @struct
                    {
                        [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Net<@in> { }
                    }
                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class @record { }
                }
                """);
        }

        // Found by the property tests: the generated code wrote '_' for unused tanh lanes and the batch's softmax
        // sums, and in a class named '_' that name is the class.
        [Theory]
        [InlineData("CodeShape.Unrolled")]
        [InlineData("CodeShape.Vectorized")]
        [InlineData("CodeShape.Auto")]
        public void A_class_named_underscore_gets_working_code(string shape)
        {
            AssertCompilesClean(1, $$"""
                [Network(Inputs = 3, Cost = Cost.CrossEntropy, CodeShape = {{shape}})]
                [Layer(3, Activation.Tanh)]
                [Layer(33, Activation.Softmax)]
                [Layer(3, Activation.Softmax)]
                internal sealed partial class _ { }
                """);
        }

        [Fact]
        public void A_user_method_named_nameof_does_not_break_the_span_checks()
        {
            GeneratorOutput output = AssertCompilesClean(1, """
                namespace App
                {
                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)]
                    public partial class Net
                    {
                        private static string nameof(object value) => "shadowed";
                    }
                }
                """);
            Assert.DoesNotContain("nameof(", output.Run.GeneratedTrees.First(t => t.FilePath.Contains("App.Net", StringComparison.Ordinal)).ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("Activation.Elu, Alpha = 1e39", "Alpha")]
        [InlineData("Activation.Logistic, Max = 1e39", "Max")]
        [InlineData("Activation.Logistic, Max = -1e39", "Max")]
        [InlineData("Activation.Logistic, Steepness = 1e39", "Steepness")]
        [InlineData("Activation.Logistic, Midpoint = -1e39", "Midpoint")]
        [InlineData("Activation.Logistic, Max = 1e-46", "Max")]
        [InlineData("Activation.Logistic, Steepness = 1e-46", "Steepness")]
        [InlineData("Activation.Elu, Alpha = 1e-46", "Alpha")]
        public void An_activation_parameter_float_cannot_hold_is_NNG009(string layer, string parameter)
        {
            Diagnostic d = ExpectOnly("NNG009", Usings + $$"""
                [Network(Inputs = 2)]
                [Layer(2, {{layer}})]
                public partial class Net { }
                """ + Bystander);
            Assert.StartsWith(parameter + " =", d.GetMessage(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("Activation.Elu, Alpha = 1e39")]
        [InlineData("Activation.Logistic, Max = 1e-46")]
        public void The_same_parameters_are_fine_in_a_double_network(string layer)
        {
            AssertCompilesClean(1, $$"""
                [Network(Inputs = 2, Precision = Precision.Double)]
                [Layer(2, {{layer}})]
                public partial class Net { }
                """);
        }

        [Theory]
        [InlineData("1073741824", "2, Activation.Tanh", "2147483650")]
        [InlineData("int.MaxValue", "2, Activation.Tanh", "4294967296")]
        [InlineData("2000000000", "3, Activation.Tanh)] [Layer(2, Activation.Identity", "6000000011")]
        public void A_parameter_count_past_the_array_limit_is_NNG021(string inputs, string layers, string count)
        {
            Diagnostic d = ExpectOnly("NNG021", Usings + $$"""
                [Network(Inputs = {{inputs}})]
                [Layer({{layers}})]
                public partial class Net { }
                """ + Bystander);
            Assert.Contains(" " + count + " parameters", d.GetMessage(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("InputCount")]
        [InlineData("Parameters")]
        [InlineData("Forward")]
        public void A_type_parameter_named_like_a_generated_member_is_NNG004(string name)
        {
            Diagnostic d = ExpectOnly("NNG004", Usings + $$"""
                [Network(Inputs = 2)]
                [Layer(2, Activation.Tanh)]
                public partial class Net<{{name}}> { }
                """ + Bystander);
            Assert.Contains("type parameter " + name, d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void A_network_deriving_from_a_network_is_NNG022()
        {
            Diagnostic d = ExpectOnly("NNG022", Usings + """
                [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Base { }
                [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Derived : Base { }
                """);
            Assert.Contains("'Derived' derives from 'Base'", d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void Network_attribute_on_two_partial_declarations_generates_once()
        {
            GeneratorOutput output = GeneratorRunner.Run(Usings + """
                [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Net { }
                [Network(Inputs = 2)] public partial class Net { }
                """);

            // The compiler reports the duplicate attribute (CS0579); the generator does not crash on it.
            Assert.Contains(output.OutputCompilation.GetDiagnostics(), d => d.Id == "CS0579");
            Assert.True(output.Run.GeneratedTrees.Length <= 1);
        }

        [Fact]
        public void A_forced_unrolled_network_over_the_size_limit_warns_NNG023_and_still_compiles()
        {
            GeneratorOutput output = GeneratorRunner.Run(Usings + """
                [Network(Inputs = 200, CodeShape = CodeShape.Unrolled)]
                [Layer(90, Activation.Tanh)]
                [Layer(2, Activation.Identity)]
                public partial class Net { }
                """);
            Diagnostic d = Assert.Single(output.GeneratorDiagnostics, d => d.Id == "NNG023");
            Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
            Assert.Contains("18180 weights", d.GetMessage(), StringComparison.Ordinal);

            // Its members are also far past the JIT's instruction limit.
            Assert.Equal(new[] { "NNG023", "NNG027" }, output.GeneratorDiagnostics.Select(x => x.Id).OrderBy(x => x, StringComparer.Ordinal));
            Assert.Single(output.Run.GeneratedTrees);
        }

        // Found by the property tests with documentation comments checked: <see cref="Forward"/> and
        // <see cref="Step"/> were ambiguous (CS0419) once the user added overloads, as the docs invite them to.
        [Fact]
        public void Documentation_references_stay_unambiguous_beside_user_overloads()
        {
            GeneratorOutput output = GeneratorRunner.Run(
                new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp9, DocumentationMode.Diagnose),
                Array.Empty<AdditionalText>(),
                Usings + "using System;\n" + """
                    [Network(Inputs = 2)]
                    [Layer(70, Activation.Tanh)]
                    [Layer(2, Activation.Identity)]
                    internal partial class Net
                    {
                        public void Forward(float[] input, float[] output) => Forward(input.AsSpan(), output.AsSpan());
                        public void Step() => Step(0.1f);
                        public void ClearGradients(bool also) => ClearGradients();
                        public float Accumulate(float[] input, float[] target) => Accumulate(input.AsSpan(), target.AsSpan());
                    }
                    """);
            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Empty(output.CompilationProblems);
        }

        // Issue 9, section 4: under Auto, a small unrolled layer before a wide one wrote the backward pass through
        // the wide layer term by term: 1.26 MB of source for 8-24-2000, 7.8 MB for 8-24-12000.
        [Fact]
        public void Auto_output_does_not_grow_with_a_wide_neighbour()
        {
            int Size(int wide) => GeneratorRunner.Run(Usings + $$"""
                [Network(Inputs = 8)]
                [Layer(24, Activation.Tanh)]
                [Layer({{wide}}, Activation.Identity)]
                public partial class Net { }
                """).Source.Length;

            int narrow = Size(300), wide = Size(12000);
            // About 160,000 for the network and its Inference snapshot (which repeats the inference members), since
            // IRowSplitTraining's member with a loss function joined (about 5,000).
            Assert.True(wide < 175_000, $"8-24-12000 under Auto is {wide} characters of source");
            Assert.True(Math.Abs(wide - narrow) < 1_000, $"8-24-300 is {narrow} characters, 8-24-12000 is {wide}: the size follows the wide layer");
        }

        // Issue 9, section 4: a forced Unrolled 1000-199-1 wrote 23.5 MB of source without a word.
        [Fact]
        public void A_forced_unrolled_1000_199_1_warns_NNG023()
        {
            GeneratorOutput output = GeneratorRunner.Run(Usings + """
                [Network(Inputs = 1000, CodeShape = CodeShape.Unrolled)]
                [Layer(199, Activation.Tanh)]
                [Layer(1, Activation.Identity)]
                public partial class Net { }
                """);
            Diagnostic d = Assert.Single(output.GeneratorDiagnostics, d => d.Id == "NNG023");
            Assert.Contains("199199 weights", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains(output.GeneratorDiagnostics, x => x.Id == "NNG027");
        }

        // NNG023 states a size; the estimate it gives must be near what the generator really writes.
        [Fact]
        public void The_NNG023_estimate_is_near_the_real_size()
        {
            GeneratorOutput output = GeneratorRunner.Run(Usings + """
                [Network(Inputs = 128, CodeShape = CodeShape.Unrolled)]
                [Layer(128, Activation.Tanh)]
                [Layer(2, Activation.Identity)]
                public partial class Net { }
                """);
            Assert.Single(output.GeneratorDiagnostics, d => d.Id == "NNG023");
            double estimate = 16_640 * NnGen.Generator.Validation.DeclarationValidator.UnrolledBytesPerWeight;
            double actual = System.Text.Encoding.UTF8.GetByteCount(output.Source);
            Assert.InRange(actual / estimate, 0.7, 1.3);
        }

        // The one diagnostic of the run, with the given ID; the other network, if any, still gets code that compiles.
        private static Diagnostic ExpectOnly(string id, string source)
        {
            GeneratorOutput output = GeneratorRunner.Run(source);
            Diagnostic d = Assert.Single(output.GeneratorDiagnostics);
            Assert.Equal(id, d.Id);
            Assert.Single(output.Run.GeneratedTrees);
            Assert.Empty(output.CompilationProblems);
            return d;
        }

        private static GeneratorOutput AssertCompilesClean(int networks, string source)
        {
            GeneratorOutput output = GeneratorRunner.Run(Usings + source);
            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Empty(output.CompilationProblems);
            Assert.Equal(networks, output.Run.GeneratedTrees.Length);
            return output;
        }
    }
}
