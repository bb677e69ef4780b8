using System;
using System.Buffers.Binary;
using System.Globalization;

namespace NnGen
{
    /// <summary>
    /// Reads NnGen's weights file, format version 1 (the layout is documented on WeightsFile). Compiled
    /// into both the runtime (WeightsFile.Load) and the generator (baked weights), so a file that loads
    /// at run time bakes at compile time, and a file one rejects the other rejects for the same reason.
    /// </summary>
    internal static class NngwFormat
    {
        public const ushort Version = 1;
        public const int FixedHeaderSize = 16;
        public const int LayerRecordSize = 40;
        public const int MaxLayers = 1 << 16;

        /// <summary>The highest activation code: Softmax.</summary>
        public const int MaxActivation = 5;

        /// <summary>The bytes before the parameters: the fixed header, one record per layer, and the parameter count.</summary>
        public static long HeaderSize(int layerCount) => FixedHeaderSize + ((long)LayerRecordSize * layerCount) + 4;

        /// <summary>The length of a whole file: the header, the parameters of <paramref name="elementSize"/> bytes each, and the CRC.</summary>
        public static long FileLength(int layerCount, long parameterCount, int elementSize) =>
            HeaderSize(layerCount) + (parameterCount * elementSize) + 4;

        public static bool HasMagic(ReadOnlySpan<byte> file) =>
            file.Length >= 4 && file[0] == (byte)'N' && file[1] == (byte)'N' && file[2] == (byte)'G' && file[3] == (byte)'W';

        /// <summary>
        /// Checks the whole file: magic, version, precision, header, length, checksum, every layer record
        /// and the parameter count. Returns null and <paramref name="error"/>, a phrase that follows the
        /// file's name ("is truncated: …"), when any check fails.
        /// </summary>
        public static NngwContents? TryRead(ReadOnlySpan<byte> file, out string? error)
        {
            error = Check(file, out NngwContents? contents);
            return contents;
        }

        /// <summary>
        /// Reads only the header at the start of <paramref name="prefix"/> (magic, version, precision, counts, every layer
        /// record), without the parameters or the checksum: what a file too long to be read whole says it holds. Null and
        /// <paramref name="error"/> where the header is not whole or not valid.
        /// </summary>
        public static NngwContents? TryReadHeader(ReadOnlySpan<byte> prefix, out string? error)
        {
            error = CheckFixedHeader(prefix, out int precision, out int inputCount, out int layerCount, out long headerSize);
            if (error is not null)
            {
                return null;
            }

            if (prefix.Length < headerSize)
            {
                error = Invariant($"is truncated: {prefix.Length} bytes cannot hold the header of {layerCount} layers");
                return null;
            }

            int storedCount = BinaryPrimitives.ReadInt32LittleEndian(prefix.Slice((int)headerSize - 4));
            error = CheckLayers(prefix, inputCount, layerCount, storedCount, out LayerSpec[]? layers);
            return error is null ? new NngwContents(precision, prefix[7], inputCount, layers!, storedCount, (int)headerSize) : null;
        }

        private static string? Check(ReadOnlySpan<byte> file, out NngwContents? contents)
        {
            contents = null;
            string? error = CheckFixedHeader(file, out int precision, out int inputCount, out int layerCount, out long headerSize);
            if (error is not null)
            {
                return error;
            }

            int elementSize = precision == 0 ? 4 : 8;
            if (file.Length < headerSize + 4)
            {
                return Invariant($"is truncated: {file.Length} bytes cannot hold the header of {layerCount} layers");
            }

            int storedCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice((int)headerSize - 4));
            long expectedLength = FileLength(layerCount, storedCount, elementSize);
            if (storedCount < 0 || file.Length != expectedLength)
            {
                return file.Length < expectedLength
                    ? Invariant($"is truncated: it has {file.Length} bytes, but its header promises {expectedLength}")
                    : Invariant($"has {file.Length} bytes, but its header promises {expectedLength}: it is corrupt or has trailing data");
            }

