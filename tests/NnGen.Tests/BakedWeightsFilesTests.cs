using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using NnGen.Testing;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// Where the weights files under Weights/ come from. The baked networks of this project compile them
    /// in; this test rebuilds each from its trainable twin and a seed, so they are not magic bytes.
    /// Set NNGEN_WRITE_WEIGHTS=1 to write them instead (then rebuild: the generator reads them at compile time).
    /// </summary>
    public sealed class BakedWeightsFilesTests
    {
        public static IEnumerable<object[]> Files => BakedCases.All.Select(c => new object[] { c.FileName });

        [Theory]
        [MemberData(nameof(Files))]
        public void Each_weights_file_is_its_twin_saved_after_seeding(string fileName)
        {
            BakedCase @case = BakedCases.All.Single(c => c.FileName == fileName);
            byte[] expected = @case.Write();
            string path = Path.Combine(BakedCases.WeightsFolder(), fileName);
            if (Environment.GetEnvironmentVariable("NNGEN_WRITE_WEIGHTS") == "1")
            {
                File.WriteAllBytes(path, expected);
            }

            Assert.Equal(expected, File.ReadAllBytes(path));
        }
    }

    /// <summary>A baked network of this project and the trainable twin whose weights it bakes.</summary>
    public sealed record BakedCase(string FileName, Func<byte[]> Write);

    public static class BakedCases
    {
        public static readonly BakedCase[] All =
        {
            new("seed-f.nngw", () => WeightsFile.Serialize(Seeded<SeedNetF, float>(seed: 11))),
            new("custom-logistic-f-vectorized.nngw", () => WeightsFile.Serialize(Seeded<MeanSoftmaxCustomLogisticFVectorized, float>(seed: 12))),
            new("mixed-d.nngw", () => WeightsFile.Serialize(Seeded<MixedUnrolledVectorUnrolled, double>(seed: 13))),
            new("cross-entropy-d.safetensors", () => SafetensorsOf(Seeded<CrossEntropyTanhSoftmax, double>(seed: 14))),
        };

        /// <summary>Weights/ beside this file, which the project passes to the generator as AdditionalFiles.</summary>
        public static string WeightsFolder() => FolderOfThisFile("Weights");

        // The caller's path is filled in here, so it is this file's whatever calls WeightsFolder.
        private static string FolderOfThisFile(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, name);

        /// <summary>The twin's own initialisation from the seed, with every bias drawn too (a new network's are 0).</summary>
        public static TNet Seeded<TNet, T>(int seed)
            where TNet : INetwork<T>, new()
            where T : unmanaged
        {
            var net = new TNet();
            Networks.Samples.Randomize(net, Catalog.SpecOf(typeof(TNet).Name), seed);
            return net;
        }

        /// <summary>The twin's parameters as a PyTorch state_dict of F32 tensors "0.weight", "0.bias", "2.weight", ...</summary>
        public static byte[] SafetensorsOf(INetwork<double> net)
        {
            var tensors = new List<SafetensorsTensor>();
            double[] p = net.Parameters.ToArray();
            int at = 0;
            NetworkArchitecture architecture = net.Architecture;
            for (int l = 0; l < architecture.Layers.Count; l++)
            {
                int rows = architecture.Layers[l].Size, columns = architecture.FanIn(l);
                tensors.Add(new SafetensorsTensor($"{2 * l}.weight", "F32", new long[] { rows, columns }, p[at..(at + (rows * columns))]));
                at += rows * columns;
                tensors.Add(new SafetensorsTensor($"{2 * l}.bias", "F32", new long[] { rows }, p[at..(at + rows)]));
                at += rows;
            }

            return SafetensorsWriter.Write(tensors.ToArray());
        }
    }
}
