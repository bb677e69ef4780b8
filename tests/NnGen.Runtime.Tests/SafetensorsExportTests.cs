using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// Safetensors.Export: the file is read back here by the format's definition with System.Text.Json (an independent
    /// reader), holds PyTorch's nn.Linear layout, and imports back to the same bits; bad names or parameters write nothing.
    /// </summary>
    public sealed class SafetensorsExportTests
    {
        [Fact]
        public void A_float_network_exports_F32_tensors_in_PyTorch_layout_and_imports_back_to_the_same_bits()
        {
            var net = new ThreeLayerNet();
            net.InitializeParameters(7);
            var stream = new MemoryStream();
            Safetensors.Export(net, stream);
            byte[] file = stream.ToArray();

            (JsonElement header, int dataStart) = Read(file);
            Assert.Equal(0, dataStart % 8);
            Assert.Equal("pt", header.GetProperty("__metadata__").GetProperty("format").GetString());
            Assert.Equal("2 → 3 Tanh → 4 Tanh → 2 Identity, SquaredError, Single", header.GetProperty("__metadata__").GetProperty("nngen").GetString());
            Assert.Equal(new[] { "__metadata__", "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" }, header.EnumerateObject().Select(p => p.Name));

            // Each tensor by its own entry, against the flat layout W(1) row by row, b(1), W(2), …
            float[] parameters = net.Parameters.ToArray();
            int at = 0;
            foreach ((string name, int[] shape) in new[] { ("0.weight", new[] { 3, 2 }), ("0.bias", new[] { 3 }), ("2.weight", new[] { 4, 3 }), ("2.bias", new[] { 4 }), ("4.weight", new[] { 2, 4 }), ("4.bias", new[] { 2 }) })
            {
                JsonElement tensor = header.GetProperty(name);
                Assert.Equal("F32", tensor.GetProperty("dtype").GetString());
                Assert.Equal(shape, tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
                long[] offsets = tensor.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                int count = shape.Aggregate(1, (a, b) => a * b);
                Assert.Equal(new long[] { at * 4, (at + count) * 4 }, offsets);
                for (int i = 0; i < count; i++)
                {
                    Assert.Equal(parameters[at + i], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(dataStart + (int)offsets[0] + (i * 4))));
                }

                at += count;
            }

            Assert.Equal(file.Length, dataStart + (at * 4));
            var back = new ThreeLayerNet();
            Safetensors.Import(back, new MemoryStream(file));
            Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), back.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        }

        [Fact]
        public void A_double_network_exports_F64_tensors_to_a_path_and_imports_back_to_the_same_bits()
        {
            var net = new DigitsNetDouble();
            net.InitializeParameters(3);
            string path = Path.Combine(Path.GetTempPath(), "nngen-export-" + Guid.NewGuid().ToString("N") + ".safetensors");
            try
            {
                Safetensors.Export(net, path);
                (JsonElement header, _) = Read(File.ReadAllBytes(path));
                Assert.Equal("F64", header.GetProperty("0.weight").GetProperty("dtype").GetString());
                Assert.Equal(new[] { 10, 32 }, header.GetProperty("2.weight").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));

                var back = new DigitsNetDouble();
                Safetensors.Import(back, path);
                Assert.Equal(net.Parameters.ToArray(), back.Parameters.ToArray());

                // And into a float network, rounded once, as a double file imports.
                var single = new DigitsNet();
                Safetensors.Import(single, path);
                Assert.Equal(net.Parameters.ToArray().Select(v => (float)v), single.Parameters.ToArray());
            }
            finally
            {
                File.Delete(path);
            }
        }

        // 131,328 parameters: the data is written 64 KB at a time, and the chunks' seams must not show.
        [Fact]
        public void A_network_of_many_chunks_exports_every_value()
        {
            var net = new WideLinearNet();
            net.InitializeParameters(11);
            var stream = new MemoryStream();
            Safetensors.Export(net, stream);
            byte[] file = stream.ToArray();
            (_, int dataStart) = Read(file);
            float[] parameters = net.Parameters.ToArray();
            Assert.Equal(dataStart + (parameters.Length * 4), file.Length);
            for (int i = 0; i < parameters.Length; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(parameters[i]), BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(dataStart + (i * 4))));
            }

            var back = new WideLinearNet();
            Safetensors.Import(back, new MemoryStream(file));
            Assert.Equal(parameters, back.Parameters.ToArray());
        }

        // Names pass through JSON escaping both ways: quotes, backslashes, control characters and non-ASCII.
        [Fact]
        public void Names_of_the_users_export_and_import_back_whatever_their_characters()
        {
            var net = new ThreeLayerNet();
            net.InitializeParameters(5);
            string[] names = { "enc\"oder", "dé\\c\tor", "head 🙂" };
            var stream = new MemoryStream();
            Safetensors.Export(net, stream, names);

            (JsonElement header, _) = Read(stream.ToArray());
            Assert.Equal(names.SelectMany(n => new[] { n + ".weight", n + ".bias" }), header.EnumerateObject().Skip(1).Select(p => p.Name));
            var back = new ThreeLayerNet();
            Safetensors.Import(back, new MemoryStream(stream.ToArray()), names);
            Assert.Equal(net.Parameters.ToArray(), back.Parameters.ToArray());
        }

        [Theory]
        [InlineData(new[] { "a", "b" }, "holds 2 names, but the network has 3 layers")]
        [InlineData(new[] { "a", "b", "a" }, "names 'a' twice")]
        [InlineData(new[] { "a", "", "c" }, "layerNames[1] is empty")]
        [InlineData(new[] { "a", null, "c" }, "layerNames[1] is null")]
        [InlineData(new[] { "a", "b<lone surrogate>", "c" }, "half of a UTF-16 surrogate pair")]
        public void Names_that_cannot_name_the_layers_are_refused_and_nothing_is_written(string?[] names, string problem)
        {
            var net = new ThreeLayerNet();
            net.InitializeParameters(5);
            var stream = new MemoryStream();

            // An attribute argument cannot carry a lone surrogate (metadata stores it in UTF-8), so it is put in here.
            names = names.Select(n => n?.Replace("<lone surrogate>", "\ud800", StringComparison.Ordinal)).ToArray();
            ArgumentException e = Assert.Throws<ArgumentException>(() => Safetensors.Export(net, stream, names!));
            Assert.Equal("layerNames", e.ParamName);
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
            Assert.Equal(0, stream.Length);
        }

        // A diverged network writes nothing: a path keeps the file it held.
        [Fact]
        public void A_network_with_a_NaN_parameter_is_refused_and_the_file_keeps_what_it_held()
        {
            var net = new ThreeLayerNet();
            net.InitializeParameters(5);
            net.Parameters[9] = float.NaN;
            string path = Path.Combine(Path.GetTempPath(), "nngen-export-" + Guid.NewGuid().ToString("N") + ".safetensors");
            try
            {
                File.WriteAllText(path, "the old file");
                ArgumentException e = Assert.Throws<ArgumentException>(() => Safetensors.Export(net, path));
                Assert.Equal("network", e.ParamName);
                Assert.Contains("Parameter 9", e.Message, StringComparison.Ordinal);
                Assert.Equal("the old file", File.ReadAllText(path));
                Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => Safetensors.Export<float>(null!, new MemoryStream())).ParamName);
                Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => Safetensors.Export(new ThreeLayerNet(), (Stream)null!)).ParamName);
                Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => WeightsFile.Save<float>(null!, new MemoryStream())).ParamName);
                Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => WeightsFile.Save(new ThreeLayerNet(), (Stream)null!)).ParamName);
            }
            finally
            {
                File.Delete(path);
            }
        }

        // The file by the format's definition: a little-endian u64 header length, then that many bytes of JSON.
        private static (JsonElement Header, int DataStart) Read(byte[] file)
        {
            int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
            string json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file, 8, length);
            return (JsonDocument.Parse(json).RootElement.Clone(), 8 + length);
        }
    }
}
