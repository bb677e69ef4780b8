using System;
using NnGen.Tests.Reference;

namespace NnGen.Tests.Networks
{
    /// <summary>Random but reproducible parameters, inputs and targets that suit each cost.</summary>
    public static class Samples
    {
        /// <summary>
        /// Seeded initialisation, then every bias set to a random value too, so that the bias terms
        /// of the forward pass and their gradients are exercised with something other than 0.
        /// </summary>
        public static void Randomize<T>(INetwork<T> net, NetSpec spec, int seed)
            where T : unmanaged
        {
            net.InitializeParameters(seed);
            var random = new Random(seed);
            Span<T> p = net.Parameters;
            int at = 0;
            for (int l = 0; l < spec.Layers.Length; l++)
            {
                at += spec.Layers[l].Size * spec.FanIn(l);
                for (int i = 0; i < spec.Layers[l].Size; i++)
                {
                    p[at++] = FromDouble<T>(random.NextDouble() - 0.5);
                }
            }
        }

        public static double[] Input(NetSpec spec, Random random)
        {
            var x = new double[spec.Inputs];
            for (int j = 0; j < x.Length; j++)
            {
                x[j] = (random.NextDouble() * 2) - 1;
            }

            return x;
        }

        /// <summary>
        /// Targets in [−1, 1] for the squared costs and in [0, 1] for the entropies. Cross-entropy targets
        /// are not normalised on purpose: the fused softmax delta a Σt − t must hold for any t.
        /// </summary>
        public static double[] Target(NetSpec spec, Random random)
        {
            bool entropy = spec.Cost is Cost.CrossEntropy or Cost.BinaryCrossEntropy;
            var t = new double[spec.Outputs];
            for (int k = 0; k < t.Length; k++)
            {
                t[k] = entropy ? random.NextDouble() : (random.NextDouble() * 2) - 1;
            }

            return t;
        }

        public static T[] Convert<T>(double[] values)
            where T : unmanaged
        {
            var result = new T[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                result[i] = FromDouble<T>(values[i]);
            }

            return result;
        }

        public static double[] ToDouble<T>(ReadOnlySpan<T> values)
            where T : unmanaged
        {
            var result = new double[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                result[i] = values[i] switch
                {
                    float f => f,
                    double d => d,
                    _ => throw new NotSupportedException(typeof(T).Name),
                };
            }

            return result;
        }

        public static T FromDouble<T>(double value)
            where T : unmanaged =>
            typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;
    }
}
