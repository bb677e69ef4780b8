using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NnGen.Generator.Common
{
    /// <summary>A diagnostic as an equatable value: descriptor, location and message arguments.</summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
            new(descriptor, location, arguments.Select(FormatInvariant).ToEquatableArray());

        // Diagnostics quote numbers from the declaration; they must read the same in every culture.
        private static string FormatInvariant(object? argument) => argument switch
        {
            null => string.Empty,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => argument.ToString() ?? string.Empty,
        };

        public Diagnostic ToDiagnostic(Compilation? compilation = null) =>
            Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), Arguments.Cast<object>().ToArray());
    }
}
