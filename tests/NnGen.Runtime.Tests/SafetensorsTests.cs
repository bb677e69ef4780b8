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

        private static byte[] Write(params Tensor[] tensors) =>
            SafetensorsWriter.Write(tensors.Select(t => new SafetensorsTensor(t.Name, t.DType, t.Shape.Select(d => (long)d).ToArray(), t.Values.Select(v => (double)v).ToArray())).ToArray());

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
                { "is F16", Write(good[0] with { DType = "F16" }, good[1], good[2], good[3]) },
                { "not a linear layer's weight or bias", Write(good.Append(new Tensor("bn.running_mean", new[] { 5 }, Values(5, 8))).ToArray()) },
                { "truncated", valid.AsSpan(0, valid.Length - 4).ToArray() },
                { "truncated", valid.AsSpan(0, 6).ToArray() },
                { "not valid JSON", Corrupt(valid, 9) },
            };
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

        private static byte[] Corrupt(byte[] file, int at)
        {
            byte[] copy = (byte[])file.Clone();
            copy[at] = (byte)'#';
            return copy;
        }
    }
}
