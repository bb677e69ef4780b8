using Microsoft.CodeAnalysis.CSharp;

namespace NnGen.Generator.Common
{
    /// <summary>Names as generated code must spell them.</summary>
    internal static class Identifiers
    {
        /// <summary>
        /// "@class" for a name that is a keyword. Contextual keywords are escaped too: '@record' is always
        /// legal, while a bare 'record' as a type name draws a warning from newer compilers.
        /// </summary>
        public static string Escape(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
                ? "@" + name
                : name;
    }
}
