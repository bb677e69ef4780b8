using System;
using System.Collections.Generic;
using System.IO;
using System.Formats.Tar;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// The NnGen package as users get it: packed fresh, restored from a local folder feed into projects
    /// outside this repository, built (one of them as Unity builds: netstandard2.1, C# 9, no unsafe)
    /// and run.
    /// </summary>
    [Collection(PackageCollection.Name)]
    public sealed class PackageTests
    {
        internal static readonly string SeedWeights = Path.Combine(DotNet.RepositoryRoot, "tests", "NnGen.Tests", "Weights", "seed-f.nngw");

        private static readonly object BuildGate = new();
        private static (string Version, string Folder)? _built;

        private readonly PackedPackage _package;

        public PackageTests(PackedPackage package) => _package = package;

        [Fact]
        public void The_package_carries_the_generator_the_libraries_the_build_targets_and_its_metadata()
        {
            using ZipArchive zip = ZipFile.OpenRead(_package.Package);
            HashSet<string> entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

            Assert.Contains("analyzers/dotnet/cs/NnGen.Generator.dll", entries);
            foreach (string tfm in new[] { "netstandard2.1", "net8.0" })
            {
                Assert.Contains($"lib/{tfm}/NnGen.Runtime.dll", entries);
                Assert.Contains($"lib/{tfm}/NnGen.Attributes.dll", entries);
                Assert.Contains($"lib/{tfm}/NnGen.Runtime.xml", entries);
            }

            Assert.Contains("build/NnGen.targets", entries);
            Assert.Contains("buildTransitive/NnGen.targets", entries);
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.Contains("docs/spec.md", entries);

            // The generator is an analyzer only: nothing of it in lib/, where it would become a reference.
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));

            using Stream nuspecStream = zip.Entries.Single(e => e.FullName == "NnGen.nuspec").Open();
            XElement metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
            Assert.Equal("NnGen", Field("id"));
            Assert.Equal(_package.Version, Field("version"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.False(string.IsNullOrWhiteSpace(Field("description")));
            // Per framework: netstandard2.1 (Unity, Godot 4.0-4.3 on .NET 6) needs nothing, so a Unity user copies
            // NnGen's own DLLs and nothing else; net8.0 takes TensorPrimitives.
            Dictionary<string, string[]> groups = metadata.Descendants().Where(e => e.Name.LocalName == "group").ToDictionary(
                g => (string)g.Attribute("targetFramework")!,
                g => g.Elements().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).OrderBy(d => d, StringComparer.Ordinal).ToArray());
            Assert.Equal(new[] { ".NETStandard2.1", "net8.0" }, groups.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Empty(groups[".NETStandard2.1"]);
            Assert.Equal(new[] { "System.Numerics.Tensors" }, groups["net8.0"]);
        }

        [Fact]
        public void The_pack_step_writes_a_Unity_package_with_meta_files_and_the_analyzer_label()
        {
            string tarball = Path.Combine(_package.Feed, $"com.nngen.nngen-{_package.Version}.tgz");
            Assert.True(File.Exists(tarball), "no Unity package beside the NuGet package");

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    Assert.True(entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile, entry.Name + " is not a file");
                    using var data = new MemoryStream();
                    entry.DataStream?.CopyTo(data);
                    files.Add(entry.Name, data.ToArray());
                }
            }

            string[] assets =
            {
                "package/package.json", "package/README.md", "package/LICENSE.md",
                "package/Runtime/NnGen.Runtime.dll", "package/Runtime/NnGen.Runtime.xml",
                "package/Runtime/NnGen.Attributes.dll", "package/Runtime/NnGen.Attributes.xml",
                "package/Analyzers/NnGen.Generator.dll",
            };
            string[] folders = { "package/Runtime", "package/Analyzers" };
            // The spec sits in Documentation~, which Unity does not import, so it has no .meta.
            Assert.Equal(
                assets.Concat(assets.Concat(folders).Select(a => a + ".meta")).Append("package/Documentation~/spec.md").OrderBy(f => f, StringComparer.Ordinal),
                files.Keys.OrderBy(f => f, StringComparer.Ordinal));

            // Every .meta has a GUID of its own: 32 lowercase hex digits.
            string Meta(string asset) => System.Text.Encoding.UTF8.GetString(files[asset + ".meta"]);
            string[] guids = files.Keys.Where(k => k.EndsWith(".meta", StringComparison.Ordinal))
                .Select(k => System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.UTF8.GetString(files[k]), "^guid: ([0-9a-f]{32})$", System.Text.RegularExpressions.RegexOptions.Multiline))
                .Select(m => { Assert.True(m.Success); return m.Groups[1].Value; })
                .ToArray();
            Assert.Equal(guids.Length, guids.Distinct().Count());

            // The generator: labelled RoslynAnalyzer, and no platform loads it as a plugin.
            string analyzer = Meta("package/Analyzers/NnGen.Generator.dll");
            Assert.Contains("labels:\n- RoslynAnalyzer\n", analyzer, StringComparison.Ordinal);
            Assert.DoesNotContain("enabled: 1", analyzer, StringComparison.Ordinal);
            Assert.Contains("Exclude Editor: 1", analyzer, StringComparison.Ordinal);

            // The runtime and attributes: plugins on every platform, no label.
            foreach (string dll in new[] { "package/Runtime/NnGen.Runtime.dll", "package/Runtime/NnGen.Attributes.dll" })
            {
                Assert.Contains("PluginImporter:", Meta(dll), StringComparison.Ordinal);
                Assert.Contains("Any: \n    second:\n      enabled: 1", Meta(dll), StringComparison.Ordinal);
                Assert.DoesNotContain("RoslynAnalyzer", Meta(dll), StringComparison.Ordinal);
            }

            Assert.Contains("folderAsset: yes", Meta("package/Runtime"), StringComparison.Ordinal);

            // The same DLLs as the NuGet package's netstandard2.1 folder and analyzer.
            using ZipArchive zip = ZipFile.OpenRead(_package.Package);
            byte[] Entry(string name)
            {
                using var data = new MemoryStream();
                using Stream stream = zip.GetEntry(name)!.Open();
                stream.CopyTo(data);
                return data.ToArray();
            }

            Assert.Equal(Entry("lib/netstandard2.1/NnGen.Runtime.dll"), files["package/Runtime/NnGen.Runtime.dll"]);
            Assert.Equal(Entry("analyzers/dotnet/cs/NnGen.Generator.dll"), files["package/Analyzers/NnGen.Generator.dll"]);

            using var json = System.Text.Json.JsonDocument.Parse(files["package/package.json"]);
            Assert.Equal("com.nngen.nngen", json.RootElement.GetProperty("name").GetString());
            Assert.Equal(_package.Version, json.RootElement.GetProperty("version").GetString());
            Assert.Equal("2022.3", json.RootElement.GetProperty("unity").GetString());
            Assert.Equal("12f1", json.RootElement.GetProperty("unityRelease").GetString());
        }

        [Fact]
        public void The_build_targets_refuse_two_weights_files_that_would_reach_the_generator_under_one_name()
        {
            string folder = Path.Combine(_package.Root, "clash");
            Directory.CreateDirectory(Path.Combine(folder, "weights"));
            Directory.CreateDirectory(Path.Combine(folder, "project", "weights"));
            File.Copy(SeedWeights, Path.Combine(folder, "weights", "seed.nngw"));
            File.Copy(SeedWeights, Path.Combine(folder, "project", "weights", "seed.nngw"));
            WriteNuGetConfig(folder);
            File.WriteAllText(Path.Combine(folder, "project", "Clash.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="NnGen" Version="{_package.Version}" />
                    <AdditionalFiles Include="../weights/seed.nngw" />
                    <AdditionalFiles Include="weights/seed.nngw" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(folder, "project", "Empty.cs"), "internal static class Empty { }");

            string output = DotNet.RunExpectingFailure(Path.Combine(folder, "project"), "build");

            Assert.Contains("would both reach the generator as 'weights/seed.nngw'", output, StringComparison.Ordinal);
        }

        [Fact]
        public void The_generator_references_Roslyn_4_3_and_only_what_Roslyn_4_3_brings()
        {
            using ZipArchive zip = ZipFile.OpenRead(_package.Package);
            using var buffer = new MemoryStream();
            using (Stream dll = zip.GetEntry("analyzers/dotnet/cs/NnGen.Generator.dll")!.Open())
            {
                dll.CopyTo(buffer);
            }

            buffer.Position = 0;
            using var pe = new PEReader(buffer);
            MetadataReader metadata = pe.GetMetadataReader();
            Dictionary<string, Version> references = metadata.AssemblyReferences
                .Select(metadata.GetAssemblyReference)
                .ToDictionary(r => metadata.GetString(r.Name), r => r.Version);

            // Roslyn 4.3's own dependencies, at most at the versions it ships with: every host that runs Roslyn 4.3 has them.
            var allowed = new Dictionary<string, Version>
            {
                ["netstandard"] = new(2, 0, 0, 0),
                ["Microsoft.CodeAnalysis"] = new(4, 3, 0, 0),
                ["Microsoft.CodeAnalysis.CSharp"] = new(4, 3, 0, 0),
                ["System.Collections.Immutable"] = new(6, 0, 0, 0),
                ["System.Memory"] = new(4, 0, 1, 1),
            };
            foreach ((string name, Version version) in references)
            {
                Assert.True(allowed.ContainsKey(name), $"the generator references {name} {version}, which Roslyn 4.3 hosts need not have");
                Assert.True(version <= allowed[name], $"the generator references {name} {version}, newer than {allowed[name]}");
            }

            Assert.Equal(new Version(4, 3, 0, 0), references["Microsoft.CodeAnalysis"]);
            Assert.Equal(new Version(4, 3, 0, 0), references["Microsoft.CodeAnalysis.CSharp"]);
        }

        [Fact]
        public void A_project_restores_the_package_from_a_local_feed_builds_and_runs()
        {
            string consumers = BuiltConsumers();
            string weights = Path.Combine(consumers, "UnityLike", "weights", "seed.nngw");

            string output = DotNet.Run(consumers, AppDll(consumers), weights);

            Assert.Contains("xor accuracy: 1", output, StringComparison.Ordinal);
            Assert.Contains("reloaded weights match: True", output, StringComparison.Ordinal);
            Assert.Contains("surface: 61 of 61 ok", output, StringComparison.Ordinal);
            Assert.Contains("baked equals loaded: True", output, StringComparison.Ordinal);

            // The library was compiled as Unity compiles: against netstandard2.1, at C# 9, and what NnGen wrote has no unsafe code.
            string generated = Path.Combine(consumers, "UnityLike", "obj", "Debug", "netstandard2.1", "generated");
            string[] files = Directory.GetFiles(generated, "*.g.cs", SearchOption.AllDirectories);
            Assert.Equal(66, files.Length);
            Assert.All(files, file => Assert.DoesNotMatch(@"\bunsafe\b|\bfixed\s*\(", File.ReadAllText(file)));
        }

        [Fact]
        public void A_save_killed_midway_leaves_the_last_good_weights_file()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            string consumers = BuiltConsumers();
            string path = Path.Combine(consumers, "killed-save.nngw");
            Assert.Contains("saved", DotNet.Run(consumers, AppDll(consumers), "save", path, "1"), StringComparison.Ordinal);

            // A file size limit of 1 KB (ulimit counts 1,024-byte blocks): the kernel stops the second save's 2.7 KB file
            // partway with SIGXFSZ, as a crash or a full disk would. (The runtime's W^X double mapping sizes a memory
            // file, which the limit refuses too, so it is off here.)
            (int exitCode, string output) = DotNet.Execute(
                "bash", consumers, TimeSpan.FromMinutes(2), new[] { "-c", "ulimit -f 1 && exec dotnet \"$0\" save \"$1\" 2", AppDll(consumers), path },
                new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" });
            Assert.True(
                exitCode != 0 && output.Contains("saving", StringComparison.Ordinal) && !output.Contains("saved", StringComparison.Ordinal),
                $"the limited save should have started and died midway, but exited with {exitCode}:\n{output}");

            // The file at the path is the first save's; the cut-off bytes are in the temporary file beside it.
            Assert.Contains("weights of seed 1: True", DotNet.Run(consumers, AppDll(consumers), "check", path, "1"), StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(consumers, ".killed-save.nngw.*.tmp"));
        }

        private static string AppDll(string consumers) => Path.Combine(consumers, "App", "bin", "Debug", "net10.0", "App.dll");

        // The consumer projects, copied beside the feed and built once for the tests that run them.
        private string BuiltConsumers()
        {
            lock (BuildGate)
            {
                if (_built is { } built && built.Version == _package.Version)
                {
                    return built.Folder;
                }

                // A folder of each attempt's own: a build that failed for one test is tried afresh by the next.
                string consumers = Path.Combine(_package.Root, "consumers-" + Guid.NewGuid().ToString("N"));
                DotNet.CopyDirectory(Path.Combine(DotNet.RepositoryRoot, "tests", "NnGen.IntegrationTests", "Consumers"), consumers);
                string weights = Path.Combine(consumers, "UnityLike", "weights", "seed.nngw");
                Directory.CreateDirectory(Path.GetDirectoryName(weights)!);
                File.Copy(SeedWeights, weights);
                WriteNuGetConfig(consumers);
                DotNet.Run(consumers, "build", Path.Combine("App", "App.csproj"), "-p:NnGenVersion=" + _package.Version);
                _built = (_package.Version, consumers);
                return consumers;
            }
        }

        private void WriteNuGetConfig(string folder) => _package.WriteNuGetConfig(folder);
    }
}