            int checksumAt = file.Length - 4;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(checksumAt));
            uint actual = Crc32.Hash(file.Slice(0, checksumAt));
            if (stored != actual)
            {
                return Invariant($"is corrupt: its checksum is {stored:X8}, but its contents hash to {actual:X8}");
            }

            error = CheckLayers(file, inputCount, layerCount, storedCount, out LayerSpec[]? layers);
            if (error is null)
            {
                contents = new NngwContents(precision, file[7], inputCount, layers!, storedCount, (int)headerSize);
            }

            return error;
        }

        // The first 16 bytes: magic, version, precision, input and layer counts; and the size of the whole header.
        private static string? CheckFixedHeader(ReadOnlySpan<byte> file, out int precision, out int inputCount, out int layerCount, out long headerSize)
        {
            (precision, inputCount, layerCount, headerSize) = (0, 0, 0, 0);
            if (file.Length < FixedHeaderSize || !HasMagic(file))
            {
                return "is not an NnGen weights file (it does not start with \"NNGW\")";
            }

            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(4));
            if (version != Version)
            {
                return Invariant($"is format version {version}; this NnGen reads version {Version}");
            }

            precision = file[6];
            if (precision > 1)
            {
                return Invariant($"has an unknown precision code {precision}");
            }

            inputCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(8));
            layerCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(12));
            if (inputCount < 1 || layerCount < 1 || layerCount > MaxLayers)
            {
                return Invariant($"has a corrupt header: {inputCount} inputs, {layerCount} layers");
            }

            headerSize = HeaderSize(layerCount);
            return null;
        }

        // Every layer record, and that the layers need exactly the storedCount parameters the header gives.
        private static string? CheckLayers(ReadOnlySpan<byte> file, int inputCount, int layerCount, int storedCount, out LayerSpec[]? layers)
        {
            layers = new LayerSpec[layerCount];
            long parameterCount = 0;
            long fanIn = inputCount;
            for (int l = 0; l < layerCount; l++)
            {
                ReadOnlySpan<byte> record = file.Slice(FixedHeaderSize + (l * LayerRecordSize), LayerRecordSize);
                int size = BinaryPrimitives.ReadInt32LittleEndian(record);
                byte activation = record[4];
                if (size < 1 || activation > MaxActivation)
                {
                    return Invariant($"has a corrupt record for layer {l + 1}: size {size}, activation code {activation}");
                }

                layers[l] = new LayerSpec(
                    size, activation, LittleEndian.ReadDouble(record.Slice(8)), LittleEndian.ReadDouble(record.Slice(16)), LittleEndian.ReadDouble(record.Slice(24)), LittleEndian.ReadDouble(record.Slice(32)));
                parameterCount += (fanIn + 1) * size;
                fanIn = size;
                if (parameterCount > storedCount)
                {
                    // Checked per layer, so that no layer count or size can overflow the sum.
                    return Invariant($"is corrupt: its layers need more than the {storedCount} parameters it holds");
                }
            }

            if (parameterCount != storedCount)
            {
                return Invariant($"is corrupt: its layers need {parameterCount} parameters, but it holds {storedCount}");
            }

            return null;
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A weights file that passed every check of <see cref="NngwFormat.TryRead"/>.</summary>
    /// <param name="Precision">0 float32, 1 float64.</param>
    /// <param name="Cost">The Cost enum value the network was declared with.</param>
    /// <param name="InputCount">N(0).</param>
    /// <param name="Layers">Each layer's record.</param>
    /// <param name="ParameterCount">How many parameters follow the records.</param>
    /// <param name="DataOffset">Where the parameters start.</param>
    internal sealed record NngwContents(int Precision, int Cost, int InputCount, LayerSpec[] Layers, int ParameterCount, int DataOffset)
    {
        public int ElementSize => Precision == 0 ? 4 : 8;

        /// <summary>Parameter <paramref name="index"/>, widened to double (exactly, for float32).</summary>
        public double Parameter(ReadOnlySpan<byte> file, int index)
        {
            ReadOnlySpan<byte> at = file.Slice(DataOffset + (index * ElementSize));
            return ElementSize == 8 ? LittleEndian.ReadDouble(at) : LittleEndian.ReadSingle(at);
        }
    }
}
