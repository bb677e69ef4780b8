using System;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// The bytes of an AdditionalFiles item that a [Network] names in Weights, or why they could not be
    /// had. A plain value, so the pipeline caches it and holds no AdditionalText.
    /// </summary>
    internal sealed record AdditionalWeightsFile(string Path, EquatableArray<byte> Bytes, string? Error)
    {
        /// <summary>
        /// Generators see additional files only as text. The compiler decodes a file as UTF-8 when it is
        /// valid UTF-8 and otherwise with a single-byte fallback encoding (code page 1252 or Latin-1); both
        /// map bytes to characters one to one, so encoding the text again with the same encoding gives the
        /// file's bytes back. The formats' own checks (the weights file's CRC-32, safetensors' offsets)
        /// catch a host that decodes otherwise.
        /// </summary>
        public static AdditionalWeightsFile Read(AdditionalText file, CancellationToken cancellationToken)
        {
            SourceText? text = file.GetText(cancellationToken);
            if (text is null)
            {
                return new AdditionalWeightsFile(file.Path, default, "the compiler could not read it");
            }

            Encoding? encoding = text.Encoding;
            if (encoding is null)
            {
                return new AdditionalWeightsFile(file.Path, default, "the compiler passed it as text without an encoding, so its bytes cannot be recovered");
            }

            byte[] bytes = encoding.GetBytes(text.ToString());
            return new AdditionalWeightsFile(file.Path, new EquatableArray<byte>(bytes), null);
        }

        /// <summary>
        /// True when <paramref name="path"/> is the file <paramref name="name"/> names: the same file name,
        /// or the same last path segments. Separators and case of the drive do not matter; case of the
        /// segments does, as on the file systems where builds run.
        /// </summary>
        public static bool Matches(string path, string name)
        {
            string normalizedPath = path.Replace('\\', '/');
            string normalizedName = name.Trim().Replace('\\', '/');
            while (normalizedName.StartsWith("./", StringComparison.Ordinal))
            {
                normalizedName = normalizedName.Substring(2);
            }

            if (normalizedName.Length == 0)
            {
                return false;
            }

            return normalizedPath == normalizedName
                || normalizedPath.EndsWith("/" + normalizedName, StringComparison.Ordinal);
        }
    }
}
