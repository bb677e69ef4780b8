using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace NnGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Snapshot testing with the Verify file convention: the accepted text is Snapshots/NAME.verified.cs
    /// beside the test; on a mismatch the new text is written to NAME.received.cs and the test fails.
    /// Accept a change by copying received over verified (tests/accept-snapshots.sh does all of them).
    /// </summary>
    internal static class Snapshot
    {
        public static void Verify(string actual, string name, [CallerFilePath] string testFile = "")
        {
            string folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
            Assert.True(Directory.Exists(folder), $"Snapshot folder {folder} not found; the tests must run from a source checkout.");

            string verifiedPath = Path.Combine(folder, name + ".verified.cs");
            string receivedPath = Path.Combine(folder, name + ".received.cs");
            string text = actual.Replace("\r\n", "\n");

            if (File.Exists(verifiedPath) && File.ReadAllText(verifiedPath).Replace("\r\n", "\n") == text)
            {
                File.Delete(receivedPath);
                return;
            }

            File.WriteAllText(receivedPath, text);
            Assert.Fail(File.Exists(verifiedPath)
                ? $"Generated code differs from {verifiedPath}. Compare it with {receivedPath}; if the change is intended, copy received over verified."
                : $"No snapshot {verifiedPath} yet. Review {receivedPath}; if it is right, rename it to .verified.cs.");
        }
    }
}
