using System;

namespace NnGen
{
    /// <summary>
    /// The text form in which a weights file (NNGW or safetensors) reaches the generator: the compiler
    /// refuses binary additional files (CS2015). One header line, then the file's bytes in base64.
    /// Compiled into the runtime (WeightsFile.SaveForBaking writes it, for Unity) and the generator
    /// (which reads it); build/NnGen.targets writes the same text, since MSBuild cannot share this code.
    /// </summary>
    internal static class BakingText
    {
        /// <summary>The start of the first line; the rest of that line is a note for people.</summary>
        public const string Header = "# NnGen weights, base64";

        public static string Encode(byte[] file) =>
            Header + ": a text copy for the NnGen generator\n"
            + Convert.ToBase64String(file, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n") + "\n";

        /// <summary>The file's bytes, or null when <paramref name="text"/> does not start with <see cref="Header"/>.</summary>
        /// <exception cref="FormatException">The base64 is broken.</exception>
        public static byte[]? Decode(string text)
        {
            if (!text.StartsWith(Header, StringComparison.Ordinal))
            {
                return null;
            }

            int body = text.IndexOf('\n');
            return body < 0 ? Array.Empty<byte>() : Convert.FromBase64String(text.Substring(body + 1));
        }
    }
}
