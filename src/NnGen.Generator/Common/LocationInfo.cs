using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NnGen.Generator.Common
{
    /// <summary>
    /// Where a diagnostic points, as plain values. A <see cref="Location"/> holds its SyntaxTree, which
    /// would keep a whole compilation alive in the pipeline's cache; this holds only path and spans.
    /// </summary>
    internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public static LocationInfo? From(Location location) =>
            location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}
