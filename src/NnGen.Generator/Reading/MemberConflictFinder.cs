using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// Finds members of the user's class (declared or inherited) that the generated members would
    /// collide with or hide. A user may add overloads of the generated methods; only the same name
    /// with the same parameter types, or the same name on another kind of member, is a clash.
    /// </summary>
    internal static class MemberConflictFinder
    {
        public static EquatableArray<MemberConflict> Find(
            INamedTypeSymbol type, string scalar, string[] generatedNames, LocationInfo? attributeLocation, CancellationToken cancellationToken)
        {
            Dictionary<string, string[][]?> generated = GeneratedSignatures(scalar, generatedNames);
            var conflicts = new List<MemberConflict>();

            if (generated.ContainsKey(type.Name))
            {
                conflicts.Add(new MemberConflict(type.Name, "the class's own name", attributeLocation));
            }

            // A member may not share its name with a type parameter of its class (class Net<InputCount>).
            foreach (ITypeParameterSymbol parameter in type.TypeParameters)
            {
                if (generated.ContainsKey(parameter.Name))
                {
                    Location? location = parameter.Locations.FirstOrDefault(l => l.IsInSource);
                    conflicts.Add(new MemberConflict(
                        parameter.Name,
                        "the type parameter " + parameter.Name,
                        location is null ? attributeLocation : LocationInfo.From(location)));
                }
            }

            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                bool inherited = !SymbolEqualityComparer.Default.Equals(current, type);
                foreach (ISymbol member in current.GetMembers())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (member.IsImplicitlyDeclared
                        || (inherited && member.DeclaredAccessibility == Accessibility.Private)
                        || !generated.TryGetValue(member.Name, out string[][]? signatures)
                        || !Clashes(member, signatures))
                    {
                        continue;
                    }

                    Location? location = member.Locations.FirstOrDefault(l => l.IsInSource);
                    conflicts.Add(new MemberConflict(
                        member.Name,
                        Describe(member),
                        location is null ? attributeLocation : LocationInfo.From(location)));
                }
            }

            return conflicts.ToEquatableArray();
        }

        // A generated property, field or constant clashes with anything of its name. A generated
        // method clashes with a non-method of its name, or with a method of the parameter types of one
        // of its overloads.
        private static bool Clashes(ISymbol member, string[][]? generatedOverloads)
        {
            if (generatedOverloads is null || member is not IMethodSymbol method)
            {
                return true;
            }

            string[] parameters = method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToArray();
            return generatedOverloads.Any(overload => parameters.SequenceEqual(overload));
        }

        private static string Describe(ISymbol member)
        {
            string kind = member switch
            {
                IMethodSymbol => "method",
                IPropertySymbol => "property",
                IFieldSymbol { IsConst: true } => "constant",
                IFieldSymbol => "field",
                IEventSymbol => "event",
                ITypeSymbol => "nested type",
                _ => "member",
            };
            return $"the {kind} {member.ToDisplayString()}";
        }

        // Null: every member of that name clashes (a property, field or constant is generated under it).
        private static Dictionary<string, string[][]?> GeneratedSignatures(string scalar, string[] names)
        {
            string readOnlySpan = $"global::System.ReadOnlySpan<{scalar}>";
            string span = $"global::System.Span<{scalar}>";
            string loss = $"global::NnGen.LossFunction<{scalar}>";
            var methods = new Dictionary<string, string[][]>
            {
                [GeneratedMembers.Forward] = new[] { new[] { readOnlySpan, span } },
                [GeneratedMembers.ForwardBatch] = new[] { new[] { readOnlySpan, span } },
                [GeneratedMembers.Loss] = new[] { new[] { readOnlySpan, readOnlySpan }, new[] { readOnlySpan, readOnlySpan, span } },
                [GeneratedMembers.LossBatch] = new[] { new[] { readOnlySpan, readOnlySpan, span, span } },
                [GeneratedMembers.Accumulate] = new[] { new[] { readOnlySpan, readOnlySpan }, new[] { readOnlySpan, readOnlySpan, span }, new[] { readOnlySpan, readOnlySpan, loss } },
                [GeneratedMembers.AccumulateGradient] = new[] { new[] { readOnlySpan, readOnlySpan }, new[] { readOnlySpan, readOnlySpan, span } },
                [GeneratedMembers.InputGradient] = new[] { new[] { readOnlySpan, readOnlySpan, span } },
                [GeneratedMembers.AccumulateBatch] = new[] { new[] { readOnlySpan, readOnlySpan }, new[] { readOnlySpan, readOnlySpan, span }, new[] { readOnlySpan, readOnlySpan, loss }, new[] { readOnlySpan, readOnlySpan, span, loss } },
                [GeneratedMembers.Step] = new[] { new[] { scalar } },
                [GeneratedMembers.ClearGradients] = new[] { new string[0] },
                [GeneratedMembers.InitializeParameters] = new[] { new[] { "int" } },
                [GeneratedMembers.ToInference] = new[] { new string[0] },
                [GeneratedMembers.ToInferenceValue] = new[] { new string[0] },
                [GeneratedMembers.CreateInitialParameters] = new[] { new string[0] },
                [GeneratedMembers.WriteInitialParameters] = new[] { new[] { span, "int" } },
            };
            return names.ToDictionary(name => name, name => methods.TryGetValue(name, out string[][]? overloads) ? overloads : null);
        }
    }
}
