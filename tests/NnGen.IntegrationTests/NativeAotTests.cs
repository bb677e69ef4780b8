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
    /// samples/DigitsBaked, published with NativeAOT, runs and prints exactly what it prints under the
    /// JIT: the same accuracy, the same probabilities and the same hash of every output bit, for the unrolled
    /// network and for the same weights in packed layers. NativeAOT's default x64 target has no FMA3, so there the
    /// packed layers' fused multiply-adds are rounded in software (SoftwareFma), and the JIT here uses the instruction.
    /// </summary>
    public sealed class NativeAotTests : IDisposable
    {
        private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "nngen-aot-" + Guid.NewGuid().ToString("N"));

        [Fact]
        public void The_baked_digits_sample_prints_the_same_under_NativeAOT_as_under_the_JIT()
        {
            string project = Path.Combine(DotNet.RepositoryRoot, "samples", "DigitsBaked", "DigitsBaked.csproj");
            string rid = RuntimeInformation.RuntimeIdentifier;

            // Separate artifacts: nothing of this run touches the repository's bin and obj folders.
            string[] publish = { "publish", project, "-c", "Release", "-r", rid, "--artifacts-path", _artifacts, "-warnaserror" };
            if (NativeLinker() is { } linker)
            {
                publish = publish.Append("-p:CppCompilerAndLinker=" + linker).ToArray();
            }

            string published = DotNet.Run(DotNet.RepositoryRoot, publish);
            Assert.DoesNotContain("warning", published, StringComparison.OrdinalIgnoreCase);
            string native = Path.Combine(_artifacts, "publish", "DigitsBaked", "release_" + rid, "DigitsBaked" + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
            Assert.True(File.Exists(native), $"no native executable at {native}:\n{published}");
            string aot = DotNet.RunProgram(native, DotNet.RepositoryRoot, TimeSpan.FromMinutes(2));

            // Publishing builds the program for the JIT first, into bin: the very IL that NativeAOT compiled, run by the JIT
            // (one Release build of the sample and the library fewer than building it again for the JIT).
            string il = Path.Combine(_artifacts, "bin", "DigitsBaked", "release_" + rid, "DigitsBaked.dll");
            Assert.True(File.Exists(il), $"no JIT build at {il}:\n{published}");
            string jit = DotNet.Run(DotNet.RepositoryRoot, il);

            Assert.Equal(jit, aot);
            Match accuracy = Regex.Match(aot, @"Test accuracy: \d+ of \d+ = ([\d.]+) %");
            Assert.True(accuracy.Success, aot);
            Assert.True(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture) >= 96.0, aot);
            Assert.Matches(@"Output hash: [0-9A-F]{16}", aot);
            Assert.Matches(@"Packed layers: 3[4-5]\d of 359 correct, output hash [0-9A-F]{16}", aot);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_artifacts, recursive: true);
            }
            catch (IOException)
            {
            }
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
