using System;

namespace NnGen
{
    /// <summary>Loss and accuracy of a network over a dataset.</summary>
    public static class Evaluation
    {
        /// <summary>Mean loss and accuracy of <paramref name="network"/> on <paramref name="data"/>.</summary>
        public static Metrics Evaluate<T>(IInferenceNetwork<T> network, Dataset<T> data)
            where T : unmanaged
        {
            DatasetChecks.RequireFits(network, data, nameof(data));
            return Evaluate(network, data, new T[network.OutputCount]);
        }

        /// <summary>
        /// True when <paramref name="output"/> picks the class of <paramref name="target"/>: the same argmax,
        /// or, with a single output, both on the same side of 0.5.
        /// </summary>
        public static bool IsCorrect<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
            where T : unmanaged
        {
            if (output.Length == 1)
            {
                return Numbers.ToDouble(output[0]) >= 0.5 == Numbers.ToDouble(target[0]) >= 0.5;
            }

            return Numbers.ArgMax(output) == Numbers.ArgMax(target);
        }

        internal static Metrics Evaluate<T>(IInferenceNetwork<T> network, Dataset<T> data, Span<T> output)
            where T : unmanaged
        {
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < data.Count; i++)
            {
                ReadOnlySpan<T> input = data.Input(i);
                ReadOnlySpan<T> target = data.Target(i);
                network.Forward(input, output);
                loss += Numbers.ToDouble(network.Loss(input, target));
                if (IsCorrect<T>(output, target))
                {
                    correct++;
                }
            }

            return data.Count == 0 ? new Metrics(double.NaN, double.NaN) : new Metrics(loss / data.Count, (double)correct / data.Count);
        }
    }

    internal static class DatasetChecks
    {
        public static void RequireFits<T>(IInferenceNetwork<T> network, Dataset<T> data, string name)
            where T : unmanaged
        {
            if (data is null)
            {
                throw new ArgumentNullException(name);
            }

            if (data.InputCount != network.InputCount)
            {
                throw new ArgumentException($"{name} has inputs of length {data.InputCount}, but the network needs length {network.InputCount}.", name);
            }

            if (data.TargetCount != network.OutputCount)
            {
                throw new ArgumentException($"{name} has targets of length {data.TargetCount}, but the network needs length {network.OutputCount}.", name);
            }
        }
    }
}
