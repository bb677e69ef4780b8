using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace NnGen
{
    public static partial class Safetensors
    {
        /// <summary>
        /// Writes the parameters of <paramref name="network"/> as a safetensors file that PyTorch loads into the same stack
        /// of <c>nn.Linear</c> layers (<c>model.load_state_dict(safetensors.torch.load_file(path))</c>), and
        /// <see cref="Import{T}(INetwork{T}, string, IReadOnlyList{string})"/> loads back to the same bits. The path is
        /// replaced in one step, as <see cref="WeightsFile.Save{T}(IInferenceNetwork{T}, string)"/> replaces it.
        /// </summary>
        /// <param name="network">The network; float networks write F32 tensors, double networks F64.</param>
        /// <param name="path">Where to write the file.</param>
        /// <param name="layerNames">
        /// The NAME of each layer, first to last, for its tensors NAME.weight [out, in] and NAME.bias [out]. By default
        /// "0", "2", "4", …: the indices of the linear layers of <c>nn.Sequential(Linear, activation, Linear, …)</c>.
        /// </param>
        /// <exception cref="ArgumentException">A parameter is NaN or infinite, or the names are not one distinct, non-empty
        /// name per layer; nothing is written.</exception>
        public static void Export<T>(IInferenceNetwork<T> network, string path, IReadOnlyList<string>? layerNames = null)
            where T : unmanaged
        {
            byte[] header = Header(network, layerNames);
            AtomicFile.Write(path, stream => Write(stream, header, network));
        }

        /// <summary>Writes the safetensors file of <paramref name="network"/> to <paramref name="stream"/>, as <see cref="Export{T}(IInferenceNetwork{T}, string, IReadOnlyList{string})"/> does to a path.</summary>
        /// <exception cref="ArgumentException">A parameter is NaN or infinite, or the names are not one distinct, non-empty
        /// name per layer; nothing is written.</exception>
        public static void Export<T>(IInferenceNetwork<T> network, Stream stream, IReadOnlyList<string>? layerNames = null)
            where T : unmanaged
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            Write(stream, Header(network, layerNames), network);
        }

        // The 8-byte header length and the JSON header, padded with spaces so that the data starts at a multiple of 8 bytes
        // (as safetensors writes it), after every check: what is written after it cannot fail for the network's sake.
        private static byte[] Header<T>(IInferenceNetwork<T> network, IReadOnlyList<string>? layerNames)
            where T : unmanaged
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            NetworkArchitecture architecture = network.Architecture;
            string[] names = ExportNames(architecture.Layers.Count, layerNames);
            WeightsFile.RequireFinite(network.Parameters, nameof(network));

            bool single = typeof(T) == typeof(float);
            int elementSize = single ? 4 : 8;
            var header = new StringBuilder();
            header.Append("{\"__metadata__\":{\"format\":\"pt\",\"nngen\":");
            AppendJsonString(header, architecture.ToString());
            header.Append('}');
            long offset = 0;
            for (int l = 0; l < names.Length; l++)
            {
                int rows = architecture.Layers[l].Size;
                int columns = architecture.FanIn(l);
                offset = AppendTensor(header, names[l] + ".weight", single, new long[] { rows, columns }, offset, (long)rows * columns * elementSize);
                offset = AppendTensor(header, names[l] + ".bias", single, new long[] { rows }, offset, (long)rows * elementSize);
            }

            header.Append('}');
            byte[] json = new UTF8Encoding(false).GetBytes(header.ToString());
            int padded = (json.Length + 7) / 8 * 8;
            var bytes = new byte[8 + padded];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
            json.CopyTo(bytes, 8);
            bytes.AsSpan(8 + json.Length).Fill((byte)' ');
            return bytes;
        }

        // The header, then the data a chunk at a time: the flat layout of Parameters is W(1) row by row, b(1), W(2), …,
        // the tensors' order in the header, so a network of any size is written through a buffer of 64 KB.
        private static void Write<T>(Stream stream, byte[] header, IInferenceNetwork<T> network)
            where T : unmanaged
        {
            stream.Write(header, 0, header.Length);
            int elementSize = typeof(T) == typeof(float) ? 4 : 8;
            var chunk = new byte[ChunkLength];
            int perChunk = ChunkLength / elementSize;
            for (int start = 0; start < network.ParameterCount; start += perChunk)
            {
                ReadOnlySpan<T> parameters = network.Parameters.Slice(start, Math.Min(perChunk, network.ParameterCount - start));
                WeightsFile.WriteLittleEndian(parameters, chunk);
                stream.Write(chunk, 0, parameters.Length * elementSize);
            }
        }

        private static string[] ExportNames(int layerCount, IReadOnlyList<string>? layerNames)
        {
            if (layerNames is null)
            {
                var indices = new string[layerCount];
                for (int l = 0; l < layerCount; l++)
                {
                    indices[l] = (2 * l).ToString(CultureInfo.InvariantCulture);
                }

                return indices;
            }

            if (layerNames.Count != layerCount)
            {
                throw new ArgumentException($"layerNames holds {layerNames.Count} names, but the network has {layerCount} layers.", nameof(layerNames));
            }

            var names = new string[layerCount];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int l = 0; l < layerCount; l++)
            {
                string name = layerNames[l];
                if (string.IsNullOrEmpty(name))
                {
                    throw new ArgumentException($"layerNames[{l}] is {(name is null ? "null" : "empty")}; each layer needs a name for its tensors NAME.weight and NAME.bias.", nameof(layerNames));
                }

                if (HasLoneSurrogate(name))
                {
                    throw new ArgumentException($"layerNames[{l}] holds half of a UTF-16 surrogate pair, which the file's UTF-8 header cannot hold.", nameof(layerNames));
                }

                if (!seen.Add(name))
                {
                    throw new ArgumentException($"layerNames names '{name}' twice; each layer's tensors need a name of their own.", nameof(layerNames));
                }

                names[l] = name;
            }

            return names;
        }

        private static bool HasLoneSurrogate(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(value[i]))
                {
                    return true;
                }
            }

            return false;
        }

        private static long AppendTensor(StringBuilder header, string name, bool single, long[] shape, long begin, long length)
        {
            header.Append(',');
            AppendJsonString(header, name);
            header.Append(":{\"dtype\":\"").Append(single ? "F32" : "F64").Append("\",\"shape\":[")
                .Append(string.Join(",", Array.ConvertAll(shape, d => d.ToString(CultureInfo.InvariantCulture))))
                .Append("],\"data_offsets\":[")
                .Append(begin.ToString(CultureInfo.InvariantCulture)).Append(',').Append((begin + length).ToString(CultureInfo.InvariantCulture))
                .Append("]}");
            return begin + length;
        }

        // A JSON string: quotes, backslashes and control characters escaped, everything else as it is (the header is UTF-8).
        private static void AppendJsonString(StringBuilder json, string value)
        {
            json.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"':
                        json.Append("\\\"");
                        break;
                    case '\\':
                        json.Append("\\\\");
                        break;
                    default:
                        if (c < ' ')
                        {
                            json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            json.Append(c);
                        }

                        break;
                }
            }

            json.Append('"');
        }
    }
}
