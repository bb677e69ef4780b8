using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// Usage: NnGen.Roslyn43Host -analyzer:PATH -reference:PATH... -additionalfile:PATH... SOURCE...
// Compiles the sources at C# 9 as a library, with the analyzer's source generators, and prints every
// diagnostic of the run and a summary line. Exit code 0 when there is no error and no warning.
var analyzers = new List<string>();
var references = new List<string>();
var additionalFiles = new List<string>();
var sources = new List<string>();
foreach (string arg in args)
{
    if (arg.StartsWith("-analyzer:", StringComparison.Ordinal)) analyzers.Add(arg.Substring("-analyzer:".Length));
    else if (arg.StartsWith("-reference:", StringComparison.Ordinal)) references.Add(arg.Substring("-reference:".Length));
    else if (arg.StartsWith("-additionalfile:", StringComparison.Ordinal)) additionalFiles.Add(arg.Substring("-additionalfile:".Length));
    else sources.Add(arg);
}

Console.WriteLine("host: Microsoft.CodeAnalysis.CSharp " + typeof(CSharpCompilation).Assembly.GetName().Version);
var problems = new List<string>();
var generators = new List<ISourceGenerator>();
var loader = new AssemblyLoader();
foreach (string path in analyzers)
{
    var reference = new AnalyzerFileReference(Path.GetFullPath(path), loader);

    // What csc reports as CS8032 (an analyzer that cannot be loaded) or CS9057 (one built for a newer compiler).
    reference.AnalyzerLoadFailed += (_, e) => problems.Add($"error CS8032: analyzer {path} cannot be loaded ({e.ErrorCode}): {e.Message} {e.Exception?.Message}");
    ImmutableArray<ISourceGenerator> found = reference.GetGenerators(LanguageNames.CSharp);
    generators.AddRange(found);
    Console.WriteLine($"analyzer {Path.GetFileName(path)}: {found.Length} generator(s)");
}

var parse = new CSharpParseOptions(LanguageVersion.CSharp9);
CSharpCompilation compilation = CSharpCompilation.Create(
    "UnityScripts",
    sources.Select(s => CSharpSyntaxTree.ParseText(File.ReadAllText(s), parse, path: s)),
    references.Select(r => MetadataReference.CreateFromFile(r)),
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable, allowUnsafe: false));

GeneratorDriver driver = CSharpGeneratorDriver.Create(
    generators,
    additionalTexts: additionalFiles.Select(f => (AdditionalText)new FileText(f)),
    parseOptions: parse);
driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
GeneratorDriverRunResult run = driver.GetRunResult();
foreach (GeneratorRunResult result in run.Results.Where(r => r.Exception is not null))
{
    problems.Add($"warning CS8785: generator {result.Generator.GetType().Name} failed: {result.Exception}");
}

using var il = new MemoryStream();
Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(il);
problems.AddRange(generatorDiagnostics.Concat(emitted.Diagnostics)
    .Where(d => d.Severity >= DiagnosticSeverity.Warning)
    .Select(d => d.ToString()));
foreach (string problem in problems.Distinct())
{
    Console.WriteLine(problem);
}

Console.WriteLine($"generated {run.GeneratedTrees.Length} files; {problems.Distinct().Count()} errors and warnings; emitted: {emitted.Success}");
return problems.Count == 0 && emitted.Success && generators.Count > 0 ? 0 : 1;

internal sealed class AssemblyLoader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
    }

    public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
}

internal sealed class FileText : AdditionalText
{
    private readonly string _path;

    public FileText(string path) => _path = System.IO.Path.GetFullPath(path);

    public override string Path => _path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(_path));
}
