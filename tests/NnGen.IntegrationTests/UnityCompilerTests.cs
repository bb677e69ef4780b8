using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NnGen.Testing;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// The packed package on Unity's compiler: Roslyn 4.3.1 (Unity 2022.3.12f1+ and Unity 6), in a host of
    /// its own process (tests/NnGen.Roslyn43Host), compiling C# 9 scripts against the netstandard 2.1 reference
    /// assembly and the package's netstandard2.1 DLLs, with the package's generator as the analyzer.
    /// </summary>
    [Collection(PackageCollection.Name)]
    public sealed class UnityCompilerTests
    {
        private readonly PackedPackage _package;

        public UnityCompilerTests(PackedPackage package) => _package = package;

        [Fact]
        public void Roslyn_4_3_loads_the_generator_and_compiles_every_network_without_an_error_or_a_warning()
        {
            string folder = Path.Combine(_package.Root, "roslyn-4.3");
            string unpacked = Path.Combine(folder, "package");
            ZipFile.ExtractToDirectory(_package.Package, unpacked);

            // The scripts: every activation and cost in both shapes, a baked network, the init-only options, a network whose
            // training members are split into local functions.
            string consumer = Path.Combine(DotNet.RepositoryRoot, "tests", "NnGen.IntegrationTests", "Consumers", "UnityLike");
            string[] scripts = Directory.GetFiles(consumer, "*.cs");

            // Unity runs no MSBuild targets: the weights reach the generator in the text form WeightsFile.SaveForBaking writes.
            string weights = Path.Combine(folder, "seed.nngw");
            File.WriteAllText(weights, BakingText.Encode(File.ReadAllBytes(PackageTests.SeedWeights)));

            string lib = Path.Combine(unpacked, "lib", "netstandard2.1");
            string output = DotNet.Run(
                folder,
                new[] { DotNet.BuiltProgram("NnGen.Roslyn43Host"), "-analyzer:" + Path.Combine(unpacked, "analyzers", "dotnet", "cs", "NnGen.Generator.dll") }
                    .Append("-reference:" + NetStandard())
                    .Append("-reference:" + Path.Combine(lib, "NnGen.Runtime.dll"))
                    .Append("-reference:" + Path.Combine(lib, "NnGen.Attributes.dll"))
                    .Append("-additionalfile:" + weights)
                    .Concat(scripts)
                    .ToArray());

            Assert.Contains("host: Microsoft.CodeAnalysis.CSharp 4.3.0.0", output, StringComparison.Ordinal);
            Assert.Contains("analyzer NnGen.Generator.dll: 1 generator(s)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS8032", output, StringComparison.Ordinal);
            Assert.DoesNotContain("CS9057", output, StringComparison.Ordinal);
            Assert.Contains("generated 66 files; 0 errors and warnings; emitted: True", output, StringComparison.Ordinal);
        }

        // netstandard.dll of NETStandard.Library.Ref 2.1.0, which the host project downloads on restore.
        private static string NetStandard()
        {
            Assert.True(File.Exists(NetStandardReference.Path), "netstandard 2.1's reference assembly is not at " + NetStandardReference.Path);
            return NetStandardReference.Path;
        }
    }
}
