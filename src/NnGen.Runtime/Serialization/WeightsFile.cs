using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using System.Text;

namespace NnGen
{
    /// <summary>
    /// Saves and loads a network's parameters in NnGen's compact binary format. Loading checks
    /// everything (format, length, checksum, and that the file's architecture is the network's)
    /// before it writes a single parameter, so a bad file leaves the network as it was.
    /// </summary>
    /// <remarks>
    /// The format, all little-endian:
    /// <code>
    /// offset  size  field
    ///      0     4  magic "NNGW"
    ///      4     2  format version (1)
    ///      6     1  precision: 0 float32, 1 float64
    ///      7     1  cost (the Cost enum value)
    ///      8     4  input count N(0)
    ///     12     4  layer count L
    ///     16  40·L  per layer: size (int32), activation (uint8), 3 reserved zero bytes,
    ///               alpha, max, steepness, midpoint (float64 each)
    ///      …     4  parameter count P
    ///      …  P·4|8 parameters in the flat layout of Parameters, in the file's precision
    ///      …     4  CRC-32 (IEEE) of every byte before it
    /// </code>
    /// A file of one precision loads into a network of the other: float into double exactly, double
    /// into float rounded to nearest.
    /// </remarks>
    public static class WeightsFile
    {
        /// <summary>The current format version.</summary>
        public const ushort Version = 1;

        private const int FixedHeaderSize = 16;
        private const int LayerRecordSize = 40;
        private const int MaxLayers = 1 << 16;
        private const string BakingHeader = "# NnGen weights, base64";
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("NNGW");

        /// <summary>Writes the parameters of <paramref name="network"/> to <paramref name="path"/>.</summary>
        public static void Save<T>(IInferenceNetwork<T> network, string path)
            where T : unmanaged
        {
            byte[] bytes = Serialize(network);
            File.WriteAllBytes(path, bytes);
        }

