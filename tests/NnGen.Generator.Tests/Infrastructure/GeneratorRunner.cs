using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Generator;
using Xunit;

namespace NnGen.Generator.Tests.Infrastructure
{
    /// <summary>What one generator run produced, and whether the result compiles.</summary>
    internal sealed record GeneratorOutput(
        GeneratorDriverRunResult Run,
        Compilation OutputCompilation,
        ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        /// <summary>The one generated file's text; fails if there is not exactly one.</summary>
        public string Source => Run.GeneratedTrees.Single().GetText().ToString();

        /// <summary>Errors and warnings of the user's code plus the generated code, as the compiler sees them.</summary>
        public ImmutableArray<Diagnostic> CompilationProblems =>
            OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
    }

    /// <summary>Runs the generator the way the compiler does, on sources written in C# 9 (what Unity compiles).</summary>
    internal static class GeneratorRunner
    {
        public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp9);

        private static readonly Lazy<MetadataReference[]> References = new(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
                .Split(Path.PathSeparator)
                .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                    || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
                .Append(typeof(NetworkAttribute).Assembly.Location)
                .Append(typeof(INetwork<>).Assembly.Location)
                .Distinct()
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToArray());

        public static CSharpCompilation Compile(params string[] sources) => Compile(ParseOptions, sources);

        public static CSharpCompilation Compile(CSharpParseOptions parseOptions, params string[] sources) =>
            CSharpCompilation.Create(
                "UserAssembly",
                sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: $"User{i}.cs")),
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        /// <summary>
        /// What a Unity project compiles against: netstandard 2.1's reference assembly and the attributes. The generator
        /// then plans for NnGen.Runtime's netstandard build: no matrix kernels, no Vector128 lanes.
        /// </summary>
        public static CSharpCompilation CompileForNetStandard(string source)
        {
            string netstandard = NnGen.Testing.NetStandardReference.Path;
            Assert.True(File.Exists(netstandard), "netstandard 2.1's reference assembly is not at " + netstandard);
            return CSharpCompilation.Create(
                "UnityLike",
                new[] { CSharpSyntaxTree.ParseText(source, ParseOptions) },
                new[] { MetadataReference.CreateFromFile(netstandard), MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        }

        public static GeneratorDriver CreateDriver(bool trackSteps = false, params AdditionalText[] additionalFiles) =>
            CreateDriver(ParseOptions, trackSteps, additionalFiles);

        public static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions, bool trackSteps, params AdditionalText[] additionalFiles) =>
            CSharpGeneratorDriver.Create(
                new[] { new NetworkGenerator().AsSourceGenerator() },
                additionalTexts: additionalFiles,
                parseOptions: parseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

        public static GeneratorOutput Run(params string[] sources) => Run(Array.Empty<AdditionalText>(), sources);

        /// <summary>Every step the generator tracks, in pipeline order.</summary>
        public static readonly string[] TrackedSteps =
        {
            NetworkGenerator.Steps.Declaration, NetworkGenerator.Steps.Validation, NetworkGenerator.Steps.WeightsFiles,
            NetworkGenerator.Steps.Binding, NetworkGenerator.Steps.Diagnostics, NetworkGenerator.Steps.Model, NetworkGenerator.Steps.Source,
        };

        /// <summary>
        /// Runs the generator, then runs the same driver again on the same compilation and checks that every
        /// tracked step was Cached or Unchanged and the output is the same, as NetEscapades.EnumGenerators'
        /// helpers do: every generator test is a caching test too.
        /// </summary>
        public static GeneratorOutput Run(AdditionalText[] additionalFiles, params string[] sources) =>
            Run(ParseOptions, additionalFiles, sources);

        public static GeneratorOutput Run(CSharpParseOptions parseOptions, AdditionalText[] additionalFiles, params string[] sources)
        {
            CSharpCompilation compilation = Compile(parseOptions, sources);
            GeneratorDriver driver = CreateDriver(parseOptions, trackSteps: true, additionalFiles).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
            GeneratorDriverRunResult run = driver.GetRunResult();

            // The generator must never throw: an exception surfaces as a CS8785 warning in the run result.
            Exception? exception = run.Results.Single().Exception;
            if (exception is not null)
            {
                throw new InvalidOperationException("The generator threw.", exception);
            }

            GeneratorDriverRunResult again = driver.RunGenerators(compilation.Clone()).GetRunResult();
            AssertAllCachedOrUnchanged(run.Results.Single(), again.Results.Single());
            return new GeneratorOutput(run, output, diagnostics);
        }

        public static void AssertAllCachedOrUnchanged(GeneratorRunResult first, GeneratorRunResult second)
        {
            foreach (string name in TrackedSteps)
            {
                bool ranFirst = first.TrackedSteps.ContainsKey(name);
                Assert.Equal(ranFirst, second.TrackedSteps.ContainsKey(name));
                if (!ranFirst)
                {
                    continue;
                }

                Assert.Equal(first.TrackedSteps[name].Length, second.TrackedSteps[name].Length);
                foreach (IncrementalGeneratorRunStep step in second.TrackedSteps[name])
                {
                    foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
                    {
                        Assert.True(
                            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                            $"step {name} output was {reason}");
                    }
                }
            }

            Assert.Equal(
                first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
                second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
            Assert.Equal(first.Diagnostics.Select(d => d.ToString()), second.Diagnostics.Select(d => d.ToString()));
        }
    }
}
