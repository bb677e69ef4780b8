using System;
using System.Linq;
using System.Text.RegularExpressions;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.Generator.Tests
{
    /// <summary>
    /// No layer's forward pass, gradient or loss calls the C library: Math.Exp, Math.Tanh, Math.Log and their MathF forms
    /// are glibc's, the Windows CRT's or macOS's libm, which differ in the last bit, so a network that called them would
    /// give other outputs on another operating system (a lockstep game would desync).
    /// </summary>
    public sealed class CLibraryTests
    {
        public static TheoryData<string, string, string, string> Networks()
        {
            var data = new TheoryData<string, string, string, string>();
            foreach (string precision in new[] { "Single", "Double" })
            {
                foreach (string shape in new[] { "Unrolled", "Vectorized", "Auto" })
                {
                    // Every activation that takes an exponential or a tanh, in unrolled and vectorised layers, and in the
                    // snapshot (ToInference) that every shape but Unrolled adds.
                    data.Add(precision, shape, "[Layer(24, Activation.Tanh)] [Layer(20, Activation.Logistic)] [Layer(18, Activation.Elu, Alpha = 0.5)] [Layer(16, Activation.Logistic, Max = 2, Steepness = 0.5, Midpoint = 1)] [Layer(3, Activation.Softmax)]", "CrossEntropy");
                    data.Add(precision, shape, "[Layer(5, Activation.Tanh)] [Layer(4, Activation.Elu)] [Layer(3, Activation.Logistic)] [Layer(2, Activation.Softmax)]", "BinaryCrossEntropy");
                    data.Add(precision, shape, "[Layer(6, Activation.Tanh)] [Layer(3, Activation.Logistic, Max = 0.5, Steepness = 2)]", "BinaryCrossEntropy");
                    data.Add(precision, shape, "[Layer(6, Activation.Relu)] [Layer(3, Activation.Logistic)]", "CrossEntropy");
                }
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Networks))]
        public void No_activation_or_loss_calls_the_c_library(string precision, string shape, string layers, string cost)
        {
            string source = $$"""
                using NnGen;

                [Network(Inputs = 32, Cost = Cost.{{cost}}, Precision = Precision.{{precision}}, CodeShape = CodeShape.{{shape}})]
                {{layers}}
                public partial class Net { }
                """;
            GeneratorOutput output = GeneratorRunner.Run(source);
            Assert.Empty(output.CompilationProblems);

            // The code outside comments (which name Math.Tanh where they say why it is not called).
            string code = string.Join("\n", output.Source.Split('\n').Select(line => line.Split("//")[0]));
            Assert.Matches(@"FastMath\.(Exp|Tanh)|Kernels\.(Logistic|Elu|Softmax)", code);
            MatchCollection calls = Regex.Matches(code, @"\bMathF?\.(Exp|Tanh|Log|Pow|Log1P|Log2|Log10|Sinh|Cosh)\b");
            Assert.True(calls.Count == 0, $"the generated code calls {string.Join(", ", calls.Select(m => m.Value).Distinct())}");
        }
    }
}
