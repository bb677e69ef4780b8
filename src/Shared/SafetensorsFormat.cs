using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NnGen
{
    /// <summary>One tensor's entry in a safetensors header, checked against the data section.</summary>
    /// <param name="Name">The tensor's key.</param>
    /// <param name="DType">"F32", "F64", "I64", ….</param>
    /// <param name="ElementSize">Bytes per value; 0 for a dtype whose size this reader does not know (a tensor it can only skip).</param>
    /// <param name="Shape">The tensor's dimensions.</param>
    /// <param name="Begin">Where the values start, from the start of the data section (after the header).</param>
    /// <param name="End">Where the values end, likewise.</param>
    internal sealed record SafetensorsEntry(string Name, string DType, int ElementSize, long[] Shape, long Begin, long End)
    {
        public int Count => ElementSize == 0 ? 0 : (int)((End - Begin) / ElementSize);

        /// <summary>A dtype whose values NnGen reads, each exactly as a double: F16, BF16, F32 or F64.</summary>
        public bool Readable => DType is "F16" or "BF16" or "F32" or "F64";
    }

    /// <summary>
    /// Reading a safetensors file: the header (with <see cref="MiniJson"/>), each tensor's entry against the
    /// data, the values, and the linear layers. Compiled into the runtime (Safetensors.Import) and the
    /// generator (baked weights), so both accept the same files, reject the others for the same reasons, and
    /// take their layers in the same order.
    /// </summary>
    internal static class SafetensorsFormat
    {
        private const string WeightSuffix = ".weight";
        private const string BiasSuffix = ".bias";
        private const string Metadata = "__metadata__";

        /// <summary>The longest header a reader should accept (the safetensors format's own limit, against a denial of service).</summary>
        public const int MaxHeaderLength = 100_000_000;

        /// <summary>
        /// Reads and checks the header of <paramref name="file"/>: strict JSON in UTF-8, every tensor of a dtype whose
        /// size is known with offsets that fit its shape (a tensor of another dtype is accepted, as it may be one that is
        /// not read: a BatchNorm's I64 count, a newer format's sub-byte float; <see cref="SafetensorsEntry.Readable"/> says
        /// which can be read), and the tensors covering the data section exactly, one after another,
        /// with no gap, overlap or trailing byte (a header length one byte off cannot go unnoticed). Returns the
        /// tensors by name, or null with <paramref name="error"/> saying what is wrong.
        /// </summary>
        public static Dictionary<string, SafetensorsEntry>? ReadHeader(byte[] file, out int dataStart, out string? error)
        {
            dataStart = 0;
            error = null;
            if (file.Length < 8)
            {
                error = Invariant($"it is truncated: {file.Length} bytes cannot hold a safetensors header");
                return null;
            }

            ulong headerLength = LittleEndian.ReadUInt64(file);
            if (headerLength > (ulong)(file.Length - 8))
            {
                error = Invariant($"its first 8 bytes give a header length of {headerLength}, more than the {file.Length - 8} bytes that follow: it is truncated or not a safetensors file");
                return null;
            }

            dataStart = 8 + (int)headerLength;
            return ReadHeader(file, (int)headerLength, file.Length - dataStart, out _, out error);
        }

        /// <summary>
        /// The checks of <see cref="ReadHeader(byte[], out int, out string)"/> on the header alone, in
        /// <paramref name="file"/>[8..8 + <paramref name="headerLength"/>), before the data is read: with
        /// <paramref name="dataLength"/> −1 the data's length is not known yet (it may be longer than an array can hold:
        /// the runtime reads only the tensors it needs), and <paramref name="dataEnd"/> gives the length the data must have.
        /// </summary>
        public static Dictionary<string, SafetensorsEntry>? ReadHeader(byte[] file, int headerLength, long dataLength, out long dataEnd, out string? error)
        {
            dataEnd = 0;
            error = null;
            object? header;
            try
            {
                header = MiniJson.Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file, 8, headerLength));
            }
            catch (DecoderFallbackException)
            {
                error = "its header is not valid UTF-8";
                return null;
            }
            catch (FormatException e)
            {
                error = "its header is not valid JSON: " + e.Message;
                return null;
            }

            if (header is not Dictionary<string, object?> entries)
            {
                error = "its header is not a JSON object";
                return null;
            }

            var tensors = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> entry in entries)
            {
                if (entry.Key == Metadata)
                {
                    if (entry.Value is not Dictionary<string, object?>)
                    {
                        error = "its __metadata__ is not a JSON object";
                        return null;
                    }

                    continue;
                }

                SafetensorsEntry? tensor = ReadTensor(entry.Key, entry.Value, dataLength, out error);
                if (tensor is null)
                {
                    return null;
                }

                tensors.Add(entry.Key, tensor);
            }

            long expected = 0;
            foreach (SafetensorsEntry tensor in tensors.Values.OrderBy(t => t.Begin).ThenBy(t => t.End))
            {
                if (tensor.Begin != expected)
                {
                    error = Invariant(
                        $"'{tensor.Name}' starts at byte {tensor.Begin} of the data, where {expected} was next: {(tensor.Begin > expected ? "a gap" : "an overlap")} between tensors");
                    return null;
                }

                expected = tensor.End;
            }

            dataEnd = expected;
            if (dataLength >= 0 && expected != dataLength)
            {
                error = Invariant($"its tensors end at byte {expected} of the data, which holds {dataLength}: the header length or an offset is wrong");
                return null;
            }

            return tensors;
        }

        private static SafetensorsEntry? ReadTensor(string name, object? value, long dataLength, out string? error)
        {
            if (value is not Dictionary<string, object?> fields
                || !fields.TryGetValue("dtype", out object? dtypeValue) || dtypeValue is not string dtype
                || !fields.TryGetValue("shape", out object? shapeValue) || shapeValue is not List<object?> shapeList
                || !fields.TryGetValue("data_offsets", out object? offsetsValue) || offsetsValue is not List<object?> offsetsList)
            {
                error = $"'{name}' in its header lacks a string dtype, a shape array or a data_offsets array";
                return null;
            }

            long[]? shape = Integers(shapeList);
            long[]? offsets = Integers(offsetsList);
            if (shape is null || offsets is null)
            {
                error = $"'{name}' has a {(shape is null ? "shape" : "data_offsets")} that is not a list of integers";
                return null;
            }

            return CheckTensor(name, dtype, shape, offsets, dataLength, out int elementSize, out error)
                ? new SafetensorsEntry(name, dtype, elementSize, shape, offsets[0], offsets[1])
                : null;
        }

        private static long[]? Integers(List<object?> list)
        {
            var result = new long[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonNumber number || number.AsInt64() is not long value)
                {
                    return null;
                }

                result[i] = value;
            }

            return result;
        }

        /// <summary>The values of <paramref name="tensor"/>, widened to double.</summary>
        public static double[] ReadValues(byte[] file, int dataStart, SafetensorsEntry tensor)
        {
            var values = new double[tensor.Count];
            ReadValues(file, dataStart, tensor, values);
            return values;
        }

        /// <summary>The first <paramref name="destination"/>.Length values of <paramref name="tensor"/>, widened to double.</summary>
        public static void ReadValues(byte[] file, int dataStart, SafetensorsEntry tensor, Span<double> destination) =>
            ReadValues(file.AsSpan(dataStart + (int)tensor.Begin), tensor, destination);

        /// <summary>
        /// Null when a layer can take its values from <paramref name="tensor"/>, else why not: its dtype is not one NnGen reads.
        /// </summary>
        public static string? ReadableProblem(SafetensorsEntry tensor) =>
            tensor.Readable ? null : $"'{tensor.Name}' is {tensor.DType}; NnGen reads F16, BF16, F32 and F64 tensors (convert with tensor.float() before saving)";

        /// <summary>
        /// The bytes per value of a safetensors dtype, or 0 for one this reader does not know the size of: the
        /// safetensors format's sub-byte floats (F4, F6_…), or a dtype newer than this reader.
        /// </summary>
        private static int SizeOf(string dtype) => dtype switch
        {
            "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" => 1,
            "U16" or "I16" or "F16" or "BF16" => 2,
            "U32" or "I32" or "F32" => 4,
            "U64" or "I64" or "F64" or "C64" => 8,
            _ => 0,
        };

        /// <summary>
        /// Checks that <paramref name="offsets"/> are a range within <paramref name="dataLength"/> bytes (−1: not known yet)
        /// that holds exactly <paramref name="shape"/> where the dtype's size is known. False with <paramref name="error"/>
        /// saying what is wrong, starting with the tensor's name.
        /// </summary>
        private static bool CheckTensor(string name, string dtype, long[] shape, long[] offsets, long dataLength, out int elementSize, out string? error)
        {
            error = null;
            elementSize = SizeOf(dtype);
            if (offsets.Length == 2 && dataLength >= 0 && offsets[1] > dataLength)
            {
                error = Invariant($"'{name}' ends at byte {offsets[1]} of the data, which holds {dataLength}: the file is truncated");
                return false;
            }

            if (elementSize == 0 && !LooksLikeDType(dtype))
            {
                error = $"'{name}' has dtype \"{dtype}\", which is not a safetensors dtype";
                return false;
            }

            long count = 1;
            foreach (long d in shape)
            {
                count = d < 0 || count < 0 ? -1 : count * d;
                if (count > int.MaxValue)
                {
                    count = -1;
                }
            }

            // A dtype of unknown size (elementSize 0) cannot be held to its shape, only to a range in order.
            if (offsets.Length != 2 || count < 0 || offsets[0] < 0 || offsets[1] < offsets[0]
                || (elementSize != 0 && offsets[1] - offsets[0] != count * elementSize))
            {
                error = Invariant(
                    $"'{name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape [{string.Join(", ", shape)}] of {dtype}{(dataLength >= 0 ? Invariant($" in {dataLength} bytes of data") : "")}");
                return false;
            }

            return true;
        }

        /// <summary>
        /// Reads <paramref name="destination"/>.Length little-endian values of <paramref name="tensor"/>'s dtype (one that is
        /// <see cref="SafetensorsEntry.Readable"/>), each widened to double exactly.
        /// </summary>
        public static void ReadValues(ReadOnlySpan<byte> data, SafetensorsEntry tensor, Span<double> destination)
        {
            switch (tensor.DType)
            {
                case "F64":
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = LittleEndian.ReadDouble(data.Slice(i * 8));
                    }

                    break;
                case "F32":
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = LittleEndian.ReadSingle(data.Slice(i * 4));
                    }

                    break;
                case "F16":
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = Widen(LittleEndian.ReadUInt16(data.Slice(i * 2)), exponentBits: 5);
                    }

                    break;
                case "BF16":
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = Widen(LittleEndian.ReadUInt16(data.Slice(i * 2)), exponentBits: 8);
                    }

                    break;
                default:
                    throw new InvalidOperationException(ReadableProblem(tensor));
            }
        }

        /// <summary>
        /// A 16-bit IEEE-style float (sign, <paramref name="exponentBits"/> exponent bits, the rest fraction: 5 for F16,
        /// 8 for BF16) as the double of the same value, exactly: each is a small integer times a power of two.
        /// </summary>
        internal static double Widen(ushort bits, int exponentBits)
        {
            int fractionBits = 15 - exponentBits;
            int exponentMax = (1 << exponentBits) - 1;
            int bias = (1 << (exponentBits - 1)) - 1;
            int exponent = (bits >> fractionBits) & exponentMax;
            int fraction = bits & ((1 << fractionBits) - 1);
            double magnitude;
            if (exponent == exponentMax)
            {
                magnitude = fraction == 0 ? double.PositiveInfinity : double.NaN;
            }
            else
            {
                // Normal: (2^f + fraction) · 2^(e − bias − f); subnormal (e = 0): fraction · 2^(1 − bias − f).
                int significand = exponent == 0 ? fraction : (1 << fractionBits) | fraction;
                magnitude = significand * PowerOfTwo(Math.Max(exponent, 1) - bias - fractionBits);
            }

            return (bits & 0x8000) != 0 ? -magnitude : magnitude;
        }

        // A dtype this reader does not know may still be a real one (the format's names: capitals, digits, '_').
        private static bool LooksLikeDType(string dtype) =>
            dtype.Length is > 0 and <= 16 && dtype[0] is >= 'A' and <= 'Z' && dtype.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

        // 2^n for the exponents above (−133 to 120), which double holds as normal numbers.
        private static double PowerOfTwo(int n) => BitConverter.Int64BitsToDouble((long)(n + 1023) << 52);

        /// <summary>
        /// The NAMEs of the tensors NAME.weight, in natural order ("0", "2", "10"); null, with
        /// <paramref name="error"/>, when a tensor is neither a weight nor a bias, a bias has no weight of its
        /// own (a renamed '0.weight' would leave '0.bias' without one), or there is no weight at all.
        /// </summary>
        public static List<string>? LinearLayerNames(ICollection<string> tensorNames, out string? error)
        {
            error = null;
            string? notLinear = tensorNames.FirstOrDefault(n => !n.EndsWith(WeightSuffix, StringComparison.Ordinal) && !n.EndsWith(BiasSuffix, StringComparison.Ordinal));
            if (notLinear is not null)
            {
                error = $"it holds '{notLinear}', which is not a linear layer's weight or bias";
                return null;
            }

            string? orphan = tensorNames
                .Where(n => n.EndsWith(BiasSuffix, StringComparison.Ordinal))
                .OrderBy(n => n, StringComparer.Ordinal)
                .FirstOrDefault(n => !tensorNames.Contains(n.Substring(0, n.Length - BiasSuffix.Length) + WeightSuffix));
            if (orphan is not null)
            {
                error = $"it holds '{orphan}' without the weight of the same layer";
                return null;
            }

            List<string> names = tensorNames
                .Where(n => n.EndsWith(WeightSuffix, StringComparison.Ordinal))
                .Select(n => n.Substring(0, n.Length - WeightSuffix.Length))
                .OrderBy(n => n, NaturalOrder.Instance)
                .ToList();
            if (names.Count == 0)
            {
                error = "it holds no tensor NAME.weight, so no linear layer";
                return null;
            }

            return names;
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
