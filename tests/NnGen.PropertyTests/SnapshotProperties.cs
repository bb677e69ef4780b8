using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using CsCheck;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Random small networks whose layers are all unrolled (Auto), float and double, every activation, fan-ins that
    /// split the sums: their inference snapshots compute the unrolled layers in Vector128 lanes, and must give the
    /// network's outputs and losses to the bit. The networks are generated, compiled with Roslyn and loaded once;
    /// the cases are fixed (<see cref="Seeded"/>).
    /// </summary>
    public sealed class SnapshotProperties
    {
        private static readonly string[] Activations = { "Identity", "Logistic", "Tanh", "Relu", "Elu", "Softmax" };

        // At most 18 inputs and 12 neurons: every layer stays under Auto's 224 multiply-adds and the whole under
        // 768, so Auto unrolls all of it; 16 inputs or more split the first layer's sums in four.
        private static readonly Gen<(int Inputs, (int Size, string Activation)[] Layers, bool Double)> Network =
            Gen.Select(Gen.Int[1, 18], Gen.Select(Gen.Int[1, 12], Gen.OneOf(Activations)).Array[1, 3], Gen.Bool);

        [Fact]
        public void Snapshots_of_random_unrolled_networks_give_the_networks_bits()
        {
            Network.Array[24].Sample(Check, cases: 1, stream: 31, print: networks => string.Join("\n", networks.Select(Declare)));
        }

        private static void Check((int Inputs, (int Size, string Activation)[] Layers, bool Double)[] networks)
        {
            string source = "using NnGen;\nnamespace Random\n{\n" + string.Join("\n", networks.Select((n, i) => Declare(n).Replace("class Net", $"class Net{i}", StringComparison.Ordinal))) + "\n}\n";
            GeneratorOutput output = GeneratorRunner.Run(GeneratorRunner.ParseOptions, Array.Empty<AdditionalText>(), source);
            using var image = new MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.OutputCompilation.Emit(image);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Take(5)));
            var context = new AssemblyLoadContext("random-networks", isCollectible: true);
            try
            {
                image.Position = 0;
                Assembly assembly = context.LoadFromStream(image);
                for (int i = 0; i < networks.Length; i++)
                {
                    object net = Activator.CreateInstance(assembly.GetType($"Random.Net{i}")!)!;
                    object snapshot = net.GetType().GetMethod("ToInference")!.Invoke(net, null)!;
                    Assert.True(snapshot.GetType().GetField("_lanes", BindingFlags.NonPublic | BindingFlags.Instance) is not null || networks[i].Layers.All(l => l.Size == 1), $"Net{i} has lanes");
                    Assert.True(snapshot.GetType().GetField("_packed", BindingFlags.NonPublic | BindingFlags.Instance) is null, $"Net{i} is all unrolled");
                    if (networks[i].Double)
                    {
                        Compare((INetwork<double>)net, i, v => v, BitConverter.DoubleToInt64Bits);
                    }
                    else
                    {
                        Compare((INetwork<float>)net, i, v => (float)v, v => BitConverter.SingleToInt32Bits(v));
                    }
                }
            }
            finally
            {
                context.Unload();
            }
        }

        private static string Declare((int Inputs, (int Size, string Activation)[] Layers, bool Double) n) =>
            $"[Network(Inputs = {n.Inputs}{(n.Double ? ", Precision = Precision.Double" : string.Empty)})]\n" +
            string.Concat(n.Layers.Select(l => $"[Layer({l.Size}, Activation.{l.Activation})]\n")) +
            "public partial class Net { }";

        // The snapshot is taken after the parameters are set, as ToInference copies them.
        private static void Compare<T>(INetwork<T> net, int index, Func<double, T> number, Func<T, long> bits)
            where T : unmanaged
        {
            var random = new Random(index);
            Span<T> p = net.Parameters;
            for (int k = 0; k < p.Length; k++)
            {
                p[k] = number((random.NextDouble() * 3) - 1.5);
            }

            var snapshot = (IInferenceNetwork<T>)net.GetType().GetMethod("ToInference")!.Invoke(net, null)!;
            var x = new T[net.InputCount];
            var t = new T[net.OutputCount];
            var expected = new T[net.OutputCount];
            var actual = new T[net.OutputCount];
            for (int s = 0; s < 40; s++)
            {
                for (int j = 0; j < x.Length; j++)
                {
                    x[j] = number((j + s) % 9 == 0 ? (s % 2 == 0 ? 30 : -0.0) : (random.NextDouble() * 6) - 3);
                }

                for (int k = 0; k < t.Length; k++)
                {
                    t[k] = number(random.NextDouble());
                }

                net.Forward(x, expected);
                snapshot.Forward(x, actual);
                Assert.True(expected.Select(bits).SequenceEqual(actual.Select(bits)), $"Net{index}, sample {s}: {string.Join(", ", expected)} against {string.Join(", ", actual)}");
                Assert.Equal(bits(net.Loss(x, t)), bits(snapshot.Loss(x, t)));
            }
        }
    }
}
