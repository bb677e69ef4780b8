using System;
using System.Linq;
using NnGen.Testing;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

using static NnGen.Tests.Tolerance;

namespace NnGen.Tests
{
    /// <summary>
    /// A loss function of the caller's in place of the declared cost: Accumulate(input, target, lossFunction) and both
    /// AccumulateBatch overloads with one, on every catalog network, against central finite differences of the loss, against
    /// the plain reference MLP given the loss's gradient, and batch against per sample. The loss is a weighted Huber
    /// loss whose targets hold the values and then a weight per output, so they are twice as long as the output.
    /// </summary>
    public sealed class LossFunctionTests
    {
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Gradients_of_a_loss_function_match_finite_differences(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(name.Length * 104729);
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 5);
            double[] x = Samples.Input(@case.Spec, random);
            double[] t = WeightedHuber<double>.Target(net.OutputCount, random);
            var huber = new WeightedHuber<double>();

            double Loss()
            {
                var y = new double[net.OutputCount];
                net.Forward(x, y);
                return WeightedHuber<double>.Value(y, t, out _);
            }

            net.ClearGradients();
            double loss = net.Accumulate(x, t, huber);
            double[] analytic = net.Gradients.ToArray();
            Assert.Equal(1, net.AccumulatedSamples);
            Assert.Equal(Loss(), loss, 12);

            CustomLossTests.AssertMatchesFiniteDifferences(net, analytic, Loss, name);
        }

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Gradients_of_a_loss_function_agree_with_the_reference(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(23);
            INetwork<double> net = @case.Create();
            for (int trial = 0; trial < 3; trial++)
            {
                Samples.Randomize(net, @case.Spec, seed: 60 + trial);
                var reference = new ReferenceMlp(@case.Spec, net.Parameters);
                double[] x = Samples.Input(@case.Spec, random);
                double[] t = WeightedHuber<double>.Target(net.OutputCount, random);
                double expectedLoss = WeightedHuber<double>.Value(reference.Output(x), t, out double[] g);
                (double[] parameters, _) = reference.Backpropagate(x, g);

                net.ClearGradients();
                double loss = net.Accumulate(x, t, new WeightedHuber<double>());
                Assert.Equal(expectedLoss, loss, 11);
                AssertClose(parameters, net.Gradients.ToArray(), 1e-11, $"{name} Accumulate with a loss function");
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_networks_agree_with_the_reference_to_float_precision(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(37);
            INetwork<float> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 8);
            var reference = new ReferenceMlp(@case.Spec, Samples.ToDouble<float>(net.Parameters));
            double[] x = Samples.Input(@case.Spec, random);
            double[] t = WeightedHuber<double>.Target(net.OutputCount, random);
            float[] xf = Samples.Convert<float>(x), tf = Samples.Convert<float>(t);

            // The reference at the float inputs and targets, so that only the network's arithmetic differs.
            double[] xr = Samples.ToDouble<float>(xf), tr = Samples.ToDouble<float>(tf);
            double expectedLoss = WeightedHuber<double>.Value(reference.Output(xr), tr, out double[] g);
            (double[] parameters, _) = reference.Backpropagate(xr, g);

            net.ClearGradients();
            float loss = net.Accumulate(xf, tf, new WeightedHuber<float>());
            Assert.True(Math.Abs(expectedLoss - loss) <= 1e-4 * Math.Max(1, Math.Abs(expectedLoss)), $"{name}: loss {loss}, reference {expectedLoss}");
            AssertClose(parameters, Samples.ToDouble<float>(net.Gradients), 1e-4, $"{name} gradient");
        }

        // The runtime's ready-made HuberLoss (δ = 0.5, weighted) against the plain one above through the reference MLP: the
        // same values and gradients on every network, in one-sample and batch form.
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void The_ready_made_HuberLoss_agrees_with_the_reference(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            var random = new Random(41);
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 70);
            var reference = new ReferenceMlp(@case.Spec, net.Parameters);
            var huber = new HuberLoss<double>(0.5, weighted: true);
            double[] x = Samples.Input(@case.Spec, random);
            double[] t = WeightedHuber<double>.Target(net.OutputCount, random);
            double expectedLoss = WeightedHuber<double>.Value(reference.Output(x), t, out double[] g);
            (double[] parameters, _) = reference.Backpropagate(x, g);

            net.ClearGradients();
            double loss = net.Accumulate(x, t, huber);
            Assert.Equal(expectedLoss, loss, 11);
            AssertClose(parameters, net.Gradients.ToArray(), 1e-11, $"{name} Accumulate with HuberLoss");

            (double[] inputs, double[] targets) = Batch(net, random, 37);
            AssertBatchMatchesSamples(net, inputs, targets, huber, 1e-11, name);
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void The_ready_made_float_HuberLoss_agrees_with_the_reference(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            var random = new Random(43);
            INetwork<float> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 9);
            var reference = new ReferenceMlp(@case.Spec, Samples.ToDouble<float>(net.Parameters));
            var huber = new HuberLoss<float>(0.5, weighted: true);
            float[] xf = Samples.Convert<float>(Samples.Input(@case.Spec, random));
            float[] tf = Samples.Convert<float>(WeightedHuber<double>.Target(net.OutputCount, random));
            double[] xr = Samples.ToDouble<float>(xf), tr = Samples.ToDouble<float>(tf);
            double expectedLoss = WeightedHuber<double>.Value(reference.Output(xr), tr, out double[] g);
            (double[] parameters, _) = reference.Backpropagate(xr, g);

            net.ClearGradients();
            float loss = net.Accumulate(xf, tf, huber);
            Assert.True(Math.Abs(expectedLoss - loss) <= 1e-4 * Math.Max(1, Math.Abs(expectedLoss)), $"{name}: loss {loss}, reference {expectedLoss}");
            AssertClose(parameters, Samples.ToDouble<float>(net.Gradients), 1e-4, $"{name} gradient");

            (double[] inputs, double[] targets) = Batch(net, random, 37);
            AssertBatchMatchesSamples(net, Samples.Convert<float>(inputs), Samples.Convert<float>(targets), huber, 1e-4, name);
        }

