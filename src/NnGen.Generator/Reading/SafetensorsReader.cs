using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// Reads a safetensors file of <c>nn.Linear</c> layers by the runtime's Safetensors.Import rules:
    /// every tensor is some NAME.weight [out, in] or NAME.bias [out] in F32 or F64, a missing bias is
    /// zeros, and the layers are the NAMEs in natural order ("0", "2", "10").
    /// </summary>
    internal static class SafetensorsReader
    {
        public static WeightsData Read(byte[] file)
        {
            if (file.Length < 8)
            {
                throw new WeightsReadException(Invariant($"it is truncated: {file.Length} bytes cannot hold a safetensors header"));
            }

            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
            if (headerLength > (ulong)(file.Length - 8))
            {
                throw new WeightsReadException(Invariant($"it is neither an NnGen weights file nor a safetensors file: its first 8 bytes give a header length of {headerLength}, more than the {file.Length - 8} bytes that follow"));
            }

            int dataStart = 8 + (int)headerLength;
            int dataLength = file.Length - dataStart;
            object? header;
            try
            {
                header = MiniJson.Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file, 8, (int)headerLength));
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException or ArgumentException)
            {
                throw new WeightsReadException("its safetensors header is not valid JSON: " + e.Message);
            }

            if (header is not Dictionary<string, object?> entries)
            {
                throw new WeightsReadException("its safetensors header is not a JSON object");
            }

            List<string> names = SafetensorsFormat.LinearLayerNames(entries.Keys.Where(key => key != "__metadata__").ToList(), out string? notLinear)
                ?? throw new WeightsReadException($"it holds '{notLinear}', which is not a linear layer's weight or bias");
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> entry in entries)
            {
                if (entry.Key != "__metadata__")
                {
                    tensors[entry.Key] = Tensor.Read(entry.Key, entry.Value, file, dataStart, dataLength);
                }
            }

            if (names.Count == 0)
            {
                throw new WeightsReadException("it holds no tensor NAME.weight, so no linear layer");
            }

            var layers = new List<FileLayer>();
            var dtypes = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string name in names)
            {
                Tensor weight = tensors[name + ".weight"];
                if (weight.Shape.Length != 2 || weight.Shape[0] > int.MaxValue || weight.Shape[1] > int.MaxValue)
                {
                    throw new WeightsReadException($"'{name}.weight' has shape [{string.Join(", ", weight.Shape)}], which is not a linear layer's [out, in]");
                }

                int rows = (int)weight.Shape[0];
                int columns = (int)weight.Shape[1];
                double[] biases = new double[rows];
                if (tensors.TryGetValue(name + ".bias", out Tensor bias))
                {
                    if (bias.Shape.Length != 1 || bias.Shape[0] != rows)
                    {
                        throw new WeightsReadException($"'{name}.bias' has shape [{string.Join(", ", bias.Shape)}], but '{name}.weight' has {rows} rows");
                    }

                    biases = bias.Values;
                    dtypes.Add(bias.DType);
                }

                dtypes.Add(weight.DType);
                layers.Add(new FileLayer("'" + name + "'", rows, columns, record: null, weight.Values, biases));
            }

            foreach (string name in tensors.Keys.Where(n => n.EndsWith(".bias", StringComparison.Ordinal)))
            {
                if (!tensors.ContainsKey(name.Substring(0, name.Length - ".bias".Length) + ".weight"))
                {
                    throw new WeightsReadException($"it holds '{name}' without the weight of the same layer");
                }
            }

            return new WeightsData("safetensors, " + string.Join("/", dtypes), inputCount: null, layers);
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        private readonly struct Tensor
        {
            private Tensor(string dtype, long[] shape, double[] values)
            {
                DType = dtype;
                Shape = shape;
                Values = values;
            }

            public string DType { get; }

            public long[] Shape { get; }

            public double[] Values { get; }

            public static Tensor Read(string name, object? value, byte[] file, int dataStart, int dataLength)
            {
                if (value is not Dictionary<string, object?> fields
                    || !fields.TryGetValue("dtype", out object? dtypeValue) || dtypeValue is not string dtype
                    || !fields.TryGetValue("shape", out object? shapeValue) || shapeValue is not List<object?> shapeList
                    || !fields.TryGetValue("data_offsets", out object? offsetsValue) || offsetsValue is not List<object?> offsetsList)
                {
                    throw new WeightsReadException($"'{name}' in its header lacks a string dtype, a shape array or a data_offsets array");
                }

                long[] shape = Integers(shapeList, name, "shape");
                long[] offsets = Integers(offsetsList, name, "data_offsets");
                int elementSize = SafetensorsFormat.CheckTensor(name, dtype, shape, offsets, dataLength, out string? error);
                if (elementSize == 0)
                {
                    throw new WeightsReadException(error!);
                }

                var values = new double[(offsets[1] - offsets[0]) / elementSize];
                SafetensorsFormat.ReadValues(file.AsSpan(dataStart + (int)offsets[0]), elementSize, values);
                return new Tensor(dtype, shape, values);
            }

            private static long[] Integers(List<object?> list, string name, string field)
            {
                var result = new long[list.Count];
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonNumber number || number.AsInt64() is not long value)
                    {
                        throw new WeightsReadException($"'{name}' has a {field} that is not a list of integers");
                    }

                    result[i] = value;
                }

                return result;
            }
        }
    }
}
