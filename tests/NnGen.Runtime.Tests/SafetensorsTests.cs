using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Safetensors files written here by hand from the format's definition: a little-endian u64 header
    /// length, a JSON header naming each tensor's dtype, shape and byte range, then the raw data.
    /// </summary>
    public sealed class SafetensorsTests
    {
        private sealed record Tensor(string Name, int[] Shape, float[] Values, string DType = "F32");

        private static byte[] Write(params Tensor[] tensors) => SafetensorsWriter.Write(tensors.Select(Torch).ToArray());

        private static float[] Values(int count, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        }

        /// <summary>The tensors of Sequential(Linear(4, 5), ReLU(), Linear(5, 3)): names "0" and "2".</summary>
        private static Tensor[] TorchLikeTensors(string dtype = "F32") => new[]
        {
            new Tensor("0.weight", new[] { 5, 4 }, Values(20, 1), dtype),
            new Tensor("0.bias", new[] { 5 }, Values(5, 2), dtype),
            new Tensor("2.weight", new[] { 3, 5 }, Values(15, 3), dtype),
            new Tensor("2.bias", new[] { 3 }, Values(3, 4), dtype),
        };

        [Theory]
        [InlineData("F32")]
        [InlineData("F64")]
        public void Imported_network_gives_the_same_forward_output(string dtype)
        {
            Tensor[] tensors = TorchLikeTensors(dtype);
            var imported = new TorchLikeNet();
            Safetensors.Import(imported, new MemoryStream(Write(tensors.Reverse().ToArray())));

            // The same weights put in by hand, in the spec's layout: W(1) row by row, b(1), W(2), b(2).
            var direct = new TorchLikeNet();
            tensors.SelectMany(t => t.Values).ToArray().CopyTo(direct.Parameters);
            Assert.Equal(direct.Parameters.ToArray(), imported.Parameters.ToArray());

            float[] input = { 0.3f, -0.7f, 0.1f, 0.9f };
            float[] expected = new float[3], actual = new float[3];
            direct.Forward(input, expected);
            imported.Forward(input, actual);
            Assert.Equal(expected, actual);

            // Against the PyTorch definition itself: y = W2 relu(W1 x + b1) + b2.
            float[] hidden = Enumerable.Range(0, 5).Select(i =>
                Math.Max(0, tensors[1].Values[i] + Enumerable.Range(0, 4).Sum(j => tensors[0].Values[(i * 4) + j] * input[j]))).ToArray();
            for (int k = 0; k < 3; k++)
            {
                float y = tensors[3].Values[k] + Enumerable.Range(0, 5).Sum(i => tensors[2].Values[(k * 5) + i] * hidden[i]);
                Assert.Equal(y, actual[k], 5);
            }
        }

        // PyTorch's model.half() and model.bfloat16() save F16 and BF16 tensors. Every value of those is exactly a float,
        // so the layers import exactly: here against System.Half's widening and BF16's definition (the top 16 bits of
        // a float), on random weights and on the formats' edges (subnormals, −0, the largest finite values).
        [Theory]
        [InlineData("F16")]
        [InlineData("BF16")]
        public void Half_and_bfloat16_layers_import_exactly(string dtype)
        {
            Tensor[] tensors = TorchLikeTensors(dtype);
            float[] edges = dtype == "F16"
                ? new[] { 5.9604645e-8f, -5.9604645e-8f, 6.097555e-5f, 6.1035156e-5f, -0f, 65504f, -65504f, 1f / 3 }
                : new[] { 9.18355e-41f, -1e-39f, 1.1754944e-38f, -0f, 3.3895314e38f, -3.3895314e38f, 1f / 3, 65504f };
            edges.CopyTo(tensors[0].Values, 0);
            var imported = new TorchLikeNet();
            Safetensors.Import(imported, new MemoryStream(Write(tensors)));

            float[] expected = tensors.SelectMany(t => t.Values)
                .Select(v => dtype == "F16" ? (float)(Half)v : SafetensorsWriter.FromBFloat16Bits(SafetensorsWriter.BFloat16Bits(v)))
                .ToArray();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), imported.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
            Assert.Contains(expected, v => v != 0 && Math.Abs(v) < (dtype == "F16" ? 6.1035156e-5f : 1.1754944e-38f));   // a subnormal of the format
            Assert.Contains(BitConverter.SingleToInt32Bits(-0f), imported.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));

            // A forward-only stream reads them the same.
            var forward = new TorchLikeNet();
            Safetensors.Import(forward, new ForwardOnlyStream(new MemoryStream(Write(tensors))));
            Assert.Equal(imported.Parameters.ToArray(), forward.Parameters.ToArray());
        }

        // Every one of the 65,536 bit patterns of each format, against System.Half and against BF16's definition (the top
        // half of a float's bits): the same value, or NaN for NaN.
        [Fact]
        public void Every_half_and_bfloat16_bit_pattern_widens_to_its_exact_value()
        {
            for (int bits = 0; bits <= ushort.MaxValue; bits++)
            {
                double half = (double)BitConverter.UInt16BitsToHalf((ushort)bits);
                double bfloat = BitConverter.UInt32BitsToSingle((uint)bits << 16);
                Assert.Equal(BitConverter.DoubleToInt64Bits(half), BitConverter.DoubleToInt64Bits(Canonical(SafetensorsFormat.Widen((ushort)bits, exponentBits: 5), half)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(bfloat), BitConverter.DoubleToInt64Bits(Canonical(SafetensorsFormat.Widen((ushort)bits, exponentBits: 8), bfloat)));
            }

            // NaN payloads are not compared: any NaN is refused as a weight.
            static double Canonical(double value, double expected) => double.IsNaN(value) && double.IsNaN(expected) ? expected : value;
        }

        // An F16 infinity or NaN is not a weight: refused with nothing changed, as an F32 one is.
        [Theory]
        [InlineData("F16", float.PositiveInfinity, "holds Infinity")]
        [InlineData("F16", float.NaN, "holds NaN")]
        [InlineData("BF16", float.NegativeInfinity, "holds -Infinity")]
        [InlineData("BF16", float.NaN, "holds NaN")]
        public void A_half_or_bfloat16_infinity_or_NaN_is_refused(string dtype, float value, string shown)
        {
            Tensor[] tensors = TorchLikeTensors(dtype);
            tensors[2].Values[7] = value;
            var net = new TorchLikeNet();
            net.InitializeParameters(1);
            float[] before = net.Parameters.ToArray();
            var e = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(Write(tensors))));
            Assert.Contains("at parameter 32", e.Message, StringComparison.Ordinal);
            Assert.Contains(shown, e.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        // A real checkpoint holds more than linear layers: a BatchNorm's I64 count, an FP8 copy, a dtype newer than this
        // reader. Named layers import whatever the other tensors' dtypes; a named layer of a dtype NnGen cannot read is
        // refused by name, with nothing changed.
        [Fact]
        public void Named_layers_import_from_a_checkpoint_whose_other_tensors_are_of_any_dtype()
        {
            Tensor[] layers = TorchLikeTensors("F16");
            byte[] file = Write(
                layers[0] with { Name = "net.0.weight" },
                layers[1] with { Name = "net.0.bias" },
                new Tensor("net.1.running_mean", new[] { 5 }, Values(5, 9), "BF16"),
                new Tensor("net.1.num_batches_tracked", Array.Empty<int>(), new[] { 1234f }, "I64"),
                new Tensor("net.1.flag", new[] { 3 }, new[] { 1f, 2f, 3f }, "U32"),
                layers[2] with { Name = "net.3.weight" },
                layers[3] with { Name = "net.3.bias" });
            file = Header(file, h => h.Replace("\"U32\"", "\"F6_E2M3\"", StringComparison.Ordinal), extraData: 0);

            var net = new TorchLikeNet();
            Safetensors.Import(net, new MemoryStream(file), new[] { "net.0", "net.3" });
            Assert.Equal(layers.SelectMany(t => t.Values).Select(v => (float)(Half)v), net.Parameters.ToArray());

            // Without names the BatchNorm's tensors are not a linear layer's; naming the I64 one as a layer is refused.
            net.InitializeParameters(2);
            float[] before = net.Parameters.ToArray();
            var e = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(file)));
            Assert.Contains("not a linear layer's weight or bias", e.Message, StringComparison.Ordinal);
            byte[] countAsLayer = Header(file, h => h.Replace("net.1.num_batches_tracked", "net.1.weight", StringComparison.Ordinal), extraData: 0);
            e = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(countAsLayer), new[] { "net.0", "net.1" }));
            Assert.Contains("'net.1.weight' is I64; NnGen reads F16, BF16, F32 and F64 tensors", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());

            // A tensor of unknown size must still lie in order: a gap after it is found.
            byte[] gap = Header(file, h => h.Replace("\"data_offsets\":[68,80]", "\"data_offsets\":[68,76]", StringComparison.Ordinal), extraData: 0);
            Assert.Contains("between tensors", Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(gap), new[] { "net.0", "net.3" })).Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void Layer_names_sort_naturally()
        {
            var tensors = new[]
            {
                new Tensor("10.weight", new[] { 2, 4 }, Values(8, 5)),
                new Tensor("10.bias", new[] { 2 }, Values(2, 6)),
                new Tensor("2.weight", new[] { 4, 3 }, Values(12, 3)),
                new Tensor("2.bias", new[] { 4 }, Values(4, 4)),
                new Tensor("0.weight", new[] { 3, 2 }, Values(6, 1)),
                new Tensor("0.bias", new[] { 3 }, Values(3, 2)),
            };
            var net = new ThreeLayerNet();
            Safetensors.Import(net, new MemoryStream(Write(tensors)));

            float[] expected = tensors.OrderBy(t => int.Parse(t.Name.Split('.')[0])).SelectMany(t => t.Values).ToArray();
            Assert.Equal(expected, net.Parameters.ToArray());
        }

        [Fact]
        public void Named_layers_and_a_missing_bias_import()
        {
            var tensors = new[]
            {
                new Tensor("encoder.fc.weight", new[] { 5, 4 }, Values(20, 1)),
                new Tensor("head.weight", new[] { 3, 5 }, Values(15, 3)),
                new Tensor("head.bias", new[] { 3 }, Values(3, 4)),
                new Tensor("unrelated.running_mean", new[] { 7 }, Values(7, 9)),
            };
            var net = new TorchLikeNet();
            Safetensors.Import(net, new MemoryStream(Write(tensors)), new[] { "encoder.fc", "head" });

            float[] expected = tensors[0].Values.Concat(new float[5]).Concat(tensors[1].Values).Concat(tensors[2].Values).ToArray();
            Assert.Equal(expected, net.Parameters.ToArray());
        }

        public static TheoryData<string, byte[]> BadFiles()
        {
            Tensor[] good = TorchLikeTensors();
            byte[] valid = Write(good);
            return new TheoryData<string, byte[]>
            {
                { "has shape [5, 3]", Write(good[0] with { Shape = new[] { 5, 3 }, Values = Values(15, 1) }, good[1], good[2], good[3]) },
                { "has 1 linear layers", Write(good[0], good[1]) },
                { "'0.weight' is I32; NnGen reads F16, BF16, F32 and F64 tensors", Write(good[0] with { DType = "I32" }, good[1], good[2], good[3]) },
                { "'2.bias' is I64; NnGen reads", Write(good[0], good[1], good[2], good[3] with { DType = "I64" }) },
                { "dtype \"float32\", which is not a safetensors dtype", Write(good[0], good[1], good[2] with { DType = "float32" }, good[3]) },
                { "'0.weight' has data offsets [0, 80] that do not fit its shape [5, 4] of F16", Header(valid, h => h.Replace("\"F32\"", "\"F16\"", StringComparison.Ordinal), extraData: 0) },
                { "not a linear layer's weight or bias", Write(good.Append(new Tensor("bn.running_mean", new[] { 5 }, Values(5, 8))).ToArray()) },
                { "truncated", valid.AsSpan(0, valid.Length - 4).ToArray() },
                { "truncated", valid.AsSpan(0, 6).ToArray() },
                { "not valid JSON", Corrupt(valid, 9) },

                // Issue 9, section 5: damaged files that loaded.
                { "'0.bias' without the weight", Write(good[0] with { Name = "1.weight" }, good[1], good[2], good[3]) },
                { "not valid JSON", ChangeHeaderLength(valid, -1) },
                { "its tensors end at byte", ChangeHeaderLength(Padded(valid), -1) },
                { "its tensors end at byte", valid.Append((byte)0).ToArray() },
                { "a gap between tensors", Header(valid, h => h.Replace("[0,80]", "[4,84]", StringComparison.Ordinal).Replace("[80,100]", "[84,104]", StringComparison.Ordinal), extraData: 4) },
                { "an overlap between tensors", Header(valid, h => h.Replace("[80,100]", "[76,96]", StringComparison.Ordinal), extraData: 0) },
                { "not valid UTF-8", Header(valid, h => h.Replace("\"pt\"", "\"p\u00ff\"", StringComparison.Ordinal), extraData: 0, latin1: true) },
                { "a second time", Header(valid, h => h.Replace("{\"format\":\"pt\"}", "{\"format\":\"pt\",\"format\":\"np\"}", StringComparison.Ordinal), extraData: 0) },
                { "nesting too deep", Header(valid, h => h.Replace("{\"format\":\"pt\"}", "{\"x\":" + new string('[', 70) + new string(']', 70) + "}", StringComparison.Ordinal), extraData: 0) },
                { "a lone surrogate", Header(valid, h => h.Replace("\"pt\"", "\"\\ud800\"", StringComparison.Ordinal), extraData: 0) },
                { "a number with a leading zero", Header(valid, h => h.Replace("[5,4]", "[05,4]", StringComparison.Ordinal), extraData: 0) },
                { "a malformed number", Header(valid, h => h.Replace("[5,4]", "[5.,4]", StringComparison.Ordinal), extraData: 0) },
            };
        }

        [Fact]
        public void A_header_padded_with_spaces_as_PyTorch_writes_it_loads()
        {
            var net = new TorchLikeNet();
            Safetensors.Import(net, new MemoryStream(Padded(Write(TorchLikeTensors()))));
            Assert.Equal(TorchLikeTensors().SelectMany(t => t.Values), net.Parameters.ToArray());
        }

        [Fact]
        public void A_double_value_beyond_float_is_rejected_by_a_float_network()
        {
            Tensor[] good = TorchLikeTensors("F64");
            byte[] file = SafetensorsWriter.Write(good.Select((t, i) => new SafetensorsTensor(
                t.Name, t.DType, t.Shape.Select(d => (long)d).ToArray(), t.Values.Select((v, j) => i == 1 && j == 2 ? 1e39 : v).ToArray())).ToArray());
            var net = new TorchLikeNet();
            float[] before = net.Parameters.ToArray();
            var error = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(file)));
            Assert.Contains("1E+39", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        // The file with its header length changed by delta, and nothing else.
        private static byte[] ChangeHeaderLength(byte[] file, int delta)
        {
            byte[] copy = (byte[])file.Clone();
            BitConverter.GetBytes(BitConverter.ToUInt64(file, 0) + (ulong)(long)delta).CopyTo(copy, 0);
            return copy;
        }

        // The header padded with spaces to a multiple of 8 bytes plus 8 more, as safetensors allows.
        private static byte[] Padded(byte[] file)
        {
            int length = (int)BitConverter.ToUInt64(file, 0);
            int padded = ((length + 7) / 8 * 8) + 8;
            byte[] header = file.AsSpan(8, length).ToArray().Concat(Enumerable.Repeat((byte)' ', padded - length)).ToArray();
            return BitConverter.GetBytes((ulong)padded).Concat(header).Concat(file.Skip(8 + length)).ToArray();
        }

        // The file with its header text edited and its length fixed up; extraData zero bytes appended to the data.
        private static byte[] Header(byte[] file, Func<string, string> edit, int extraData, bool latin1 = false)
        {
            int length = (int)BitConverter.ToUInt64(file, 0);
            string text = edit(Encoding.UTF8.GetString(file, 8, length));
            Assert.NotEqual(Encoding.UTF8.GetString(file, 8, length), text);
            byte[] header = latin1 ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);
            return BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(file.Skip(8 + length)).Concat(new byte[extraData]).ToArray();
        }

        [Theory]
        [MemberData(nameof(BadFiles))]
        public void A_bad_file_is_rejected_and_nothing_changes(string problem, byte[] file)
        {
            var net = new TorchLikeNet();
            net.InitializeParameters(3);
            float[] before = net.Parameters.ToArray();

            var error = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(file)));

            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        [Fact]
        public void A_file_read_through_a_forward_only_stream_imports_the_same()
        {
            byte[] file = Write(TorchLikeTensors());
            var seekable = new TorchLikeNet();
            var forward = new TorchLikeNet();
            Safetensors.Import(seekable, new MemoryStream(file));
            Safetensors.Import(forward, new ForwardOnlyStream(new MemoryStream(file)));
            Assert.Equal(seekable.Parameters.ToArray(), forward.Parameters.ToArray());
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_byte_after_the_last_tensor_is_rejected_without_reading_further(bool seekable)
        {
            byte[] file = Write(TorchLikeTensors()).Concat(new byte[1000]).ToArray();
            var stream = new MemoryStream(file);
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(
                () => Safetensors.Import(new TorchLikeNet(), seekable ? stream : new ForwardOnlyStream(stream)));
            Assert.Contains("but more follows", error.Message, StringComparison.Ordinal);
            Assert.InRange(stream.Position, 1, file.Length - 1000 + 1);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_short_stream_whose_header_claims_gigabytes_allocates_about_what_it_holds(bool seekable)
        {
            // The network's layers, then a tensor of 1.9 GB by the header, 100 bytes of data in fact: before the header-first
            // read could size its array from the header, this allocated 1.9 GB.
            byte[] valid = Write(TorchLikeTensors());
            int headerLength = (int)BitConverter.ToUInt64(valid, 0);
            string json = Encoding.UTF8.GetString(valid, 8, headerLength - 1)
                + ",\"unused.weight\":{\"dtype\":\"F32\",\"shape\":[475000000],\"data_offsets\":[172,1900000172]}}";
            byte[] header = Encoding.UTF8.GetBytes(json);
            byte[] file = BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(valid.Skip(8 + headerLength)).Concat(new byte[100]).ToArray();
            var net = new TorchLikeNet();
            Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(new byte[3])));   // warm up

            long before = GC.GetAllocatedBytesForCurrentThread();
            var stream = new MemoryStream(file);
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(
                () => Safetensors.Import(net, seekable ? stream : new ForwardOnlyStream(stream), new[] { "0", "2" }));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
            Assert.True(allocated < 256 * 1024, $"a {file.Length}-byte stream made the import allocate {allocated} bytes");
        }

        [Fact]
        public void A_forward_only_stream_that_claims_a_large_networks_tensors_allocates_about_what_it_holds()
        {
            // The header fits WideLinearNet (131,328 parameters, 1 MB as doubles); 100 bytes of data follow.
            string json = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[256,512],\"data_offsets\":[0,524288]},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[256],\"data_offsets\":[524288,525312]}}";
            byte[] header = Encoding.UTF8.GetBytes(json);
            byte[] file = BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(new byte[100]).ToArray();
            var net = new WideLinearNet();
            Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(new byte[3])));   // warm up

            long before = GC.GetAllocatedBytesForCurrentThread();
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new ForwardOnlyStream(new MemoryStream(file))));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
            Assert.True(allocated < 256 * 1024, $"a {file.Length}-byte stream made the import allocate {allocated} bytes");
        }

        [Fact]
        public void A_stream_that_never_ends_is_read_to_one_byte_past_its_last_tensor()
        {
            byte[] file = Write(TorchLikeTensors());
            var endless = new EndlessStream(file);
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(new TorchLikeNet(), endless));
            Assert.Contains("but more follows", error.Message, StringComparison.Ordinal);
            Assert.Equal(file.Length + 1, endless.Served);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_large_file_that_is_not_safetensors_is_rejected_from_its_first_8_bytes(bool header)
        {
            // A 256 MiB file (sparse: it takes no disk) named by mistake: a CSV, or a header length past the format's
            // 100 MB limit. Before, Import read all of it into memory first.
            string path = Path.Combine(Path.GetTempPath(), $"nngen-{Guid.NewGuid():N}.safetensors");
            using (var stream = new FileStream(path, FileMode.CreateNew))
            {
                stream.Write(header ? BitConverter.GetBytes(200_000_000UL) : Encoding.ASCII.GetBytes("1.5,2.25,0\n"));
                stream.SetLength(256L << 20);
            }

            try
            {
                var net = new TorchLikeNet();
                Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, new MemoryStream(new byte[3])));   // warm up
                long before = GC.GetAllocatedBytesForCurrentThread();
                WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, path));
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

                Assert.Contains(header ? "past the format's limit of 100000000" : "more than the", error.Message, StringComparison.Ordinal);
                Assert.True(allocated < 1 << 20, $"rejecting a 256 MiB file allocated {allocated} bytes");
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Theory]
        [InlineData(true, 800_000_000L)]
        [InlineData(false, 25_000_000L)]
        public void A_head_is_imported_from_a_large_checkpoint_reading_only_its_own_tensors(bool seekable, long backboneValues)
        {
            // A checkpoint whose backbone (3.2 GB, past what one array can hold, or 100 MB through a forward-only stream)
            // lies between the head's layers: only the head is read. Before, Import read the whole file into one array:
            // it allocated 100 MB for the small one and called the large one truncated.
            Tensor[] head = TorchLikeTensors();
            string path = Path.Combine(Path.GetTempPath(), $"nngen-{Guid.NewGuid():N}.safetensors");
            SafetensorsWriter.WriteFile(
                path,
                Torch(head[0] with { Name = "head.0.weight" }),
                Torch(head[1] with { Name = "head.0.bias" }),
                new SafetensorsTensor("backbone.weight", "F32", new[] { backboneValues }, Array.Empty<double>()),
                Torch(head[2] with { Name = "head.2.weight" }),
                Torch(head[3] with { Name = "head.2.bias" }));
            try
            {
                var net = new TorchLikeNet();
                Safetensors.Import(net, new MemoryStream(Write(head)));   // warm up
                net.InitializeParameters(5);

                long before = GC.GetAllocatedBytesForCurrentThread();
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    Safetensors.Import(net, seekable ? file : new ForwardOnlyStream(file), new[] { "head.0", "head.2" });
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

                Assert.Equal(head.SelectMany(t => t.Values), net.Parameters.ToArray());
                Assert.True(allocated < 256 * 1024, $"importing a 43-parameter head allocated {allocated} bytes");
                if (seekable)
                {
                    var byPath = new TorchLikeNet();
                    Safetensors.Import(byPath, path, new[] { "head.0", "head.2" });
                    Assert.Equal(net.Parameters.ToArray(), byPath.Parameters.ToArray());
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_layer_named_twice_takes_the_same_tensor_twice(bool seekable)
        {
            var tensors = new[]
            {
                new Tensor("block.weight", new[] { 2, 2 }, Values(4, 1)),
                new Tensor("block.bias", new[] { 2 }, Values(2, 2)),
            };
            var net = new TwoByTwoNet();
            var stream = new MemoryStream(Write(tensors));
            Safetensors.Import(net, seekable ? stream : new ForwardOnlyStream(stream), new[] { "block", "block" });
            float[] layer = tensors.SelectMany(t => t.Values).ToArray();
            Assert.Equal(layer.Concat(layer), net.Parameters.ToArray());
        }

        [Fact]
        public void A_forward_only_stream_that_ends_inside_a_skipped_tensor_is_truncated_and_changes_nothing()
        {
            byte[] file = Write(TorchLikeTensors().Append(new Tensor("unused.weight", new[] { 100 }, Values(100, 9))).ToArray());
            var net = new TorchLikeNet();
            net.InitializeParameters(3);
            float[] before = net.Parameters.ToArray();
            var stream = new ForwardOnlyStream(new MemoryStream(file.AsSpan(0, file.Length - 10).ToArray()));
            WeightsFormatException error = Assert.Throws<WeightsFormatException>(() => Safetensors.Import(net, stream, new[] { "0", "2" }));
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
        }

        private static SafetensorsTensor Torch(Tensor t) =>
            new(t.Name, t.DType, t.Shape.Select(d => (long)d).ToArray(), t.Values.Select(v => (double)v).ToArray());

        private static byte[] Corrupt(byte[] file, int at)
        {
            byte[] copy = (byte[])file.Clone();
            copy[at] = (byte)'#';
            return copy;
        }
    }
}
