using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NnGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// A binary AdditionalFiles item as the command-line compiler hands it to a generator: decoded as
    /// UTF-8 when the bytes are valid UTF-8, otherwise with the fallback code page 1252.
    /// (The real compiler's path is exercised too, by the baked networks that NnGen.Tests and the
    /// samples build from real files.)
    /// </summary>
    internal sealed class BinaryAdditionalText : AdditionalText
    {
        private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private readonly SourceText _text;

        public BinaryAdditionalText(string path, byte[] bytes, Encoding? encoding = null)
        {
            Path = path;
            _text = SourceText.From(Decode(bytes, encoding, out Encoding used), used);
        }

        static BinaryAdditionalText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;

        private static string Decode(byte[] bytes, Encoding? encoding, out Encoding used)
        {
            if (encoding is not null)
            {
                used = encoding;
                return encoding.GetString(bytes);
            }

            try
            {
                used = StrictUtf8;
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                used = Encoding.GetEncoding(1252);
                return used.GetString(bytes);
            }
        }
    }
}