        /// <summary>Writes the parameters of <paramref name="network"/> to <paramref name="stream"/>.</summary>
        public static void Save<T>(IInferenceNetwork<T> network, Stream stream)
            where T : unmanaged
        {
            byte[] bytes = Serialize(network);
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>
        /// Writes the text form of the weights file that the generator bakes from: one header line, then the
        /// file's bytes in base64. Projects built with MSBuild never need this, because NnGen's build targets
        /// make that copy of every .nngw item of AdditionalFiles; Unity does not run them, so there save with
        /// this to a file named like <c>Digits.NnGen.Generator.additionalfile</c> under Assets and declare
        /// <c>Weights = "Digits.NnGen.Generator.additionalfile"</c>.
        /// </summary>
        public static void SaveForBaking<T>(IInferenceNetwork<T> network, string path)
            where T : unmanaged =>
            File.WriteAllText(path, ToBakingText(Serialize(network)));

        /// <summary>The text form of a weights file (or of a safetensors file) that the generator bakes from.</summary>
        public static string ToBakingText(byte[] file)
        {
            if (file is null)
            {
                throw new ArgumentNullException(nameof(file));
            }

            // The same text that build/NnGen.targets writes; the generator checks only the start of the first line.
            return BakingHeader + ": a text copy for the NnGen generator\n"
                + Convert.ToBase64String(file, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n") + "\n";
        }

        /// <summary>Replaces the parameters of <paramref name="network"/> with those in the file, and clears its gradients.</summary>
        /// <exception cref="WeightsFormatException">The file is not a valid weights file for this network; nothing was changed.</exception>
        public static void Load<T>(INetwork<T> network, string path)
            where T : unmanaged =>
            Load(network, File.ReadAllBytes(path), Path.GetFileName(path));

        /// <summary>Replaces the parameters of <paramref name="network"/> with those read from <paramref name="stream"/>, and clears its gradients.</summary>
        /// <exception cref="WeightsFormatException">The data is not a valid weights file for this network; nothing was changed.</exception>
        public static void Load<T>(INetwork<T> network, Stream stream)
            where T : unmanaged
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            Load(network, buffer.ToArray(), "the weights stream");
        }

        /// <summary>Reads the architecture stored in a weights file, checking the whole file.</summary>
        public static NetworkArchitecture ReadArchitecture(ReadOnlySpan<byte> file) => Parse(file, "the weights data").Architecture;

        /// <summary>The bytes of the weights file of <paramref name="network"/>.</summary>
        public static byte[] Serialize<T>(IInferenceNetwork<T> network)
            where T : unmanaged
        {
            NetworkArchitecture architecture = network.Architecture;
            int elementSize = typeof(T) == typeof(float) ? 4 : 8;
            int headerSize = FixedHeaderSize + (LayerRecordSize * architecture.Layers.Count) + 4;
            var bytes = new byte[headerSize + (network.ParameterCount * elementSize) + 4];
            Span<byte> span = bytes;

            Magic.CopyTo(span);
            BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(4), Version);
            span[6] = (byte)(elementSize == 4 ? Precision.Single : Precision.Double);
            span[7] = (byte)architecture.Cost;
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(8), architecture.InputCount);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(12), architecture.Layers.Count);
            int at = FixedHeaderSize;
            foreach (LayerArchitecture layer in architecture.Layers)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span.Slice(at), layer.Size);
                span[at + 4] = (byte)layer.Activation;
                WriteDouble(span.Slice(at + 8), layer.Alpha);
                WriteDouble(span.Slice(at + 16), layer.Max);
                WriteDouble(span.Slice(at + 24), layer.Steepness);
                WriteDouble(span.Slice(at + 32), layer.Midpoint);
                at += LayerRecordSize;
            }

            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(at), network.ParameterCount);
            at += 4;
            ReadOnlySpan<T> parameters = network.Parameters;
            for (int i = 0; i < parameters.Length; i++, at += elementSize)
            {
                if (elementSize == 4)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span.Slice(at), BitConverter.SingleToInt32Bits((float)Numbers.ToDouble(parameters[i])));
                }
                else
                {
                    WriteDouble(span.Slice(at), Numbers.ToDouble(parameters[i]));
                }
            }

            BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(at), Crc32.HashToUInt32(span.Slice(0, at)));
            return bytes;
        }

        private static void Load<T>(INetwork<T> network, ReadOnlySpan<byte> file, string source)
            where T : unmanaged
        {
            ParsedFile parsed = Parse(file, source);
            NetworkArchitecture expected = network.Architecture;
            if (!parsed.Architecture.HasSameShape(expected))
            {
                throw new WeightsFormatException(
                    $"{source} holds weights for {parsed.Architecture}, but this network is {expected}; nothing was loaded.");
            }

            // Every check has passed: only now are the parameters written.
            Span<T> parameters = network.Parameters;
            ReadOnlySpan<byte> data = file.Slice(parsed.DataOffset);
            for (int i = 0; i < parameters.Length; i++)
            {
                double value = parsed.ElementSize == 4
                    ? BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(data.Slice(i * 4)))
                    : ReadDouble(data.Slice(i * 8));
                parameters[i] = Numbers.FromDouble<T>(value);
            }

            network.ClearGradients();
        }

        private static ParsedFile Parse(ReadOnlySpan<byte> file, string source)
        {
            if (file.Length < FixedHeaderSize || !file.Slice(0, 4).SequenceEqual(Magic))
            {
                throw new WeightsFormatException($"{source} is not an NnGen weights file (it does not start with \"NNGW\").");
            }

            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(4));
            if (version != Version)
            {
                throw new WeightsFormatException($"{source} is format version {version}; this NnGen reads version {Version}.");
            }

            byte precision = file[6];
            if (precision > 1)
            {
                throw new WeightsFormatException($"{source} has an unknown precision code {precision}.");
            }

            int elementSize = precision == (byte)Precision.Single ? 4 : 8;
            int inputCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(8));
            int layerCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(12));
            if (inputCount < 1 || layerCount < 1 || layerCount > MaxLayers)
            {
                throw new WeightsFormatException($"{source} has a corrupt header: {inputCount} inputs, {layerCount} layers.");
            }

            long headerSize = FixedHeaderSize + ((long)LayerRecordSize * layerCount) + 4;
            if (file.Length < headerSize + 4)
            {
                throw new WeightsFormatException($"{source} is truncated: {file.Length} bytes cannot hold the header of {layerCount} layers.");
            }

            int storedCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice((int)headerSize - 4));
            long expectedLength = headerSize + ((long)storedCount * elementSize) + 4;
            if (storedCount < 0 || file.Length != expectedLength)
            {
                throw new WeightsFormatException(file.Length < expectedLength
                    ? $"{source} is truncated: it has {file.Length} bytes, but its header promises {expectedLength}."
                    : $"{source} has {file.Length} bytes, but its header promises {expectedLength}: it is corrupt or has trailing data.");
            }

            int checksumAt = file.Length - 4;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(checksumAt));
            uint actual = Crc32.HashToUInt32(file.Slice(0, checksumAt));
            if (stored != actual)
            {
                throw new WeightsFormatException($"{source} is corrupt: its checksum is {stored:X8}, but its contents hash to {actual:X8}.");
            }

            var layers = new LayerArchitecture[layerCount];
            for (int l = 0; l < layerCount; l++)
            {
                ReadOnlySpan<byte> record = file.Slice(FixedHeaderSize + (l * LayerRecordSize), LayerRecordSize);
                int size = BinaryPrimitives.ReadInt32LittleEndian(record);
                byte activation = record[4];
                if (size < 1 || activation > (byte)Activation.Softmax)
                {
                    throw new WeightsFormatException($"{source} has a corrupt record for layer {l + 1}: size {size}, activation code {activation}.");
                }

                layers[l] = new LayerArchitecture(
                    size, (Activation)activation, ReadDouble(record.Slice(8)), ReadDouble(record.Slice(16)), ReadDouble(record.Slice(24)), ReadDouble(record.Slice(32)));
            }

            NetworkArchitecture architecture;
            try
            {
                architecture = new NetworkArchitecture(inputCount, (Cost)file[7], (Precision)precision, layers);
            }
            catch (OverflowException)
            {
                throw new WeightsFormatException($"{source} describes a network too large to exist.");
            }

            if (architecture.ParameterCount != storedCount)
            {
                throw new WeightsFormatException($"{source} is corrupt: its layers need {architecture.ParameterCount} parameters, but it holds {storedCount}.");
            }

            return new ParsedFile(architecture, elementSize, (int)headerSize);
        }

        private static void WriteDouble(Span<byte> destination, double value) =>
            BinaryPrimitives.WriteInt64LittleEndian(destination, BitConverter.DoubleToInt64Bits(value));

        private static double ReadDouble(ReadOnlySpan<byte> source) =>
            BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(source));

        private readonly record struct ParsedFile(NetworkArchitecture Architecture, int ElementSize, int DataOffset);
    }
}
