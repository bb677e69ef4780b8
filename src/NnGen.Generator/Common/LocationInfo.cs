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
        /// <summary>
        /// In the compilation's syntax tree of the same path where there is one, so that the compiler applies the user's
        /// #pragma warning disable and .editorconfig sections to it: it applies them only to locations in a syntax tree
        /// (dotnet/roslyn#68291). Otherwise a plain file position.
        /// </summary>
        public Location ToLocation(Compilation? compilation = null)
        {
            if (compilation is not null)
            {
                foreach (SyntaxTree tree in compilation.SyntaxTrees)
                {
                    if (tree.FilePath == FilePath && TextSpan.End <= tree.Length)
                    {
                        return Location.Create(tree, TextSpan);
                    }
                }
            }

            return Location.Create(FilePath, TextSpan, LineSpan);
        }

        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public static LocationInfo? From(Location location) =>
            location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}
