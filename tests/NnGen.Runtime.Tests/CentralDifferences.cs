using System;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>A loss function's gradient against central differences of its own value.</summary>
    internal static class CentralDifferences
    {
        /// <summary>
        /// Asserts that the g <paramref name="loss"/> writes for <paramref name="output"/> is within
        /// <paramref name="tolerance"/> of (C(a + h e_k) − C(a − h e_k)) / 2h for every k.
        /// </summary>
        public static void AssertGradient(LossFunction<double> loss, double[] output, double[] target, double tolerance, string what, double h = 1e-5)
        {
            var gradient = new double[output.Length];
            loss.Evaluate(output, target, gradient);
            for (int k = 0; k < output.Length; k++)
            {
                double[] up = (double[])output.Clone(), down = (double[])output.Clone();
                up[k] += h;
                down[k] -= h;
                double numeric = (loss.Evaluate(up, target, new double[output.Length]) - loss.Evaluate(down, target, new double[output.Length])) / (2 * h);
                Assert.True(Math.Abs(numeric - gradient[k]) <= tolerance, $"{what}, output {k}: {gradient[k]:R}, central difference {numeric:R}");
            }
        }
    }
}
