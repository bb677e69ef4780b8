using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace NnGen.IntegrationTests
{
    /// <summary>Runs an executable other than dotnet, and finds programs on PATH.</summary>
    internal static class Program
    {
        public static string Run(string path)
        {
            var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{path} did not finish in two minutes");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{path} exited with {process.ExitCode}:\n{output}{error}");
            }

            return output + error;
        }

        public static bool OnPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Any(folder => File.Exists(Path.Combine(folder, program)));
    }
}
