using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen;
using NnGen.Generator;

// For each declaration: the generator's time, the size of what it writes, and the time to compile the
// whole (bind and emit IL, as a build does), each the best of a few runs. The "baked" rows bake a safetensors
// file of that shape (handed over as the build targets' text copy): the figures behind NNG025.
(string Name, string Declaration)[] networks =
{
    ("8-24-2000, Auto", "[Network(Inputs = 8)] [Layer(24, Activation.Tanh)] [Layer(2000, Activation.Identity)]"),
    ("8-24-12000, Auto", "[Network(Inputs = 8)] [Layer(24, Activation.Tanh)] [Layer(12000, Activation.Identity)]"),
    ("784-128-10, Auto", "[Network(Inputs = 784, Cost = Cost.CrossEntropy)] [Layer(128, Activation.Relu)] [Layer(10, Activation.Softmax)]"),
    ("64-32-10, Unrolled", "[Network(Inputs = 64, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Unrolled)] [Layer(32, Activation.Tanh)] [Layer(10, Activation.Softmax)]"),
    ("128-128-2, Unrolled (NNG023)", "[Network(Inputs = 128, CodeShape = CodeShape.Unrolled)] [Layer(128, Activation.Tanh)] [Layer(2, Activation.Identity)]"),
    ("1000-199-1, Unrolled (NNG023)", "[Network(Inputs = 1000, CodeShape = CodeShape.Unrolled)] [Layer(199, Activation.Tanh)] [Layer(1, Activation.Identity)]"),
    ("64-32-10, baked", "[Network(Inputs = 64, Cost = Cost.CrossEntropy, Weights = \"net.safetensors\")] [Layer(32, Activation.Tanh)] [Layer(10, Activation.Softmax)]"),
    ("784-256-10, baked", "[Network(Inputs = 784, Cost = Cost.CrossEntropy, Weights = \"net.safetensors\")] [Layer(256, Activation.Relu)] [Layer(10, Activation.Softmax)]"),
    ("784-1024-1024-10, baked (NNG025)", "[Network(Inputs = 784, Cost = Cost.CrossEntropy, Weights = \"net.safetensors\")] [Layer(1024, Activation.Relu)] [Layer(1024, Activation.Relu)] [Layer(10, Activation.Softmax)]"),
};

MetadataReference[] references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
    .Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
    .Append(typeof(NnGen.NetworkAttribute).Assembly.Location)
    .Append(typeof(NnGen.INetwork<>).Assembly.Location)
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToArray();
var parse = new CSharpParseOptions(LanguageVersion.CSharp9);

Console.WriteLine("| network | weights | generated source | generate | compile | diagnostics |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
// An argument runs only the rows whose name holds it ("baked"); the 1000-199-1 row alone takes minutes.
foreach ((string name, string declaration) in networks.Where(n => args.Length == 0 || n.Name.Contains(args[0], StringComparison.Ordinal)))
{
    string source = "using NnGen;\n" + declaration + "\npublic partial class Net { }\n";
    double generate = double.MaxValue, compile = double.MaxValue;
    long size = 0;
    string diagnostics = string.Empty;
    int runs = name.Contains("1000-199", StringComparison.Ordinal) || name.Contains("1024", StringComparison.Ordinal) ? 1 : 3;
    ImmutableArray<AdditionalText> files = name.Contains("baked", StringComparison.Ordinal)
        ? ImmutableArray.Create<AdditionalText>(new TextFile("/project/net.safetensors", WeightsFile.ToBakingText(Weights(declaration))))
        : ImmutableArray<AdditionalText>.Empty;
    for (int run = 0; run < runs; run++)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Bench", new[] { CSharpSyntaxTree.ParseText(source, parse) }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        var watch = Stopwatch.StartNew();
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, additionalTexts: files, parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> found);
        generate = Math.Min(generate, watch.Elapsed.TotalSeconds);
        size = driver.GetRunResult().GeneratedTrees.Sum(t => (long)t.GetText().Length);
        diagnostics = string.Join(", ", found.Select(d => d.Id).Distinct());

        watch.Restart();
        using var il = new MemoryStream();
        var emitted = output.Emit(il);
        compile = Math.Min(compile, watch.Elapsed.TotalSeconds);
        if (!emitted.Success)
        {
            diagnostics += " (did not compile)";
        }
    }

    long weights = EstimateWeights(declaration);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {weights:N0} | {size / 1e6:0.00} MB | {generate:0.00} s | {compile:0.00} s | {(diagnostics.Length == 0 ? "none" : diagnostics)} |"));
}

static long EstimateWeights(string declaration)
{
    int[] sizes = Sizes(declaration);
    return Enumerable.Range(1, sizes.Length - 1).Sum(i => (long)sizes[i - 1] * sizes[i]);
}

static int[] Sizes(string declaration) => System.Text.RegularExpressions.Regex.Matches(declaration, @"(?:Inputs = |Layer\()(\d+)")
    .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();

// A safetensors file of the declaration's shape (layers "0", "2", …, F32), small values as training leaves them.
static byte[] Weights(string declaration)
{
    int[] sizes = Sizes(declaration);
    var random = new Random(1);
    double[] Values(long count) => Enumerable.Range(0, (int)count).Select(_ => (random.NextDouble() * 0.1) - 0.05).ToArray();
    return NnGen.Testing.SafetensorsWriter.Write(Enumerable.Range(1, sizes.Length - 1).SelectMany(l => new[]
    {
        new NnGen.Testing.SafetensorsTensor($"{2 * (l - 1)}.weight", "F32", new long[] { sizes[l], sizes[l - 1] }, Values((long)sizes[l] * sizes[l - 1])),
        new NnGen.Testing.SafetensorsTensor($"{2 * (l - 1)}.bias", "F32", new long[] { sizes[l] }, Values(sizes[l])),
    }).ToArray());
}

sealed class TextFile : AdditionalText
{
    private readonly string _text;

    public TextFile(string path, string text)
    {
        Path = path;
        _text = text;
    }

    public override string Path { get; }

    public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) =>
        Microsoft.CodeAnalysis.Text.SourceText.From(_text);
}
