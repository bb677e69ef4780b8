using System;
using NnGen.Testing;
using NnGen.Tests.Networks;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>After warm-up, the hot members allocate nothing on the managed heap.</summary>
    public class AllocationTests
    {
        [Fact]
        public void Float_network_does_not_allocate_after_warm_up()
        {
            var net = new CrossEntropyTanhSoftmaxF();
            float[] input = { 0.1f, -0.4f, 0.7f, 0.2f };
            float[] target = { 0f, 1f, 0f };
            float[] output = new float[3];
            AssertNoAllocation(() =>
            {
                net.Forward(input, output);
                net.Loss(input, target);
                net.Accumulate(input, target);
                net.Step(0.05f);
                net.ClearGradients();
            });
        }

        [Fact]
        public void Double_network_does_not_allocate_after_warm_up()
        {
            var net = new CrossEntropyDeepHiddenSoftmax();
            double[] input = { 0.1, -0.4, 0.7 };
            double[] target = { 0, 1, 0 };
            double[] output = new double[3];
            AssertNoAllocation(() =>
            {
                net.Forward(input, output);
                net.Loss(input, target);
                net.Accumulate(input, target);
                net.Step(0.05);
            });
        }

        [Fact]
        public void Seed_network_does_not_allocate_through_the_interface()
        {
            INetwork<float> net = new SeedNetF();
            float[] input = { 0.5f, -0.5f };
            float[] target = { 0.25f, -0.1f };
            float[] output = new float[2];
            AssertNoAllocation(() =>
            {
                net.Forward(input, output);
                net.Accumulate(input, target);
                net.Step(0.1f);
            });
        }

        [Fact]
        public void Gradient_members_do_not_allocate_after_warm_up()
        {
            INetwork<float> net = new CrossEntropyTanhSoftmaxFVectorized();
            INetwork<float> unrolled = new CrossEntropyTanhSoftmaxF();
            float[] input = { 0.1f, -0.4f, 0.7f, 0.2f };
            float[] target = { 0f, 1f, 0f };
            float[] outputGradient = { 0.3f, -0.2f, 0.5f };
            float[] inputGradient = new float[4];
            void Step(INetwork<float> n)
            {
                n.AccumulateGradient(input, outputGradient);
                n.AccumulateGradient(input, outputGradient, inputGradient);
                n.Accumulate(input, target, inputGradient);
                n.InputGradient(input, outputGradient, inputGradient);
                n.Step(0.01f);
            }

            AssertNoAllocation(() =>
            {
                Step(net);
                Step(unrolled);
            });
        }

        /// <summary>Runs <paramref name="step"/> until it is warm, then asserts that a thousand more allocate nothing.</summary>
        internal static void AssertNoAllocation(Action step)
        {
            // Warm up past tiered compilation's first tiers so no JIT work lands inside the measurement.
            for (int i = 0; i < 200; i++)
            {
                step();
            }

            Assert.Equal(0, Allocations.Least(() =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    step();
                }
            }));
        }
    }
}
