using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

namespace NnGen.IntegrationTests
{
    /// <summary>Runs the dotnet CLI, or a program it built, as a user would, in a clean environment, and returns what it printed.</summary>
    internal static class DotNet
    {
        public static readonly string RepositoryRoot = FindRoot();

        /// <summary>Long enough for a cold restore and a NativeAOT compile on a slow machine.</summary>
        private static readonly TimeSpan DotNetTimeout = TimeSpan.FromMinutes(8);

        public static string Run(string workingDirectory, params string[] arguments) => RunProgram("dotnet", workingDirectory, DotNetTimeout, arguments);

        /// <summary>Runs <paramref name="program"/> (a path, or a name on PATH); a non-zero exit fails with all it printed.</summary>
        public static string RunProgram(string program, string workingDirectory, TimeSpan timeout, params string[] arguments) =>
            RunProgram(program, workingDirectory, timeout, NoEnvironment, arguments);

        /// <summary><see cref="RunProgram(string, string, TimeSpan, string[])"/> with environment variables set for the program.</summary>
        public static string RunProgram(string program, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        {
            (int exitCode, string output) = Execute(program, workingDirectory, timeout, arguments, environment);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
            }

            return output;
        }

        /// <summary>Runs a dotnet command that must fail, and returns what it printed.</summary>
        public static string RunExpectingFailure(string workingDirectory, params string[] arguments)
        {
            (int exitCode, string output) = Execute("dotnet", workingDirectory, DotNetTimeout, arguments);
            if (exitCode == 0)
            {
                throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} succeeded, but should have failed:\n{output}");
            }

            return output;
        }

        /// <summary>True when a file named <paramref name="program"/> is in a folder of PATH.</summary>
        public static bool OnPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Any(folder => File.Exists(Path.Combine(folder, program)));

        private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

        public static (int ExitCode, string Output) Execute(string program, string workingDirectory, TimeSpan timeout, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo(program)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // The test host runs inside MSBuild's and the test platform's environment; a user's shell does not.
            foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                string name = (string)variable.Key;
                if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                    || name is "DOTNET_HOST_PATH" or "MSBUILDNOINPROCNODE")
                {
                    start.Environment.Remove(name);
                }
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            foreach ((string name, string value) in environment ?? NoEnvironment)
            {
                start.Environment[name] = value;
            }

            var output = new StringBuilder();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
            }

            process.WaitForExit();
            return (process.ExitCode, output.ToString());
        }

        /// <summary>
        /// The DLL of a program under tests/ that the solution builds (a project reference of this project, so built first),
        /// in this build's configuration; fails the test where it is not there.
        /// </summary>
        public static string BuiltProgram(string project)
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            string program = Path.Combine(RepositoryRoot, "tests", project, "bin", configuration, "net10.0", project + ".dll");
            if (!File.Exists(program))
            {
                throw new InvalidOperationException($"{project} is not built at {program}");
            }

            return program;
        }

        public static void CopyDirectory(string from, string to)
        {
            foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(from, file);
                string[] parts = relative.Split(Path.DirectorySeparatorChar);
                if (Array.Exists(parts, p => p is "bin" or "obj"))
                {
                    continue;
                }

                string target = Path.Combine(to, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }

        private static string FindRoot([CallerFilePath] string here = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
    }
}
