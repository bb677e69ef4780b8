using System;

namespace NnGen.Testing
{
    /// <summary>
    /// PyTorch's CrossEntropyLoss(weight, label_smoothing=ε, reduction="sum") for one sample, written as its documentation
    /// writes it, as the reference for the runtime's SoftmaxCrossEntropyLoss: with a class index y,
    /// (1 − ε) · (−w_y ln p_y) + (ε / K) · Σ_k (−w_k ln p_k); with probabilities t, −Σ_k w_k ((1 − ε) t_k + ε / K) ln p_k;
    /// p = e^z / Σ e^z computed directly, so only for logits whose exponentials neither overflow nor underflow.
    /// </summary>
    internal static class PlainSoftmaxCrossEntropy
    {
        /// <summary>The loss for class <paramref name="label"/>; ∂C/∂z, from the loss's own derivative, in <paramref name="gradient"/>.</summary>
        public static double Value(double[] z, int label, double[]? weights, double smoothing, out double[] gradient)
        {
            int count = z.Length;
            double[] p = Probabilities(z);
            double nll = -W(weights, label) * Math.Log(p[label]);
            double smooth = 0;
            for (int k = 0; k < count; k++)
            {
                smooth -= W(weights, k) * Math.Log(p[k]);
            }

            // ∂(−ln p_k)/∂z_j = p_j − [j = k].
            gradient = new double[count];
            for (int j = 0; j < count; j++)
            {
                double dSmooth = 0;
                for (int k = 0; k < count; k++)
                {
                    dSmooth += W(weights, k) * (p[j] - (j == k ? 1 : 0));
                }

                double dNll = W(weights, label) * (p[j] - (j == label ? 1 : 0));
                gradient[j] = ((1 - smoothing) * dNll) + (smoothing / count * dSmooth);
            }

            return ((1 - smoothing) * nll) + (smoothing / count * smooth);
        }

        /// <summary>The loss for target probabilities <paramref name="t"/>; ∂C/∂z in <paramref name="gradient"/>.</summary>
        public static double Value(double[] z, double[] t, double[]? weights, double smoothing, out double[] gradient)
        {
            int count = z.Length;
            double[] p = Probabilities(z);
            double c = 0;
            gradient = new double[count];
            for (int k = 0; k < count; k++)
            {
                double q = ((1 - smoothing) * t[k]) + (smoothing / count);
                c -= W(weights, k) * q * Math.Log(p[k]);
                for (int j = 0; j < count; j++)
                {
                    gradient[j] += W(weights, k) * q * (p[j] - (j == k ? 1 : 0));
                }
            }

            return c;
        }

        public static double[] Probabilities(double[] z)
        {
            double sum = 0;
            foreach (double v in z)
            {
                sum += Math.Exp(v);
            }

            double[] p = new double[z.Length];
            for (int k = 0; k < z.Length; k++)
            {
                p[k] = Math.Exp(z[k]) / sum;
            }

            return p;
        }

        private static double W(double[]? weights, int k) => weights?[k] ?? 1;
    }
}
