using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// A consumer of the packed package, published with NativeAOT as a game or a device ships it, prints the same as
    /// the IL it was compiled from does under the JIT: the DigitsBaked sample's baked networks (unrolled, and in packed
    /// layers, whose fused multiply-adds NativeAOT's default x64 target, which has no FMA3, rounds in software), a
    /// snapshot of the same weights loaded from the file, unrolled networks trained by the Trainer on one thread and
    /// two (float and double, a declared cost and a loss function), and weights and safetensors files written and read
    /// back. Only the accuracy of a trained vectorised network may differ: its sums follow the vector width each
    /// compiler targets.
    /// </summary>
    [Collection(NativeAotCollection.Name)]
    public sealed class NativeAotTests
    {
        private readonly PackedPackage _package;

        public NativeAotTests(PackedPackage package) => _package = package;

        [Fact]
        public void A_NativeAOT_consumer_of_the_package_prints_the_same_bits_as_under_the_JIT()
        {
            string consumer = Path.Combine(_package.Root, "native-aot");
            DotNet.CopyDirectory(Path.Combine(DotNet.RepositoryRoot, "tests", "NnGen.IntegrationTests", "Consumers", "NativeAot"), consumer);
            string sample = Path.Combine(DotNet.RepositoryRoot, "samples", "DigitsBaked");
            File.Copy(Path.Combine(sample, "DigitsClassifier.cs"), Path.Combine(consumer, "DigitsClassifier.cs"));
            File.Copy(Path.Combine(sample, "digits.nngw"), Path.Combine(consumer, "digits.nngw"));
            Directory.CreateDirectory(Path.Combine(consumer, "data"));
            File.Copy(Path.Combine(DotNet.RepositoryRoot, "samples", "Digits", "data", "digits.csv"), Path.Combine(consumer, "data", "digits.csv"));
            _package.WriteNuGetConfig(consumer);

            string rid = RuntimeInformation.RuntimeIdentifier;
            string[] publish = { "publish", "NativeAot.csproj", "-c", "Release", "-r", rid, "-p:NnGenVersion=" + _package.Version, "-o", "published", "-warnaserror" };
            if (NativeLinker() is { } linker)
            {
                publish = publish.Append("-p:CppCompilerAndLinker=" + linker).ToArray();
            }

            string published = DotNet.Run(consumer, publish);
            Assert.DoesNotContain("warning", published, StringComparison.OrdinalIgnoreCase);
            string native = Path.Combine(consumer, "published", "NativeAot" + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
            Assert.True(File.Exists(native), $"no native executable at {native}:\n{published}");
            string aot = DotNet.RunProgram(native, consumer, TimeSpan.FromMinutes(2));

            // Publishing builds the program for the JIT first: the very IL that NativeAOT compiled, run by the JIT.
            string il = Path.Combine(consumer, "bin", "Release", "net10.0", rid, "NativeAot.dll");
            Assert.True(File.Exists(il), $"no JIT build at {il}:\n{published}");
            string jit = DotNet.Run(consumer, il);

            const string Vectorised = "auto 64-32-10 trained on 2 threads: ";
            string[] Promised(string output) => Lines(output).Where(l => !l.StartsWith(Vectorised, StringComparison.Ordinal)).ToArray();
            Assert.True(Promised(jit).SequenceEqual(Promised(aot)), $"NativeAOT printed\n{aot}\nthe JIT\n{jit}");
            Assert.Equal(15, Lines(jit).Length);

            foreach (string output in new[] { jit, aot })
            {
                Assert.True(Correct(output, "baked unrolled digits") >= 345, output);   // 96 % of 359, as the sample trained
                Assert.True(Correct(output, "baked packed digits") >= 340, output);
                Assert.True(Correct(output, "unrolled 64-8-10 trained on 1 thread") >= 330, output);
                Assert.True(Correct(output, "unrolled 64-8-10 trained on 2 threads") >= 330, output);
                Assert.True(Correct(output, "Elu-identity 64-8-10 trained with SoftmaxCrossEntropyLoss") >= 330, output);
                Assert.True(Correct(output, "auto 64-32-10 trained on 2 threads") >= 330, output);
                Assert.Contains("weights file round trip: True, safetensors round trip: True", output, StringComparison.Ordinal);
            }

            // A snapshot of the weights loaded at run time computes what the same weights baked into packed layers do.
            Assert.Equal(Bits(jit, "baked packed digits"), Bits(jit, "snapshot of the loaded weights"));
        }

        private static string[] Lines(string output) =>
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        private static int Correct(string output, string name)
        {
            Match match = Regex.Match(output, "^" + Regex.Escape(name) + @": (\d+) of 359$", RegexOptions.Multiline);
            Assert.True(match.Success, $"no line '{name}: N of 359' in\n{output}");
            return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        private static string Bits(string output, string name)
        {
            Match match = Regex.Match(output, "^" + Regex.Escape(name) + ", bits: ([0-9A-F]{16})$", RegexOptions.Multiline);
            Assert.True(match.Success, $"no line '{name}, bits: HASH' in\n{output}");
            return match.Groups[1].Value;
        }

        // NativeAOT links with "clang" by default; Debian names its versioned compilers clang-14 and so on.
        private static string? NativeLinker()
        {
            if (!OperatingSystem.IsLinux() || DotNet.OnPath("clang"))
            {
                return null;
            }

            for (int version = 20; version >= 11; version--)
            {
                if (DotNet.OnPath("clang-" + version.ToString(CultureInfo.InvariantCulture)))
                {
                    return "clang-" + version.ToString(CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidOperationException("NativeAOT needs clang to link; install it (apt-get install clang) and run again.");
        }
    }
}
