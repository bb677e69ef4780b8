using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// Stage 1: reads a [Network] class and its [Layer]s into a <see cref="NetworkDeclaration"/>.
    /// This is the only stage that sees symbols and syntax; it judges nothing that validation can judge
    /// from values, and returns null only where the compiler itself already reports an error.
    /// </summary>
    internal static class DeclarationReader
    {
        public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
            node is ClassDeclarationSyntax or RecordDeclarationSyntax;

        public static NetworkDeclaration? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length == 0 || HasMissingName(type))
            {
                return null;
            }

            AttributeData network = context.Attributes[0];
            if (HasErrors(network))
            {
                return null;
            }

            var networkSyntax = network.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            NamedValue<int> inputs = ReadNamed(network, networkSyntax, KnownNames.Inputs, 0);
            NamedValue<int> cost = ReadNamed(network, networkSyntax, KnownNames.Cost, (int)CostKind.SquaredError);
            NamedValue<int> precision = ReadNamed(network, networkSyntax, KnownNames.Precision, (int)PrecisionKind.Single);
            NamedValue<int> codeShape = ReadNamed(network, networkSyntax, KnownNames.CodeShape, (int)CodeShapeKind.Auto);
            NamedValue<string?> weights = ReadNamed<string?>(network, networkSyntax, KnownNames.Weights, null);
            NamedValue<EquatableArray<string>?> weightsLayers = ReadNamedStrings(network, networkSyntax, KnownNames.WeightsLayers);

            var layers = new List<LayerDeclaration>();
            var layerOwners = new HashSet<(SyntaxTree, int)>();
            foreach (AttributeData attribute in type.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!IsLayerAttribute(attribute))
                {
                    continue;
                }

                if (HasErrors(attribute) || attribute.ConstructorArguments.Length != 2)
                {
                    return null;
                }

                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
                if (syntax?.Parent?.Parent is { } owner)
                {
                    layerOwners.Add((owner.SyntaxTree, owner.SpanStart));
                }

                layers.Add(ReadLayer(attribute, syntax));
            }

            string scalar = precision.Value == (int)PrecisionKind.Double ? "double" : "float";
            var problems = new StructuralProblems(
                IsPartial: context.TargetNode is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword),
                IsStatic: type.IsStatic,
                NonPartialContainingType: FindNonPartialContainingType(type, cancellationToken),
                LayersSplitAcrossDeclarations: layerOwners.Count > 1,
                MemberConflicts: MemberConflictFinder.Find(type, scalar, GeneratedMembers.For(baked: weights.Value is not null, (CodeShapeKind)codeShape.Value), LocationInfo.From(networkSyntax), cancellationToken),
                FileLocalType: FindFileLocalType(type, cancellationToken),
                BaseNetwork: FindBaseNetwork(type),
                CompiledOutputCopy: FindCompiledOutputCopy(type, cancellationToken),
                OldLanguageVersion: OldLanguageVersion(context.TargetNode.SyntaxTree.Options));

            return new NetworkDeclaration(
                ReadShape(type),
                LocationInfo.From(networkSyntax),
                inputs,
                cost,
                precision,
                codeShape,
                weights,
                weightsLayers,
                layers.ToEquatableArray(),
                problems);
        }

        // A declaration being typed, `public partial class {` or `class Net<>`: the parser supplies an empty name, which
        // the compiler reports (CS1001), and code for a class of no name would add dozens of errors to that one.
        private static bool HasMissingName(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            {
                if (t.Name.Length == 0 || t.TypeParameters.Any(p => p.Name.Length == 0))
                {
                    return true;
                }
            }

            for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                if (ns.Name.Length == 0)
                {
                    return true;
                }
            }

            return false;
        }

        // The generated code needs C# 8 (#nullable, nullable annotations); a netstandard2.1 project compiles C# 8 unless it
        // says otherwise, Unity C# 9. The effective version, as "7.3", where it is older.
        private static string? OldLanguageVersion(ParseOptions options) =>
            options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp8 } csharp ? csharp.LanguageVersion.ToDisplayString() : null;

        private static LayerDeclaration ReadLayer(AttributeData attribute, AttributeSyntax? syntax) =>
            new(
                Size: attribute.ConstructorArguments[0].Value is int size ? size : 0,
                Activation: attribute.ConstructorArguments[1].Value is int activation ? activation : -1,
                Location: LocationInfo.From(syntax),
                SizeLocation: LocationInfo.From(FindArgument(syntax, 0, "size")),
                ActivationLocation: LocationInfo.From(FindArgument(syntax, 1, "activation")),
                Alpha: ReadNamed(attribute, syntax, KnownNames.Alpha, LayerText.DefaultAlpha),
                Max: ReadNamed(attribute, syntax, KnownNames.Max, LayerText.DefaultMax),
                Steepness: ReadNamed(attribute, syntax, KnownNames.Steepness, LayerText.DefaultSteepness),
                Midpoint: ReadNamed(attribute, syntax, KnownNames.Midpoint, LayerText.DefaultMidpoint));

        private static bool IsLayerAttribute(AttributeData attribute) => IsNnGenAttribute(attribute, "LayerAttribute");

        // NnGen.<name>, in the global namespace's NnGen, whatever assembly defines it.
        private static bool IsNnGenAttribute(AttributeData attribute, string name) =>
            attribute.AttributeClass is { ContainingNamespace: { Name: "NnGen", ContainingNamespace.IsGlobalNamespace: true } } type
            && type.Name == name;

        // An attribute the compiler could not bind (a missing argument, a wrong type) already has a
        // compiler error; generating from half its values would only add noise.
        private static bool HasErrors(AttributeData attribute) =>
            attribute.AttributeClass is null or IErrorTypeSymbol
            || attribute.AttributeConstructor is null
            || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
            || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error);

        private static NamedValue<T> ReadNamed<T>(AttributeData attribute, AttributeSyntax? syntax, string name, T defaultValue)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Value is T value)
                {
                    return new NamedValue<T>(value, IsSet: true, LocationInfo.From(FindNamedArgument(syntax, name)));
                }
            }

            return new NamedValue<T>(defaultValue, IsSet: false, Location: null);
        }

        // A string[] argument: its elements (a null one as "", which the validator refuses as it does an empty name), or null where it is absent or null.
        private static NamedValue<EquatableArray<string>?> ReadNamedStrings(AttributeData attribute, AttributeSyntax? syntax, string name)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Kind == TypedConstantKind.Array && !argument.Value.IsNull)
                {
                    string[] values = argument.Value.Values.Select(v => v.Value as string ?? string.Empty).ToArray();
                    return new NamedValue<EquatableArray<string>?>(new EquatableArray<string>(values), IsSet: true, LocationInfo.From(FindNamedArgument(syntax, name)));
                }

                if (argument.Key == name)
                {
                    return new NamedValue<EquatableArray<string>?>(null, IsSet: true, LocationInfo.From(FindNamedArgument(syntax, name)));
                }
            }

            return new NamedValue<EquatableArray<string>?>(null, IsSet: false, Location: null);
        }

        private static AttributeArgumentSyntax? FindNamedArgument(AttributeSyntax? syntax, string name) =>
            syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

        private static AttributeArgumentSyntax? FindArgument(AttributeSyntax? syntax, int position, string parameterName)
        {
            if (syntax?.ArgumentList is null)
            {
                return null;
            }

            SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax.ArgumentList.Arguments;
            AttributeArgumentSyntax? byName = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameterName);
            if (byName is not null)
            {
                return byName;
            }

            return position < arguments.Count && arguments[position].NameEquals is null && arguments[position].NameColon is null
                ? arguments[position]
                : null;
        }

        private static string? FindNonPartialContainingType(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                foreach (SyntaxReference reference in outer.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                        && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        return outer.ToDisplayString();
                    }
                }
            }

            return null;
        }

        private static TypeShape ReadShape(INamedTypeSymbol type)
        {
            var containing = new List<ContainingType>();
            var keyParts = new List<string> { type.MetadataName };
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                containing.Insert(0, new ContainingType(Keyword(outer), Identifiers.Escape(outer.Name) + TypeParameterList(outer)));
                keyParts.Insert(0, outer.MetadataName);
            }

            string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(NamespaceFormat);
            string key = (type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString() + ".") + string.Join("+", keyParts);

            return new TypeShape(
                ns,
                containing.ToEquatableArray(),
                Keyword(type),
                Identifiers.Escape(type.Name),
                TypeParameterList(type),
                type.ToDisplayString(),
                key);
        }

        // Keywords used as names (namespace @fixed.@unsafe) keep their '@' in the generated code.
        private static readonly SymbolDisplayFormat NamespaceFormat = new(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        private static string TypeParameterList(INamedTypeSymbol type) =>
            type.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", type.TypeParameters.Select(p => Identifiers.Escape(p.Name))) + ">";

        // A file-local type (C# 11 'file') can be extended only from its own file, and generated code is another
        // file. Roslyn 4.3 has no IsFileLocal, so this reads the modifier and the metadata name ("<file>F…__Net").
        private static string? FindFileLocalType(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current.MetadataName.StartsWith("<", System.StringComparison.Ordinal))
                {
                    return current.ToDisplayString();
                }

                foreach (SyntaxReference reference in current.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                        && declaration.Modifiers.Any(m => m.ValueText == "file"))
                    {
                        return current.ToDisplayString();
                    }
                }
            }

            return null;
        }

        // A part of the class in a file that NnGen wrote: EmitCompilerGeneratedFiles with an output path inside the project's
        // sources (CompilerGeneratedFilesOutputPath=Generated), whose next build compiles the last build's output. Every
        // generated member would then clash (dozens of NNG004 per network), while the real cause is the project's setting.
        // The generator's own output is not in the compilation it reads, so a part with NnGen's header is always a copy.
        private static string? FindCompiledOutputCopy(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                SourceText text = reference.SyntaxTree.GetText(cancellationToken);
                string start = text.ToString(new TextSpan(0, System.Math.Min(text.Length, 400)));
                if (start.IndexOf(KnownNames.GeneratedHeader, System.StringComparison.Ordinal) >= 0)
                {
                    return reference.SyntaxTree.FilePath.Length > 0 ? reference.SyntaxTree.FilePath : "a file without a path";
                }
            }

            return null;
        }

        // The base class's generated members are not in the compilation the generator reads, so a network that
        // derives from a network would hide all of them (CS0108) without NNG004 seeing it.
        private static string? FindBaseNetwork(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (current.GetAttributes().Any(a => IsNnGenAttribute(a, "NetworkAttribute")))
                {
                    return current.ToDisplayString();
                }
            }

            return null;
        }

        // "record" alone means a record class, and is the form C# 9 accepts.
        private static string Keyword(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };
    }
}
