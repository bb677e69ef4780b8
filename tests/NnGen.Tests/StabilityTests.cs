using System;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// Spec §3: losses that take a logarithm are computed from z, so saturated outputs give the large,
    /// finite loss they should instead of ln 0 = −∞; softmax subtracts its maximum, so large z do not
    /// overflow e^z.
    /// </summary>
    public sealed class StabilityTests
    {
        [Fact]
        public void Softmax_cross_entropy_stays_finite_for_huge_logits()
        {
            var net = new SingleLayerSoftmax();
            net.Parameters.Clear();
            net.Parameters[0] = 1000;   // W[0, 0]: z0 = 1000 for input (1, 0, 0, 0)
            net.Parameters[8] = -1000;  // W[2, 0]: z2 = −1000
            double[] input = { 1, 0, 0, 0 };
            double[] target = { 0, 1, 0 };

            // C = ln Σ e^z − z1 = 1000 + ln(1 + e^−1000 + e^−2000) − 0
            Assert.Equal(1000.0, net.Loss(input, target), 9);
            Assert.Equal(1000.0, net.Accumulate(input, target), 9);

            // δ = a − t = (1, −1, 0), so ∇b = δ and ∇W[i, 0] = δ_i.
            Assert.Equal(1.0, net.Gradients[12], 12);
            Assert.Equal(-1.0, net.Gradients[13], 12);
            Assert.Equal(0.0, net.Gradients[14], 12);
            Assert.Equal(1.0, net.Gradients[0], 12);
        }

        [Fact]
        public void Float_softmax_does_not_overflow()
        {
            var net = new CrossEntropyTanhSoftmaxF();
            Span<float> p = net.Parameters;
            p.Clear();
            p[20] = 20; // b(1)_0: the first hidden neuron saturates at tanh 20 = 1
            p[25] = 500; // W(2)[0, 0]: z(2)_0 = 500, where e^500 overflows float
            float[] input = { 0.1f, 0.2f, 0.3f, 0.4f };
            float[] output = new float[3];

            net.Forward(input, output);
            Assert.Equal(new[] { 1f, 0f, 0f }, output);

            float loss = net.Loss(input, new[] { 0f, 0f, 1f });
            Assert.Equal(500f, loss, 2);
        }

        [Fact]
        public void Logistic_binary_cross_entropy_stays_finite_when_the_logistic_saturates()
        {
            var net = new BinaryLogisticF();
            Span<float> p = net.Parameters;
            p.Clear();
            p[0] = 200; // z0 = 200 for input (1, 0): σ rounds to exactly 1 in float
            float[] input = { 1f, 0f };
            float[] target = { 0f, 1f };

            // C = −ln(1 − σ(200)) − ln σ(0) = softplus(200) + ln 2
            float expected = 200f + MathF.Log(2f);
            Assert.Equal(expected, net.Loss(input, target), 3);
            Assert.Equal(expected, net.Accumulate(input, target), 3);

            // δ = a − t = (1, −0.5)
            Assert.Equal(1f, net.Gradients[4], 6);
            Assert.Equal(-0.5f, net.Gradients[5], 6);
        }
    }
}
