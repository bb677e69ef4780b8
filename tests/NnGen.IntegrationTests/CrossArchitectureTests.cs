using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// Snapshots, values and unrolled networks promise the same output bits on every machine. A consumer of the packed
    /// package prints a hash of those bits for a dozen networks (panels of every grouping, tanh, logistic, softmax,
    /// float and double), and of FastMath's tanh and exp in every form over a sweep of the float line, under the JIT with AVX2, with AVX2 off, with no SIMD at all, and as a linux-arm64 program
    /// (NEON) run by QEMU's user-mode emulator, which computes IEEE arithmetic exactly as the hardware does. Every
    /// run must print the same lines.
    /// </summary>
    [Collection(PackageCollection.Name)]
    public sealed class CrossArchitectureTests
    {
        private readonly PackedPackage _package;

        public CrossArchitectureTests(PackedPackage package) => _package = package;

        [Fact]
        public void Snapshots_values_and_unrolled_networks_give_the_same_bits_on_x64_at_every_width_and_on_arm64()
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                return;   // The emulator and the arm64 C library come from Debian's packages (.ci/run installs them).
            }

            string qemu = new[] { "qemu-aarch64-static", "qemu-aarch64" }.FirstOrDefault(DotNet.OnPath)
                ?? throw new InvalidOperationException("This test runs an arm64 build under QEMU: install qemu-user-static and the arm64 C library (dpkg --add-architecture arm64; apt-get install qemu-user-static libc6:arm64 libstdc++6:arm64), as .ci/run does.");
            Assert.True(File.Exists("/lib/ld-linux-aarch64.so.1"), "The arm64 C library is missing: dpkg --add-architecture arm64; apt-get update; apt-get install libc6:arm64 libstdc++6:arm64.");

            string consumer = Path.Combine(_package.Root, "arm64");
            DotNet.CopyDirectory(Path.Combine(DotNet.RepositoryRoot, "tests", "NnGen.IntegrationTests", "Consumers", "Arm64"), consumer);
            _package.WriteNuGetConfig(consumer);
            string version = "-p:NnGenVersion=" + _package.Version;
            DotNet.Run(consumer, "build", "Arm64.csproj", "-c", "Release", version, "-o", Path.Combine(consumer, "x64"));
            DotNet.Run(consumer, "publish", "Arm64.csproj", "-c", "Release", "-r", "linux-arm64", "--self-contained", version, "-o", Path.Combine(consumer, "arm64"));

            string x64 = Path.Combine(consumer, "x64", "Arm64.dll");
            var runs = new Dictionary<string, string>
            {
                ["x64"] = Run("dotnet", new Dictionary<string, string>(), x64),
                ["x64 without AVX2"] = Run("dotnet", new Dictionary<string, string> { ["DOTNET_EnableAVX2"] = "0" }, x64),
                ["x64 without SIMD"] = Run("dotnet", new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }, x64),
                ["arm64 under QEMU"] = Run(qemu, new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" }, "-L", "/", Path.Combine(consumer, "arm64", "Arm64")),
            };

            string[] expected = Lines(runs["x64"]);
            Assert.Equal(29, expected.Length);   // 10 snapshots, 2 unrolled networks, 3 values, 2 snapshot batches, 2 trainings, 10 of FastMath's forms
            foreach ((string name, string output) in runs)
            {
                Assert.True(Lines(output).Length == expected.Length, $"{name} printed:\n{output}");
                Assert.True(expected.SequenceEqual(Lines(output)), $"{name} differs from x64:\n{output}\nx64:\n{runs["x64"]}");
            }

            string Run(string program, Dictionary<string, string> environment, params string[] arguments) =>
                DotNet.RunProgram(program, consumer, TimeSpan.FromMinutes(3), environment, arguments);
        }

        // The hash lines, without what the program says of the machine (on standard error, which Execute merges in).
        private static string[] Lines(string output) =>
            Regex.Matches(output, @"^.+, (snapshot|value|network|math): [0-9A-F]{16}$", RegexOptions.Multiline).Select(m => m.Value).ToArray();
    }
}
