using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NnGen
{
    /// <summary>
    /// The parts of reading a safetensors file that do not depend on the JSON parser: checking one
    /// tensor's entry against the data, reading its values, and naming the linear layers. Compiled into
    /// the runtime (Safetensors.Import, with System.Text.Json) and the generator (baked weights, with its
    /// own small parser), so both accept the same files and take their layers in the same order.
    /// </summary>
    internal static class SafetensorsFormat
    {
        private const string WeightSuffix = ".weight";
        private const string BiasSuffix = ".bias";

        /// <summary>
        /// Checks that <paramref name="dtype"/> is F32 or F64 and that <paramref name="offsets"/> hold exactly
        /// <paramref name="shape"/> within <paramref name="dataLength"/> bytes. Returns the element size, or 0
        /// with <paramref name="error"/> saying what is wrong, starting with the tensor's name.
        /// </summary>
        public static int CheckTensor(string name, string dtype, long[] shape, long[] offsets, int dataLength, out string? error)
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

            if (offsets.Length == 2 && offsets[1] > dataLength)
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
                    $"'{name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape [{string.Join(", ", shape)}] of {dtype} in {dataLength} bytes of data");
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
        /// The NAMEs of the tensors NAME.weight, in natural order ("0", "2", "10"); null, with the name in
        /// <paramref name="notLinear"/>, when a tensor is neither a weight nor a bias.
        /// </summary>
        public static List<string>? LinearLayerNames(IEnumerable<string> tensorNames, out string? notLinear)
        {
            notLinear = tensorNames.FirstOrDefault(n => !n.EndsWith(WeightSuffix, StringComparison.Ordinal) && !n.EndsWith(BiasSuffix, StringComparison.Ordinal));
            if (notLinear is not null)
            {
                return null;
            }

            return tensorNames
                .Where(n => n.EndsWith(WeightSuffix, StringComparison.Ordinal))
                .Select(n => n.Substring(0, n.Length - WeightSuffix.Length))
                .OrderBy(n => n, NaturalOrder.Instance)
                .ToList();
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
