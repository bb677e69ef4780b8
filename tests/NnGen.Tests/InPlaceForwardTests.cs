using System;
using System.Linq;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    [Network(Inputs = 16, CodeShape = CodeShape.Vectorized)]
    [Layer(16, Activation.Identity)]
    public partial class Linear16F { }

    /// <summary>
    /// Forward with an output span that overlaps the input span (in place, or shifted in one buffer) gives what it
    /// gives with separate spans: every input is read before any output is written. A vectorised output layer
    /// writes a(L) straight into the output span, so a network whose only layer is vectorised must not compute
    /// into the span it is still reading.
    /// </summary>
    public class InPlaceForwardTests
    {
        public static TheoryData<string> Names => new(Catalog.Double.Keys);

        [Theory]
        [MemberData(nameof(Names))]
        public void Overlapping_spans_give_the_outputs_of_separate_ones(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 4);
            Check(net, name);
            if (net.GetType().GetMethod("ToInference") is { } toInference)
            {
                Check((IInferenceNetwork<double>)toInference.Invoke(net, null)!, name + " snapshot");
            }
        }

        [Fact]
        public void A_single_vectorised_float_layer_computes_in_place()
        {
            // 16 × 16 identity: one panel, the shape whose z is computed straight into output.
            var net = new Linear16F();
            net.InitializeParameters(2);
            Check(net, "network");
            Check(net.ToInference(), "snapshot");
        }

        private static void Check<T>(IInferenceNetwork<T> net, string what)
            where T : unmanaged
        {
            int n = net.InputCount, m = net.OutputCount;
            T[] x = Enumerable.Range(0, n).Select(i => (T)Convert.ChangeType(Math.Sin(i + 1), typeof(T), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var expected = new T[m];
            net.Forward(x, expected);

            // Output from every offset that overlaps the input: before it, at it (in place), inside it, past its start.
            for (int shift = -m + 1; shift < n; shift++)
            {
                int inputAt = Math.Max(0, -shift), outputAt = Math.Max(0, shift);
                var buffer = new T[Math.Max(inputAt + n, outputAt + m)];
                x.CopyTo(buffer, inputAt);
                net.Forward(new ReadOnlySpan<T>(buffer, inputAt, n), buffer.AsSpan(outputAt, m));
                Assert.True(expected.SequenceEqual(buffer.AsSpan(outputAt, m).ToArray()), $"{what}: output at {shift} from the input differs");
            }
        }
    }
}
