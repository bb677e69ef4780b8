using System;

namespace NnGen.Testing
{
    /// <summary>
    /// PyTorch's BCEWithLogitsLoss(weight=w, pos_weight=P, reduction="sum") for one sample, written as its documentation
    /// writes it, as the reference for the runtime's BinaryCrossEntropyWithLogitsLoss:
    /// C = −Σ_k w_k [P_k t_k ln σ(z_k) + (1 − t_k) ln(1 − σ(z_k))], with σ(z) = 1 / (1 + e^−z) computed directly, so only
    /// for logits small enough that 1 − σ(z) keeps its digits (|z| below about 30).
    /// </summary>
    internal static class PlainBinaryCrossEntropyWithLogits
    {
        /// <summary>C, and ∂C/∂z in <paramref name="gradient"/> from d ln σ / dz = 1 − σ and d ln(1 − σ) / dz = −σ.</summary>
        public static double Value(double[] z, double[] t, double[]? weights, double[]? positiveWeights, out double[] gradient)
        {
            gradient = new double[z.Length];
            double c = 0;
            for (int k = 0; k < z.Length; k++)
            {
                double s = 1 / (1 + Math.Exp(-z[k]));
                double w = weights?[k] ?? 1, p = positiveWeights?[k] ?? 1;
                c -= w * ((p * t[k] * Math.Log(s)) + ((1 - t[k]) * Math.Log(1 - s)));
                gradient[k] = -w * ((p * t[k] * (1 - s)) - ((1 - t[k]) * s));
            }

            return c;
        }
    }
}
