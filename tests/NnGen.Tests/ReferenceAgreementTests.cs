using System;
using System.Linq;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

using static NnGen.Tests.Tolerance;

namespace NnGen.Tests
{
    /// <summary>
    /// The generated Forward, Loss and Accumulate against the plain reference MLP: full Jacobians and
    /// unfused cost gradients on one side, unrolled code with fused deltas and stable losses on the other.
    /// </summary>
    public sealed class ReferenceAgreementTests
    {
        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Double_network_agrees_with_reference(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            Assert.Equal(@case.Spec.Inputs, net.InputCount);
            Assert.Equal(@case.Spec.Outputs, net.OutputCount);
            Assert.Equal(@case.Spec.ParameterCount, net.ParameterCount);

            var random = new Random(11);
            for (int trial = 0; trial < 5; trial++)
            {
                Samples.Randomize(net, @case.Spec, seed: trial);
                var reference = new ReferenceMlp(@case.Spec, net.Parameters);
                double[] x = Samples.Input(@case.Spec, random);
                double[] t = Samples.Target(@case.Spec, random);

                var output = new double[net.OutputCount];
                net.Forward(x, output);
                AssertClose(reference.Output(x), output, 1e-13, $"{name} output");
                AssertClose(new[] { reference.Loss(x, t) }, new[] { net.Loss(x, t) }, 1e-12, $"{name} loss");

                net.ClearGradients();
                double loss = net.Accumulate(x, t);
                AssertClose(new[] { reference.Loss(x, t) }, new[] { loss }, 1e-12, $"{name} accumulated loss");
                AssertClose(reference.Gradient(x, t), net.Gradients.ToArray(), 1e-11, $"{name} gradient");
            }
        }

        [Theory]
        [MemberData(nameof(Catalog.DoubleNames), MemberType = typeof(Catalog))]
        public void Generated_architecture_describes_the_declaration(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            NetworkArchitecture architecture = @case.Create().Architecture;

            Assert.Equal(@case.Spec.Inputs, architecture.InputCount);
            Assert.Equal(@case.Spec.Cost, architecture.Cost);
            Assert.Equal(Precision.Double, architecture.Precision);
            Assert.Equal(@case.Spec.ParameterCount, architecture.ParameterCount);
            Assert.Equal(
                @case.Spec.Layers.Select(l => new LayerArchitecture(l.Size, l.Activation, l.Alpha, l.Max, l.Steepness, l.Midpoint)),
                architecture.Layers);
        }

        [Theory]
        [MemberData(nameof(Catalog.SingleNames), MemberType = typeof(Catalog))]
        public void Float_network_agrees_with_reference_to_float_precision(string name)
        {
            NetCase<float> @case = Catalog.Single[name];
            INetwork<float> net = @case.Create();
            Assert.Equal(@case.Spec.ParameterCount, net.ParameterCount);

            var random = new Random(13);
            for (int trial = 0; trial < 5; trial++)
            {
                Samples.Randomize(net, @case.Spec, seed: trial);
                var reference = new ReferenceMlp(@case.Spec, Samples.ToDouble<float>(net.Parameters));
                double[] x = Samples.Input(@case.Spec, random);
                double[] t = Samples.Target(@case.Spec, random);
                float[] xf = Samples.Convert<float>(x);
                float[] tf = Samples.Convert<float>(t);

                var output = new float[net.OutputCount];
                net.Forward(xf, output);
                AssertClose(reference.Output(x), Samples.ToDouble<float>(output), 1e-5, $"{name} output");

                net.ClearGradients();
                float loss = net.Accumulate(xf, tf);
                AssertClose(new[] { reference.Loss(x, t) }, new double[] { loss }, 1e-5, $"{name} loss");
                AssertClose(reference.Gradient(x, t), Samples.ToDouble<float>(net.Gradients), 1e-4, $"{name} gradient");
            }
        }
    }
}
