using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// Reads NnGen's weights file (the layout is documented on the runtime's WeightsFile) with the same
    /// checks as WeightsFile.Load, so a file that loads at run time bakes at compile time and the other way round.
    /// </summary>
    internal static class NngwReader
    {
        private const int FixedHeaderSize = 16;
        private const int LayerRecordSize = 40;
        private const int MaxLayers = 1 << 16;
        private const int MaxActivation = (int)ActivationKind.Softmax;

        public static bool HasMagic(ReadOnlySpan<byte> file) =>
            file.Length >= 4 && file[0] == (byte)'N' && file[1] == (byte)'N' && file[2] == (byte)'G' && file[3] == (byte)'W';

        public static WeightsData Read(ReadOnlySpan<byte> file)
        {
            if (file.Length < FixedHeaderSize || !HasMagic(file))
            {
                throw new WeightsReadException("it is not an NnGen weights file (it does not start with \"NNGW\")");
            }

            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(4));
            if (version != 1)
            {
                throw new WeightsReadException(Invariant($"it is format version {version}; this NnGen reads version 1"));
            }

            byte precision = file[6];
            if (precision > 1)
            {
                throw new WeightsReadException(Invariant($"it has an unknown precision code {precision}"));
            }

            int elementSize = precision == 0 ? 4 : 8;
            int inputCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(8));
            int layerCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(12));
            if (inputCount < 1 || layerCount < 1 || layerCount > MaxLayers)
            {
                throw new WeightsReadException(Invariant($"it has a corrupt header: {inputCount} inputs, {layerCount} layers"));
            }

            long headerSize = FixedHeaderSize + ((long)LayerRecordSize * layerCount) + 4;
            if (file.Length < headerSize + 4)
            {
                throw new WeightsReadException(Invariant($"it is truncated: {file.Length} bytes cannot hold the header of {layerCount} layers"));
            }

            int storedCount = BinaryPrimitives.ReadInt32LittleEndian(file.Slice((int)headerSize - 4));
            long expectedLength = headerSize + ((long)storedCount * elementSize) + 4;
            if (storedCount < 0 || file.Length != expectedLength)
            {
                throw new WeightsReadException(file.Length < expectedLength
                    ? Invariant($"it is truncated: it has {file.Length} bytes, but its header promises {expectedLength}")
                    : Invariant($"it has {file.Length} bytes, but its header promises {expectedLength}: it is corrupt or has trailing data"));
            }

            int checksumAt = file.Length - 4;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(checksumAt));
            uint actual = Crc32.Hash(file.Slice(0, checksumAt));
            if (stored != actual)
            {
                throw new WeightsReadException(Invariant($"it is corrupt: its checksum is {stored:X8}, but its contents hash to {actual:X8}"));
            }

            var layers = new List<FileLayer>(layerCount);
            int at = (int)headerSize;
            long parameterCount = 0;
            int fanIn = inputCount;
            for (int l = 0; l < layerCount; l++)
            {
                ReadOnlySpan<byte> record = file.Slice(FixedHeaderSize + (l * LayerRecordSize), LayerRecordSize);
                int size = BinaryPrimitives.ReadInt32LittleEndian(record);
                byte activation = record[4];
                if (size < 1 || activation > MaxActivation)
                {
                    throw new WeightsReadException(Invariant($"it has a corrupt record for layer {l + 1}: size {size}, activation code {activation}"));
                }

                parameterCount += ((long)fanIn + 1) * size;
                if (parameterCount > storedCount)
                {
                    throw new WeightsReadException(Invariant($"it is corrupt: its layers need more than the {storedCount} parameters it holds"));
                }

                var kind = new LayerActivation(activation, ReadDouble(record.Slice(8)), ReadDouble(record.Slice(16)), ReadDouble(record.Slice(24)), ReadDouble(record.Slice(32)));
                double[] weights = ReadValues(file, ref at, fanIn * size, elementSize);
                double[] biases = ReadValues(file, ref at, size, elementSize);
                layers.Add(new FileLayer(Invariant($"layer {l + 1}"), size, fanIn, kind, weights, biases));
                fanIn = size;
            }

            if (parameterCount != storedCount)
            {
                throw new WeightsReadException(Invariant($"it is corrupt: its layers need {parameterCount} parameters, but it holds {storedCount}"));
            }

            return new WeightsData(precision == 0 ? "NnGen weights file, float32" : "NnGen weights file, float64", inputCount, layers);
        }

        private static double[] ReadValues(ReadOnlySpan<byte> file, ref int at, int count, int elementSize)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++, at += elementSize)
            {
                values[i] = elementSize == 4
                    ? Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(file.Slice(at)))
                    : ReadDouble(file.Slice(at));
            }

            return values;
        }

        private static double ReadDouble(ReadOnlySpan<byte> source) =>
            BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(source));

        // netstandard2.0 has no BitConverter.Int32BitsToSingle.
        private static float Int32BitsToSingle(int bits) => BitConverter.ToSingle(BitConverter.GetBytes(bits), 0);

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
