using System;
using System.IO;
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
