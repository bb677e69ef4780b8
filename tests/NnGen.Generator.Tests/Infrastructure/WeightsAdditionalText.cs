using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NnGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// A weights file as the generator receives it: the text copy that build/NnGen.targets makes (a header
    /// line, then base64), or, with <c>raw</c>, the binary file itself, which the compiler refuses to read
    /// (GetText gives null, as with CS2015). The real targets are exercised by NnGen.Tests, the samples and
    /// the package test, which build baked networks from real files.
    /// </summary>
    internal sealed class WeightsAdditionalText : AdditionalText
    {
        private readonly SourceText? _text;

        public WeightsAdditionalText(string path, byte[] bytes, bool raw = false)
            : this(path, raw ? null : WeightsFile.ToBakingText(bytes))
        {
        }

        private WeightsAdditionalText(string path, string? text)
        {
            Path = path;
            _text = text is null ? null : SourceText.From(text, Encoding.UTF8);
        }

        public override string Path { get; }

        /// <summary>An additional file with exactly this text.</summary>
        public static WeightsAdditionalText FromText(string path, string text) => new(path, text);

        public override SourceText? GetText(CancellationToken cancellationToken = default) => _text;
    }
}