        // The runtime's SoftmaxCrossEntropyLoss (class indices, label smoothing, class weights) against PyTorch's definition
        // written plainly, through the reference MLP, on every network of two outputs or more: the outputs are taken as
        // logits whatever the output layer is, so that every generated loss-function path is crossed, one sample and batch.
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void The_ready_made_SoftmaxCrossEntropyLoss_agrees_with_the_reference(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            if (net.OutputCount < 2)
            {
                Assert.Contains("always 1", new SoftmaxCrossEntropyLoss<double>().CheckTarget(new double[1], net.OutputCount));
                return;
            }

            var random = new Random(47);
            Samples.Randomize(net, @case.Spec, seed: 71);
            var reference = new ReferenceMlp(@case.Spec, net.Parameters);
            double[] weights = Enumerable.Range(0, net.OutputCount).Select(_ => 0.25 + (random.NextDouble() * 2)).ToArray();
            var loss = new OnAnyOutput<double>(new SoftmaxCrossEntropyLoss<double>(classIndex: true, labelSmoothing: 0.1, classWeights: weights));
            double[] x = Samples.Input(@case.Spec, random);
            int label = random.Next(net.OutputCount);
            double expectedLoss = PlainSoftmaxCrossEntropy.Value(reference.Output(x), label, weights, 0.1, out double[] g);
            (double[] parameters, _) = reference.Backpropagate(x, g);

            net.ClearGradients();
            double value = net.Accumulate(x, new double[] { label }, loss);
            Assert.True(Math.Abs(expectedLoss - value) <= 1e-11 * Math.Max(1, Math.Abs(expectedLoss)), $"{name}: loss {value:R}, reference {expectedLoss:R}");
            AssertClose(parameters, net.Gradients.ToArray(), 1e-11, $"{name} Accumulate with SoftmaxCrossEntropyLoss");

            double[] inputs = Enumerable.Range(0, 37 * net.InputCount).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            double[] labels = Enumerable.Range(0, 37).Select(_ => (double)random.Next(net.OutputCount)).ToArray();
            AssertBatchMatchesSamples(net, inputs, labels, loss, 1e-11, name);
        }

