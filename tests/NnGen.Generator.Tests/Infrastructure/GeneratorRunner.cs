using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Generator;

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

        public static CSharpCompilation Compile(params string[] sources) =>
            CSharpCompilation.Create(
                "UserAssembly",
                sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"User{i}.cs")),
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        public static GeneratorDriver CreateDriver(bool trackSteps = false, params AdditionalText[] additionalFiles) =>
            CSharpGeneratorDriver.Create(
                new[] { new NetworkGenerator().AsSourceGenerator() },
                additionalTexts: additionalFiles,
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

        public static GeneratorOutput Run(params string[] sources) => Run(Array.Empty<AdditionalText>(), sources);

        public static GeneratorOutput Run(AdditionalText[] additionalFiles, params string[] sources)
        {
            CSharpCompilation compilation = Compile(sources);
            GeneratorDriver driver = CreateDriver(trackSteps: false, additionalFiles).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
            GeneratorDriverRunResult run = driver.GetRunResult();

            // The generator must never throw: an exception surfaces as a CS8785 warning in the run result.
            Exception? exception = run.Results.Single().Exception;
            if (exception is not null)
            {
                throw new InvalidOperationException("The generator threw.", exception);
            }

            return new GeneratorOutput(run, output, diagnostics);
        }
    }
}
