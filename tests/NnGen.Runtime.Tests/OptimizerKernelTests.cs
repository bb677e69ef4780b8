using System;
using System.Linq;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The optimisers' vector loops (<see cref="UpdatePass"/>) against the scalar loop they fall back to where vectors are
    /// not accelerated, and both against each update written plainly here, per element, in the order the runtime has always
    /// computed it: the same bits, float and double, at lengths with and without a tail.
    /// </summary>
    public sealed class OptimizerKernelTests
    {
        public static TheoryData<string, int> Cases()
        {
            var data = new TheoryData<string, int>();
            // adam-tiny-epsilon: ε = 1e-300 puts every step's bound beyond reach, so each takes the checked path (two passes).
            foreach (string kind in new[] { "sgd", "momentum", "adam", "adam-tiny-epsilon" })
            {
                foreach (int length in new[] { 1, 3, 7, 8, 17, 33, 101 })
                {
                    data.Add(kind, length);
                }
            }

            return data;
        }

        private static Optimizer Make(string kind) => kind switch
        {
            "sgd" => Optimizer.Sgd(weightDecay: 0.01),
            "momentum" => Optimizer.Momentum(0.8, weightDecay: 0.01),
            "adam" => Optimizer.Adam(0.9, 0.99, 1e-6, weightDecay: 0.01),
            _ => Optimizer.Adam(0.9, 0.99, 1e-300, weightDecay: 0.01),
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Double_vectors_scalar_loop_and_the_plain_update_agree_bit_for_bit(string kind, int length) =>
            AssertAgree<double>(kind, length);

        [Theory]
        [MemberData(nameof(Cases))]
        public void Float_vectors_scalar_loop_and_the_plain_update_agree_bit_for_bit(string kind, int length) =>
            AssertAgree<float>(kind, length);

        private static void AssertAgree<T>(string kind, int length)
            where T : unmanaged, IEquatable<T>
        {
            var random = new Random((kind.Length * 1000) + length);
            T[] Values(double scale) => Enumerable.Range(0, length).Select(_ => Numbers.FromDouble<T>((random.NextDouble() - 0.5) * scale)).ToArray();

            T[] vectorParameters = Values(2);
            T[] scalarParameters = (T[])vectorParameters.Clone();
            double[] plain = vectorParameters.Select(v => Numbers.ToDouble(v)).ToArray();
            double[] first = new double[length], second = new double[length];
            Optimizer.OptimizerState vector = Make(kind).CreateState(length);
            Optimizer.OptimizerState scalar = Make(kind).CreateState(length);
            const int samples = 3;
            const double rate = 0.05;

            for (int step = 1; step <= 5; step++)
            {
                T[] gradientSum = Values(6);
                Assert.True(vector.TryUpdate<T>(vectorParameters, gradientSum, samples, rate));
                Assert.True(scalar.TryUpdate<T>(scalarParameters, gradientSum, samples, rate, vectors: false));

                for (int i = 0; i < length; i++)
                {
                    double g = (Numbers.ToDouble(gradientSum[i]) / samples) + (0.01 * plain[i]);
                    double p = PlainStep(kind, plain[i], g, ref first[i], ref second[i], step, rate);

                    // Stored in the parameters' type, as the network stores it.
                    plain[i] = Numbers.ToDouble(Numbers.FromDouble<T>(p));
                }

                Assert.Equal(scalarParameters, vectorParameters);
                Assert.Equal(plain.Select(v => Numbers.FromDouble<T>(v)).ToArray(), vectorParameters);
            }
        }

        // One step of one parameter, written plainly in the order the runtime has always computed it: p, the mean gradient
        // g = ĝ/M + λ p, and the state (velocity, or Adam's moments), updated in place. Hyperparameters as in Make.
        private static double PlainStep(string kind, double p, double g, ref double first, ref double second, int step, double rate)
        {
            switch (kind)
            {
                case "sgd":
                    return p - (rate * g);
                case "momentum":
                    first = Flush((0.8 * first) + g);
                    return p - (rate * first);
                default:
                    first = Flush((0.9 * first) + ((1 - 0.9) * g));
                    second = Flush((0.99 * second) + ((1 - 0.99) * g * g));
                    double m = first / (1 - PortableMath.Pow(0.9, step));
                    double v = second / (1 - PortableMath.Pow(0.99, step));
                    return p - (rate * m / (Math.Sqrt(v) + (kind == "adam" ? 1e-6 : 1e-300)));
            }
        }

        // State values below the smallest normal double are kept as 0.
        private static double Flush(double x) => Math.Abs(x) < 2.2250738585072014E-308 ? 0 : x;

        // Momentum's velocity and Adam's first moment decay by 0.9 a step where no gradient feeds them, and reached the
        // subnormals after about 7,000 steps (Adam's second moment, by 0.99 here, after about 70,000): every step after
        // that ran 2.4 times slower on a Zen 3. They must stay normal or become 0, on the vector path and the scalar one,
        // and the parameters must still follow the plain update bit for bit.
        [Theory]
        [InlineData("momentum", true)]
        [InlineData("momentum", false)]
        [InlineData("adam", true)]
        [InlineData("adam", false)]
        public void State_that_no_gradient_feeds_decays_to_0_and_never_to_subnormals(string kind, bool vectors)
        {
            const int length = 19;
            var random = new Random(4);
            // Make's hyperparameters without weight decay, which would feed the state from the parameters.
            Optimizer optimizer = kind == "momentum" ? Optimizer.Momentum(0.8) : Optimizer.Adam(0.9, 0.99, 1e-6);
            Optimizer.OptimizerState state = optimizer.CreateState(length);
            double[] parameters = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
            double[] plain = (double[])parameters.Clone();
            double[] first = new double[length], second = new double[length];
            double[] gradient = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
            var none = new double[length];
            bool sawZero = false;
            for (int step = 1; step <= 8000; step++)
            {
                double[] g = step <= 3 ? gradient : none;
                Assert.True(state.TryUpdate<double>(parameters, g, 1, 1e-3, vectors));
                for (int i = 0; i < length; i++)
                {
                    plain[i] = PlainStep(kind, plain[i], g[i], ref first[i], ref second[i], step, 1e-3);
                }

                foreach (double[] values in state.StateArrays)
                {
                    foreach (double value in values)
                    {
                        Assert.True(value == 0 || Math.Abs(value) >= 2.2250738585072014E-308, $"step {step}: a subnormal {value:R} in the state");
                        sawZero |= value == 0;
                    }
                }
            }

            Assert.True(sawZero, "no state value decayed to 0: the test ran too few steps to reach the subnormals");
            Assert.Equal(plain, parameters);
        }

        // Random steps from harmless to far beyond float's range, each against the truth computed plainly: the step is taken
        // exactly when every new parameter and state value is finite, with the plain update's bits, and refused otherwise
        // with nothing changed. Bounds that let an overflowing step through without the check would fail here.
        [Theory]
        [InlineData("sgd")]
        [InlineData("momentum")]
        [InlineData("adam")]
        public void Steps_are_taken_exactly_when_every_new_value_is_finite(string kind)
        {
            var random = new Random(kind.Length);
            const int length = 37;
            Optimizer.OptimizerState state = Make(kind).CreateState(length);
            var parameters = new float[length];
            double[] first = new double[length], second = new double[length];
            int taken = 0, refused = 0, adamSteps = 0;
            for (int trial = 0; trial < 400; trial++)
            {
                // Adam's steps are about η whatever g is, so only rates beyond float's range take its parameters there.
                double rate = Math.Pow(10, -3 + (random.NextDouble() * (kind == "adam" ? 44 : 14)));
                double scale = Math.Pow(10, random.NextDouble() * 38);
                float[] gradientSum = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * scale)).ToArray();
                if (trial % 50 == 0)
                {
                    Array.Clear(parameters, 0, length); // back to small parameters, so that later trials step again
                }

                var expected = new float[length];
                double[] nextFirst = new double[length], nextSecond = new double[length];
                bool finite = true;
                for (int i = 0; i < length; i++)
                {
                    (nextFirst[i], nextSecond[i]) = (first[i], second[i]);
                    double p = PlainStep(kind, parameters[i], (gradientSum[i] / 2.0) + (0.01 * parameters[i]), ref nextFirst[i], ref nextSecond[i], adamSteps + 1, rate);
                    expected[i] = (float)p;
                    finite &= float.IsFinite(expected[i]) && double.IsFinite(nextFirst[i]) && double.IsFinite(nextSecond[i]);
                }

                float[] before = (float[])parameters.Clone();
                bool stepped = state.TryUpdate<float>(parameters, gradientSum, 2, rate);

                Assert.Equal(finite, stepped);
                if (stepped)
                {
                    Assert.Equal(expected, parameters);
                    (first, second) = (nextFirst, nextSecond);
                    adamSteps++;
                    taken++;
                }
                else
                {
                    Assert.Equal(before, parameters);
                    refused++;
                }
            }

            Assert.True(taken > 50 && refused > 10, $"{taken} taken, {refused} refused: the trials must exercise both");
        }

        // The check pass sees an overflow wherever it is: in a whole vector or in the tail, in a parameter or in the state.
        [Theory]
        [InlineData(0)]
        [InlineData(5)]
        [InlineData(16)]
        [InlineData(32)]
        public void The_check_finds_one_overflowing_value_at_any_position(int position)
        {
            foreach (bool vectors in new[] { true, false })
            {
                var parameters = new float[33];
                var gradients = new float[33];
                gradients[position] = 1e38f;
                Optimizer.OptimizerState sgd = Make("sgd").CreateState(33);
                Assert.False(sgd.Update<float>(parameters, gradients, 1, 1e10, commit: false, vectors));

                var doubles = new double[33];
                var doubleGradients = new double[33];
                doubleGradients[position] = 1e200; // Adam: only g² overflows
                Optimizer.OptimizerState adam = Make("adam").CreateState(33);
                Assert.False(adam.Update<double>(doubles, doubleGradients, 1, 0.01, commit: false, vectors));

                doubleGradients[position] = 1e100;
                Assert.True(adam.Update<double>(doubles, doubleGradients, 1, 0.01, commit: false, vectors));
            }
        }
    }
}
