using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Reading;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.Generator.Tests
{
    /// <summary>
    /// [Network(Weights = "file")]: the file is found among AdditionalFiles, read with the runtime's
    /// rules, checked against the declaration, and compiled in; every way it can go wrong is a
    /// diagnostic on the Weights argument and no code.
    /// </summary>
    public sealed class BakedWeightsTests
    {
        private const string Declaration = """
            using NnGen;

            namespace App
            {
                [Network(Inputs = 2, Cost = Cost.SquaredError, Weights = "net.nngw")]
                [Layer(3, Activation.Tanh)]
                [Layer(2, Activation.Identity)]
                public partial class Net { }
            }
            """;

        private const string WeightsArgument = "Weights = \"net.nngw\"";

        private static readonly NetworkArchitecture Architecture = new(
            2, Cost.SquaredError, Precision.Single, new LayerArchitecture(3, Activation.Tanh), new LayerArchitecture(2, Activation.Identity));

        [Fact]
        public void A_baked_network_compiles_holds_the_file_values_and_has_no_training_members()
        {
            float[] values = WeightsFiles.Pattern(17).Select(v => (float)v).ToArray();
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/project/net.nngw", WeightsFiles.Nngw(Architecture, values)) }, Declaration);

            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Empty(output.CompilationProblems);
            Type net = Load(output).GetType("App.Net")!;
            var instance = (IInferenceNetwork<float>)Activator.CreateInstance(net)!;
            Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), instance.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
            Assert.False(instance is INetwork<float>);
            Assert.Null(net.GetMethod("Accumulate"));
            Assert.Null(net.GetMethod("Step"));
            Assert.Null(net.GetProperty("Gradients"));
        }

        // Each baked parameter is a literal that every build parses and binds, so a large bake warns (NNG025) on Weights,
        // with a size estimate near what is written, and still generates its code; one parameter fewer does not warn.
        [Theory]
        [InlineData(512, 513, true)]
        [InlineData(511, 512, false)]
        public void NNG025_a_bake_above_262144_parameters_warns_and_still_generates(int inputs, int outputs, bool warns)
        {
            var architecture = new NetworkArchitecture(inputs, Cost.SquaredError, Precision.Single, new LayerArchitecture(outputs, Activation.Identity));
            var random = new Random(1);
            float[] values = Enumerable.Range(0, architecture.ParameterCount).Select(_ => (float)((random.NextDouble() * 0.1) - 0.05)).ToArray();
            string declaration = $$"""
                using NnGen;

                [Network(Inputs = {{inputs}}, Cost = Cost.SquaredError, Weights = "wide.nngw")]
                [Layer({{outputs}}, Activation.Identity)]
                public partial class Wide { }
                """;

            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/project/wide.nngw", WeightsFiles.Nngw(architecture, values)) }, declaration);

            Assert.Single(output.Run.GeneratedTrees);
            if (!warns)
            {
                Assert.Empty(output.GeneratorDiagnostics);
                return;
            }

            Diagnostic d = ExpectWarning(output, "NNG025", "Weights = \"wide.nngw\"");
            Assert.Contains("'Wide' bakes 263169 parameters", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("WeightsFile.Load, then ToInference()", d.GetMessage(), StringComparison.Ordinal);
            double estimate = 263_169 * NnGen.Generator.Validation.WeightsBinder.BakedBytesPerParameter;
            Assert.Contains((estimate / 1e6).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB", d.GetMessage(), StringComparison.Ordinal);
            Assert.InRange(Encoding.UTF8.GetByteCount(output.Source) / estimate, 0.8, 1.25);
        }

        [Fact]
        public void A_double_file_bakes_into_a_float_network_rounded_as_the_runtime_loads_it()
        {
            double[] values = WeightsFiles.Pattern(17);
            var doubleArchitecture = new NetworkArchitecture(2, Cost.SquaredError, Precision.Double, Architecture.Layers.ToArray());
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/project/net.nngw", WeightsFiles.Nngw(doubleArchitecture, values)) }, Declaration);

            Assert.Empty(output.GeneratorDiagnostics);
            var instance = (IInferenceNetwork<float>)Activator.CreateInstance(Load(output).GetType("App.Net")!)!;
            Assert.Equal(values.Select(v => BitConverter.SingleToInt32Bits((float)v)), instance.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        }

        [Fact]
        public void Safetensors_layers_bake_in_natural_order_and_a_missing_bias_is_zero()
        {
            double[] w1 = WeightsFiles.Pattern(6), b1 = { 0.5, -0.25, 0.125 }, w2 = WeightsFiles.Pattern(6).Select(v => -v).ToArray();
            byte[] file = WeightsFiles.Safetensors(
                ("layers.10.weight", "F64", new long[] { 2, 3 }, w2),
                ("layers.2.weight", "F32", new long[] { 3, 2 }, w1),
                ("layers.2.bias", "F32", new long[] { 3 }, b1));
            GeneratorOutput output = GeneratorRunner.Run(
                new[] { File("/project/model.safetensors", file) },
                Declaration.Replace("net.nngw", "model.safetensors", StringComparison.Ordinal));

            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Empty(output.CompilationProblems);
            var instance = (IInferenceNetwork<float>)Activator.CreateInstance(Load(output).GetType("App.Net")!)!;
            double[] expected = w1.Concat(b1).Concat(w2).Concat(new[] { 0.0, 0.0 }).ToArray();
            Assert.Equal(expected.Select(v => (float)v), instance.Parameters.ToArray());
        }

        // An actor-critic checkpoint (the actor's and the critic's layers, a log_std that is no linear layer's, an
        // integer step counter): WeightsLayers bakes the actor's two layers, the way Safetensors.Import takes names.
        private static byte[] ActorCritic(double[] w1, double[] b1, double[] w2, double[] b2) => WeightsFiles.Safetensors(
            ("actor.0.weight", "F32", new long[] { 3, 2 }, w1),
            ("actor.0.bias", "F32", new long[] { 3 }, b1),
            ("actor.2.weight", "F32", new long[] { 2, 3 }, w2),
            ("actor.2.bias", "F32", new long[] { 2 }, b2),
            ("critic.0.weight", "F32", new long[] { 5, 2 }, new double[10]),
            ("critic.0.bias", "F32", new long[] { 5 }, new double[5]),
            ("critic.2.weight", "F32", new long[] { 1, 5 }, new double[5]),
            ("log_std", "F32", new long[] { 2 }, new double[2]));

        private const string ActorArgument = "WeightsLayers = new[] { \"actor.0\", \"actor.2\" }";

        private static string ActorDeclaration(string layers = ActorArgument) =>
            Declaration.Replace("Weights = \"net.nngw\"", "Weights = \"ppo.safetensors\", " + layers, StringComparison.Ordinal);

        [Fact]
        public void WeightsLayers_bakes_the_named_layers_of_a_checkpoint_that_holds_others()
        {
            double[] w1 = WeightsFiles.Pattern(6), b1 = { 0.5, -0.25, 0.125 }, w2 = WeightsFiles.Pattern(6).Select(v => -v).ToArray(), b2 = { 0.75, -1 };
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/project/ppo.safetensors", ActorCritic(w1, b1, w2, b2)) }, ActorDeclaration());

            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Empty(output.CompilationProblems);
            var instance = (IInferenceNetwork<float>)Activator.CreateInstance(Load(output).GetType("App.Net")!)!;
            Assert.Equal(w1.Concat(b1).Concat(w2).Concat(b2).Select(v => (float)v), instance.Parameters.ToArray());
        }

        // model.half() and a BatchNorm's I64 count: the generator bakes each value exactly (FileProperties holds it to what
        // Safetensors.Import loads from the same file).
        [Theory]
        [InlineData("F16")]
        [InlineData("BF16")]
        public void WeightsLayers_bakes_half_and_bfloat16_layers_beside_tensors_of_other_dtypes(string dtype)
        {
            double[] w1 = WeightsFiles.Pattern(6), b1 = WeightsFiles.Pattern(3), w2 = WeightsFiles.Pattern(6), b2 = { 0.25, -1.5 };
            byte[] file = NnGen.Testing.SafetensorsWriter.Write(
                new("actor.0.weight", dtype, new long[] { 3, 2 }, w1),
                new("actor.0.bias", dtype, new long[] { 3 }, b1),
                new("norm.num_batches_tracked", "I64", System.Array.Empty<long>(), new double[] { 12 }),
                new("actor.2.weight", dtype, new long[] { 2, 3 }, w2),
                new("actor.2.bias", dtype, new long[] { 2 }, b2));
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/project/ppo.safetensors", file) }, ActorDeclaration());

            Assert.Empty(output.GeneratorDiagnostics);
            var baked = (IInferenceNetwork<float>)Activator.CreateInstance(Load(output).GetType("App.Net")!)!;
            float[] expected = w1.Concat(b1).Concat(w2).Concat(b2)
                .Select(v => dtype == "F16" ? (float)(Half)v : NnGen.Testing.SafetensorsWriter.FromBFloat16Bits(NnGen.Testing.SafetensorsWriter.BFloat16Bits((float)v)))
                .ToArray();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), baked.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        }

        // A small head baked from a large checkpoint: the build reads the whole file on every build, so NNG026 says how to
        // bake a file of the head alone; the head is baked all the same.
        [Fact]
        public void NNG026_a_head_baked_from_a_checkpoint_far_larger_than_it()
        {
            double[] w1 = WeightsFiles.Pattern(6), b1 = { 0.5, -0.25, 0.125 }, w2 = WeightsFiles.Pattern(6), b2 = { 0.75, -1 };
            const int backbone = (16 * 1024 * 1024 / 4) + 1;
            byte[] file = WeightsFiles.Safetensors(
                ("backbone.weight", "F32", new long[] { backbone, 1 }, new double[backbone]),
                ("actor.0.weight", "F32", new long[] { 3, 2 }, w1),
                ("actor.0.bias", "F32", new long[] { 3 }, b1),
                ("actor.2.weight", "F32", new long[] { 2, 3 }, w2),
                ("actor.2.bias", "F32", new long[] { 2 }, b2));
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/project/ppo.safetensors", file) }, ActorDeclaration());

            Diagnostic d = ExpectWarning(output, "NNG026", "Weights = \"ppo.safetensors\"");
            Assert.Contains("'App.Net' bakes 17 parameters from 'ppo.safetensors', a file of 16.8 MB", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("Safetensors.Export", d.GetMessage(), StringComparison.Ordinal);
            var instance = (IInferenceNetwork<float>)Activator.CreateInstance(Load(output).GetType("App.Net")!)!;
            Assert.Equal(w1.Concat(b1).Concat(w2).Concat(b2).Select(v => (float)v), instance.Parameters.ToArray());
        }

        [Fact]
        public void Without_WeightsLayers_such_a_checkpoint_is_NNG017_pointing_to_it()
        {
            byte[] file = ActorCritic(new double[6], new double[3], new double[6], new double[2]);
            Diagnostic d = ExpectError(
                GeneratorRunner.Run(new[] { File("/p/ppo.safetensors", file) }, Declaration.Replace("net.nngw", "ppo.safetensors", StringComparison.Ordinal)),
                "NNG017",
                "Weights = \"ppo.safetensors\"");
            Assert.Contains("'log_std'", d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("WeightsLayers", d.GetMessage(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("WeightsLayers = new[] { \"actor.0\", \"actor.1\" }", "NNG017", "'actor.1.weight'")]
        [InlineData("WeightsLayers = new[] { \"actor.0\", \"log_std\" }", "NNG017", "'log_std.weight'")]
        [InlineData("WeightsLayers = new[] { \"critic.0\", \"actor.2\" }", "NNG018", "'critic.0' [5, 2]")]
        public void WeightsLayers_naming_a_missing_or_misshapen_layer_says_which(string layers, string id, string named)
        {
            byte[] file = ActorCritic(new double[6], new double[3], new double[6], new double[2]);
            Diagnostic d = ExpectError(GeneratorRunner.Run(new[] { File("/p/ppo.safetensors", file) }, ActorDeclaration(layers)), id, "Weights = \"ppo.safetensors\"");
            Assert.Contains(named, d.GetMessage(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("WeightsLayers = new string[0]", "is empty")]
        [InlineData("WeightsLayers = new[] { \"actor.0\", \"\" }", "empty or null name")]
        [InlineData("WeightsLayers = new[] { \"actor.0\", null }", "empty or null name")]
        [InlineData("WeightsLayers = new[] { \"actor.0\", \"actor.0\" }", "'actor.0' twice")]
        [InlineData("WeightsLayers = new[] { \"actor.0\" }", "names 1 layers, but 'App.Net' has 2")]
        [InlineData("WeightsLayers = null", "is empty")]
        public void NNG024_a_WeightsLayers_argument_that_cannot_name_the_layers(string layers, string reason)
        {
            byte[] file = ActorCritic(new double[6], new double[3], new double[6], new double[2]);
            Diagnostic d = ExpectError(GeneratorRunner.Run(new[] { File("/p/ppo.safetensors", file) }, ActorDeclaration(layers)), "NNG024", layers);
            Assert.Contains(reason, d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void NNG024_WeightsLayers_without_Weights()
        {
            string source = Declaration.Replace("Weights = \"net.nngw\"", ActorArgument, StringComparison.Ordinal);
            Diagnostic d = ExpectError(GeneratorRunner.Run(source), "NNG024", ActorArgument);
            Assert.Contains("no Weights", d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void WeightsLayers_with_an_NnGen_weights_file_is_NNG017()
        {
            GeneratorOutput output = GeneratorRunner.Run(
                new[] { File("/project/net.nngw", WeightsFiles.Nngw(Architecture, new float[17])) },
                Declaration.Replace("Weights = \"net.nngw\"", "Weights = \"net.nngw\", " + ActorArgument, StringComparison.Ordinal));
            Diagnostic d = ExpectError(output, "NNG017", WeightsArgument);
            Assert.Contains("no names", d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void The_name_matches_the_end_of_the_item_path_with_either_separator()
        {
            float[] values = new float[17];
            GeneratorOutput output = GeneratorRunner.Run(
                new[] { File(@"C:\work\app\weights\net.nngw", WeightsFiles.Nngw(Architecture, values)) },
                Declaration.Replace("\"net.nngw\"", "\"weights/net.nngw\"", StringComparison.Ordinal));

            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Single(output.Run.GeneratedTrees);
        }

        [Fact]
        public void A_baked_network_may_declare_members_named_like_training_members()
        {
            string declaration = Declaration.Replace(
                "public partial class Net { }",
                "public partial class Net { public float Accumulate(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> t) => 0; public void Step(float rate) { } }",
                StringComparison.Ordinal);
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/p/net.nngw", WeightsFiles.Nngw(Architecture, new float[17])) }, declaration);

            Assert.Empty(output.GeneratorDiagnostics);
            Assert.Empty(output.CompilationProblems);
        }

        [Fact]
        public void NNG004_a_baked_network_member_that_clashes_with_forward()
        {
            string declaration = Declaration.Replace(
                "public partial class Net { }",
                "public partial class Net { public void Forward(System.ReadOnlySpan<float> x, System.Span<float> y) { } }",
                StringComparison.Ordinal);
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/p/net.nngw", WeightsFiles.Nngw(Architecture, new float[17])) }, declaration);

            Diagnostic d = Assert.Single(output.GeneratorDiagnostics);
            Assert.Equal("NNG004", d.Id);
        }

        [Fact]
        public void NNG016_no_additional_file_of_that_name()
        {
            GeneratorOutput output = GeneratorRunner.Run(new[] { File("/project/other.nngw", WeightsFiles.Nngw(Architecture, new float[17])) }, Declaration);
            Diagnostic d = ExpectError(output, "NNG016", WeightsArgument);
            Assert.Contains("<AdditionalFiles Include=\"net.nngw\" />", d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void NNG016_an_empty_name()
        {
            GeneratorOutput output = GeneratorRunner.Run(Declaration.Replace("\"net.nngw\"", "\"\"", StringComparison.Ordinal));
            ExpectError(output, "NNG016", "Weights = \"\"");
        }

        [Fact]
        public void NNG017_a_corrupt_file_names_the_checksum()
        {
            byte[] file = WeightsFiles.Nngw(Architecture, new float[17]);
            file[file.Length - 10] ^= 0x40;
            Diagnostic d = ExpectError(GeneratorRunner.Run(new[] { File("/p/net.nngw", file) }, Declaration), "NNG017", WeightsArgument);
            Assert.Contains("checksum", d.GetMessage(), StringComparison.Ordinal);
        }

        public static TheoryData<string, byte[], string> UnreadableFiles()
        {
            byte[] valid = WeightsFiles.Nngw(Architecture, new float[17]);
            byte[] nan = WeightsFiles.NngwWith(Architecture, new float[17], 12, float.NaN);
            return new TheoryData<string, byte[], string>
            {
                { "truncated", valid.Take(valid.Length - 5).ToArray(), "truncated" },
                { "empty", Array.Empty<byte>(), "truncated" },
                { "text", Encoding.UTF8.GetBytes("0.1, 0.2, 0.3\n"), "neither an NnGen weights file nor a safetensors file" },
                { "future version", WithByte(valid, 4, 2), "version 2" },
                { "NaN parameter", nan, "W of layer 2 holds NaN at index 3" },
                { "bad JSON", SafetensorsWithHeader("{\"a.weight\": {"), "not valid JSON" },
                { "I64 tensor", SafetensorsWithHeader("{\"a.weight\":{\"dtype\":\"I64\",\"shape\":[3,2],\"data_offsets\":[0,48]}}", 48), "'a.weight' is I64; NnGen reads F16, BF16, F32 and F64 tensors" },
                { "offsets past the data", SafetensorsWithHeader("{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]}}", 8), "truncated" },
                { "offsets that do not fit the shape", SafetensorsWithHeader("{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,8]}}", 24), "data offsets" },
                { "not a linear layer", SafetensorsWithHeader("{\"embedding\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "'embedding'" },
            };
        }

        [Theory]
        [MemberData(nameof(UnreadableFiles))]
        public void NNG017_an_unreadable_file_says_why(string what, byte[] file, string reason)
        {
            Diagnostic d = ExpectError(GeneratorRunner.Run(new[] { File("/p/net.nngw", file) }, Declaration), "NNG017", WeightsArgument);
            Assert.True(d.GetMessage().Contains(reason, StringComparison.Ordinal), $"{what}: {d.GetMessage()}");
        }

        [Theory]
        [InlineData(4, Activation.Tanh, "3 → 4 Tanh")]
        [InlineData(3, Activation.Relu, "2 → 3 Relu")]
        public void NNG018_a_file_of_another_network_names_both_shapes(int size, Activation activation, string fileShape)
        {
            int inputs = size == 4 ? 3 : 2;
            var other = new NetworkArchitecture(inputs, Cost.SquaredError, Precision.Single, new LayerArchitecture(size, activation), new LayerArchitecture(2, Activation.Identity));
            byte[] file = WeightsFiles.Nngw(other, new float[other.ParameterCount]);

            Diagnostic d = ExpectError(GeneratorRunner.Run(new[] { File("/p/net.nngw", file) }, Declaration), "NNG018", WeightsArgument);
            Assert.Contains(fileShape, d.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("'App.Net' is 2 → 3 Tanh → 2 Identity", d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void NNG018_a_safetensors_layer_of_another_shape()
        {
            byte[] file = WeightsFiles.Safetensors(("0.weight", "F32", new long[] { 3, 2 }, new double[6]), ("1.weight", "F32", new long[] { 3, 3 }, new double[9]));
            Diagnostic d = ExpectError(
                GeneratorRunner.Run(new[] { File("/p/net.safetensors", file) }, Declaration.Replace("net.nngw", "net.safetensors", StringComparison.Ordinal)),
                "NNG018",
                "Weights = \"net.safetensors\"");
            Assert.Contains("'1' [3, 3]", d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void NNG019_a_name_that_matches_two_items_suggests_a_longer_one()
        {
            byte[] file = WeightsFiles.Nngw(Architecture, new float[17]);
            Diagnostic d = ExpectError(
                GeneratorRunner.Run(new[] { File("/p/a/net.nngw", file), File("/p/b/net.nngw", file) }, Declaration),
                "NNG019",
                WeightsArgument);
            Assert.Contains("\"a/net.nngw\"", d.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void Generator_crc32_is_system_io_hashing_crc32()
        {
            var random = new Random(5);
            foreach (int length in new[] { 0, 1, 7, 64, 1000 })
            {
                byte[] data = new byte[length];
                random.NextBytes(data);
                Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data), NnGen.Crc32.Hash(data));
            }
        }

        [Fact]
        public void The_text_copy_gives_back_every_byte()
        {
            var random = new Random(9);
            byte[] bytes = Enumerable.Range(0, 256).Select(b => (byte)b).Concat(Enumerable.Range(0, 4096).Select(_ => (byte)random.Next(256))).ToArray();

            AdditionalWeightsFile read = AdditionalWeightsFile.Read(new WeightsAdditionalText("/p/x.nngw", bytes), default);

            // Random bytes are no weights file, so the parse that follows the decoding fails; the bytes come back whole.
            Assert.Equal(bytes, read.Bytes.AsSpan().ToArray());
            Assert.Null(read.Data);
            Assert.DoesNotContain("text copy", read.Error, StringComparison.Ordinal);
        }

        [Fact]
        public void The_runtime_text_form_for_Unity_bakes_like_the_file()
        {
            float[] values = WeightsFiles.Pattern(17).Select(v => (float)v).ToArray();
            string text = WeightsFile.ToBakingText(WeightsFiles.Nngw(Architecture, values));
            GeneratorOutput output = GeneratorRunner.Run(
                new[] { WeightsAdditionalText.FromText("/Assets/Net.NnGen.Generator.additionalfile", text) },
                Declaration.Replace("net.nngw", "Net.NnGen.Generator.additionalfile", StringComparison.Ordinal));

            Assert.Empty(output.GeneratorDiagnostics);
            var instance = (IInferenceNetwork<float>)Activator.CreateInstance(Load(output).GetType("App.Net")!)!;
            Assert.Equal(values, instance.Parameters.ToArray());
        }

        public static TheoryData<string, AdditionalText, string> FilesNotThroughTheTargets() => new()
        {
            { "binary, refused by the compiler", new WeightsAdditionalText("/p/net.nngw", WeightsFiles.Nngw(Architecture, new float[17]), raw: true), "could not read it as text" },
            { "some other text", WeightsAdditionalText.FromText("/p/net.nngw", "0.1 0.2 0.3"), "not the text copy" },
            { "broken base64", WeightsAdditionalText.FromText("/p/net.nngw", BakingText.Header + "\n@@@@"), "not valid base64" },
        };

        [Theory]
        [MemberData(nameof(FilesNotThroughTheTargets))]
        public void NNG017_a_file_that_did_not_come_through_the_build_targets(string what, AdditionalText file, string reason)
        {
            Diagnostic d = ExpectError(GeneratorRunner.Run(new[] { file }, Declaration), "NNG017", WeightsArgument);
            Assert.True(d.GetMessage().Contains(reason, StringComparison.Ordinal), $"{what}: {d.GetMessage()}");
        }

        [Theory]
        [InlineData("/p/net.nngw", "net.nngw", true)]
        [InlineData("/p/weights/net.nngw", "weights/net.nngw", true)]
        [InlineData(@"C:\p\weights\net.nngw", @"weights\net.nngw", true)]
        [InlineData("/p/net.nngw", "./net.nngw", true)]
        [InlineData("/p/subnet.nngw", "net.nngw", false)]
        [InlineData("/p/net.nngw", "other/net.nngw", false)]
        [InlineData("/p/Net.nngw", "net.nngw", false)]
        public void Names_match_whole_trailing_path_segments(string path, string name, bool matches)
        {
            Assert.Equal(matches, AdditionalWeightsFile.Matches(path, name));
        }

        private static AdditionalText File(string path, byte[] bytes) => new WeightsAdditionalText(path, bytes);

        private static byte[] WithByte(byte[] file, int index, byte value)
        {
            byte[] copy = (byte[])file.Clone();
            copy[index] = value;
            return copy;
        }

        private static byte[] SafetensorsWithHeader(string header, int dataBytes = 0)
        {
            byte[] json = Encoding.UTF8.GetBytes(header);
            return BitConverter.GetBytes((ulong)json.Length).Concat(json).Concat(new byte[dataBytes]).ToArray();
        }

        private static Diagnostic ExpectError(GeneratorOutput output, string id, string locatedText)
        {
            Diagnostic d = Assert.Single(output.GeneratorDiagnostics, x => x.Id == id);
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            string source = output.OutputCompilation.SyntaxTrees.First().GetText().ToString();
            Assert.Equal(locatedText, source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
            Assert.Empty(output.Run.GeneratedTrees);
            Assert.Empty(output.CompilationProblems.Where(p => p.Severity == DiagnosticSeverity.Error));
            return d;
        }

        // The run's only diagnostic, a warning on locatedText; the network's code is still generated.
        private static Diagnostic ExpectWarning(GeneratorOutput output, string id, string locatedText)
        {
            Diagnostic d = Assert.Single(output.GeneratorDiagnostics);
            Assert.Equal(id, d.Id);
            Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
            Assert.Equal(locatedText, output.OutputCompilation.SyntaxTrees.First().GetText().ToString(d.Location.SourceSpan));
            Assert.Single(output.Run.GeneratedTrees);
            return d;
        }

        private static Assembly Load(GeneratorOutput output)
        {
            using var stream = new MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult result = output.OutputCompilation.Emit(stream);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            return Assembly.Load(stream.ToArray());
        }
    }
}
