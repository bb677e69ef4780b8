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

    /// <summary>
    /// The NativeAOT consumer: a collection of its own, so that its publish runs beside the other package tests
    /// (xunit runs the tests of one collection one after another), with the same package.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class NativeAotCollection : ICollectionFixture<PackedPackage>
    {
        public const string Name = "The packed package under NativeAOT";
    }

    /// <summary>
    /// One collection's hold on the package: the first packs it, and the last to let go deletes it, so collections that
    /// run side by side share one pack.
    /// </summary>
    public sealed class PackedPackage : IDisposable
    {
        private static readonly object Gate = new();
        private static Pack? _shared;
        private static int _holders;

        private readonly Pack _pack;
        private bool _released;

        public PackedPackage()
        {
            lock (Gate)
            {
                _shared ??= new Pack();
                _holders++;
                _pack = _shared;
            }
        }

        public string Version => _pack.Version;

        /// <summary>A temporary folder for this run: the feed, consumers, caches.</summary>
        public string Root => _pack.Root;

        /// <summary>The local folder source holding only the new package.</summary>
        public string Feed => _pack.Feed;

        public string Package => _pack.Package;

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
            lock (Gate)
            {
                if (_released)
                {
                    return;
                }

                _released = true;
                if (--_holders == 0)
                {
                    _shared = null;
                    _pack.Delete();
                }
            }
        }

        private sealed class Pack
        {
            public Pack()
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

            public string Root { get; }

            public string Feed { get; }

            public string Package { get; }

            public void Delete()
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
}
