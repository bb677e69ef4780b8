using System;
using System.Collections.Generic;
using System.Linq;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// Reads a safetensors file of <c>nn.Linear</c> layers by the runtime's Safetensors.Import rules, through
    /// the same shared reader (<see cref="SafetensorsFormat"/>): every tensor is some NAME.weight [out, in] or
    /// NAME.bias [out] in F32, F64, F16 or BF16, a missing bias is zeros, and the layers are the NAMEs in natural order;
    /// or, where the declaration names its layers (WeightsLayers), those NAMEs only, and no other tensor is read.
    /// </summary>
    internal static class SafetensorsReader
    {
        public static WeightsData Read(byte[] file, IReadOnlyList<string>? layerNames = null)
        {
            Dictionary<string, SafetensorsEntry> tensors = SafetensorsFormat.ReadHeader(file, out int dataStart, out string? error)
                ?? throw new WeightsReadException(NotSafetensors(error!));
            IReadOnlyList<string> names = layerNames
                ?? SafetensorsFormat.LinearLayerNames(tensors.Keys, out error)
                ?? throw new WeightsReadException(error! + "; name the layers to bake with WeightsLayers");

            var layers = new List<FileLayer>();
            var dtypes = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string name in names)
            {
                if (!tensors.TryGetValue(name + ".weight", out SafetensorsEntry? weight))
                {
                    throw new WeightsReadException($"it has no tensor '{name}.weight' for the layer WeightsLayers names '{name}'");
                }

                if (SafetensorsFormat.ReadableProblem(weight) is { } unreadable)
                {
                    throw new WeightsReadException(unreadable);
                }

                if (weight.Shape.Length != 2 || weight.Shape[0] > int.MaxValue || weight.Shape[1] > int.MaxValue)
                {
                    throw new WeightsReadException($"'{name}.weight' has shape [{string.Join(", ", weight.Shape)}], which is not a linear layer's [out, in]");
                }

                int rows = (int)weight.Shape[0];
                int columns = (int)weight.Shape[1];
                double[] biases = new double[rows];
                if (tensors.TryGetValue(name + ".bias", out SafetensorsEntry? bias))
                {
                    if (SafetensorsFormat.ReadableProblem(bias) is { } unreadableBias)
                    {
                        throw new WeightsReadException(unreadableBias);
                    }

                    if (bias.Shape.Length != 1 || bias.Shape[0] != rows)
                    {
                        throw new WeightsReadException($"'{name}.bias' has shape [{string.Join(", ", bias.Shape)}], but '{name}.weight' has {rows} rows");
                    }

                    biases = SafetensorsFormat.ReadValues(file, dataStart, bias);
                    dtypes.Add(bias.DType);
                }

                dtypes.Add(weight.DType);
                layers.Add(new FileLayer("'" + name + "'", rows, columns, Record: null, SafetensorsFormat.ReadValues(file, dataStart, weight), biases));
            }

            return new WeightsData("safetensors, " + string.Join("/", dtypes), InputCount: null, layers);
        }

        // Any file that is not NNGW comes here, so a wrong header length usually means "not safetensors either".
        private static string NotSafetensors(string error) =>
            error.StartsWith("its first 8 bytes", StringComparison.Ordinal)
                ? "it is neither an NnGen weights file nor a safetensors file: " + error
                : error;
    }
}
