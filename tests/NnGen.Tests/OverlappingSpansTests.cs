using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// Spans that share memory. ForwardBatch may write its outputs over its inputs only where no output can land on an
    /// input not yet read: outputs starting where inputs starts or before it, with an output no longer than an input.
    /// Every other overlap (outputs ahead of inputs, or longer samples) used to give wrong outputs silently, differently
    /// for each code shape and chunk size; it is now an ArgumentException naming outputs, before anything is written.
    /// Loss(input, target, output) used to write output before the cost read target, so an output over the target gave
    /// a wrong loss; it now reads both first, as Forward does. AccumulateBatch into gradients that share memory with
    /// its inputs, its targets or the parameters is rejected.
    /// </summary>
    public sealed class OverlappingSpansTests
    {
        // 1 sample, a few, and more than one chunk of every batch path (chunks of 20 to 32 samples).
        private static readonly int[] Counts = { 1, 3, 41 };

        public static TheoryData<string> Names => new(Catalog.Double.Keys);

        [Theory]
        [MemberData(nameof(Names))]
        public void ForwardBatch_over_its_inputs_gives_the_outputs_of_separate_spans_or_is_rejected_before_writing(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 9);
            CheckForwardBatch(net, name);
            if (net.GetType().GetMethod("ToInference") is { } toInference)
            {
                CheckForwardBatch((IInferenceNetwork<double>)toInference.Invoke(net, null)!, name + " snapshot");
            }
        }

        [Fact]
        public void Baked_and_float_networks_check_ForwardBatch_overlaps_the_same_way()
        {
            CheckForwardBatch(new BakedSeedNetF(), "baked unrolled float");
            CheckForwardBatch(new BakedCustomLogisticFVectorized(), "baked vectorised float");
            CheckForwardBatch(new BakedMixed(), "baked mixed double");
            var wide = new Linear16F();
            wide.InitializeParameters(5);
            CheckForwardBatch(wide, "16 × 16 vectorised float");
            CheckForwardBatch(wide.ToInference(), "16 × 16 vectorised float snapshot");
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Loss_with_an_output_over_its_target_or_input_gives_the_bits_of_separate_spans(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 10);
            CheckLoss(net, name);
            if (net.GetType().GetMethod("ToInference") is { } toInference)
            {
                CheckLoss((IInferenceNetwork<double>)toInference.Invoke(net, null)!, name + " snapshot");
            }
        }

        [Fact]
        public void Baked_and_float_networks_read_target_before_writing_output()
        {
            CheckLoss(new BakedSeedNetF(), "baked unrolled float");
            CheckLoss(new BakedCustomLogisticFVectorized(), "baked vectorised float");
            CheckLoss(new BakedCrossEntropy(), "baked double");
            foreach (NetCase<float> @case in Catalog.Single.Values)
            {
                CheckLoss(@case.Create(), @case.Name);
            }
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void AccumulateBatch_into_gradients_that_share_memory_with_what_it_reads_is_rejected_before_anything_changes(string name)
        {
            // The sums are written while the inputs, the targets and W are still being read: sharing memory with any
            // of them gave wrong gradients (and, into the parameters, wrong parameters) without a word.
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 11);
            int n = net.InputCount, m = net.OutputCount, p = net.ParameterCount, count = 5;
            var random = new Random(12);
            double[] inputs = Enumerable.Range(0, count).SelectMany(_ => Samples.Input(@case.Spec, random)).ToArray();
            double[] targets = Enumerable.Range(0, count).SelectMany(_ => Samples.Target(@case.Spec, random)).ToArray();
            double[] parameters = net.Parameters.ToArray();

            // gradients inside a buffer that also holds the inputs, or the targets, from either side.
            foreach (bool gradientsFirst in new[] { true, false })
            {
                foreach ((double[] data, bool isInputs) in new[] { (inputs, true), (targets, false) })
                {
                    var buffer = new double[data.Length + p - 1];
                    int dataAt = gradientsFirst ? p - 1 : 0, gradientsAt = gradientsFirst ? 0 : data.Length - 1;
                    data.CopyTo(buffer, dataAt);
                    double[] before = (double[])buffer.Clone();
                    ArgumentException error = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(
                        isInputs ? new ReadOnlySpan<double>(buffer, dataAt, data.Length) : inputs,
                        isInputs ? targets : new ReadOnlySpan<double>(buffer, dataAt, data.Length),
                        buffer.AsSpan(gradientsAt, p)));
                    Assert.Equal("gradients", error.ParamName);
                    Assert.Contains(isInputs ? "inputs" : "targets", error.Message, StringComparison.Ordinal);
                    Assert.Equal(before, buffer);
                }
            }

            ArgumentException intoParameters = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(inputs, targets, net.Parameters));
            Assert.Contains("the network's parameters", intoParameters.Message, StringComparison.Ordinal);
            Assert.Equal(parameters, net.Parameters.ToArray());
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0.0, g));

            // The network's own Gradients are memory of their own: the sums go there, the count stays.
            var expected = new double[p];
            net.AccumulateBatch(inputs, targets, expected);
            net.AccumulateBatch(inputs, targets, net.Gradients);
            Assert.Equal(expected, net.Gradients.ToArray());
            Assert.Equal(0, net.AccumulatedSamples);
        }

        [Fact]
        public void The_rejection_names_outputs_and_says_why()
        {
            var net = new Linear16F();
            var buffer = new float[3 * 16 + 5];
            ArgumentException ahead = Assert.Throws<ArgumentException>(() => net.ForwardBatch(buffer.AsSpan(0, 48), buffer.AsSpan(5, 48)));
            Assert.Equal("outputs", ahead.ParamName);
            Assert.Contains("starting 5 values after it", ahead.Message, StringComparison.Ordinal);

            var longer = new BakedSeedNetF();   // 2 inputs, 2 outputs: in place is allowed
            var pairs = new float[8];
            longer.ForwardBatch(pairs, pairs);
            var wide = new SmallBeforeWide();   // 8 inputs, 300 outputs: in place would overrun later inputs
            var room = new double[300 * 2];
            ArgumentException longerOutputs = Assert.Throws<ArgumentException>(() => wide.ForwardBatch(room.AsSpan(0, 16), room));
            Assert.Equal("outputs", longerOutputs.ParamName);
            Assert.Contains("an output (300 values) is longer than an input (8)", longerOutputs.Message, StringComparison.Ordinal);
        }

        private static void CheckForwardBatch<T>(IInferenceNetwork<T> net, string what)
            where T : unmanaged
        {
            int n = net.InputCount, m = net.OutputCount;
            var random = new Random(n * 31 + m);
            foreach (int count in Counts)
            {
                T[] inputs = Enumerable.Range(0, count * n).Select(_ => Samples.FromDouble<T>((random.NextDouble() * 4) - 2)).ToArray();
                var expected = new T[count * m];
                net.ForwardBatch(inputs, expected);

                foreach (int shift in Shifts(count, n, m))
                {
                    int inputAt = Math.Max(0, -shift), outputAt = Math.Max(0, shift);
                    var buffer = new T[Math.Max(inputAt + (count * n), outputAt + (count * m))];
                    inputs.CopyTo(buffer, inputAt);
                    T[] before = (T[])buffer.Clone();
                    bool overlap = inputAt < outputAt + (count * m) && outputAt < inputAt + (count * n);
                    bool allowed = !overlap || (shift <= 0 && m <= n);
                    if (allowed)
                    {
                        net.ForwardBatch(new ReadOnlySpan<T>(buffer, inputAt, count * n), buffer.AsSpan(outputAt, count * m));
                        Assert.True(expected.SequenceEqual(buffer.AsSpan(outputAt, count * m).ToArray()), $"{what}: {count} samples, outputs {shift} values from the inputs differ");
                        continue;
                    }

                    ArgumentException error = Assert.Throws<ArgumentException>(() => net.ForwardBatch(new ReadOnlySpan<T>(buffer, inputAt, count * n), buffer.AsSpan(outputAt, count * m)));
                    Assert.Equal("outputs", error.ParamName);
                    Assert.True(before.SequenceEqual(buffer), $"{what}: {count} samples, outputs {shift} values from the inputs: rejected after writing");
                }
            }
        }

        // Every shift near the inputs' start and end, and around each sample boundary for the first few samples.
        private static IEnumerable<int> Shifts(int count, int n, int m)
        {
            var shifts = new SortedSet<int>();
            for (int s = -(n + m); s <= n + m; s++)
            {
                shifts.Add(s);
            }

            for (int k = 1; k <= Math.Min(count, 4); k++)
            {
                shifts.UnionWith(new[] { (k * n) - 1, k * n, (k * n) + 1, -(k * m) - 1, -(k * m), -(k * m) + 1 });
            }

            shifts.UnionWith(new[] { (count * n) - 1, (count * n), -(count * m) + 1, -(count * m) });
            return shifts;
        }

        private static void CheckLoss<T>(IInferenceNetwork<T> net, string what)
            where T : unmanaged
        {
            int n = net.InputCount, m = net.OutputCount;
            var random = new Random(n * 17 + m);
            T[] x = Enumerable.Range(0, n).Select(_ => Samples.FromDouble<T>((random.NextDouble() * 4) - 2)).ToArray();
            T[] t = Enumerable.Range(0, m).Select(_ => Samples.FromDouble<T>(random.NextDouble())).ToArray();
            var expected = new T[m];
            T loss = net.Loss(x, t, expected);

            // Output over the target, from every offset that overlaps it.
            for (int shift = -m + 1; shift < m; shift++)
            {
                int targetAt = Math.Max(0, -shift), outputAt = Math.Max(0, shift);
                var buffer = new T[Math.Max(targetAt, outputAt) + m];
                t.CopyTo(buffer, targetAt);
                T actual = net.Loss(x, new ReadOnlySpan<T>(buffer, targetAt, m), buffer.AsSpan(outputAt, m));
                Assert.True(loss.Equals(actual), $"{what}: output {shift} values from the target: loss {actual}, expected {loss}");
                Assert.True(expected.SequenceEqual(buffer.AsSpan(outputAt, m).ToArray()), $"{what}: output {shift} values from the target differs");
            }

            // Output over the input.
            for (int shift = -m + 1; shift < n; shift++)
            {
                int inputAt = Math.Max(0, -shift), outputAt = Math.Max(0, shift);
                var buffer = new T[Math.Max(inputAt + n, outputAt + m)];
                x.CopyTo(buffer, inputAt);
                T actual = net.Loss(new ReadOnlySpan<T>(buffer, inputAt, n), t, buffer.AsSpan(outputAt, m));
                Assert.True(loss.Equals(actual), $"{what}: output {shift} values from the input: loss {actual}, expected {loss}");
                Assert.True(expected.SequenceEqual(buffer.AsSpan(outputAt, m).ToArray()), $"{what}: output {shift} values from the input differs");
            }
        }
    }
}
