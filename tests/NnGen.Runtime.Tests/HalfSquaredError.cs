using System;

namespace NnGen.Runtime.Tests
{
    /// <summary>C = Σ_k (a_k − t_k)² / 2 and ∂C/∂a = a − t, for the tests' own loss functions.</summary>
    internal static class HalfSquaredError
    {
        public static double Evaluate(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> outputGradient)
        {
            double c = 0;
            for (int k = 0; k < output.Length; k++)
            {
                double r = output[k] - target[k];
                c += r * r / 2;
                outputGradient[k] = r;
            }

            return c;
        }
    }
}