        // The runtime's BinaryCrossEntropyWithLogitsLoss (weighted labels, positive weights) against PyTorch's definition
        // written plainly, through the reference MLP, on every network: its outputs taken as logits.
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void The_ready_made_BinaryCrossEntropyWithLogitsLoss_agrees_with_the_reference(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            var random = new Random(53);
            Samples.Randomize(net, @case.Spec, seed: 73);
            var reference = new ReferenceMlp(@case.Spec, net.Parameters);
            double[] positiveWeights = Enumerable.Range(0, net.OutputCount).Select(_ => 0.25 + (random.NextDouble() * 3)).ToArray();
            var loss = new OnAnyOutput<double>(new BinaryCrossEntropyWithLogitsLoss<double>(weighted: true, positiveWeights));
            double[] Target() => Enumerable.Range(0, net.OutputCount).Select(_ => random.Next(3) == 0 ? random.NextDouble() : random.Next(2))
                .Concat(Enumerable.Range(0, net.OutputCount).Select(_ => random.NextDouble() * 2)).ToArray();

            double[] x = Samples.Input(@case.Spec, random);
            double[] t = Target();
            double expectedLoss = PlainBinaryCrossEntropyWithLogits.Value(reference.Output(x), t, t.Skip(net.OutputCount).ToArray(), positiveWeights, out double[] g);
            (double[] parameters, _) = reference.Backpropagate(x, g);

            net.ClearGradients();
            double value = net.Accumulate(x, t, loss);
            Assert.True(Math.Abs(expectedLoss - value) <= 1e-11 * Math.Max(1, Math.Abs(expectedLoss)), $"{name}: loss {value:R}, reference {expectedLoss:R}");
            AssertClose(parameters, net.Gradients.ToArray(), 1e-11, $"{name} Accumulate with BinaryCrossEntropyWithLogitsLoss");

            double[] inputs = Enumerable.Range(0, 37 * net.InputCount).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            double[] targets = Enumerable.Range(0, 37).SelectMany(_ => Target()).ToArray();
            AssertBatchMatchesSamples(net, inputs, targets, loss, 1e-11, name);
        }

