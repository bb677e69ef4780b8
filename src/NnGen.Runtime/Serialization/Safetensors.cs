using System;
using System.Buffers.Binary;
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
        /// <remarks>
        /// The header is read first and says how long the file must be: a file that is not safetensors, or a header
        /// length past the format's 100 MB limit, is rejected from its first 8 bytes, and no more than one byte past the
        /// last tensor is ever read.
        /// </remarks>
        /// <exception cref="WeightsFormatException">The file is malformed or does not fit the network; nothing was changed.</exception>
        public static void Import<T>(INetwork<T> network, string path, IReadOnlyList<string>? layerNames = null)
            where T : unmanaged
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            string source = Path.GetFileName(path);
            Import(network, Read(stream, source), layerNames, source);
        }

        /// <summary>Imports from <paramref name="stream"/>, from its position; reads no further than one byte past the last tensor.</summary>
        /// <exception cref="WeightsFormatException">The data is malformed or does not fit the network; nothing was changed.</exception>
        public static void Import<T>(INetwork<T> network, Stream stream, IReadOnlyList<string>? layerNames = null)
            where T : unmanaged
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            const string source = "the safetensors stream";
            Import(network, Read(stream, source), layerNames, source);
        }

        // The file, read header first: its header says how long the data is, so a wrong file or an endless stream is
        // never read whole. What this returns is then checked in full; a file it cuts short is reported as truncated.
        private static byte[] Read(Stream stream, string source)
        {
            var file = new byte[8];
            int read = BoundedRead.ReadFully(stream, file, 0, 8);
            if (read < 8)
            {
                return file.AsSpan(0, read).ToArray();
            }

            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
            long left = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : long.MaxValue;
            if (headerLength > SafetensorsFormat.MaxHeaderLength || (long)headerLength > left)
            {
                string limit = (long)headerLength > left
                    ? FormattableString.Invariant($"more than the {left} bytes that follow")
                    : FormattableString.Invariant($"past the format's limit of {SafetensorsFormat.MaxHeaderLength}");
                throw new WeightsFormatException(FormattableString.Invariant(
                    $"{source}: its first 8 bytes give a header length of {headerLength}, {limit}: it is truncated or not a safetensors file."));
            }

            Array.Resize(ref file, 8 + (int)headerLength);
            read = BoundedRead.ReadFully(stream, file, 8, (int)headerLength);
            if (read < (int)headerLength)
            {
                return file.AsSpan(0, 8 + read).ToArray();
            }

            if (SafetensorsFormat.ReadHeader(file, (int)headerLength, dataLength: -1, out long dataEnd, out string? error) is null)
            {
                throw new WeightsFormatException($"{source}: {error}.");
            }

            int header = file.Length;
            if (stream.CanSeek)
            {
                // The stream says how much follows: read exactly that, into the file's own array, and never more than the
                // header asks for (a header that claims more than is there must not size the array).
                long available = Math.Max(0, stream.Length - stream.Position);
                if (available > dataEnd)
                {
                    throw MoreFollows(source, dataEnd);
                }

                Array.Resize(ref file, header + (int)available);
                read = BoundedRead.ReadFully(stream, file, header, (int)available);
                return read == available ? file : file.AsSpan(0, header + read).ToArray();
            }

            // A stream that cannot say its length is read in growing steps, up to one byte past the last tensor, so a
            // short stream whose header claims gigabytes allocates about what it holds.
            byte[] data = BoundedRead.ReadAtMost(stream, dataEnd, out bool longer);
            if (longer)
            {
                throw MoreFollows(source, dataEnd);
            }

            var whole = new byte[header + data.Length];
            file.CopyTo(whole, 0);
            data.CopyTo(whole, header);
            return whole;
        }

        private static WeightsFormatException MoreFollows(string source, long dataEnd) =>
            new(FormattableString.Invariant(
                $"{source}: its tensors end at byte {dataEnd} of the data, but more follows: the header length or an offset is wrong."));

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
