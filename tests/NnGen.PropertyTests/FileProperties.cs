using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using NnGen.Generator.Reading;
using NnGen.Testing;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Mutated weights files, safetensors files and CSV text: bit flips, truncation, header edits with the
    /// checksum or length fixed up, renamed and reshaped tensors, extreme numbers. Each load either gives
    /// exactly what the file says (checked against an independent decoding) or throws the documented
    /// exception with the network unchanged; the generator's reader agrees with the runtime's; and a small
    /// file never makes a loader allocate much more than its size. Fixed seeds.
    /// </summary>
    public sealed class FileProperties
    {
        private static readonly double[] Extremes = { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e39, -1e39, 3.4028235e38, 1e-46, double.Epsilon, -0.0, double.MaxValue, 0.5 };

        private static readonly byte[] FloatFile = WeightsFile.Serialize(Initialized(new FloatNet()));
        private static readonly byte[] DoubleFile = WeightsFile.Serialize(Initialized(new DoubleNet()));
        private static readonly byte[] Tensors = SafetensorsWriter.Write(
            new SafetensorsTensor("0.weight", "F32", new long[] { 4, 3 }, Pattern(12, 1)),
            new SafetensorsTensor("0.bias", "F32", new long[] { 4 }, Pattern(4, 2)),
            new SafetensorsTensor("2.weight", "F64", new long[] { 2, 4 }, Pattern(8, 3)),
            new SafetensorsTensor("2.bias", "F64", new long[] { 2 }, Pattern(2, 4)));

        // Offsets of the tensors above in the data section, in the network's layer order: an independent
        // decoding of what any accepted variant of the file must load.
        private static readonly (long Begin, int Count, int Size)[] TensorLayout = { (0, 12, 4), (48, 4, 4), (64, 8, 8), (128, 2, 8) };

        [Fact]
        public void Mutated_weights_files_load_exactly_or_are_rejected_with_nothing_changed()
        {
            Gen.Select(Gen.Int[0, 1], NngwMutation).Sample(
                c => CheckNngw(c.Item2(c.Item1 == 0 ? FloatFile : DoubleFile)),
                cases: 3000,
                stream: 1);
        }

        [Fact]
        public void A_weights_file_truncated_at_every_length_is_rejected()
        {
            foreach (byte[] file in new[] { FloatFile, DoubleFile })
            {
                for (int length = 0; length < file.Length; length++)
                {
                    Assert.False(CheckNngw(file.AsSpan(0, length).ToArray()), $"truncated to {length} bytes, it loaded");
                }
            }
        }

        [Fact]
        public void Mutated_safetensors_files_load_exactly_or_are_rejected_with_nothing_changed()
        {
            Assert.True(CheckSafetensors(Tensors), "the unmutated file must load");
            SafetensorsMutation.Sample(mutate => CheckSafetensors(mutate(Tensors)), cases: 3000, stream: 2);
        }

        // What Safetensors.Export writes, the generator bakes and Safetensors.Import loads, to the bit, for any finite
        // parameters (the format's edges included: −0, subnormals, the largest finite values), custom names or not.
        [Fact]
        public void Exported_safetensors_files_bake_and_import_to_the_parameters_written()
        {
            Gen<double> value = Gen.OneOf(Gen.Double[-1e3, 1e3], Gen.OneOf(-0.0, double.Epsilon, 1e-46, -1e-40, 3.4028235e38, double.MaxValue, -double.MaxValue));
            Gen.Select(Gen.Bool, value.Array[DoubleNet.ParameterCount], Gen.Bool).Sample(
                c =>
                {
                    (bool single, double[] values, bool named) = c;
                    string[]? names = named ? new[] { "encoder.fc", "head" } : null;
                    var stream = new MemoryStream();
                    double[] written;
                    if (single)
                    {
                        var net = new FloatNet();
                        float[] floats = values.Select(v => (float)v).Select(f => float.IsFinite(f) ? f : 1f).ToArray();
                        floats.CopyTo(net.Parameters);
                        Safetensors.Export(net, stream, names);
                        var back = new FloatNet();
                        Safetensors.Import(back, new MemoryStream(stream.ToArray()), names);
                        Assert.Equal(floats.Select(BitConverter.SingleToInt32Bits), back.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
                        written = floats.Select(f => (double)f).ToArray();
                    }
                    else
                    {
                        var net = new DoubleNet();
                        values.CopyTo(net.Parameters);
                        Safetensors.Export(net, stream, names);
                        var back = new DoubleNet();
                        Safetensors.Import(back, new MemoryStream(stream.ToArray()), names);
                        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), back.Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits));
                        written = values;
                    }

                    WeightsData baked = SafetensorsReader.Read(stream.ToArray(), names);
                    Assert.Equal(written.Select(BitConverter.DoubleToInt64Bits), baked.Layers.SelectMany(l => l.Weights.Concat(l.Biases)).Select(BitConverter.DoubleToInt64Bits));
                },
                cases: 500,
                stream: 4);
        }

        [Fact]
        public void A_safetensors_file_truncated_at_every_length_is_rejected()
        {
            for (int length = 0; length < Tensors.Length; length++)
            {
                Assert.False(CheckSafetensors(Tensors.AsSpan(0, length).ToArray()), $"truncated to {length} bytes, it loaded");
            }
        }

        [Fact]
        public void Random_csv_loads_exactly_or_is_rejected()
        {
            CsvText.Sample(text => { CheckCsv<float>(text); CheckCsv<double>(text); }, cases: 3000, stream: 3, print: text => text);
        }

        private static readonly Gen<Func<byte[], byte[]>> NngwMutation = Gen.OneOf(
            // A bit flip anywhere: the checksum catches it, or it is in the checksum itself.
            Gen.Select(Gen.Int.Positive, Gen.Int[0, 7]).Select<int, int, Func<byte[], byte[]>>((at, bit) => file => FlipBit(file, at % file.Length, bit)),
            // Truncation, or bytes appended.
            Gen.Int.Positive.Select<int, Func<byte[], byte[]>>(length => file => file.AsSpan(0, length % file.Length).ToArray()),
            Gen.Byte.Array[1, 9].Select<byte[], Func<byte[], byte[]>>(extra => file => file.Concat(extra).ToArray()),
            // A header byte changed, with the checksum fixed: only the header's own checks can catch it.
            Gen.Select(Gen.Int.Positive, Gen.Byte).Select<int, byte, Func<byte[], byte[]>>((at, value) => file => WithChecksum(Set(file, at % HeaderLength(file), value))),
            // A header integer set to an extreme, with the checksum fixed.
            Gen.Select(Gen.Int[0, 3], Gen.OneOf(0, -1, 1, int.MaxValue, int.MinValue, 1 << 16, 65537, 3, 5)).Select<int, int, Func<byte[], byte[]>>((field, value) => file =>
                WithChecksum(SetInt32(file, field switch { 0 => 8, 1 => 12, 2 => 16, _ => HeaderLength(file) - 4 }, value))),
            // A parameter set to an extreme number, with the checksum fixed: loads exactly (or beyond float, is refused by float).
            Gen.Select(Gen.Int[0, 25], Gen.OneOf(Extremes)).Select<int, double, Func<byte[], byte[]>>((index, value) => file => WithChecksum(SetParameter(file, index, value))));

        private static readonly Gen<Func<byte[], byte[]>> SafetensorsMutation = Gen.OneOf(
            Gen.Select(Gen.Int.Positive, Gen.Int[0, 7]).Select<int, int, Func<byte[], byte[]>>((at, bit) => file => FlipBit(file, at % file.Length, bit)),
            Gen.Int.Positive.Select<int, Func<byte[], byte[]>>(length => file => file.AsSpan(0, length % file.Length).ToArray()),
            Gen.Byte.Array[1, 9].Select<byte[], Func<byte[], byte[]>>(extra => file => file.Concat(extra).ToArray()),
            Gen.Int[-9, 9].Select<int, Func<byte[], byte[]>>(delta => file => SetHeaderLength(file, delta)),
            // One character of the header changed, with the header length fixed: renamed, reshaped, retyped, re-offset tensors.
            Gen.Select(Gen.Int.Positive, Gen.OneOf("0", "1", "2", "3", "5", "8", "9", "\"", ",", "[", "]", "{", "}", " ", "-", ".", "e", "\\", "\u00e9", "F16", "BF16", "I64", "U8", "F4", "I", "B", "F64", "F32", "weight", "bias", "08", "", "\\u0000", "\\ud800", "[[[[")).Select<int, string, Func<byte[], byte[]>>((at, text) => file =>
                EditHeader(file, header => header.Remove(at % header.Length, 1).Insert(at % header.Length, text))),
            // The same key twice; a tensor renamed whole; a layer's tensors renamed together (loads the same).
            Gen.OneOf("0.weight", "0.bias", "2.weight", "2.bias").Select<string, Func<byte[], byte[]>>(name => file =>
                EditHeader(file, header => header.Replace("\"__metadata__\"", "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"__metadata__\"", StringComparison.Ordinal))),
            Gen.Select(Gen.OneOf("0.weight", "0.bias", "2.weight", "2.bias"), Gen.OneOf("1.weight", "1.bias", "0.weight", "fc.weight", "2.bias", "10.weight")).Select<string, string, Func<byte[], byte[]>>((from, to) => file =>
                EditHeader(file, header => header.Replace("\"" + from + "\"", "\"" + to + "\"", StringComparison.Ordinal))),
            Gen.OneOf(("\"0.", "\"1."), ("\"2.", "\"7."), ("\"0.", "\"a.")).Select<(string, string), Func<byte[], byte[]>>(pair => file =>
                EditHeader(file, header => header.Replace(pair.Item1, pair.Item2, StringComparison.Ordinal))),
            // An extreme number in an F64 tensor's data.
            Gen.Select(Gen.Int[0, 9], Gen.OneOf(Extremes)).Select<int, double, Func<byte[], byte[]>>((index, value) => file =>
            {
                byte[] copy = (byte[])file.Clone();
                BinaryPrimitives.WriteDoubleLittleEndian(copy.AsSpan(DataStart(file) + 64 + (index * 8)), value);
                return copy;
            }));

        private static readonly string[] Cells = { "0", "1", "2", "0.5", "-3.25", "1e39", "-1e39", "3.4028235e38", "3.5e38", "1e-50", "NaN", "Infinity", "-Infinity", "0x10", "1,5", "", " 3 ", "2147483646", "4095", "4096", "67108863", "-0", "1e308", "abc", "+2", "1.5e3" };

        private static readonly Gen<string> CsvText =
            Gen.Select(Gen.Int[2, 4], Gen.Int[1, 5], Gen.OneOf(Cells).Array[20], Gen.OneOf("\n", "\r\n"))
                .Select((columns, rows, cells, newline) => string.Concat(Enumerable.Range(0, rows).Select(r =>
                    string.Join(",", Enumerable.Range(0, columns).Select(c => cells[((r * columns) + c) % cells.Length])) + newline)));

        private static bool CheckNngw(byte[] file) => CheckWeights(file, Decode, bytes => NngwReader.Read(bytes), WeightsFile.Load, WeightsFile.Load);

        private static bool CheckSafetensors(byte[] file)
        {
            CheckByName(file);
            return CheckWeights(file, DecodeTensors, bytes => SafetensorsReader.Read(bytes), (net, stream) => Safetensors.Import(net, stream), (net, stream) => Safetensors.Import(net, stream));
        }

        // By layer names (Import's layerNames, baking's WeightsLayers), where a mutation may legitimately drop a bias or
        // add a tensor of another kind: the runtime either loads or refuses with nothing changed, and the generator's
        // reader gives what the runtime loaded into a double network whenever the runtime loads.
        private static void CheckByName(byte[] file)
        {
            string[] names = { "0", "2" };
            var net = new DoubleNet();
            net.InitializeParameters(42);
            double[] before = net.Parameters.ToArray();
            bool loaded = Load(() => Safetensors.Import(net, new MemoryStream(file), names), file.Length, DoubleNet.ParameterCount, out Exception? error);
            if (!loaded)
            {
                Assert.IsType<WeightsFormatException>(error);
                Assert.Equal(before, net.Parameters.ToArray());
                return;
            }

            WeightsData baked = SafetensorsReader.Read(file, names);
            Assert.Equal(net.Parameters.ToArray(), baked.Layers.SelectMany(l => l.Weights.Concat(l.Biases)).ToArray());
        }

        // Loads the file into a float and a double network, and reads it as the generator does for baking.
        private static bool CheckWeights(
            byte[] file,
            Func<byte[], double[]> decode,
            Func<byte[], WeightsData> bake,
            Action<INetwork<float>, Stream> loadSingle,
            Action<INetwork<double>, Stream> loadDouble)
        {
            try
            {
                bool floatLoaded = Load(new FloatNet(), file, decode, loadSingle);
                bool doubleLoaded = Load(new DoubleNet(), file, decode, loadDouble);

                // The generator's reader (baked weights) accepts every file the runtime loads, with the same values.
                WeightsData? baked = null;
                try
                {
                    baked = bake(file);
                }
                catch (WeightsReadException)
                {
                }

                if (floatLoaded || doubleLoaded)
                {
                    Assert.NotNull(baked);
                    Assert.Equal(decode(file), baked!.Layers.SelectMany(l => l.Weights.Concat(l.Biases)).ToArray());
                }

                return floatLoaded || doubleLoaded;
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                throw new InvalidOperationException("file " + System.Convert.ToHexString(file) + ": " + e.Message, e);
            }
        }

        // Either exactly what the file says, decoded here from the documented layout, or the documented
        // exception with the network as it was.
        private static bool Load<T>(INetwork<T> net, byte[] file, Func<byte[], double[]> decode, Action<INetwork<T>, Stream> load)
            where T : unmanaged
        {
            net.InitializeParameters(42);
            T[] before = net.Parameters.ToArray();
            bool loaded = Load(() => load(net, new MemoryStream(file)), file.Length, net.ParameterCount, out Exception? error);
            if (!loaded)
            {
                Assert.IsType<WeightsFormatException>(error);
                Assert.Equal(before, net.Parameters.ToArray());
                return false;
            }

            double[] values = decode(file);
            Assert.Equal(values.Length, net.ParameterCount);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(Convert<T>(values[i]), net.Parameters[i]);
            }

            return true;
        }

        private static void CheckCsv<T>(string text)
            where T : unmanaged
        {
            Dataset<T>? data = null;
            bool loaded = Load(() => data = Csv.Read<T>(new StringReader(text), null, "random.csv"), text.Length, 0, out Exception? error);
            if (!loaded)
            {
                CsvFormatException csv = Assert.IsType<CsvFormatException>(error);
                Assert.StartsWith("random.csv, line ", csv.Message, StringComparison.Ordinal);
                return;
            }

            // Every input is the cell's number, finite in T; the target is the one-hot label.
            string[][] rows = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Select(l => l.Split(',')).ToArray();
            Assert.Equal(rows.Length, data!.Count);
            T[] inputs = data.Inputs.ToArray();
            T[] targets = data.Targets.ToArray();
            for (int r = 0; r < rows.Length; r++)
            {
                for (int c = 0; c < rows[r].Length - 1; c++)
                {
                    double value = double.Parse(rows[r][c], NumberStyles.Float, CultureInfo.InvariantCulture);
                    T expected = Convert<T>(value);
                    Assert.Equal(expected, inputs[(r * data.InputCount) + c]);
                    Assert.True(double.IsFinite(ToDouble(expected)), $"row {r + 1} column {c + 1} loaded as {expected}");
                }

                int label = int.Parse(rows[r][^1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.InRange(data.TargetCount, label + 1, CsvOptions.MaxInferredClassCount);
                Assert.Equal(Convert<T>(1.0), targets[(r * data.TargetCount) + label]);
            }
        }

        // Runs a load, and checks that it allocated at most a small multiple of the file's size (plus the
        // network's own parameters and a fixed allowance for messages and small buffers). A load over the
        // allowance is measured a second time, so that the process's first exception (which loads resources)
        // is not blamed on the file; an allocation that grows with what the file claims repeats.
        private static bool Load(Action load, int fileLength, int parameters, out Exception? error)
        {
            long allowed = (256 * 1024) + (64L * fileLength) + (16L * parameters);
            long allocated = Measure(load, out error);
            if (allocated > allowed)
            {
                allocated = Measure(load, out error);
            }

            Assert.True(allocated <= allowed, $"a {fileLength}-byte file made the loader allocate {allocated} bytes");
            return error is null;
        }

        private static long Measure(Action load, out Exception? error)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            error = null;
            try
            {
                load();
            }
#pragma warning disable CA1031 // the property decides which exceptions are allowed
            catch (Exception e)
#pragma warning restore CA1031
            {
                error = e;
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private static double[] Decode(byte[] file)
        {
            int layers = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
            int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(16 + (40 * layers)));
            int size = file[6] == 0 ? 4 : 8;
            int data = 16 + (40 * layers) + 4;
            return Enumerable.Range(0, count).Select(i => size == 4
                ? (double)BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(data + (i * 4)))
                : BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan(data + (i * 8)))).ToArray();
        }

        private static double[] DecodeTensors(byte[] file)
        {
            int data = DataStart(file);
            return TensorLayout.SelectMany(t => Enumerable.Range(0, t.Count).Select(i => t.Size == 4
                ? (double)BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(data + (int)t.Begin + (i * 4)))
                : BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan(data + (int)t.Begin + (i * 8))))).ToArray();
        }

        private static int DataStart(byte[] file) => 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);

        private static T Convert<T>(double value) =>
            typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;

        private static double ToDouble<T>(T value) => value is float f ? f : (double)(object)value!;

        private static int HeaderLength(byte[] file) => 16 + (40 * Math.Clamp(BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12)), 0, 2)) + 4;

        private static byte[] FlipBit(byte[] file, int at, int bit)
        {
            byte[] copy = (byte[])file.Clone();
            copy[at] ^= (byte)(1 << bit);
            return copy;
        }

        private static byte[] Set(byte[] file, int at, byte value)
        {
            byte[] copy = (byte[])file.Clone();
            copy[at] = value;
            return copy;
        }

        private static byte[] SetInt32(byte[] file, int at, int value)
        {
            byte[] copy = (byte[])file.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(at), value);
            return copy;
        }

        private static byte[] SetParameter(byte[] file, int index, double value)
        {
            byte[] copy = (byte[])file.Clone();
            int data = HeaderLength(file);
            if (file[6] == 0)
            {
                BinaryPrimitives.WriteSingleLittleEndian(copy.AsSpan(data + (index * 4)), (float)value);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(copy.AsSpan(data + (index * 8)), value);
            }

            return copy;
        }

        private static byte[] WithChecksum(byte[] file)
        {
            byte[] copy = (byte[])file.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(copy.AsSpan(0, copy.Length - 4)));
            return copy;
        }

        private static byte[] SetHeaderLength(byte[] file, int delta)
        {
            byte[] copy = (byte[])file.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(copy, (ulong)((long)BinaryPrimitives.ReadUInt64LittleEndian(file) + delta));
            return copy;
        }

        private static byte[] EditHeader(byte[] file, Func<string, string> edit)
        {
            int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
            byte[] header = Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(file, 8, length)));
            return BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(file.Skip(8 + length)).ToArray();
        }

        private static T Initialized<T>(T net)
            where T : INetwork<float>
        {
            net.InitializeParameters(7);
            return net;
        }

        private static DoubleNet Initialized(DoubleNet net)
        {
            net.InitializeParameters(8);
            return net;
        }

        private static double[] Pattern(int count, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() - 0.5, 4)).ToArray();
        }
    }
}
