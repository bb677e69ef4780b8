using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

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
            Dictionary<string, SafetensorsEntry> tensors = SafetensorsFormat.ReadHeader(file, out int dataStart, out string? error)
                ?? throw new WeightsFormatException($"{source}: {error}.");
            NetworkArchitecture architecture = network.Architecture;
            IReadOnlyList<string> names = layerNames
                ?? SafetensorsFormat.LinearLayerNames(tensors.Keys, out error)
                ?? throw new WeightsFormatException($"{source}: {error}; pass the layer names to import only those.");
            if (names.Count != architecture.Layers.Count)
            {
                throw new WeightsFormatException(
                    $"{source} has {names.Count} linear layers ({string.Join(", ", names)}), but this network has {architecture.Layers.Count}.");
            }

            bool single = typeof(T) == typeof(float);
            var values = new double[architecture.ParameterCount];
            int at = 0;
            for (int l = 0; l < names.Count; l++)
            {
                int rows = architecture.Layers[l].Size;
                int columns = architecture.FanIn(l);
                string weightName = names[l] + ".weight";
                if (!tensors.TryGetValue(weightName, out SafetensorsEntry? weight))
                {
                    throw new WeightsFormatException($"{source} has no tensor '{weightName}' for layer {l + 1}.");
                }

                RequireShape(weight, weightName, l, new long[] { rows, columns }, source);
                SafetensorsFormat.ReadValues(file, dataStart, weight, values.AsSpan(at, rows * columns));
                at += rows * columns;

                string biasName = names[l] + ".bias";
                if (tensors.TryGetValue(biasName, out SafetensorsEntry? bias))
                {
                    RequireShape(bias, biasName, l, new long[] { rows }, source);
                    SafetensorsFormat.ReadValues(file, dataStart, bias, values.AsSpan(at, rows));
                }

                at += rows;
            }

            // A value the network's type cannot hold would load as infinity or NaN: not what the file says.
            for (int i = 0; i < values.Length; i++)
            {
                if (!NumericLimits.IsFinite(values[i], single))
                {
                    throw new WeightsFormatException(FormattableString.Invariant(
                        $"{source} holds {values[i]:R} at parameter {i}, which a {(single ? "float" : "double")} network cannot hold as a finite number."));
                }
            }

            // Every check has passed: only now are the parameters written.
            Span<T> parameters = network.Parameters;
            for (int i = 0; i < values.Length; i++)
            {
                parameters[i] = Numbers.FromDouble<T>(values[i]);
            }

            network.ClearGradients();
        }

        private static void RequireShape(SafetensorsEntry tensor, string name, int layer, long[] expected, string source)
        {
            if (!tensor.Shape.SequenceEqual(expected))
            {
                throw new WeightsFormatException(
                    $"{source}: '{name}' has shape [{string.Join(", ", tensor.Shape)}], but layer {layer + 1} of this network needs [{string.Join(", ", expected)}].");
            }
        }
    }
}
