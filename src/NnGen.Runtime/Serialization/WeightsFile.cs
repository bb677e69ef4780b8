using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace NnGen
{
    /// <summary>
    /// Saves and loads a network's parameters in NnGen's compact binary format. Loading checks
    /// everything (format, length, checksum, and that the file's architecture is the network's)
    /// before it writes a single parameter, so a bad file leaves the network as it was.
    /// </summary>
    /// <remarks>
    /// The format, all little-endian:
    /// <code>
    /// offset  size  field
    ///      0     4  magic "NNGW"
    ///      4     2  format version (1)
    ///      6     1  precision: 0 float32, 1 float64
    ///      7     1  cost (the Cost enum value)
    ///      8     4  input count N(0)
    ///     12     4  layer count L
    ///     16  40·L  per layer: size (int32), activation (uint8), 3 reserved zero bytes,
    ///               alpha, max, steepness, midpoint (float64 each)
    ///      …     4  parameter count P
    ///      …  P·4|8 parameters in the flat layout of Parameters, in the file's precision
    ///      …     4  CRC-32 (IEEE) of every byte before it
    /// </code>
    /// A file of one precision loads into a network of the other: float into double exactly, double
    /// into float rounded to nearest.
    /// </remarks>
    public static class WeightsFile
    {
        /// <summary>The current format version.</summary>
        public const ushort Version = NngwFormat.Version;

        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("NNGW");

        /// <summary>
        /// Writes the parameters of <paramref name="network"/> to <paramref name="path"/>, replacing the file there in one
        /// step: the path holds either its old file or the whole new one, even if the process dies or the disk fills while
        /// it saves (the bytes go to a temporary file beside it first, <c>.NAME.RANDOM.tmp</c>, which a process that dies
        /// leaves behind).
        /// </summary>
        /// <exception cref="ArgumentException">A parameter is NaN or infinite (a diverged network); nothing is written.</exception>
        public static void Save<T>(IInferenceNetwork<T> network, string path)
            where T : unmanaged
        {
            byte[] bytes = Serialize(network);
            AtomicFile.WriteAllBytes(path, bytes);
        }

        /// <summary>Writes the parameters of <paramref name="network"/> to <paramref name="stream"/>.</summary>
        /// <exception cref="ArgumentException">A parameter is NaN or infinite (a diverged network); nothing is written.</exception>
        public static void Save<T>(IInferenceNetwork<T> network, Stream stream)
            where T : unmanaged
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            byte[] bytes = Serialize(network);
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>
        /// Writes the text form of the weights file that the generator bakes from: one header line, then the
        /// file's bytes in base64. Projects built with MSBuild never need this, because NnGen's build targets
        /// make that copy of every .nngw item of AdditionalFiles; Unity does not run them, so there save with
        /// this to a file named like <c>Digits.NnGen.Generator.additionalfile</c> under Assets and declare
        /// <c>Weights = "Digits.NnGen.Generator.additionalfile"</c>.
        /// </summary>
        /// <remarks>The file is replaced in one step, as <see cref="Save{T}(IInferenceNetwork{T}, string)"/> replaces it.</remarks>
        public static void SaveForBaking<T>(IInferenceNetwork<T> network, string path)
            where T : unmanaged =>
            AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToBakingText(Serialize(network))));

        /// <summary>The text form of a weights file (or of a safetensors file) that the generator bakes from.</summary>
        public static string ToBakingText(byte[] file)
        {
            if (file is null)
            {
                throw new ArgumentNullException(nameof(file));
            }

            return BakingText.Encode(file);
        }

        /// <summary>Replaces the parameters of <paramref name="network"/> with those in the file, and clears its gradients.</summary>
        /// <remarks>
        /// A file longer than any weights file of this network (a float64 one) is rejected after its header is read,
        /// so a wrong file (a data set, another network's weights) is never read whole.
        /// </remarks>
        /// <exception cref="WeightsFormatException">The file is not a valid weights file for this network; nothing was changed.</exception>
        public static void Load<T>(INetwork<T> network, string path)
            where T : unmanaged
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Load(network, stream, Path.GetFileName(path));
        }

        /// <summary>Replaces the parameters of <paramref name="network"/> with those read from <paramref name="stream"/>, and clears its gradients.</summary>
        /// <remarks>
        /// Reads at most one byte more than the longest weights file of this network (a float64 one), so a stream that
        /// is too long, or never ends, is rejected without being read to its end.
        /// </remarks>
        /// <exception cref="WeightsFormatException">The data is not a valid weights file for this network; nothing was changed.</exception>
        public static void Load<T>(INetwork<T> network, Stream stream)
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

            Load(network, stream, "the weights stream");
        }

        private static void Load<T>(INetwork<T> network, Stream stream, string source)
            where T : unmanaged
        {
            NetworkArchitecture expected = network.Architecture;
            long longest = NngwFormat.FileLength(expected.Layers.Count, expected.ParameterCount, elementSize: 8);
            byte[] file = BoundedRead.ReadAtMost(stream, longest, out bool longer);
            if (longer)
            {
                // What the header says it holds, where the start of the data is a weights file's header; else what is
                // wrong with its start (most often: it is not a weights file at all, but a data set named by mistake).
                NngwContents? header = NngwFormat.TryReadHeader(file, out string? notHeader);
                string holds = header is null
                    ? ", and it " + notHeader
                    : FormattableString.Invariant($", and its header says it holds weights for {Describe(header)}");
                throw new WeightsFormatException(FormattableString.Invariant(
                    $"{source} is longer than {longest} bytes, the most a weights file for this network ({expected}) can have{holds}; nothing was loaded."));
            }

            Load(network, file, source);
        }

        /// <summary>Reads the architecture stored in a weights file, checking the whole file.</summary>
        public static NetworkArchitecture ReadArchitecture(ReadOnlySpan<byte> file) => Parse(file, "the weights data").Architecture;

        // A file of a parameter that is NaN or infinite could be neither loaded nor baked: say so when it is written.
        internal static void RequireFinite<T>(ReadOnlySpan<T> parameters, string name)
            where T : unmanaged
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                double value = Numbers.ToDouble(parameters[i]);
                if (!NumericLimits.IsFinite(value, asSingle: false))
                {
                    throw new ArgumentException(FormattableString.Invariant(
                        $"Parameter {i} of the network is {value}: a network with it gives NaN or infinite outputs, and a weights file of it could be neither loaded nor baked. Nothing was written."), name);
                }
            }
        }

        /// <summary>The bytes of the weights file of <paramref name="network"/>.</summary>
        /// <exception cref="ArgumentException">A parameter is NaN or infinite.</exception>
        public static byte[] Serialize<T>(IInferenceNetwork<T> network)
            where T : unmanaged
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            RequireFinite(network.Parameters, nameof(network));
            NetworkArchitecture architecture = network.Architecture;
            int elementSize = typeof(T) == typeof(float) ? 4 : 8;
            int headerSize = (int)NngwFormat.HeaderSize(architecture.Layers.Count);
            var bytes = new byte[NngwFormat.FileLength(architecture.Layers.Count, network.ParameterCount, elementSize)];
            Span<byte> span = bytes;

            Magic.CopyTo(span);
            BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(4), Version);
            span[6] = (byte)(elementSize == 4 ? Precision.Single : Precision.Double);
            span[7] = (byte)architecture.Cost;
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(8), architecture.InputCount);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(12), architecture.Layers.Count);
            int at = NngwFormat.FixedHeaderSize;
            foreach (LayerArchitecture layer in architecture.Layers)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span.Slice(at), layer.Size);
                span[at + 4] = (byte)layer.Activation;
                WriteDouble(span.Slice(at + 8), layer.Alpha);
                WriteDouble(span.Slice(at + 16), layer.Max);
                WriteDouble(span.Slice(at + 24), layer.Steepness);
                WriteDouble(span.Slice(at + 32), layer.Midpoint);
                at += NngwFormat.LayerRecordSize;
            }

            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(at), network.ParameterCount);
            at += 4;
            WriteLittleEndian(network.Parameters, span.Slice(at));
            at += network.ParameterCount * elementSize;

            BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(at), Crc32.Hash(span.Slice(0, at)));
            return bytes;
        }

        private static void Load<T>(INetwork<T> network, ReadOnlySpan<byte> file, string source)
            where T : unmanaged
        {
            (NetworkArchitecture architecture, NngwContents contents) = Parse(file, source);
            NetworkArchitecture expected = network.Architecture;
            if (!architecture.HasSameShape(expected))
            {
                throw new WeightsFormatException(
                    $"{source} holds weights for {architecture}, but this network is {expected}; nothing was loaded.");
            }

            for (int i = 0; i < contents.ParameterCount; i++)
            {
                double value = contents.Parameter(file, i);

                // NaN or infinity makes every output NaN; Save refuses to write it, as Safetensors.Import and baking refuse to read it.
                if (!NumericLimits.IsFinite(value, asSingle: false))
                {
                    throw new WeightsFormatException(FormattableString.Invariant(
                        $"{source} holds {value} at parameter {i}: a network with it gives NaN or infinite outputs. Nothing was loaded."));
                }

                // A float64 file loaded into a float network: a finite value past float's range would become infinity.
                if (typeof(T) == typeof(float) && NumericLimits.OverflowsSingle(value))
                {
                    throw new WeightsFormatException(FormattableString.Invariant(
                        $"{source} holds {value:R} at parameter {i}, beyond the range of float; load it into a double network. Nothing was loaded."));
                }
            }

            // Every check has passed: only now are the parameters written.
            Span<T> parameters = network.Parameters;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] = Numbers.FromDouble<T>(contents.Parameter(file, i));
            }

            network.ClearGradients();
        }

        private static (NetworkArchitecture Architecture, NngwContents Contents) Parse(ReadOnlySpan<byte> file, string source)
        {
            NngwContents contents = NngwFormat.TryRead(file, out string? error)
                ?? throw new WeightsFormatException($"{source} {error}.");
            return (Describe(contents), contents);
        }

        private static NetworkArchitecture Describe(NngwContents contents)
        {
            var layers = new LayerArchitecture[contents.Layers.Length];
            for (int l = 0; l < layers.Length; l++)
            {
                LayerSpec layer = contents.Layers[l];
                layers[l] = new LayerArchitecture(layer.Size, (Activation)layer.Activation, layer.Alpha, layer.Max, layer.Steepness, layer.Midpoint);
            }

            return new NetworkArchitecture(contents.InputCount, (Cost)contents.Cost, (Precision)contents.Precision, layers);
        }

        /// <summary>
        /// <paramref name="values"/> in their own precision, little-endian, into the start of <paramref name="destination"/>:
        /// 4 bytes each for float, 8 for double (the parameters of an NNGW file, and of an F32 or F64 safetensors file).
        /// </summary>
        internal static void WriteLittleEndian<T>(ReadOnlySpan<T> values, Span<byte> destination)
            where T : unmanaged
        {
            bool single = typeof(T) == typeof(float);
            for (int i = 0; i < values.Length; i++)
            {
                if (single)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(i * 4), BitConverter.SingleToInt32Bits((float)Numbers.ToDouble(values[i])));
                }
                else
                {
                    WriteDouble(destination.Slice(i * 8), Numbers.ToDouble(values[i]));
                }
            }
        }

        private static void WriteDouble(Span<byte> destination, double value) =>
            BinaryPrimitives.WriteInt64LittleEndian(destination, BitConverter.DoubleToInt64Bits(value));
    }
}
