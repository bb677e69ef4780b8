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

        // Over `limit` samples at most: all when there are no more, else the evenly spaced i · Count / limit.
        internal static Metrics Evaluate<T>(IInferenceNetwork<T> network, Dataset<T> data, Span<T> output, int limit = int.MaxValue)
            where T : unmanaged
        {
            double loss = 0;
            int correct = 0;
            int count = Math.Min(limit, data.Count);
            for (int k = 0; k < count; k++)
            {
                int i = count == data.Count ? k : (int)((long)k * data.Count / count);
                ReadOnlySpan<T> input = data.Input(i);
                ReadOnlySpan<T> target = data.Target(i);
                loss += Numbers.ToDouble(network.Loss(input, target, output));
                if (IsCorrect<T>(output, target))
                {
                    correct++;
                }
            }

            return count == 0 ? new Metrics(double.NaN, double.NaN) : new Metrics(loss / count, (double)correct / count);
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
