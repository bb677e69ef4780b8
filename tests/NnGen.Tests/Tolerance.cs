using System;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>The comparison of computed values with expected ones that the agreement tests share.</summary>
    internal static class Tolerance
    {
        /// <summary>Each pair within <paramref name="tolerance"/>, relative to max(1, |expected|).</summary>
        public static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                double allowed = tolerance * Math.Max(1, Math.Abs(expected[i]));
                Assert.True(
                    Math.Abs(expected[i] - actual[i]) <= allowed,
                    $"{what}[{i}]: expected {expected[i]:R}, computed {actual[i]:R}");
            }
        }
    }
}
