using System;

namespace NnGen.Testing
{
    /// <summary>
    /// The Huber loss written plainly from its definition (PyTorch's HuberLoss with reduction "sum"), as the reference
    /// the runtime's HuberLoss and the generated loss-function paths are checked against: C = Σ_k w_k h(a_k − t_k), with
    /// h(r) = ½ r² for |r| ≤ δ and δ (|r| − ½ δ) beyond.
    /// </summary>
    internal static class PlainHuber
    {
        /// <summary>C, and ∂C/∂a in <paramref name="gradient"/>. <paramref name="weights"/>: w_k, or null for 1.</summary>
        public static double Value(double[] a, double[] t, double[]? weights, double delta, out double[] gradient)
        {
            gradient = new double[a.Length];
            double c = 0;
            for (int k = 0; k < a.Length; k++)
            {
                double r = a[k] - t[k], w = weights?[k] ?? 1;
                if (Math.Abs(r) <= delta)
                {
                    c += w * r * r / 2;
                    gradient[k] = w * r;
                }
                else
                {
                    c += w * delta * (Math.Abs(r) - (delta / 2));
                    gradient[k] = w * delta * Math.Sign(r);
                }
            }

            return c;
        }
    }
}
