using System;
using System.Linq;
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

        // Binary cross-entropy after softmax divides by 1 − a_k = Σ_{p≠k} e_p / s. At the largest output that rounds to 0
        // once the others are far enough below: then the gradient of a confident, wrong output came out 0 instead of about
        // 2 (float, from a gap of about 17 between the two largest z), and NaN once e^(z_p − m) underflowed (a gap of about
        // 88 in float, 709 in double). Each case is z = (g, 0, −1, −3), or with the maximum shared, against a plain
        // log-sum-exp reference in double and its central differences.
        public static TheoryData<string, double, string> SaturatedCases()
        {
            var cases = new TheoryData<string, double, string>();
            foreach (string precision in new[] { "float", "double" })
            {
                double[] gaps = precision == "float" ? new[] { 2.0, 12, 20, 40, 90, 120, 300 } : new[] { 2.0, 40, 100, 800, 1200 };
                foreach (double gap in gaps)
                {
                    foreach (string targets in new[] { "wrong", "right", "soft", "shared" })
                    {
                        cases.Add(precision, gap, targets);
                    }
                }

                cases.Add(precision, 0, "equal");
            }

            return cases;
        }

        [Theory]
        [MemberData(nameof(SaturatedCases))]
        public void Softmax_binary_cross_entropy_keeps_its_gradient_when_the_softmax_saturates(string precision, double gap, string targets)
        {
            double[] z = targets switch
            {
                "shared" => new[] { gap, gap, 0, -1 },
                "equal" => new[] { 0.0, 0, 0, 0 },
                _ => new[] { gap, 0, -1, -3 },
            };
            double[] t = targets switch
            {
                "wrong" => new[] { 0.0, 1, 0, 0 },
                "right" => new[] { 1.0, 0, 0, 0 },
                "soft" => new[] { 0.2, 0.5, 0.1, 0.2 },
                _ => new[] { 0.0, 0, 1, 0 },
            };
            double expectedLoss = SoftmaxBinaryReferenceLoss(z, t);
            double[] expectedDelta = Enumerable.Range(0, z.Length).Select(i =>
            {
                const double h = 1e-4;
                double[] up = (double[])z.Clone(), down = (double[])z.Clone();
                up[i] += h;
                down[i] -= h;
                return (SoftmaxBinaryReferenceLoss(up, t) - SoftmaxBinaryReferenceLoss(down, t)) / (2 * h);
            }).ToArray();

            if (precision == "float")
            {
                foreach (INetwork<float> net in new INetwork<float>[] { new SoftmaxBinaryF(), new SoftmaxBinaryVectorizedF() })
                {
                    (double loss, double[] delta) = Run(net, z.Select(v => (float)v).ToArray(), t.Select(v => (float)v).ToArray());
                    Tolerance.AssertClose(new[] { expectedLoss }, new[] { loss }, 2e-6, net.GetType().Name + " loss");
                    Tolerance.AssertClose(expectedDelta, delta, 2e-5, net.GetType().Name + " δ");
                }
            }
            else
            {
                foreach (INetwork<double> net in new INetwork<double>[] { new SoftmaxBinary(), new SoftmaxBinaryVectorized() })
                {
                    (double loss, double[] delta) = Run(net, z, t);
                    Tolerance.AssertClose(new[] { expectedLoss }, new[] { loss }, 1e-12, net.GetType().Name + " loss");
                    Tolerance.AssertClose(expectedDelta, delta, 1e-7, net.GetType().Name + " δ");
                }
            }

            // W(1)[k, 0] = z_k, so that the input (1, 0) gives z; δ = ∇b, which sits after the 4 × 2 weights.
            static (double Loss, double[] Delta) Run<T>(INetwork<T> net, T[] z, T[] t)
                where T : unmanaged, IConvertible
            {
                net.Parameters.Clear();
                net.Gradients.Clear();
                for (int k = 0; k < z.Length; k++)
                {
                    net.Parameters[2 * k] = z[k];
                }

                T[] input = { (T)Convert.ChangeType(1, typeof(T), System.Globalization.CultureInfo.InvariantCulture), default };
                double loss = net.Loss(input, t).ToDouble(null);
                Assert.Equal(loss, net.Accumulate(input, t).ToDouble(null));
                return (loss, Enumerable.Range(8, z.Length).Select(i => net.Gradients[i].ToDouble(null)).ToArray());
            }
        }

        // C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)] with ln a_k = z_k − LSE(z) and ln(1 − a_k) = LSE(z without z_k) − LSE(z).
        private static double SoftmaxBinaryReferenceLoss(double[] z, double[] t)
        {
            double all = LogSumExp(z);
            double loss = 0;
            for (int k = 0; k < z.Length; k++)
            {
                double others = LogSumExp(z.Where((_, p) => p != k).ToArray());
                loss -= (t[k] * (z[k] - all)) + ((1 - t[k]) * (others - all));
            }

            return loss;

            static double LogSumExp(double[] v)
            {
                double max = v.Max();
                return max + Math.Log(v.Sum(x => Math.Exp(x - max)));
            }
        }
    }
}
