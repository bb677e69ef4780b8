using System;
using System.IO;

namespace NnGen.Testing
{
    /// <summary>
    /// netstandard.dll of NETStandard.Library.Ref 2.1.0: the reference assembly Unity compiles scripts against.
    /// The test projects that compile as Unity does download it on restore (a PackageDownload item).
    /// </summary>
    internal static class NetStandardReference
    {
        public static string Path { get; } = System.IO.Path.Combine(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "netstandard.library.ref", "2.1.0", "ref", "netstandard2.1", "netstandard.dll");
    }
}
