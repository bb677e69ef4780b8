using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>Random networks declared as source: generated, compiled with Roslyn and loaded for one check.</summary>
    internal static class RandomNetworks
    {
        /// <summary>
        /// Runs the generator over <paramref name="body"/> (the contents of namespace Random, with <c>using NnGen;</c>),
        /// compiles the result, loads it into a collectible context named <paramref name="name"/>, runs
        /// <paramref name="check"/> on the assembly and the generator's output, and unloads it. Unless
        /// <paramref name="invalidAllowed"/>, every declaration must be valid.
        /// </summary>
        public static void Check(string body, string name, Action<Assembly, GeneratorOutput> check, bool invalidAllowed = false)
        {
            string source = "using NnGen;\nnamespace Random\n{\n" + body + "\n}\n";
            GeneratorOutput output = GeneratorRunner.Run(GeneratorRunner.ParseOptions, Array.Empty<AdditionalText>(), source);

            // A declaration the generator rejects compiles (its class is left as declared) but has none of the members a
            // check looks for: say so, rather than fail later on a missing member.
            Assert.True(
                invalidAllowed || !output.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error),
                "A random declaration is invalid: " + string.Join("\n", output.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            using var image = new MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.OutputCompilation.Emit(image);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Take(5)));
            var context = new AssemblyLoadContext(name, isCollectible: true);
            try
            {
                image.Position = 0;
                check(context.LoadFromStream(image), output);
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
