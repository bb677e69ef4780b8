using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NnGen.Runtime.Tests
{
    public sealed class WeightsFileTests
    {
        private static byte[] SavedDigits(int seed)
        {
            var net = new DigitsNet();
            net.InitializeParameters(seed);
            var stream = new MemoryStream();
            WeightsFile.Save(net, stream);
            return stream.ToArray();
        }

        [Fact]
        public void Save_then_load_round_trips_bit_for_bit()
        {
            var source = new DigitsNet();
            source.InitializeParameters(7);
            source.Parameters[5] = float.Epsilon;         // a denormal
            source.Parameters[6] = -0f;                   // a negative zero
            string path = Path.Combine(Path.GetTempPath(), $"nngen-{Guid.NewGuid():N}.nngw");
            try
            {
                WeightsFile.Save(source, path);
                var target = new DigitsNet();
                target.Accumulate(new float[64], new float[10]);
                WeightsFile.Load(target, path);

                Assert.Equal(Bits(source.Parameters), Bits(target.Parameters));
                Assert.Equal(0, target.AccumulatedSamples);
                Assert.Equal(new float[DigitsNet.ParameterCount], target.Gradients.ToArray());
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void Double_network_round_trips_bit_for_bit()
        {
            var source = new DigitsNetDouble();
            source.InitializeParameters(3);
            source.Parameters[0] = Math.PI;
            var stream = new MemoryStream();
            WeightsFile.Save(source, stream);

            var target = new DigitsNetDouble();
            WeightsFile.Load(target, new MemoryStream(stream.ToArray()));
            Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        }

        [Fact]
        public void A_float_file_loads_exactly_into_a_double_network()
        {
            var single = new DigitsNet();
            single.InitializeParameters(11);
            var stream = new MemoryStream();
            WeightsFile.Save(single, stream);

            var @double = new DigitsNetDouble();
            WeightsFile.Load(@double, new MemoryStream(stream.ToArray()));
            for (int i = 0; i < DigitsNet.ParameterCount; i++)
            {
                Assert.Equal((double)single.Parameters[i], @double.Parameters[i]);
            }
        }

        [Fact]
        public void A_double_file_with_a_value_beyond_float_is_refused_by_a_float_network()
        {
            var @double = new DigitsNetDouble();
            @double.InitializeParameters(5);
            @double.Parameters[17] = 1e39;
            var stream = new MemoryStream();
            WeightsFile.Save(@double, stream);

            var single = new DigitsNet();
            single.InitializeParameters(6);
            float[] before = single.Parameters.ToArray();
            var error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(single, new MemoryStream(stream.ToArray())));
            Assert.Contains("1E+39 at parameter 17", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, single.Parameters.ToArray());
        }

        [Fact]
        public void Header_records_the_architecture()
        {
            NetworkArchitecture stored = WeightsFile.ReadArchitecture(SavedDigits(1));
            Assert.Equal(DigitsNet.Architecture, stored);
            Assert.Equal("64 → 32 Tanh → 10 Softmax, CrossEntropy, Single", stored.ToString());
        }

        [Fact]
        public void A_file_of_another_shape_is_rejected_and_nothing_changes()
        {
            var narrow = new NarrowDigitsNet();
            narrow.InitializeParameters(2);
            var stream = new MemoryStream();
            WeightsFile.Save(narrow, stream);

            var net = new DigitsNet();
            float[] before = net.Parameters.ToArray();
            var error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(net, new MemoryStream(stream.ToArray())));
            Assert.Contains("64 → 16 Tanh → 10 Softmax", error.Message, StringComparison.Ordinal);
            Assert.Contains("64 → 32 Tanh → 10 Softmax", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void A_file_longer_than_any_of_this_network_is_rejected_from_its_header_and_names_both_networks()
        {
            var wide = new DigitsNetDouble();
            wide.InitializeParameters(2);
            byte[] file = WeightsFile.Serialize(wide);
            string path = Path.Combine(Path.GetTempPath(), $"nngen-{Guid.NewGuid():N}.nngw");
            File.WriteAllBytes(path, file);
            try
            {
                foreach (Action<NarrowDigitsNet> load in new Action<NarrowDigitsNet>[]
                {
                    net => WeightsFile.Load(net, path),
                    net => WeightsFile.Load(net, new MemoryStream(file)),
                    net => WeightsFile.Load(net, new ForwardOnlyStream(new MemoryStream(file))),
                })
                {
                    var net = new NarrowDigitsNet();
                    net.InitializeParameters(5);
                    float[] before = net.Parameters.ToArray();
                    WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => load(net));
                    Assert.Contains("64 → 32 Tanh → 10 Softmax", error.Message, StringComparison.Ordinal);
                    Assert.Contains("64 → 16 Tanh → 10 Softmax", error.Message, StringComparison.Ordinal);
                    Assert.Contains("nothing was loaded", error.Message, StringComparison.Ordinal);
                    Assert.Equal(before, net.Parameters.ToArray());
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void A_large_wrong_file_is_rejected_without_being_read_whole()
        {
            // A 256 MiB file (sparse: it takes no disk) named by mistake, say a data set. Before, Load read all of it
            // into memory and then found it was not a weights file.
            string path = Path.Combine(Path.GetTempPath(), $"nngen-{Guid.NewGuid():N}.csv");
            using (var stream = new FileStream(path, FileMode.CreateNew))
            {
                stream.Write("NNGW"u8);
                stream.SetLength(256L << 20);
            }

            try
            {
                var net = new DigitsNet();
                WeightsFile.Load(net, SavedStream(1));   // warm up: the exception path's first use loads resources
                long before = GC.GetAllocatedBytesForCurrentThread();
                WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(net, path));
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

                Assert.Contains("is longer than", error.Message, StringComparison.Ordinal);
                Assert.True(allocated < 1 << 20, $"rejecting a 256 MiB file allocated {allocated} bytes");
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void A_stream_that_never_ends_is_rejected_after_a_bounded_read()
        {
            var endless = new EndlessStream("NNGW"u8.ToArray());
            var net = new DigitsNet();
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(net, endless));

            // The longest file of DigitsNet is its float64 one: 16 + 2 × 40 + 4 + 2,410 × 8 + 4 bytes; one byte more is read.
            Assert.Equal(16 + (2 * 40) + 4 + (DigitsNet.ParameterCount * 8) + 4 + 1, endless.Served);
            Assert.Contains("is longer than 19384 bytes", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_long_file_that_is_not_a_weights_file_is_called_so()
        {
            // A CSV passed by mistake: the message must say what it is not, not only that it is too long.
            byte[] csv = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0.5,1.25,3\n", 4000)));
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(new DigitsNet(), new MemoryStream(csv)));
            Assert.Contains("is longer than 19384 bytes", error.Message, StringComparison.Ordinal);
            Assert.Contains("and it is not an NnGen weights file (it does not start with \"NNGW\")", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_stream_is_read_from_its_position_to_its_end(bool seekable)
        {
            byte[] file = SavedDigits(4);
            var data = new MemoryStream();
            data.Write(new byte[] { 1, 2, 3 });
            data.Write(file);
            data.Position = 3;
            var net = new DigitsNet();
            WeightsFile.Load(net, seekable ? data : new ForwardOnlyStream(data));

            var expected = new DigitsNet();
            expected.InitializeParameters(4);
            Assert.Equal(expected.Parameters.ToArray(), net.Parameters.ToArray());

            // One byte past the file is trailing data, whether the stream can say its length or not.
            var longer = new MemoryStream();
            longer.Write(file);
            longer.WriteByte(0);
            longer.Position = 0;
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(new DigitsNet(), seekable ? longer : new ForwardOnlyStream(longer)));
            Assert.Contains("trailing data", error.Message, StringComparison.Ordinal);
        }

        private static MemoryStream SavedStream(int seed) => new(SavedDigits(seed));

        [Fact]
        public void A_file_with_another_activation_is_rejected()
        {
            var relu = new ReluDigitsNet();
            var stream = new MemoryStream();
            WeightsFile.Save(relu, stream);
            Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(new DigitsNet(), new MemoryStream(stream.ToArray())));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        [InlineData(15)]
        [InlineData(100)]
        [InlineData(9000)]
        [InlineData(-1)]
        public void A_truncated_file_is_rejected_and_nothing_changes(int keep)
        {
            byte[] file = SavedDigits(1);
            byte[] truncated = file.AsSpan(0, keep >= 0 ? keep : file.Length - 1).ToArray();
            AssertRejectedWithoutChange(truncated);
        }

        [Theory]
        [InlineData(0)]       // magic
        [InlineData(4)]       // version
        [InlineData(8)]       // input count
        [InlineData(20)]      // layer 1 activation
        [InlineData(30)]      // layer 1 alpha
        [InlineData(200)]     // a weight
        [InlineData(9000)]    // a weight near the end
        [InlineData(-1)]      // the checksum
        public void A_corrupted_byte_anywhere_is_rejected_and_nothing_changes(int offset)
        {
            byte[] file = SavedDigits(1);
            int at = offset >= 0 ? offset : file.Length + offset;
            file[at] ^= 0x10;
            AssertRejectedWithoutChange(file);
        }

        [Fact]
        public void Trailing_data_is_rejected()
        {
            byte[] file = SavedDigits(1);
            Array.Resize(ref file, file.Length + 1);
            AssertRejectedWithoutChange(file);
        }

        [Theory]
        [InlineData(float.NaN)]
        [InlineData(float.PositiveInfinity)]
        [InlineData(float.NegativeInfinity)]
        public void A_network_with_a_parameter_that_is_not_finite_is_not_saved(float bad)
        {
            // Before, Save wrote it, Load read it back into a network that gave NaN for every input, and the generator
            // refused to bake it (NNG diagnostic) only at the next build.
            var net = new DigitsNet();
            net.InitializeParameters(2);
            net.Parameters[123] = bad;
            var stream = new MemoryStream();
            ArgumentException error = Assert.Throws<ArgumentException>(() => WeightsFile.Save(net, stream));
            Assert.Equal("network", error.ParamName);
            Assert.Contains("Parameter 123", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, stream.Length);
            string path = Path.Combine(Path.GetTempPath(), $"nngen-{Guid.NewGuid():N}.nngw");
            Assert.Throws<ArgumentException>(() => WeightsFile.Save(net, path));
            Assert.Throws<ArgumentException>(() => WeightsFile.SaveForBaking(net, path));
            Assert.False(File.Exists(path));
        }

        [Theory]
        [InlineData(0x7FC00000u, 4)]                  // float NaN
        [InlineData(0xFF800000u, 4)]                  // float −∞
        [InlineData(0x7FF8000000000000ul, 8)]         // double NaN
        [InlineData(0x7FF0000000000000ul, 8)]         // double +∞
        public void A_file_whose_parameter_is_not_finite_is_rejected_and_nothing_changes(ulong bits, int size)
        {
            // A file written by another tool (or by an earlier NnGen) with a valid checksum over a NaN or an infinity.
            byte[] file;
            if (size == 4)
            {
                file = SavedDigits(3);
            }
            else
            {
                var @double = new DigitsNetDouble();
                @double.InitializeParameters(3);
                var stream = new MemoryStream();
                WeightsFile.Save(@double, stream);
                file = stream.ToArray();
            }

            int parameter = 40;
            int at = file.Length - 4 - (DigitsNet.ParameterCount * size) + (parameter * size);
            if (size == 4)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), (uint)bits);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(at), bits);
            }

            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Hash(file.AsSpan(0, file.Length - 4)));
            AssertRejectedWithoutChange(file);
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(new DigitsNetDouble(), new MemoryStream(file)));
            Assert.Contains("at parameter 40", error.Message, StringComparison.Ordinal);
        }

        private static void AssertRejectedWithoutChange(byte[] file)
        {
            var net = new DigitsNet();
            net.InitializeParameters(99);
            net.Accumulate(new float[64], new float[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
            float[] parameters = net.Parameters.ToArray();
            float[] gradients = net.Gradients.ToArray();

            Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(net, new MemoryStream(file)));

            Assert.Equal(parameters, net.Parameters.ToArray());
            Assert.Equal(gradients, net.Gradients.ToArray());
            Assert.Equal(1, net.AccumulatedSamples);
        }

        private static int[] Bits(Span<float> values)
        {
            var bits = new int[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                bits[i] = BitConverter.SingleToInt32Bits(values[i]);
            }

            return bits;
        }
    }
}
