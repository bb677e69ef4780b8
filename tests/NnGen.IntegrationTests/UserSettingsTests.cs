using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// The packed package in consumer projects with the settings real game and library projects use: each builds
    /// with no warning at all (-warnaserror) and runs its networks' gradient checks. The settings that change the
    /// code (a dirty stack, C# 9, shadowing names, namespace forms, older frameworks) have a consumer each; the
    /// settings that only add warnings share one. The consumers build together, in one solution, so the matrix
    /// costs one restore and build.
    /// </summary>
    [Collection(PackageCollection.Name)]
    public sealed class UserSettingsTests : IClassFixture<UserSettingsTests.Build>
    {
        private const string Block = "namespace Consumer\n{";
        private const string FileScoped = "namespace Consumer;";

        // The deep networks are most of a consumer's build time (DeepNet, members split between layers, about 4 s; DeepLanes,
        // a snapshot split in lanes, about 8 s more), so only the consumers whose setting reaches the code inside a method
        // or a local function's parameters build them: DeepNet wherever the setting acts on method bodies, types or
        // warnings, DeepLanes with a dirty stack, the strict warnings and C# 9. The namespace forms and Godot 4.4's net8.0
        // (the same code as net10.0) do without.
        private const string Deep = "<DefineConstants>$(DefineConstants);NNGEN_DEEP</DefineConstants>";

        // The consumers with DeepLanes also build binary cross-entropy after softmax (its spans on a dirty stack, warnings
        // as errors, C# 9); all twelve consumers of 2026-12-05 built it once and passed.
        private const string DeepLanes = "<DefineConstants>$(DefineConstants);NNGEN_DEEP;NNGEN_DEEP_LANES;NNGEN_SOFTMAX_BINARY</DefineConstants>";

        // Every compiler and analyzer setting that only adds errors, together, as a careful library turns them on: checked
        // arithmetic, nullable warnings, documentation, every analyzer at the latest level, every warning wave and strict
        // features, all as errors. Each of them had a consumer of its own until 2026-12-05, when all passed; one consumer
        // builds the networks once instead of four times (CI time), and a complaint still names its rule.
        private const string Strict =
            "<CheckForOverflowUnderflow>true</CheckForOverflowUnderflow><Nullable>enable</Nullable><GenerateDocumentationFile>true</GenerateDocumentationFile>"
            + "<AnalysisLevel>latest-all</AnalysisLevel><WarningLevel>9999</WarningLevel><Features>strict</Features><TreatWarningsAsErrors>true</TreatWarningsAsErrors>";

        /// <summary>Name, project properties, namespace form, whether the shadowing types are included, extra source.</summary>
        public static readonly (string Name, string Properties, string Namespace, bool Shadowing, string Extra)[] Settings =
        {
            ("SkipLocalsInit", "<AllowUnsafeBlocks>true</AllowUnsafeBlocks>" + DeepLanes, Block, false, "[module: System.Runtime.CompilerServices.SkipLocalsInit]"),
            ("StrictWarnings", Strict + DeepLanes, Block, false, string.Empty),

            // C# 9 turns implicit usings off too, so no consumer of its own checks that.
            ("CSharp9", "<LangVersion>9</LangVersion><ImplicitUsings>disable</ImplicitUsings>" + DeepLanes, Block, false, string.Empty),
            ("ShadowingTypes", Deep, Block, true, string.Empty),
            ("GlobalNamespace", string.Empty, string.Empty, false, string.Empty),
            ("FileScopedNamespace", string.Empty, FileScoped, false, string.Empty),

            // Godot 4.0-4.3 projects target net6.0 (and get the netstandard2.1 runtime), Godot 4.4+ net8.0. Neither
            // runtime is on this machine, so these build (as libraries) but do not run; nor does the netstandard2.1 library below.
            ("Godot43Net6", LibraryFor("net6.0") + Deep, Block, false, string.Empty),
            ("Godot44Net8", LibraryFor("net8.0"), Block, false, string.Empty),

            // A netstandard2.1 class library, as a Unity plugin is built outside Unity: with no LangVersion its SDK compiles
            // C# 8, older than Unity's 9 (the generated code's one C# 9 pattern failed this build until 2026-12-05). Its split
            // members (DeepNet), whose local functions go without their C# 9 attribute, are compiled at C# 8 by
            // DiagnosticTests.A_member_split_between_layers_compiles_at_CSharp_8 rather than here (CI time).
            ("NetStandard21Library", LibraryFor("netstandard2.1") + "<ImplicitUsings>disable</ImplicitUsings>", Block, false, string.Empty),
        };

        private readonly Build _build;

        private static string LibraryFor(string framework) =>
            $"<TargetFramework>{framework}</TargetFramework><OutputType>Library</OutputType><TreatWarningsAsErrors>true</TreatWarningsAsErrors>"
            + "<CheckEolTargetFramework>false</CheckEolTargetFramework>";

        public UserSettingsTests(Build build) => _build = build;

        public static TheoryData<string> Names => new(Settings.Select(s => s.Name));

        [Theory]
        [MemberData(nameof(Names))]
        public void A_consumer_with_this_setting_builds_without_warnings_and_its_networks_are_right(string name)
        {
            Assert.True(_build.ExitCode == 0, "the consumers did not build:\n" + string.Join("\n", _build.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal) || l.Contains(": warning ", StringComparison.Ordinal)).Distinct().Take(40)));
            string[] complaints = _build.Output.Split('\n')
                .Where(line => line.Contains("/" + name + "/", StringComparison.Ordinal) && (line.Contains(": warning ", StringComparison.Ordinal) || line.Contains(": error ", StringComparison.Ordinal)))
                .ToArray();
            Assert.Empty(complaints);
            if (name.StartsWith("Godot", StringComparison.Ordinal) || name == "NetStandard21Library")
            {
                string dll = Directory.GetFiles(Path.Combine(_build.Folder, name, "bin"), name + ".dll", SearchOption.AllDirectories).Single();
                Assert.True(File.Exists(dll));
                return;
            }

            string output = DotNet.Run(_build.Folder, Path.Combine(_build.Folder, name, "bin", "Debug", "net10.0", name + ".dll"));
            Assert.Equal("0", output.Trim());
        }

        [Fact]
        public void A_file_local_network_is_NNG020_and_nothing_else()
        {
            string folder = Path.Combine(_build.Package.Root, "file-local");
            Directory.CreateDirectory(folder);
            _build.Package.WriteNuGetConfig(folder);
            File.WriteAllText(Path.Combine(folder, "FileLocal.csproj"), Project(_build.Package.Version, "<OutputType>Library</OutputType>"));
            File.WriteAllText(Path.Combine(folder, "Nets.cs"), """
                using NnGen;
                namespace Consumer
                {
                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] file partial class Hidden { }

                    [Network(Inputs = 2)] [Layer(2, Activation.Tanh)] public partial class Visible { }

                    public static class User
                    {
                        public static int Parameters() => Visible.ParameterCount;
                    }
                }
                """);

            string output = DotNet.RunExpectingFailure(folder, "build");

            string[] errors = output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToArray();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Contains("error NNG020", e, StringComparison.Ordinal));
        }

        private static string Project(string version, string properties) => $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NnGen" Version="{version}" />
              </ItemGroup>
            </Project>
            """;

        /// <summary>Writes every consumer and builds them all once.</summary>
        public sealed class Build
        {
            public Build(PackedPackage package)
            {
                Package = package;
                Folder = Path.Combine(package.Root, "settings");
                Directory.CreateDirectory(Folder);
                package.WriteNuGetConfig(Folder);
                string sources = Path.Combine(DotNet.RepositoryRoot, "tests", "NnGen.IntegrationTests", "Consumers", "Settings");
                var projects = new List<string>();
                foreach ((string name, string properties, string ns, bool shadowing, string extra) in Settings)
                {
                    string project = Path.Combine(Folder, name);
                    Directory.CreateDirectory(project);
                    File.WriteAllText(Path.Combine(project, name + ".csproj"), Project(package.Version, properties));
                    var files = new List<string> { "Networks.cs", "Program.cs" };
                    if (shadowing)
                    {
                        files.Add("ShadowingTypes.cs");
                    }

                    foreach (string file in files)
                    {
                        string text = File.ReadAllText(Path.Combine(sources, file))
                            .Replace("NAMESPACE_OPEN", ns, StringComparison.Ordinal)
                            .Replace("NAMESPACE_CLOSE", ns == Block ? "}" : string.Empty, StringComparison.Ordinal);
                        File.WriteAllText(Path.Combine(project, file), text);
                    }

                    if (extra.Length > 0)
                    {
                        File.WriteAllText(Path.Combine(project, "Settings.cs"), extra + "\n");
                    }

                    projects.Add($"  <Project Path=\"{name}/{name}.csproj\" />");
                }

                File.WriteAllText(Path.Combine(Folder, "Consumers.slnx"), "<Solution>\n" + string.Join("\n", projects) + "\n</Solution>\n");
                (ExitCode, Output) = DotNet.Execute("dotnet", Folder, TimeSpan.FromMinutes(8), new[] { "build", "Consumers.slnx", "-warnaserror" });
            }

            public PackedPackage Package { get; }

            public string Folder { get; }

            public int ExitCode { get; }

            public string Output { get; }
        }
    }
}
