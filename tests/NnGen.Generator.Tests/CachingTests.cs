using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;
using Steps = NnGen.Generator.NetworkGenerator.Steps;

namespace NnGen.Generator.Tests
{
    /// <summary>
    /// The incremental pipeline caches: an edit that does not touch a network re-runs no step for it,
    /// and no step output keeps a symbol, a syntax node or a compilation alive.
    /// </summary>
    public sealed class CachingTests
    {
        private static readonly string[] TrackedSteps = GeneratorRunner.TrackedSteps;

        private static readonly NetworkArchitecture BakedArchitecture = new(2, Cost.SquaredError, Precision.Single, new LayerArchitecture(2, Activation.Identity));

        private const string Networks = """
            using NnGen;

            namespace App
            {
                [Network(Inputs = 2, Cost = Cost.CrossEntropy)]
                [Layer(3, Activation.Tanh)]
                [Layer(2, Activation.Softmax)]
                public partial class Valid { }

                [Network(Inputs = 2)]
                [Layer(3, Activation.Tanh, Alpha = 2)]
                [Layer(2, Activation.Identity)]
                public partial class WithWarning { }

                [Network(Inputs = 0)]
                [Layer(2, Activation.Identity)]
                public partial class Invalid { }

                [Network(Inputs = 2, Weights = "baked.nngw")]
                [Layer(2, Activation.Identity)]
                public partial class Baked { }
            }
            """;

        private const string OtherCode = """
            namespace App
            {
                public static class Helper { public static int Answer() => 42; }
            }
            """;

        [Fact]
        public void Rerun_on_an_unchanged_compilation_leaves_every_step_cached_or_unchanged()
        {
            CSharpCompilation compilation = GeneratorRunner.Compile(Networks, OtherCode);
            GeneratorDriver driver = GeneratorRunner.CreateDriver(trackSteps: true, BakedFile(0.5f)).RunGenerators(compilation);
            GeneratorRunResult first = driver.GetRunResult().Results.Single();

            driver = driver.RunGenerators(compilation.Clone());
            GeneratorRunResult second = driver.GetRunResult().Results.Single();

            AssertAllCachedOrUnchanged(first, second);
        }

        [Fact]
        public void Editing_other_code_leaves_every_step_cached_or_unchanged()
        {
            CSharpCompilation compilation = GeneratorRunner.Compile(Networks, OtherCode);
            GeneratorDriver driver = GeneratorRunner.CreateDriver(trackSteps: true, BakedFile(0.5f)).RunGenerators(compilation);
            GeneratorRunResult first = driver.GetRunResult().Results.Single();

            SyntaxTree other = compilation.SyntaxTrees.Last();
            CSharpCompilation edited = compilation
                .ReplaceSyntaxTree(other, other.WithChangedText(other.GetText().Replace(other.ToString().IndexOf("42", StringComparison.Ordinal), 2, "43")))
                .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App { class Unrelated { } }", GeneratorRunner.ParseOptions, path: "Unrelated.cs"));
            driver = driver.RunGenerators(edited);
            GeneratorRunResult second = driver.GetRunResult().Results.Single();

            AssertAllCachedOrUnchanged(first, second);
        }

