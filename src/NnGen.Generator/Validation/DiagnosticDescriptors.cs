using Microsoft.CodeAnalysis;

namespace NnGen.Generator.Validation
{
    /// <summary>
    /// Every diagnostic NnGen reports, in one place. IDs are never reused; new ones go into
    /// AnalyzerReleases.Unshipped.md. docs/diagnostics.md explains each with an example and a fix.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "NnGen";

        public static readonly DiagnosticDescriptor NotPartial = Error(
            "NNG001",
            "Network class must be partial",
            "'{0}' has [Network] but is not partial; add the partial modifier so NnGen can add the generated members",
            "NnGen adds members to the class, which C# allows only for partial classes.");

        public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
            "NNG002",
            "Type containing a network must be partial",
            "'{0}' is nested in '{1}', which is not partial; add the partial modifier to '{1}'",
            "A nested network's generated members are declared inside every containing type, so each of them must be partial.");

        public static readonly DiagnosticDescriptor StaticClass = Error(
            "NNG003",
            "Network class cannot be static",
            "'{0}' is static; a network holds its parameters and gradients per instance, so remove the static modifier",
            "Generated networks are instances: each owns its parameters and gradients.");

        public static readonly DiagnosticDescriptor MemberConflict = Error(
            "NNG004",
            "Member name clashes with a generated member",
            "NnGen generates a member named '{0}' in '{1}', which clashes with {2}; rename or remove it",
            "The generator adds a fixed set of members (Forward, Loss, Accumulate, Step, Parameters, ...); a member of the same name and signature cannot coexist with them.");

        public static readonly DiagnosticDescriptor InputsOutOfRange = Error(
            "NNG005",
            "Network needs at least one input",
            "Inputs is {0}; set Inputs on [Network] to the number of input values, at least 1",
            "Inputs is the length of the input vector a(0). It is required and must be at least 1.");

        public static readonly DiagnosticDescriptor NoLayers = Error(
            "NNG006",
            "Network has no layers",
            "'{0}' has [Network] but no [Layer]; add one [Layer(size, activation)] per layer, the output layer last",
            "A network needs at least one layer: its output layer.");

        public static readonly DiagnosticDescriptor LayerSizeOutOfRange = Error(
            "NNG007",
            "Layer needs at least one neuron",
            "Layer {0} has size {1}; a layer needs at least 1 neuron",
            "The size of a layer is its number of neurons and must be at least 1.");

        public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
            "NNG008",
            "Value is not a defined enum member",
            "{0} is not a defined {1} value; use one of {2}",
            "Activation, Cost and Precision take only their named values; a cast integer has no generated code.");

        public static readonly DiagnosticDescriptor InvalidActivationParameter = Error(
            "NNG009",
            "Invalid activation parameter",
            "{0} = {1} is invalid for layer {2}: {3}",
            "Elu needs Alpha > 0. Logistic needs Max > 0 and Steepness ≠ 0. Every parameter must be a finite number.");

        public static readonly DiagnosticDescriptor IgnoredActivationParameter = Warning(
            "NNG010",
            "Activation parameter has no effect",
            "{0} has no effect on layer {1}, which is {2}; {0} applies to {3} layers only",
            "Alpha applies to Elu layers; Max, Steepness and Midpoint apply to Logistic layers. Elsewhere they are ignored.");

        public static readonly DiagnosticDescriptor CostNeedsProbabilities = Error(
            "NNG011",
            "Cost takes the logarithm of outputs the output layer cannot keep in (0, 1)",
            "{0} takes ln of the outputs, but the output layer ({1}) can produce values outside (0, 1); use a Softmax output, a Logistic output with Max ≤ 1, or a squared-error cost",
            "CrossEntropy and BinaryCrossEntropy are defined only for outputs strictly between 0 and 1.");

        public static readonly DiagnosticDescriptor SingleNeuronSoftmax = Error(
            "NNG012",
            "Softmax layer needs at least two neurons",
            "Layer {0} is a Softmax of size 1, whose output is always 1 and whose gradient is always 0; use Logistic for one neuron, or a larger layer",
            "A softmax normalises over its neurons; over one neuron it is the constant 1.");

        public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error(
            "NNG013",
            "Layers declared on more than one partial declaration",
            "The [Layer] attributes of '{0}' are spread over several partial declarations, so their order is not defined; put them all on one declaration",
            "Layers are read in source order, which only one declaration defines.");

        public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
            "NNG014",
            "Network too large to unroll",
            "'{0}' has {1} parameters; CodeShape.Unrolled writes every multiply-add as straight-line code, which is practical up to {2} parameters; use CodeShape.Auto or CodeShape.Vectorized",
            "Unrolled code grows with the parameter count; beyond the limit it would take the compiler and the JIT too long.");

        public static readonly DiagnosticDescriptor LayersTooWideForStack = Error(
            "NNG015",
            "Layers too wide for stack storage",
            "'{0}' has {1} neurons in all; its activations and deltas would need {2} bytes of stack, more than the {3} NnGen allows; use narrower layers",
            "Vectorised layers keep their values in stack-allocated spans, which must stay well inside a thread's stack.");

        public static readonly DiagnosticDescriptor WeightsFileMissing = Error(
            "NNG016",
            "Weights file not found",
            "'{0}' bakes the weights of '{1}', but no AdditionalFiles item of the project is that file; add <AdditionalFiles Include=\"{1}\" /> to the project file, and check that the file exists",
            "Baked weights are read at compile time from an AdditionalFiles item, the only files a generator may read. The name matches the item's file name or the end of its path.");

        public static readonly DiagnosticDescriptor WeightsFileUnreadable = Error(
            "NNG017",
            "Weights file cannot be read",
            "The weights file '{0}' cannot be baked into '{1}': {2}",
            "The file must be an NnGen weights file (WeightsFile.Save) or a safetensors file of F32 or F64 tensors, intact and with finite values.");

        public static readonly DiagnosticDescriptor WeightsShapeMismatch = Error(
            "NNG018",
            "Weights file is for another network",
            "The weights file '{0}' holds {1}, but '{2}' is {3}; train and save this network, or declare the network the file was saved from",
            "Baked weights must have been saved from a network of the same inputs, layer sizes and activations; precision and cost may differ.");

        public static readonly DiagnosticDescriptor WeightsFileAmbiguous = Error(
            "NNG019",
            "Weights file name matches several files",
            "'{0}' bakes the weights of '{1}', which matches {2} AdditionalFiles items ({3}); give more of the path, as in \"{4}\"",
            "The name in Weights must pick out one AdditionalFiles item; a longer end of its path tells items of the same name apart.");

        public static readonly DiagnosticDescriptor FileLocalType = Error(
            "NNG020",
            "Network class cannot be file-local",
            "'{0}' is inside the file-local type '{1}', which only its own file can extend, and NnGen's generated code is another file; remove the file modifier",
            "A file-local type (the C# 11 'file' modifier) cannot have a partial declaration in another file, and generated code always is one.");

        public static readonly DiagnosticDescriptor TooManyParameters = Error(
            "NNG021",
            "Network has too many parameters",
            "'{0}' has {1} parameters; its parameters and gradients are arrays, which hold at most {2} values; use fewer inputs or narrower layers",
            "Parameters and Gradients are single arrays indexed by int, so a network has at most Array.MaxLength (2,147,483,591) parameters.");

        public static readonly DiagnosticDescriptor DerivesFromNetwork = Error(
            "NNG022",
            "Network class derives from another network",
            "'{0}' derives from '{1}', which is also a [Network]; every generated member of '{0}' would hide one of '{1}'; hold a '{1}' in a field instead of deriving from it",
            "Each network gets the same generated members, so a network deriving from another would hide all of its base's members.");

        public static readonly DiagnosticDescriptor LargeUnrolledSource = Warning(
            "NNG023",
            "Unrolled network makes a large source file",
            "'{0}' has {1} weights, which CodeShape.Unrolled writes out one statement each, about {2} MB of source; above {3} weights compile time grows to seconds or minutes; use CodeShape.Auto, which bounds what it unrolls",
            "Unrolled code is straight-line: its size, compile time and JIT time grow with the number of weights. CodeShape.Auto unrolls only small layers and loops over the rest.");

        public static readonly DiagnosticDescriptor InvalidWeightsLayers = Error(
            "NNG024",
            "WeightsLayers does not name the layers to bake",
            "'{0}': WeightsLayers {1}",
            "WeightsLayers picks the linear layers of a safetensors Weights file by name, one per [Layer], first to last: it needs Weights, and names that are not empty and not repeated.");

        public static readonly DiagnosticDescriptor LargeBakedSource = Warning(
            "NNG025",
            "Baked weights make a large source file",
            "'{0}' bakes {1} parameters into its generated source as literals, about {2} MB; above {3} parameters that costs every build of the project tens of seconds and gigabytes of memory; load a network this large at run time instead (WeightsFile.Load, then ToInference())",
            "Baked parameters are one array initializer in the generated source, and the compiler parses and binds each literal, so a build's time and memory grow with the parameter count: 1.9 million parameters took about 50 s and 2.7 GB more than the same project loading them at run time (docs/benchmarks.md).");

        public static readonly DiagnosticDescriptor LargeWeightsFile = Warning(
            "NNG026",
            "Weights file is far larger than what it bakes",
            "'{0}' bakes {1} parameters from '{2}', a file of {3} MB: every build reads the whole file, as base64 text, to bake them; save the layers to a file of their own (Safetensors.Import with their names into the trainable network, then Safetensors.Export)",
            "A weights file reaches the generator whole, as a base64 text copy that the compiler reads on every build, so a checkpoint of which only a small head is baked costs the build about ten times its size in memory: a 200 MB checkpoint took 16 s and 2.3 GB. A file of the baked layers alone costs nothing.");

        public static readonly DiagnosticDescriptor UnrolledPastJitLimit = Warning(
            "NNG027",
            "Unrolled member too large for the JIT to optimise",
            "'{0}': CodeShape.Unrolled writes {1} with a layer whose method comes to about {2}, and .NET's JIT compiles a method of more than {3} without optimisation, several times slower, for as long as the program runs; NnGen splits a member between layers, not within one; {4}",
            "The JIT compiles a method of more than 20,000 IL instructions or 60,000 bytes of IL with MinOpts, unoptimised, and never again (AggressiveOptimization does not lift this). Unrolled code is straight-line, about 7 instructions per weight in Forward and 24 in Accumulate. NnGen writes a member past the limit as one method per run of layers, but a single layer of more than about 2,500 weights (Forward) or 800 (Accumulate) does not fit one method. A baked network on .NET 8+ computes in Vector128 lanes, where a layer fits up to about 7,000 weights in float and 3,500 in double. CodeShape.Auto vectorises such layers.");

        public static readonly DiagnosticDescriptor CompiledOutputCopy = Error(
            "NNG028",
            "The project compiles a copy of NnGen's output",
            "'{0}' is also declared in '{1}', a file that NnGen generated for it and that the project now compiles as a source; EmitCompilerGeneratedFiles writes into a folder the project compiles: set CompilerGeneratedFilesOutputPath under obj/ ($(BaseIntermediateOutputPath)generated) or add <Compile Remove=\"FOLDER/**\" />, then delete the copy",
            "With EmitCompilerGeneratedFiles, the compiler writes each generated file to CompilerGeneratedFilesOutputPath. A path inside the project's folder (such as 'Generated') is picked up by the next build as an ordinary source, so every generated member is declared twice. Nothing is generated for the class until the copy is gone.");

        public static readonly DiagnosticDescriptor LanguageVersionTooOld = Error(
            "NNG029",
            "The project compiles a C# older than 8",
            "NnGen's code for '{0}' needs C# 8 or later, and the project compiles C# {1}: set <LangVersion>8</LangVersion> or later in the project file",
            "The generated code uses C# 8's nullable annotations. A netstandard2.1 or newer project compiles C# 8 or later unless LangVersion says otherwise (Unity compiles C# 9). Nothing is generated for the class until the version is 8 or later.");

        public static readonly DiagnosticDescriptor InternalError = Error(
            "NNG999",
            "NnGen failed to generate a network",
            "NnGen could not generate '{0}': {1}. This is a bug in NnGen; please report it with the declaration.",
            "The generator met a case it does not handle. No code was generated for this class; the rest of the project is unaffected.");

        private static DiagnosticDescriptor Error(string id, string title, string message, string description) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: description);

        private static DiagnosticDescriptor Warning(string id, string title, string message, string description) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: description);
    }
}
