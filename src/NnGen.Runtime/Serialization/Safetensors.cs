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
    /// The layers' tensors may be F32, F64, F16 or BF16 (<c>model.half()</c>, <c>model.bfloat16()</c>): every value
    /// of those is exactly a float, so it imports exactly. Tensors that are not read may be of any dtype (a
    /// BatchNorm's I64 count). Every shape is checked before any parameter is written.
    /// </summary>
    public static partial class Safetensors
    {
        // How much of the data is read at a time: a multiple of both element sizes.
        private const int ChunkLength = 64 * 1024;

        /// <summary>Imports the file at <paramref name="path"/>.</summary>
        /// <remarks>
        /// The header is read first and says where each tensor lies: a file that is not safetensors, or a header length
        /// past the format's 100 MB limit, is rejected from its first 8 bytes, and only the tensors of the network's layers
        /// are read, so importing a small head from a checkpoint of gigabytes reads and allocates about the head's size.
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
            Import(network, stream, layerNames, Path.GetFileName(path));
        }

        /// <summary>
        /// Imports from <paramref name="stream"/>, from its position. A stream that can seek is read for the header and the
        /// network's tensors only; another is read forward to one byte past the last tensor and no further.
        /// </summary>
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

            Import(network, stream, layerNames, "the safetensors stream");
        }

        private static void Import<T>(INetwork<T> network, Stream stream, IReadOnlyList<string>? layerNames, string source)
            where T : unmanaged
        {
            Dictionary<string, SafetensorsEntry> tensors = ReadHeader(stream, source, out long dataStart, out long dataEnd);
            NetworkArchitecture architecture = network.Architecture;
            IReadOnlyList<string> names = layerNames
                ?? SafetensorsFormat.LinearLayerNames(tensors.Keys, out string? error)
                ?? throw new WeightsFormatException($"{source}: {error}; pass the layer names to import only those.");
            if (names.Count != architecture.Layers.Count)
            {
                throw new WeightsFormatException(
                    $"{source} has {names.Count} linear layers ({string.Join(", ", names)}), but this network has {architecture.Layers.Count}.");
            }

            // Every name and shape is checked from the header before any data is read.
            var reads = new List<TensorRead>();
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
                reads.Add(new TensorRead(weight, at));
                at += rows * columns;

                string biasName = names[l] + ".bias";
                if (tensors.TryGetValue(biasName, out SafetensorsEntry? bias))
                {
                    RequireShape(bias, biasName, l, new long[] { rows }, source);
                    reads.Add(new TensorRead(bias, at));
                }

                at += rows;
            }

            double[] values = stream.CanSeek
                ? ReadTensors(stream, source, dataStart, reads, architecture.ParameterCount)
                : ReadTensorsForward(stream, source, dataEnd, reads, architecture.ParameterCount);

            // A value the network's type cannot hold would load as infinity or NaN: not what the file says.
            bool single = typeof(T) == typeof(float);
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

        // One tensor the network takes, and where its values go among the parameters.
        private readonly struct TensorRead
        {
            public TensorRead(SafetensorsEntry tensor, int at)
            {
                Tensor = tensor;
                At = at;
            }

            public SafetensorsEntry Tensor { get; }

            public int At { get; }
        }

        // The header, read and checked before any data: it says how long the data is, so a wrong file or an endless
        // stream is never read whole. dataStart is the stream's position where the data begins (where it can seek).
        private static Dictionary<string, SafetensorsEntry> ReadHeader(Stream stream, string source, out long dataStart, out long dataEnd)
        {
            var file = new byte[8];
            int read = BoundedRead.ReadFully(stream, file, 0, 8);
            if (read < 8)
            {
                throw Malformed(source, file.AsSpan(0, read).ToArray());
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
                throw Malformed(source, file.AsSpan(0, 8 + read).ToArray());
            }

            Dictionary<string, SafetensorsEntry> tensors = SafetensorsFormat.ReadHeader(file, (int)headerLength, dataLength: -1, out dataEnd, out string? error)
                ?? throw new WeightsFormatException($"{source}: {error}.");
            dataStart = 0;
            if (stream.CanSeek)
            {
                // The stream says how much follows: it must be exactly what the header lays out.
                dataStart = stream.Position;
                long available = Math.Max(0, stream.Length - dataStart);
                if (available > dataEnd)
                {
                    throw MoreFollows(source, dataEnd);
                }

                if (available < dataEnd)
                {
                    // The header's own check names the first tensor that the data cuts short.
                    SafetensorsFormat.ReadHeader(file, (int)headerLength, available, out _, out error);
                    throw new WeightsFormatException($"{source}: {error}.");
                }
            }

            return tensors;
        }

        // A file too short for its header, described by the same checks as every other file.
        private static WeightsFormatException Malformed(string source, byte[] file)
        {
            SafetensorsFormat.ReadHeader(file, out _, out string? error);
            return new WeightsFormatException($"{source}: {error}.");
        }

        // The network's parameters from the tensors in `reads`, read where they lie, a chunk at a time. The header check
        // found the stream exactly as long as the header says, so the values' array is sized by the network, not by a
        // claim of the file.
        private static double[] ReadTensors(Stream stream, string source, long dataStart, List<TensorRead> reads, int parameterCount)
        {
            var values = new double[parameterCount];
            var chunk = new byte[ChunkLength];
            foreach (TensorRead read in reads)
            {
                SafetensorsEntry tensor = read.Tensor;
                stream.Position = dataStart + tensor.Begin;
                Span<double> destination = values.AsSpan(read.At, tensor.Count);
                int bytes = tensor.Count * tensor.ElementSize;
                for (int done = 0; done < bytes; done += ChunkLength)
                {
                    int length = Math.Min(ChunkLength, bytes - done);
                    if (BoundedRead.ReadFully(stream, chunk, 0, length) < length)
                    {
                        throw new WeightsFormatException($"{source} changed while it was read: it ends inside '{tensor.Name}'.");
                    }

                    SafetensorsFormat.ReadValues(chunk.AsSpan(0, length), tensor, destination.Slice(done / tensor.ElementSize, length / tensor.ElementSize));
                }
            }

            return values;
        }

        // The same from a stream that cannot seek: read forward in the order the tensors lie, through the tensors it skips,
        // then to one byte past the last tensor, which must not be there. Each tensor's bytes are kept as they arrive, in
        // arrays that grow with them, and the parameters' array is made only once all have come: a short stream whose
        // header claims a large network's tensors allocates about what it holds.
        private static double[] ReadTensorsForward(Stream stream, string source, long dataEnd, List<TensorRead> reads, int parameterCount)
        {
            reads.Sort((a, b) => a.Tensor.Begin.CompareTo(b.Tensor.Begin));
            var chunk = new byte[ChunkLength];
            var bytesOf = new Dictionary<SafetensorsEntry, byte[]>();
            long position = 0;
            foreach (TensorRead read in reads)
            {
                SafetensorsEntry tensor = read.Tensor;
                if (bytesOf.ContainsKey(tensor))
                {
                    continue;   // two layers named the same tensor: it was just read
                }

                Skip(stream, chunk, tensor.Begin - position, source, position, dataEnd);
                int length = tensor.Count * tensor.ElementSize;
                byte[] bytes = BoundedRead.ReadUpTo(stream, length, ChunkLength);
                if (bytes.Length < length)
                {
                    throw Truncated(source, tensor.Begin + bytes.Length, dataEnd);
                }

                bytesOf.Add(tensor, bytes);
                position = tensor.End;
            }

            Skip(stream, chunk, dataEnd - position, source, position, dataEnd);
            if (stream.Read(chunk, 0, 1) > 0)
            {
                throw MoreFollows(source, dataEnd);
            }

            var values = new double[parameterCount];
            foreach (TensorRead read in reads)
            {
                SafetensorsFormat.ReadValues(bytesOf[read.Tensor], read.Tensor, values.AsSpan(read.At, read.Tensor.Count));
            }

            return values;
        }

        // Reads and drops `count` bytes of a stream that cannot seek, from `position` in the data.
        private static void Skip(Stream stream, byte[] chunk, long count, string source, long position, long dataEnd)
        {
            for (long done = 0; done < count;)
            {
                int got = BoundedRead.ReadFully(stream, chunk, 0, (int)Math.Min(chunk.Length, count - done));
                if (got == 0)
                {
                    throw Truncated(source, position + done, dataEnd);
                }

                done += got;
            }
        }

        private static WeightsFormatException Truncated(string source, long ended, long dataEnd) =>
            new(FormattableString.Invariant(
                $"{source} is truncated: its data ends at byte {ended}, but its tensors run to byte {dataEnd}."));

        private static WeightsFormatException MoreFollows(string source, long dataEnd) =>
            new(FormattableString.Invariant(
                $"{source}: its tensors end at byte {dataEnd} of the data, but more follows: the header length or an offset is wrong."));

        private static void RequireShape(SafetensorsEntry tensor, string name, int layer, long[] expected, string source)
        {
            if (SafetensorsFormat.ReadableProblem(tensor) is { } problem)
            {
                throw new WeightsFormatException($"{source}: {problem}.");
            }

            if (!tensor.Shape.SequenceEqual(expected))
            {
                throw new WeightsFormatException(
                    $"{source}: '{name}' has shape [{string.Join(", ", tensor.Shape)}], but layer {layer + 1} of this network needs [{string.Join(", ", expected)}].");
            }
        }
    }
}