        // Issue 9, reproducer 7: a comment line above a [Network] moved every location in the model, so
        // validation, binding and emission all ran again, and the weights file was parsed again.
        [Fact]
        public void Moving_a_declaration_emits_nothing_again_and_parses_no_weights_file_again()
        {
            CSharpCompilation compilation = GeneratorRunner.Compile(Networks, OtherCode);
            GeneratorDriver driver = GeneratorRunner.CreateDriver(trackSteps: true, BakedFile(0.5f)).RunGenerators(compilation);
            GeneratorRunResult first = driver.GetRunResult().Results.Single();

            SyntaxTree networks = compilation.SyntaxTrees.First();
            int at = networks.ToString().IndexOf("    [Network", StringComparison.Ordinal);
            CSharpCompilation edited = compilation.ReplaceSyntaxTree(
                networks, networks.WithChangedText(networks.GetText().Replace(at, 0, "    // a comment that moves everything below it\n")));
            driver = driver.RunGenerators(edited);
            GeneratorRunResult second = driver.GetRunResult().Results.Single();

            foreach (string name in new[] { Steps.WeightsFiles, Steps.Model, Steps.Source })
            {
                Assert.All(
                    second.TrackedSteps[name].SelectMany(step => step.Outputs),
                    output => Assert.True(
                        output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {name} output was {output.Reason}"));
            }

            // The diagnostics still move with the code.
            Diagnostic before = first.Diagnostics.Single(d => d.Id == "NNG005");
            Diagnostic after = second.Diagnostics.Single(d => d.Id == "NNG005");
            Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 1, after.Location.GetLineSpan().StartLinePosition.Line);
            Assert.Equal(
                first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
                second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
        }

        [Fact]
        public void Changing_a_layer_regenerates_that_network_only()
        {
            CSharpCompilation compilation = GeneratorRunner.Compile(Networks, OtherCode);
            GeneratorDriver driver = GeneratorRunner.CreateDriver(trackSteps: true, BakedFile(0.5f)).RunGenerators(compilation);

            SyntaxTree networks = compilation.SyntaxTrees.First();
            string text = networks.ToString();
            int at = text.IndexOf("[Layer(3, Activation.Tanh)]", StringComparison.Ordinal);
            CSharpCompilation edited = compilation.ReplaceSyntaxTree(
                networks, networks.WithChangedText(networks.GetText().Replace(at + "[Layer(".Length, 1, "5")));
            driver = driver.RunGenerators(edited);
            GeneratorRunResult second = driver.GetRunResult().Results.Single();

            IncrementalStepRunReason[] sourceReasons = second.TrackedSteps[Steps.Source]
                .SelectMany(step => step.Outputs.Select(o => o.Reason))
                .ToArray();
            Assert.Equal(1, sourceReasons.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Contains("z1_4", second.GeneratedSources.Single(s => s.HintName == "App.Valid.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Changing_the_weights_file_regenerates_the_baked_network_only()
        {
            CSharpCompilation compilation = GeneratorRunner.Compile(Networks, OtherCode);
            AdditionalText original = BakedFile(0.5f);
            GeneratorDriver driver = GeneratorRunner.CreateDriver(trackSteps: true, original).RunGenerators(compilation);

            driver = driver.ReplaceAdditionalText(original, BakedFile(0.75f)).RunGenerators(compilation);
            GeneratorRunResult second = driver.GetRunResult().Results.Single();

            IncrementalStepRunReason[] sourceReasons = second.TrackedSteps[Steps.Source]
                .SelectMany(step => step.Outputs.Select(o => o.Reason))
                .ToArray();
            Assert.Equal(1, sourceReasons.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Contains("0.75f", second.GeneratedSources.Single(s => s.HintName == "App.Baked.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Step_outputs_hold_no_symbols_syntax_or_compilations()
        {
            CSharpCompilation compilation = GeneratorRunner.Compile(Networks, OtherCode);
            GeneratorDriver driver = GeneratorRunner.CreateDriver(trackSteps: true, BakedFile(0.5f)).RunGenerators(compilation);
            GeneratorRunResult run = driver.GetRunResult().Results.Single();

            foreach (string name in TrackedSteps)
            {
                foreach (IncrementalGeneratorRunStep step in run.TrackedSteps[name])
                {
                    foreach ((object output, _) in step.Outputs)
                    {
                        AssertHoldsNoRoslynObjects(output, $"{name} output", new HashSet<object>(ReferenceEqualityComparer.Instance));
                    }
                }
            }
        }

        private static AdditionalText BakedFile(float weight)
        {
            float[] parameters = { weight, 0.25f, -0.5f, 1f, 0.125f, -0.125f };
            return new WeightsAdditionalText("/project/baked.nngw", WeightsFiles.Nngw(BakedArchitecture, parameters));
        }

        private static void AssertAllCachedOrUnchanged(GeneratorRunResult first, GeneratorRunResult second) =>
            GeneratorRunner.AssertAllCachedOrUnchanged(first, second);

        private static void AssertHoldsNoRoslynObjects(object? value, string path, HashSet<object> seen)
        {
            if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
            {
                return;
            }

            Assert.False(value is ISymbol, $"{path} holds a symbol");
            Assert.False(value is SyntaxNode, $"{path} holds a syntax node");
            Assert.False(value is SyntaxTree, $"{path} holds a syntax tree");
            Assert.False(value is Compilation, $"{path} holds a compilation");
            Assert.False(value is SemanticModel, $"{path} holds a semantic model");
            Assert.False(value is Location { SourceTree: not null }, $"{path} holds a source location (and its syntax tree)");

            // Descriptors are static and hold only strings.
            if (value is DiagnosticDescriptor)
            {
                return;
            }

            if (value is IEnumerable sequence)
            {
                int i = 0;
                foreach (object? item in sequence)
                {
                    AssertHoldsNoRoslynObjects(item, $"{path}[{i++}]", seen);
                }
            }

            for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            {
                foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    AssertHoldsNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
                }
            }
        }
    }
}
