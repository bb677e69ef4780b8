using System.Linq;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.Generator.Tests
{
    /// <summary>
    /// The generated code, character for character, for a few networks that between them use every
    /// code path of the emitter. A change to the output shows up here as a reviewable diff.
    /// </summary>
    public sealed class SnapshotTests
    {
        [Fact]
        public void Seed_network_2_3_4_2_tanh()
        {
            Verify("SeedNet", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 2, Cost = Cost.SquaredError)]
                    [Layer(3, Activation.Tanh)]
                    [Layer(4, Activation.Tanh)]
                    [Layer(2, Activation.Identity)]
                    public partial class SeedNet { }
                }
                """);
        }

        [Fact]
        public void Classifier_with_hidden_softmax_relu_and_elu_in_double()
        {
            Verify("HiddenSoftmaxClassifier", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
                    [Layer(4, Activation.Relu)]
                    [Layer(3, Activation.Softmax)]
                    [Layer(2, Activation.Elu, Alpha = 0.5)]
                    [Layer(3, Activation.Softmax)]
                    public partial class HiddenSoftmaxClassifier { }
                }
                """);
        }

        [Fact]
        public void Float_elu_takes_e_to_the_z_from_fast_math()
        {
            // FastMath.Exp, not MathF.Exp (the C library's, whose last bit differs between operating systems): α = 1
            // and another α.
            Verify("FloatElu", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 3, Cost = Cost.SquaredError)]
                    [Layer(4, Activation.Elu)]
                    [Layer(2, Activation.Elu, Alpha = 0.5)]
                    public partial class FloatElu { }
                }
                """);
        }

        [Fact]
        public void Double_vectorised_tanh_layer_in_the_network_and_its_snapshot()
        {
            Verify("DoubleTanhVectorized", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 24, Cost = Cost.SquaredError, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
                    [Layer(16, Activation.Tanh)]
                    [Layer(2, Activation.Identity)]
                    public partial class DoubleTanhVectorized { }
                }
                """);
        }

        [Fact]
        public void Custom_logistic_with_binary_cross_entropy_nested_in_a_generic_type()
        {
            Verify("CustomLogistic", """
                using NnGen;

                namespace Samples.Nested
                {
                    public partial class Outer<T>
                    {
                        [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy)]
                        [Layer(3, Activation.Logistic, Max = 2, Steepness = -1.5, Midpoint = 0.25)]
                        [Layer(2, Activation.Logistic, Max = 0.5, Steepness = 3, Midpoint = -0.75)]
                        internal partial class CustomLogistic { }
                    }
                }
                """);
        }

        [Fact]
        public void Softmax_with_binary_cross_entropy()
        {
            Verify("SoftmaxBinaryCrossEntropy", """
                using NnGen;

                [Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy)]
                [Layer(3, Activation.Softmax)]
                public partial class SoftmaxBinaryCrossEntropy { }
                """);
        }

        [Fact]
        public void Softmax_with_mean_squared_error()
        {
            Verify("SoftmaxMeanSquaredError", """
                using NnGen;

                [Network(Inputs = 2, Cost = Cost.MeanSquaredError)]
                [Layer(3, Activation.Softmax)]
                public partial class SoftmaxMeanSquaredError { }
                """);
        }

        [Fact]
        public void Hidden_softmax_classifier_forced_to_the_vectorised_shape()
        {
            Verify("HiddenSoftmaxClassifierVectorized", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 3, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
                    [Layer(4, Activation.Relu)]
                    [Layer(3, Activation.Softmax)]
                    [Layer(2, Activation.Elu, Alpha = 0.5)]
                    [Layer(3, Activation.Softmax)]
                    public partial class HiddenSoftmaxClassifier { }
                }
                """);
        }

        [Fact]
        public void One_vectorised_identity_layer_writes_z_into_output()
        {
            // Forward computes z straight into output, and through the stack only when output overlaps input.
            Verify("LinearVectorized", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 5, CodeShape = CodeShape.Vectorized)]
                    [Layer(3, Activation.Identity)]
                    public partial class Linear { }
                }
                """);
        }

        [Fact]
        public void Digits_network_mixes_the_shapes_under_auto()
        {
            // 64 × 16 is vectorised, 16 × 10 unrolled: both boundaries of the two shapes in one file.
            Verify("MixedDigits", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
                    [Layer(16, Activation.Tanh)]
                    [Layer(10, Activation.Softmax)]
                    public partial class MixedDigits { }
                }
                """);
        }

        [Fact]
        public void Baked_seed_network_inference_only()
        {
            var architecture = new NetworkArchitecture(
                2, Cost.SquaredError, Precision.Single, new LayerArchitecture(3, Activation.Tanh), new LayerArchitecture(4, Activation.Tanh), new LayerArchitecture(2, Activation.Identity));
            float[] parameters = WeightsFiles.Pattern(architecture.ParameterCount).Select(v => (float)v).ToArray();
            Verify("BakedSeedNet", """
                using NnGen;

                namespace Samples
                {
                    [Network(Inputs = 2, Cost = Cost.SquaredError, Weights = "seed.nngw")]
                    [Layer(3, Activation.Tanh)]
                    [Layer(4, Activation.Tanh)]
                    [Layer(2, Activation.Identity)]
                    public partial class BakedSeedNet { }
                }
                """,
                new WeightsAdditionalText("/project/seed.nngw", WeightsFiles.Nngw(architecture, parameters)));
        }

        private static void Verify(string name, string source, params Microsoft.CodeAnalysis.AdditionalText[] additionalFiles)
        {
            GeneratorOutput output = GeneratorRunner.Run(additionalFiles, source);
            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Empty(output.CompilationProblems);
            Snapshot.Verify(output.Source, name);
        }
    }
}
