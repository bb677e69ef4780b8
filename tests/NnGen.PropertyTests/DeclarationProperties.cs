using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Random [Network] declarations, valid and invalid, plain and exotic: keyword names, colliding names,
    /// generics, nesting, huge, zero and negative sizes, undefined enum values, extreme and non-finite
    /// activation parameters, members that clash. For each compilation of one to three of them:
    /// the generator never throws; a network without an NNG error gets code, and the generated code adds
    /// no error or warning to what the user's code has on its own; the output is the same under a culture
    /// with a U+2212 minus and a decimal comma. The cases are fixed (<see cref="Seeded"/>), so CI runs the same ones every time.
    /// </summary>
    public sealed class DeclarationProperties
    {
        private static readonly string[] ClassNames = { "Net", "NET", "Net_1", "@class", "@record", "Kernels", "Math", "MathF", "Span", "FastMath", "Parameters", "Forward", "Ünïcødé", "_", "@var", "Network" };
        private static readonly string[] TypeParameterLists = { "", "", "", "<T>", "<@in>", "<T, U>", "<InputCount>", "<Span>", "<Math>" };
        private static readonly string[] Namespaces = { "", "App", "@fixed.@unsafe", "App.Inner", "Kernels", "NnGen.User" };
        private static readonly string[] Outers = { "", "", "", "partial class Outer", "partial class @struct", "class NotPartial", "static partial class Holder", "partial record Rec", "partial class Generic<T>" };
        private static readonly string[] Modifiers = { "public partial", "public partial", "internal sealed partial", "partial", "public", "public static partial", "public abstract partial" };
        private static readonly string[] Inputs = { "1", "2", "3", "7", "16", "40", "0", "-1", "1073741824", "int.MaxValue", "2000000000", null! };
        private static readonly string[] Sizes = { "1", "2", "3", "5", "16", "33", "70", "0", "-3", "20000", "int.MaxValue" };
        private static readonly string[] Activations = { "Activation.Identity", "Activation.Logistic", "Activation.Tanh", "Activation.Relu", "Activation.Elu", "Activation.Softmax", "(Activation)17" };
        private static readonly string[] Costs = { "Cost.SquaredError", "Cost.HalfSquaredError", "Cost.MeanSquaredError", "Cost.CrossEntropy", "Cost.BinaryCrossEntropy", "(Cost)9", null! };
        private static readonly string[] Precisions = { "Precision.Single", "Precision.Double", "(Precision)5", null! };
        private static readonly string[] Shapes = { "CodeShape.Auto", "CodeShape.Unrolled", "CodeShape.Vectorized", "(CodeShape)7", null!, null! };
        private static readonly string[] ParameterValues = { "1", "0.5", "2", "-1", "0", "1e39", "-1e39", "1e-46", "double.NaN", "double.PositiveInfinity", "1e300", "double.Epsilon", "3.4028235e38", "-0.0" };
        private static readonly string[] ParameterNames = { "Alpha", "Max", "Steepness", "Midpoint" };
        private static readonly string[] Members =
        {
            "", "", "", "",
            "private static string nameof(object value) => \"shadowed\";",
            "public void Forward(float[] input, float[] output) { }",
            "private int _parameters;",
            "public int Loss;",
            "public override string ToString() => \"net\";",
        };

        private static readonly Gen<string> Layer =
            Gen.Select(Gen.OneOf(Sizes), Gen.OneOf(Activations), Gen.Int[0, 2], Gen.OneOf(ParameterNames).Array[2], Gen.OneOf(ParameterValues).Array[2])
                .Select((size, activation, count, names, values) =>
                    $"[Layer({size}, {activation}{string.Concat(names.Take(count).Distinct().Select((n, i) => $", {n} = {values[i]}"))})]");

        private static readonly Gen<string> NetworkAttribute =
            Gen.Select(Gen.OneOf(Inputs), Gen.OneOf(Costs), Gen.OneOf(Precisions), Gen.OneOf(Shapes))
                .Select((inputs, cost, precision, shape) =>
                {
                    var arguments = new[] { inputs is null ? null : "Inputs = " + inputs, cost is null ? null : "Cost = " + cost, precision is null ? null : "Precision = " + precision, shape is null ? null : "CodeShape = " + shape };
                    return "[Network(" + string.Join(", ", arguments.Where(a => a is not null)) + ")]";
                });

        private static readonly Gen<string> Declaration =
            Gen.Select(NetworkAttribute, Layer.List[0, 4], Gen.OneOf(Modifiers), Gen.OneOf(ClassNames), Gen.OneOf(TypeParameterLists), Gen.OneOf(Outers), Gen.OneOf(Members))
                .Select((network, layers, modifiers, name, typeParameters, outer, member) =>
                {
                    string type = $"{network}\n{string.Join("\n", layers)}\n{modifiers} class {name}{typeParameters} {{ {member} }}";
                    return outer.Length == 0 ? type : $"{outer} {{\n{type}\n}}";
                });

        private static readonly Gen<(string Namespace, string[] Declarations, bool FileScoped)> Compilation =
            Gen.Select(Gen.OneOf(Namespaces), Declaration.Array[1, 3], Gen.Int[0, 3]).Select((ns, declarations, style) => (ns, declarations, style == 0 && ns.Length > 0));

        // 1,000 cases, about 30 s: CI ran 2,000 until 2026-12-05, when the whole test run came near 10 minutes. Case i is the
        // same in both, so these are the first half; NNGEN_FUZZ_STREAM (Seeded) runs three times as many of another stream.
        [Fact]
        public void Any_declaration_gets_working_warning_free_code_or_an_NNG_error()
        {
            Compilation.Sample(
                c => Check(c.Namespace, c.Declarations, c.FileScoped),
                cases: 1000,
                stream: 4,
                print: c => Source(c.Namespace, c.Declarations, c.FileScoped));
        }

        // Named cases the property found or that pin its corners; each would fail without a fix of issue 9.
        [Theory]
        [InlineData("@fixed.@unsafe", "[Network(Inputs = 2)]\n[Layer(2, Activation.Tanh)]\npublic partial class @class<@in> { }")]
        [InlineData("App", "[Network(Inputs = 2)]\n[Layer(2, Activation.Tanh)]\npublic partial class Net { }", "[Network(Inputs = 3)]\n[Layer(2, Activation.Tanh)]\npublic partial class NET { }")]
        [InlineData("Kernels", "[Network(Inputs = 2, CodeShape = CodeShape.Vectorized)]\n[Layer(70, Activation.Tanh)]\n[Layer(2, Activation.Softmax)]\npublic partial class Span { }")]
        [InlineData("", "[Network(Inputs = 2, Cost = Cost.CrossEntropy)]\n[Layer(2, Activation.Logistic, Max = 1e-46)]\npublic partial class Net { }")]
        [InlineData("", "[Network(Inputs = 3, Cost = Cost.CrossEntropy)]\n[Layer(2, Activation.Elu)]\n[Layer(33, Activation.Tanh)]\n[Layer(3, Activation.Softmax)]\ninternal sealed partial class _<Span> { }")]
        public void Named_cases(string ns, params string[] declarations) => Check(ns, declarations, fileScoped: false);

        // Valid declarations to break: every one of them gets code as it stands.
        private static readonly string[] ValidActivations = { "Identity", "Logistic", "Tanh", "Relu", "Elu, Alpha = 0.5", "Logistic, Max = 1.5" };

        private static readonly string[] ValidTypes = { "public partial class Net", "internal sealed partial class Net<T>", "public partial record Net(int Id)", "partial class Net" };
        private static readonly string[] ValidOuters = { "", "", "public partial class Outer<U>", "partial struct Holder" };

        private static readonly Gen<string> ValidDeclaration =
            Gen.Select(
                Gen.Int[1, 40],
                Gen.Select(Gen.Int[1, 24], Gen.OneOf(ValidActivations)).Array[1, 3],
                Gen.OneOf("", ", CodeShape = CodeShape.Unrolled", ", CodeShape = CodeShape.Vectorized", ", Precision = Precision.Double"),
                Gen.OneOf(ValidTypes),
                Gen.OneOf(ValidOuters))
                .Select((inputs, layers, extra, type, outer) =>
                {
                    string declaration = $"[Network(Inputs = {inputs}, Cost = Cost.SquaredError{extra})]\n"
                        + string.Concat(layers.Select(l => $"[Layer({l.Item1}, Activation.{l.Item2})]\n"))
                        + type + " { public int Own => 1; }";
                    return outer.Length == 0 ? declaration : $"{outer}\n{{\n{declaration}\n}}";
                });

        // What a declaration goes through while someone types it: a character taken out or put in (one of those that
        // change C#'s structure), a stretch of text taken out, or the text cut short. The generator runs on every such
        // state in an IDE.
        private static readonly char[] Typed = { '(', ')', '[', ']', '{', '}', ',', ';', '=', '.', '"', '-', '0', '9', ' ', '\n', '#', '/', '*', '@', '<', '>', 'e', '\'' };

        private static readonly Gen<Func<string, string>> Edit =
            Gen.Select(Gen.Int[0, 8], Gen.Int[0, int.MaxValue], Gen.Int[1, 12], Gen.OneOf(Typed))
                .Select<int, int, int, char, Func<string, string>>((kind, where, length, typed) => text =>
                {
                    int at = where % text.Length;
                    return kind switch
                    {
                        <= 2 => text.Remove(at, 1),
                        <= 5 => text.Insert(at, typed.ToString()),
                        <= 7 => text.Remove(at, Math.Min(length, text.Length - at)),
                        _ => text.Substring(0, at),
                    };
                });

        /// <summary>
        /// Valid declarations broken as typing breaks them, one to three edits each: the generator never throws and
        /// never reports NNG999, a second run is all cached, and its code adds no error or warning to those of the
        /// user's code. (A declaration the edits leave valid gets code, as above; a broken one may get none.)
        /// </summary>
        [Fact]
        public void Any_half_typed_declaration_gets_no_crash_and_no_error_of_ours()
        {
            Gen.Select(ValidDeclaration, Edit.Array[1, 3]).Sample(c => CheckBroken(Edited(c.Item1, c.Item2)), cases: 150, stream: 5, print: c => Edited(c.Item1, c.Item2));
        }

        // Found by the property above (streams 1005, 2005 and 3005): a class with no name got code, `partial class  :
        // INetwork<float>`, and dozens of errors beside the compiler's one. Now a name the parser had to supply gets none.
        [Theory]
        [InlineData("public partial class 'Net { }")]
        [InlineData("public partial class< Net { public int Own => 1;")]
        [InlineData("public partial class { }")]
        [InlineData("public partial class Net<> { }")]
        [InlineData("public partial class Net<T, > { }")]
        public void A_class_whose_name_is_still_being_typed_gets_no_code(string type)
        {
            string source = "using NnGen;\nnamespace App\n{\n[Network(Inputs = 3)]\n[Layer(2, Activation.Tanh)]\n" + type + "\n}\n";
            Assert.Empty(CheckBroken(source).Run.GeneratedTrees);
        }

        // Where the parser's recovery leaves the network whole (`partial class {` closes at once, so Net is a top-level
        // class to the compiler too), it gets code; either way, none of ours adds an error.
        [Theory]
        [InlineData("partial class {\n{0}\n}")]
        [InlineData("namespace App.\n{\n{0}\n}")]
        [InlineData("partial class Outer<>\n{\n{0}\n}")]
        public void A_network_in_a_type_or_namespace_whose_name_is_still_being_typed_adds_no_error(string around) =>
            CheckBroken("using NnGen;\n" + around.Replace("{0}", "[Network(Inputs = 3)]\n[Layer(2, Activation.Tanh)]\npublic partial class Net { }", StringComparison.Ordinal) + "\n");

        private static string Edited(string declaration, Func<string, string>[] edits)
        {
            string source = Source("App", new[] { declaration }, fileScoped: false);
            foreach (Func<string, string> edit in edits)
            {
                source = source.Length == 0 ? source : edit(source);
            }

            return source;
        }

        // The checks of Check that hold for any text, however broken; the generator's output, for more.
        private static GeneratorOutput CheckBroken(string source)
        {
            CSharpParseOptions options = new(LanguageVersion.CSharp10, DocumentationMode.Diagnose);
            GeneratorOutput output = GeneratorRunner.Run(options, Array.Empty<AdditionalText>(), source);
            AssertNoErrorOfOurs(output, GeneratorRunner.Compile(options, source).GetDiagnostics(), source);
            return output;
        }

        // No NNG999, and no error or warning that the user's code does not have on its own (only the compiler's view of it,
        // before the generator: what the generated code adds is the difference).
        private static void AssertNoErrorOfOurs(GeneratorOutput output, ImmutableArray<Diagnostic> userDiagnostics, string source)
        {
            Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Id == "NNG999");
            var before = new HashSet<string>(userDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(Key));
            List<Diagnostic> added = output.OutputCompilation.GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && !before.Contains(Key(d)))
                .Where(d => !d.Id.StartsWith("NNG", StringComparison.Ordinal))
                .ToList();
            Assert.True(added.Count == 0, "generated code adds: " + string.Join("\n", added.Take(5)) + "\n---\n" + source);
        }

        private static string Source(string ns, string[] declarations, bool fileScoped)
        {
            string body = string.Join("\n\n", declarations);
            string usings = "using NnGen;\n";
            if (ns.Length == 0)
            {
                return usings + body;
            }

            return fileScoped ? $"{usings}namespace {ns};\n{body}\n" : $"{usings}namespace {ns}\n{{\n{body}\n}}\n";
        }

        private static void Check(string ns, string[] declarations, bool fileScoped)
        {
            string source = Source(ns, declarations, fileScoped);
            // Documentation comments are checked too, as in a project that generates its XML documentation file.
            CSharpParseOptions options = new(fileScoped ? LanguageVersion.CSharp10 : LanguageVersion.CSharp9, DocumentationMode.Diagnose);

            // GeneratorRunner.Run fails on a generator exception and checks that a second run is all cached.
            GeneratorOutput output = GeneratorRunner.Run(options, Array.Empty<AdditionalText>(), source);
            Compilation user = GeneratorRunner.Compile(options, source);

            // A declaration the compiler rejects (a static class, a cast enum) may get no code.
            ImmutableArray<Diagnostic> userDiagnostics = user.GetDiagnostics();
            AssertNoErrorOfOurs(output, userDiagnostics, source);

            bool nngError = output.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
            bool userError = userDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
            if (!nngError && !userError)
            {
                Assert.True(output.Run.GeneratedTrees.Length >= 1, "no NNG error and no code:\n" + source);
            }

            // The same text under a culture whose minus sign is U+2212 and whose decimal separator is a comma (one run of the
            // generator: the caching was checked above).
            string[] invariant = Texts(output.Run);
            string[] unusual = Cultures.In(Cultures.Unusual(), () => Texts(GeneratorRunner.CreateDriver(options, trackSteps: false).RunGenerators(user).GetRunResult()));
            Assert.Equal(invariant, unusual);
        }

        private static string Key(Diagnostic d) => d.Id + "@" + d.Location.SourceTree?.FilePath + ":" + d.Location.SourceSpan;

        private static string[] Texts(GeneratorDriverRunResult run) =>
            run.GeneratedTrees.Select(t => t.FilePath + "\n" + t.ToString())
                .Concat(run.Diagnostics.Select(d => d.ToString()))
                .ToArray();
    }
}
