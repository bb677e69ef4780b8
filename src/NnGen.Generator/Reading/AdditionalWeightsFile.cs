using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// An AdditionalFiles item that a [Network] names in Weights: its bytes, and what they hold or why they
    /// could not be read. Parsed here, in the pipeline step cached on the item, so a file is parsed once per
    /// change of the file, not once per edit of the code. Equal when path and bytes are (the parse follows
    /// from them); it holds no AdditionalText.
    /// </summary>
    internal sealed record AdditionalWeightsFile(string Path, EquatableArray<byte> Bytes, string? Error, WeightsData? Data = null)
    {
        public bool Equals(AdditionalWeightsFile? other) =>
            other is not null && Path == other.Path && Bytes.Equals(other.Bytes) && Error == other.Error;

        public override int GetHashCode() => (Path, Bytes, Error).GetHashCode();

        /// <summary>
        /// The compiler refuses binary additional files (CS2015), so NnGen's build targets replace each .nngw
        /// and .safetensors item with a text copy (<see cref="BakingText"/>). This reads that copy back into
        /// the file's bytes.
        /// </summary>
        public static AdditionalWeightsFile Read(AdditionalText file, CancellationToken cancellationToken)
        {
            SourceText? text = file.GetText(cancellationToken);
            if (text is null)
            {
                return new AdditionalWeightsFile(file.Path, default, NotEncoded("the compiler could not read it as text"));
            }

            try
            {
                return BakingText.Decode(text.ToString()) is { } bytes
                    ? Parse(file.Path, bytes)
                    : new AdditionalWeightsFile(file.Path, default, NotEncoded("it is not the text copy that NnGen's build targets make of a weights file"));
            }
            catch (FormatException)
            {
                return new AdditionalWeightsFile(file.Path, default, "its text copy is not valid base64; delete the obj folder and build again");
            }
        }

        private static AdditionalWeightsFile Parse(string path, byte[] bytes)
        {
            try
            {
                WeightsData data = NngwFormat.HasMagic(bytes) ? NngwReader.Read(bytes) : SafetensorsReader.Read(bytes);
                return new AdditionalWeightsFile(path, new EquatableArray<byte>(bytes), null, data);
            }
            catch (WeightsReadException e)
            {
                return new AdditionalWeightsFile(path, new EquatableArray<byte>(bytes), e.Message);
            }
        }

        private static string NotEncoded(string what) =>
            what + ". Binary weights files reach the generator through NnGen's build targets (build/NnGen.targets, imported"
            + " by the NnGen package), which turn .nngw and .safetensors AdditionalFiles items into text; a project that"
            + " references the generator another way must import them";

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
