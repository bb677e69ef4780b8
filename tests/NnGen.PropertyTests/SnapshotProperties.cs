using System;
using System.Linq;
using System.Reflection;
using CsCheck;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// Random small networks whose layers are all unrolled (Auto), float and double, every activation, fan-ins that
    /// split the sums: their inference snapshots compute the unrolled layers in Vector128 lanes, and must give the
    /// network's outputs and losses to the bit; the networks' LossBatch must give Loss's outputs and costs to rounding. The networks are generated, compiled with Roslyn and loaded once;
    /// the cases are fixed (<see cref="Seeded"/>).
    /// </summary>
    public sealed class SnapshotProperties
    {
        private static readonly string[] Activations = { "Identity", "Logistic", "Tanh", "Relu", "Elu", "Softmax" };

        // At most 18 inputs and 12 neurons: every layer stays under Auto's 224 multiply-adds and the whole under
        // 768, so Auto unrolls all of it; 16 inputs or more split the first layer's sums in four.
        private static readonly Gen<(int Inputs, (int Size, string Activation)[] Layers, bool Double)> Network =
            Gen.Select(Gen.Int[1, 18], Layer(12).Array[1, 3], Gen.Bool);

        // A layer of up to `largest` neurons; a softmax of one neuron (NNG012, always 1) gets two.
        private static Gen<(int Size, string Activation)> Layer(int largest) =>
            Gen.Select(Gen.Int[1, largest], Gen.OneOf(Activations)).Select(l => (l.Item2 == "Softmax" ? Math.Max(l.Item1, 2) : l.Item1, l.Item2));

        [Fact]
        public void Snapshots_of_random_unrolled_networks_give_the_networks_bits()
        {
            Network.Array[24].Sample(Check, cases: 1, stream: 31, print: networks => string.Join("\n", networks.Select(Declare)));
        }

        private static void Check((int Inputs, (int Size, string Activation)[] Layers, bool Double)[] networks)
        {
            RandomNetworks.Check(string.Join("\n", networks.Select((n, i) => Declare(n).Replace("class Net", $"class Net{i}", StringComparison.Ordinal))), "random-networks", (assembly, _) =>
            {
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
            });
        }

        // Vectorised networks of one panel per layer (at most 16 float rows, 8 double) and small unrolled ones: the two kinds
        // of InferenceValue that hold their weights (AVX-512 and AVX2 inline code, the kernel elsewhere), and larger ones that
        // wrap their snapshot. Fan-ins below and above the four chains, partial strips, every activation.
        private static readonly Gen<(int Inputs, (int Size, string Activation)[] Layers, bool Double, bool Vectorized)> ValueNetwork =
            Gen.Select(Gen.Int[1, 20], Layer(18).Array[1, 3], Gen.Bool, Gen.Bool);

        [Fact]
        public void Values_of_random_networks_give_their_snapshots_bits()
        {
            ValueNetwork.Array[24].Sample(CheckValues, cases: 1, stream: 37, print: networks => string.Join("\n", networks.Select(DeclareValue)));
        }

        private static void CheckValues((int Inputs, (int Size, string Activation)[] Layers, bool Double, bool Vectorized)[] networks)
        {
            // Forward{i} runs Net{i}'s InferenceValue from arrays: a value's Forward takes spans, which reflection cannot pass.
            string helpers = "public static class Values\n{\n" + string.Concat(networks.Select((n, i) =>
            {
                string t = n.Double ? "double" : "float";
                return $"    public static void Forward{i}(Net{i} net, {t}[] x, {t}[] y) {{ Net{i}.InferenceValue value = net.ToInferenceValue(); value.Forward(x, y); }}\n";
            })) + "}\n";
            string body = string.Join("\n", networks.Select((n, i) => DeclareValue(n).Replace("class Net", $"class Net{i}", StringComparison.Ordinal))) + "\n" + helpers;
            RandomNetworks.Check(body, "random-values", (assembly, _) =>
            {
                MethodInfo[] forward = Enumerable.Range(0, networks.Length).Select(i => assembly.GetType("Random.Values")!.GetMethod($"Forward{i}")!).ToArray();

                // The sample covers every kind of value: panels in fields, lanes in fields, and a wrapped snapshot.
                string[] kinds = Enumerable.Range(0, networks.Length).Select(i =>
                {
                    Type value = assembly.GetType($"Random.Net{i}+InferenceValue")!;
                    return value.GetField("_w1_b", BindingFlags.NonPublic | BindingFlags.Instance) is not null ? "panels"
                        : value.GetField("_inference", BindingFlags.NonPublic | BindingFlags.Instance) is not null ? "wrapped"
                        : "lanes";
                }).ToArray();
                Assert.True(Seeded.Fuzzing || kinds.Distinct().OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(new[] { "lanes", "panels", "wrapped" }), "the sample covers every kind of value");
                for (int i = 0; i < networks.Length; i++)
                {
                    object net = Activator.CreateInstance(assembly.GetType($"Random.Net{i}")!)!;
                    if (networks[i].Double)
                    {
                        CompareValue((INetwork<double>)net, i, forward[i], v => v, BitConverter.DoubleToInt64Bits);
                        CompareLossBatch((INetwork<double>)net, i, v => v, v => v, 1e-10);
                    }
                    else
                    {
                        CompareValue((INetwork<float>)net, i, forward[i], v => (float)v, v => BitConverter.SingleToInt32Bits(v));
                        CompareLossBatch((INetwork<float>)net, i, v => (float)v, v => v, 2e-4);
                    }
                }
            });
        }

        private static string DeclareValue((int Inputs, (int Size, string Activation)[] Layers, bool Double, bool Vectorized) n) =>
            $"[Network(Inputs = {n.Inputs}{(n.Double ? ", Precision = Precision.Double" : string.Empty)}{(n.Vectorized ? ", CodeShape = CodeShape.Vectorized" : string.Empty)})]\n" +
            string.Concat(n.Layers.Select(l => $"[Layer({l.Size}, Activation.{l.Activation})]\n")) +
            "public partial class Net { }";

        private static void CompareValue<T>(INetwork<T> net, int index, MethodInfo valueForward, Func<double, T> number, Func<T, long> bits)
            where T : unmanaged
        {
            var random = new Random(index + 1000);
            Span<T> p = net.Parameters;
            for (int k = 0; k < p.Length; k++)
            {
                p[k] = number((random.NextDouble() * 3) - 1.5);
            }

            var snapshot = (IInferenceNetwork<T>)net.GetType().GetMethod("ToInference")!.Invoke(net, null)!;
            var x = new T[net.InputCount];
            var expected = new T[net.OutputCount];
            var actual = new T[net.OutputCount];
            for (int s = 0; s < 20; s++)
            {
                for (int j = 0; j < x.Length; j++)
                {
                    x[j] = number((j + s) % 9 == 0 ? (s % 2 == 0 ? 30 : -0.0) : (random.NextDouble() * 6) - 3);
                }

                snapshot.Forward(x, expected);
                valueForward.Invoke(null, new object[] { net, x, actual });
                Assert.True(expected.Select(bits).SequenceEqual(actual.Select(bits)), $"Net{index}, sample {s}: {string.Join(", ", expected)} against {string.Join(", ", actual)}");
            }
        }

        // LossBatch of 40 samples (more than a chunk of 32) against Loss one sample at a time: each output and cost within
        // `tolerance` of Loss's, relative to max(1, |Loss's|) (where a layer is vectorised the matrix kernels sum in another
        // order; where none is, LossBatch calls Loss and the two agree to the bit).
        private static void CompareLossBatch<T>(INetwork<T> net, int index, Func<double, T> number, Func<T, double> value, double tolerance)
            where T : unmanaged
        {
            const int samples = 40;
            var random = new Random(index + 2000);
            int inputs = net.InputCount, outputs = net.OutputCount;
            T[] x = Enumerable.Range(0, samples * inputs).Select(_ => number((random.NextDouble() * 6) - 3)).ToArray();
            T[] t = Enumerable.Range(0, samples * outputs).Select(_ => number(random.NextDouble())).ToArray();
            var batchOutputs = new T[samples * outputs];
            var losses = new T[samples];
            net.LossBatch(x, t, batchOutputs, losses);

            var output = new T[outputs];
            for (int s = 0; s < samples; s++)
            {
                double cost = value(net.Loss(x.AsSpan(s * inputs, inputs), t.AsSpan(s * outputs, outputs), output));
                Assert.True(Math.Abs(cost - value(losses[s])) <= tolerance * Math.Max(1, Math.Abs(cost)), $"Net{index}, sample {s}: cost {value(losses[s])}, Loss {cost}");
                for (int k = 0; k < outputs; k++)
                {
                    double expected = value(output[k]), actual = value(batchOutputs[(s * outputs) + k]);
                    Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"Net{index}, sample {s}, output {k}: {actual}, Loss {expected}");
                }
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
