using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NnGen
{
    /// <summary>One tensor's entry in a safetensors header, checked against the data section.</summary>
    /// <param name="Name">The tensor's key.</param>
    /// <param name="DType">"F32", "F64", ….</param>
    /// <param name="ElementSize">Bytes per value.</param>
    /// <param name="Shape">The tensor's dimensions.</param>
    /// <param name="Begin">Where the values start, from the start of the data section (after the header).</param>
    /// <param name="End">Where the values end, likewise.</param>
    internal sealed record SafetensorsEntry(string Name, string DType, int ElementSize, long[] Shape, long Begin, long End)
    {
        public int Count => (int)((End - Begin) / ElementSize);
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
        /// Reads and checks the header of <paramref name="file"/>: strict JSON in UTF-8, every tensor F32 or F64
        /// with offsets that fit its shape, and the tensors covering the data section exactly, one after another,
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

            int elementSize = CheckTensor(name, dtype, shape, offsets, dataLength, out error);
            return elementSize == 0 ? null : new SafetensorsEntry(name, dtype, elementSize, shape, offsets[0], offsets[1]);
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
            ReadValues(file.AsSpan(dataStart + (int)tensor.Begin), tensor.ElementSize, destination);

        /// <summary>
        /// Checks that <paramref name="dtype"/> is F32 or F64 and that <paramref name="offsets"/> hold exactly
        /// <paramref name="shape"/> within <paramref name="dataLength"/> bytes (−1: not known yet). Returns the element size, or 0
        /// with <paramref name="error"/> saying what is wrong, starting with the tensor's name.
        /// </summary>
        public static int CheckTensor(string name, string dtype, long[] shape, long[] offsets, long dataLength, out string? error)
        {
            error = null;
            int elementSize = dtype switch
            {
                "F32" => 4,
                "F64" => 8,
                _ => 0,
            };
            if (elementSize == 0)
            {
                error = $"'{name}' is {dtype}; NnGen reads F32 and F64 tensors (convert with tensor.float() before saving)";
                return 0;
            }

            if (offsets.Length == 2 && dataLength >= 0 && offsets[1] > dataLength)
            {
                error = Invariant($"'{name}' ends at byte {offsets[1]} of the data, which holds {dataLength}: the file is truncated");
                return 0;
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

            if (offsets.Length != 2 || count < 0 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] - offsets[0] != count * elementSize)
            {
                error = Invariant(
                    $"'{name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape [{string.Join(", ", shape)}] of {dtype}{(dataLength >= 0 ? Invariant($" in {dataLength} bytes of data") : "")}");
                return 0;
            }

            return elementSize;
        }

        /// <summary>Reads <paramref name="destination"/>.Length little-endian values of <paramref name="elementSize"/> bytes, widened to double.</summary>
        public static void ReadValues(ReadOnlySpan<byte> data, int elementSize, Span<double> destination)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = elementSize == 8 ? LittleEndian.ReadDouble(data.Slice(i * 8)) : LittleEndian.ReadSingle(data.Slice(i * 4));
            }
        }

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