        // 37 samples: more than one chunk of the batch path, and a part-filled last one.
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void AccumulateBatch_with_a_loss_function_equals_one_Accumulate_per_sample(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 12);
            (double[] inputs, double[] targets) = Batch(net, new Random(3), 37);
            AssertBatchMatchesSamples(net, inputs, targets, new WeightedHuber<double>(), 1e-11, name);
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_AccumulateBatch_with_a_loss_function_equals_one_Accumulate_per_sample(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            INetwork<float> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 13);
            (double[] inputs, double[] targets) = Batch(net, new Random(4), 37);
            AssertBatchMatchesSamples(net, Samples.Convert<float>(inputs), Samples.Convert<float>(targets), new WeightedHuber<float>(), 1e-4, name);
        }

        // A loss function that writes g for one output only, which changes from sample to sample: the others must enter the
        // backward pass as 0, also where the project compiles with SkipLocalsInit (NnGen.Tests.SkipLocalsInit runs this)
        // and the stack holds NaN from before, and in the batch path, where one buffer serves every sample.
        [Theory]
        [InlineData("SeedNetD")]
        [InlineData("SeedNetDVectorized")]
        [InlineData("SquaredTanhSoftmax")]
        [InlineData("SquaredTanhSoftmaxVectorized")]
        [InlineData("Vectorized40_70_33_10")]
        public void Outputs_the_loss_function_leaves_alone_have_a_zero_gradient(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Samples.Randomize(net, @case.Spec, seed: 7);
            (double[] inputs, _) = Batch(net, new Random(9), 20);

            net.ClearGradients();
            var output = new double[net.OutputCount];
            var chosen = new System.Collections.Generic.HashSet<int>();
            for (int s = 0; s < 20; s++)
            {
                net.Forward(inputs.AsSpan(s * net.InputCount, net.InputCount), output);
                var g = new double[net.OutputCount];
                int k = Array.IndexOf(output, output.Max());
                g[k] = 1;
                chosen.Add(k);
                net.AccumulateGradient(inputs.AsSpan(s * net.InputCount, net.InputCount), g);
            }

            Assert.True(chosen.Count > 1, $"{name}: every sample chose output {chosen.First()}");
            double[] expected = net.Gradients.ToArray();
            var largestOutput = new LargestOutput();

            net.ClearGradients();
            for (int s = 0; s < 20; s++)
            {
                FillStackWithNaN();
                net.Accumulate(inputs.AsSpan(s * net.InputCount, net.InputCount), ReadOnlySpan<double>.Empty, largestOutput);
            }

            Assert.Equal(expected, net.Gradients.ToArray());

            net.ClearGradients();
            FillStackWithNaN();
            net.AccumulateBatch(inputs, ReadOnlySpan<double>.Empty, largestOutput);
            AssertClose(expected, net.Gradients.ToArray(), 1e-11, $"{name} batch");
            Assert.Equal(20, net.AccumulatedSamples);
        }

        [Fact]
        public void Wrong_arguments_throw_naming_them_and_change_nothing()
        {
            var nets = new INetwork<double>[] { new SeedNetD(), new SeedNetDVectorized() };
            foreach (INetwork<double> net in nets)
            {
                net.InitializeParameters(1);
                double[] parameters = net.Parameters.ToArray();
                double[] x = { 0.1, 0.2 };
                double[] t = { 0.3, -0.2, 1, 1 };
                var huber = new WeightedHuber<double>();

                Assert.Equal("lossFunction", Assert.Throws<ArgumentNullException>(() => net.Accumulate(x, t, (LossFunction<double>)null!)).ParamName);
                Assert.Equal("lossFunction", Assert.Throws<ArgumentNullException>(() => net.AccumulateBatch(x, t, (LossFunction<double>)null!)).ParamName);
                Assert.Equal("lossFunction", Assert.Throws<ArgumentNullException>(() => net.AccumulateBatch(x, t, new double[net.ParameterCount], null!)).ParamName);

                ArgumentException e = Assert.Throws<ArgumentException>(() => net.Accumulate(x, new double[2], huber));
                Assert.Equal("target", e.ParamName);
                Assert.Contains("length 2", e.Message, StringComparison.Ordinal);
                Assert.Contains("length 4", e.Message, StringComparison.Ordinal);
                Assert.Contains("loss function", e.Message, StringComparison.Ordinal);
                e = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(new double[4], new double[4], huber));
                Assert.Equal("targets", e.ParamName);
                Assert.Contains("8", e.Message, StringComparison.Ordinal);
                e = Assert.Throws<ArgumentException>(() => net.AccumulateBatch(new double[4], new double[8], new double[3], huber));
                Assert.Equal("gradients", e.ParamName);
                e = Assert.Throws<ArgumentException>(() => net.Accumulate(new double[3], t, huber));
                Assert.Equal("input", e.ParamName);

                var negative = new NegativeTargetCount();
                Assert.Equal("lossFunction", Assert.Throws<ArgumentOutOfRangeException>(() => net.Accumulate(x, t, negative)).ParamName);
                Assert.Equal("lossFunction", Assert.Throws<ArgumentOutOfRangeException>(() => net.AccumulateBatch(x, t, negative)).ParamName);

                // An exception from the loss function itself reaches the caller before the backward pass writes anything.
                Assert.Throws<InvalidOperationException>(() => net.Accumulate(x, t, new Throwing()));

                Assert.Equal(parameters, net.Parameters.ToArray());
                Assert.All(net.Gradients.ToArray(), v => Assert.Equal(0.0, v));
                Assert.Equal(0, net.AccumulatedSamples);
            }
        }

        private static (double[] Inputs, double[] Targets) Batch<T>(INetwork<T> net, Random random, int count)
            where T : unmanaged
        {
            double[] inputs = Enumerable.Range(0, count * net.InputCount).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            double[] targets = Enumerable.Range(0, count).SelectMany(_ => WeightedHuber<double>.Target(net.OutputCount, random)).ToArray();
            return (inputs, targets);
        }

        private static void AssertBatchMatchesSamples<T>(INetwork<T> net, T[] inputs, T[] targets, LossFunction<T> loss, double tolerance, string name)
            where T : unmanaged
        {
            int count = inputs.Length / net.InputCount, targetCount = targets.Length / count;
            net.ClearGradients();
            double expectedLoss = 0;
            for (int s = 0; s < count; s++)
            {
                expectedLoss += Samples.ToDouble<T>(new[] { net.Accumulate(inputs.AsSpan(s * net.InputCount, net.InputCount), targets.AsSpan(s * targetCount, targetCount), loss) })[0];
            }

            double[] expected = Samples.ToDouble<T>(net.Gradients);

            net.ClearGradients();
            double batchLoss = Samples.ToDouble<T>(new[] { net.AccumulateBatch(inputs, targets, loss) })[0];
            Assert.Equal(count, net.AccumulatedSamples);
            AssertClose(expected, Samples.ToDouble<T>(net.Gradients), tolerance, $"{name} AccumulateBatch");
            Assert.True(Math.Abs(expectedLoss - batchLoss) <= tolerance * Math.Max(1, Math.Abs(expectedLoss)), $"{name}: batch loss {batchLoss:R}, per sample {expectedLoss:R}");

            // Into a buffer of the caller's: the same sums (where every layer is unrolled the counting form is a loop over
            // Accumulate and this one the matrix form, so up to their order), and nothing of the network's written.
            T[] counted = net.Gradients.ToArray();
            var buffer = new T[net.ParameterCount];
            net.AccumulateBatch(inputs, targets, buffer, loss);
            AssertClose(expected, Samples.ToDouble<T>(buffer), tolerance, $"{name} AccumulateBatch into gradients");
            Assert.Equal(count, net.AccumulatedSamples);
            Assert.Equal(counted, net.Gradients.ToArray());
        }

        // Leaves NaN in the stack below the caller's frame, where the next call's stackalloc is likely to land.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void FillStackWithNaN()
        {
            Span<double> junk = stackalloc double[4096];
            junk.Fill(double.NaN);
            GC.KeepAlive(junk.Length);
        }

        /// <summary>C = Σ_k w_k huber(a_k − t_k) with δ = 0.5; the target is t then w.</summary>
        internal sealed class WeightedHuber<T> : LossFunction<T>
            where T : unmanaged
        {
            private const double Delta = 0.5;

            public static double[] Target(int outputs, Random random) =>
                Enumerable.Range(0, outputs).Select(_ => (random.NextDouble() * 3) - 1.5)
                    .Concat(Enumerable.Range(0, outputs).Select(_ => random.NextDouble() * 2)).ToArray();

            public static double Value(double[] a, double[] t, out double[] gradient) =>
                PlainHuber.Value(a, t, t.Skip(a.Length).ToArray(), Delta, out gradient);

            public override int TargetCount(int outputCount) => 2 * outputCount;

            public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
            {
                double c = Value(Samples.ToDouble(output), Samples.ToDouble(target), out double[] g);
                for (int k = 0; k < g.Length; k++)
                {
                    outputGradient[k] = Samples.FromDouble<T>(g[k]);
                }

                return Samples.FromDouble<T>(c);
            }
        }

        /// <summary>C = max_k a_k, with no target: g = 1 for the largest output, written for that output only.</summary>
        private sealed class LargestOutput : LossFunction<double>
        {
            public override int TargetCount(int outputCount) => 0;

            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient)
            {
                int largest = 0;
                for (int k = 1; k < output.Length; k++)
                {
                    largest = output[k] > output[largest] ? k : largest;
                }

                outputGradient[largest] = 1;
                return output[largest];
            }
        }

        private sealed class NegativeTargetCount : LossFunction<double>
        {
            public override int TargetCount(int outputCount) => -1;

            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient) => 0;
        }

        private sealed class Throwing : LossFunction<double>
        {
            public override int TargetCount(int outputCount) => 2 * outputCount;

            public override double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient) =>
                throw new InvalidOperationException("the loss failed");
        }
    }
}
