using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NnGen
{
    /// <summary>
    /// Imports the weights of a PyTorch stack of <c>nn.Linear</c> layers from a <c>.safetensors</c> file
    /// (<c>safetensors.torch.save_file(model.state_dict(), path)</c>). Layer l takes the tensors
    /// <c>NAME.weight</c>, shape [out, in] (PyTorch's layout, which is NnGen's row by row), and
    /// <c>NAME.bias</c>, shape [out]; a missing bias (<c>bias=False</c>) imports as zeros. Without
    /// explicit names the layers are the NAMEs in natural order ("0", "2", "10"; "fc1", "fc2").
    /// Every shape is checked before any parameter is written.
    /// </summary>
    public static class Safetensors
    {
        /// <summary>Imports the file at <paramref name="path"/>.</summary>
        /// <exception cref="WeightsFormatException">The file is malformed or does not fit the network; nothing was changed.</exception>
        public static void Import<T>(INetwork<T> network, string path, IReadOnlyList<string>? layerNames = null)
            where T : unmanaged =>
            Import(network, File.ReadAllBytes(path), layerNames, Path.GetFileName(path));

        /// <summary>Imports from <paramref name="stream"/>.</summary>
        /// <exception cref="WeightsFormatException">The data is malformed or does not fit the network; nothing was changed.</exception>
        public static void Import<T>(INetwork<T> network, Stream stream, IReadOnlyList<string>? layerNames = null)
            where T : unmanaged
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            Import(network, buffer.ToArray(), layerNames, "the safetensors stream");
        }

        private static void Import<T>(INetwork<T> network, byte[] file, IReadOnlyList<string>? layerNames, string source)
            where T : unmanaged
        {
            Dictionary<string, TensorInfo> tensors = ReadHeader(file, source, out int dataStart);
            NetworkArchitecture architecture = network.Architecture;
            IReadOnlyList<string> names = layerNames ?? InferLayerNames(tensors, source);
            if (names.Count != architecture.Layers.Count)
            {
                throw new WeightsFormatException(
                    $"{source} has {names.Count} linear layers ({string.Join(", ", names)}), but this network has {architecture.Layers.Count}.");
            }

            var values = new double[architecture.ParameterCount];
            int at = 0;
            for (int l = 0; l < names.Count; l++)
            {
                int rows = architecture.Layers[l].Size;
                int columns = architecture.FanIn(l);
                string weightName = names[l] + ".weight";
                if (!tensors.TryGetValue(weightName, out TensorInfo weight))
                {
                    throw new WeightsFormatException($"{source} has no tensor '{weightName}' for layer {l + 1}.");
                }

                RequireShape(weight, weightName, l, new long[] { rows, columns }, source);
                weight.CopyTo(file, dataStart, values.AsSpan(at, rows * columns));
                at += rows * columns;

                string biasName = names[l] + ".bias";
                if (tensors.TryGetValue(biasName, out TensorInfo bias))
                {
                    RequireShape(bias, biasName, l, new long[] { rows }, source);
                    bias.CopyTo(file, dataStart, values.AsSpan(at, rows));
                }

                at += rows;
            }

            // Every check has passed: only now are the parameters written.
            Span<T> parameters = network.Parameters;
            for (int i = 0; i < values.Length; i++)
            {
                parameters[i] = Numbers.FromDouble<T>(values[i]);
            }

            network.ClearGradients();
        }

        private static Dictionary<string, TensorInfo> ReadHeader(byte[] file, string source, out int dataStart)
        {
            if (file.Length < 8)
            {
                throw new WeightsFormatException($"{source} is truncated: {file.Length} bytes cannot hold a safetensors header.");
            }

            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
            if (headerLength > (ulong)(file.Length - 8))
            {
                throw new WeightsFormatException($"{source} is truncated: its header length {headerLength} exceeds the {file.Length - 8} bytes that follow.");
            }

            dataStart = 8 + (int)headerLength;
            int dataLength = file.Length - dataStart;
            var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
            try
            {
                using JsonDocument header = JsonDocument.Parse(new ReadOnlyMemory<byte>(file, 8, (int)headerLength));
                if (header.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new WeightsFormatException($"{source} has a header that is not a JSON object.");
                }

                foreach (JsonProperty property in header.RootElement.EnumerateObject())
                {
                    if (property.Name == "__metadata__")
                    {
                        continue;
                    }

                    tensors[property.Name] = TensorInfo.Read(property, dataLength, source);
                }
            }
            catch (JsonException e)
            {
                throw new WeightsFormatException($"{source} has a header that is not valid JSON: {e.Message}");
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                // A missing field, a string where a number belongs, a fractional offset.
                throw new WeightsFormatException($"{source} has a header of an unexpected form: {e.Message}");
            }

            return tensors;
        }

        private static IReadOnlyList<string> InferLayerNames(Dictionary<string, TensorInfo> tensors, string source) =>
            SafetensorsFormat.LinearLayerNames(tensors.Keys, out string? notLinear)
            ?? throw new WeightsFormatException(
                $"{source} holds '{notLinear}', which is not a linear layer's weight or bias; pass the layer names to import only those.");

        private static void RequireShape(TensorInfo tensor, string name, int layer, long[] expected, string source)
        {
            if (!tensor.Shape.SequenceEqual(expected))
            {
                throw new WeightsFormatException(
                    $"{source}: '{name}' has shape [{string.Join(", ", tensor.Shape)}], but layer {layer + 1} of this network needs [{string.Join(", ", expected)}].");
            }
        }

        private readonly struct TensorInfo
        {
            private TensorInfo(int elementSize, long[] shape, long begin)
            {
                ElementSize = elementSize;
                Shape = shape;
                Begin = begin;
            }

            public int ElementSize { get; }

            public long[] Shape { get; }

            public long Begin { get; }

            public static TensorInfo Read(JsonProperty property, int dataLength, string source)
            {
                JsonElement value = property.Value;
                string dtype = value.GetProperty("dtype").GetString() ?? string.Empty;
                long[] shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                long[] offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                int elementSize = SafetensorsFormat.CheckTensor(property.Name, dtype, shape, offsets, dataLength, out string? error);
                return elementSize > 0 ? new TensorInfo(elementSize, shape, offsets[0]) : throw new WeightsFormatException($"{source}: {error}.");
            }

            public void CopyTo(byte[] file, int dataStart, Span<double> destination) =>
                SafetensorsFormat.ReadValues(file.AsSpan(dataStart + (int)Begin), ElementSize, destination);
        }
    }
}
