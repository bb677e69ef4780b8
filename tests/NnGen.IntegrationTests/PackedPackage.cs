using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace NnGen.IntegrationTests
{
    /// <summary>
    /// The NnGen package, freshly packed into a folder of its own with a version no earlier run used, so
    /// that every restore takes this build and no cached copy.
    /// </summary>
    [CollectionDefinition(PackageCollection.Name)]
    public sealed class PackageCollection : ICollectionFixture<PackedPackage>
    {
        public const string Name = "The packed package";
    }

    public sealed class PackedPackage : IDisposable
    {
        public PackedPackage()
        {
            Version = "0.1.0-pkgtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
            Root = Path.Combine(Path.GetTempPath(), "nngen-package-" + Guid.NewGuid().ToString("N"));
            Feed = Path.Combine(Root, "feed");
            Directory.CreateDirectory(Feed);
            DotNet.Run(
                DotNet.RepositoryRoot,
                "pack", Path.Combine(DotNet.RepositoryRoot, "src", "NnGen", "NnGen.csproj"),
                "-c", "Release", "-o", Feed, "-p:Version=" + Version, "-p:ContinuousIntegrationBuild=true");
            Package = Directory.GetFiles(Feed, "NnGen.*.nupkg").Single();
        }

        public string Version { get; }

        /// <summary>A temporary folder for this run: the feed, consumers, caches.</summary>
        public string Root { get; }

        /// <summary>The local folder source holding only the new package.</summary>
        public string Feed { get; }

        public string Package { get; }

        /// <summary>The local feed next to the sources the machine already has (where the package's dependencies come from).</summary>
        public void WriteNuGetConfig(string folder) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="nngen-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);

                // Versions of this run only ever come from this feed: drop them from the global cache.
                string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
                string cached = Path.Combine(packages, "nngen", Version);
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing the run for.
            }
        }
    }
}
