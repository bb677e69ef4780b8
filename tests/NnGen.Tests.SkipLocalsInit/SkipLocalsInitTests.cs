using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using NnGen.Tests.Networks;
using NnGen.Tests.Reference;
using Xunit;

// Every method of this assembly, the generated networks' included, skips zeroing its locals and stackalloc memory.
[module: SkipLocalsInit]

namespace NnGen.Tests
{
    /// <summary>
    /// What only this assembly can show: that it really is compiled under SkipLocalsInit, and that the
    /// generated code does not read stack memory it did not write, even when that memory is full of garbage.
    /// </summary>
    public sealed class SkipLocalsInitTests
    {
        [Fact]
        public void This_assembly_is_compiled_under_SkipLocalsInit()
        {
            Module module = typeof(SkipLocalsInitTests).Module;
            Assert.NotNull(module.GetCustomAttribute<SkipLocalsInitAttribute>());
        }

        // Issue 9, reproducer 1: a 40-70-33-10 network of vectorised layers gave gradients off by up to 470%
        // under SkipLocalsInit, because its Accumulate summed W(l+1)ᵀ δ(l+1) into stackalloc spans it took to
        // be zero. The stack below this frame is filled with large values first, so stale memory cannot hide.
        [Theory]
        [InlineData(nameof(Vectorized40_70_33_10))]
        [InlineData(nameof(SmallBeforeWide))]
        [InlineData(nameof(SoftmaxBeforeWide))]
        [InlineData(nameof(MixedUnrolledVectorUnrolled))]
        [InlineData(nameof(MixedHiddenSoftmax))]
        public void Gradients_are_right_over_a_dirty_stack(string name)
        {
            NetCase<double> @case = Catalog.Double[name];
            INetwork<double> net = @case.Create();
            var random = new Random(3);
            for (int trial = 0; trial < 3; trial++)
            {
                Samples.Randomize(net, @case.Spec, seed: trial);
                var reference = new ReferenceMlp(@case.Spec, net.Parameters);
                double[] x = Samples.Input(@case.Spec, random);
                double[] t = Samples.Target(@case.Spec, random);

                net.ClearGradients();
                DirtyTheStack(1e6);
                net.Accumulate(x, t);
                double[] expected = reference.Gradient(x, t);
                double[] actual = net.Gradients.ToArray();
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(
                        Math.Abs(expected[i] - actual[i]) <= 1e-11 * Math.Max(1, Math.Abs(expected[i])),
                        $"{name}, trial {trial}, parameter {i}: reference {expected[i]:R}, generated {actual[i]:R}");
                }
            }
        }

        // Writes a value over 64 KiB of the stack below the caller's frame, where the next call's frame will sit.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static double DirtyTheStack(double value)
        {
            Span<double> garbage = stackalloc double[8192];
            garbage.Fill(value);
            return garbage[8191];
        }
    }
}
