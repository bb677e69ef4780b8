using System;

namespace NnGen
{
    /// <summary>
    /// Input standardisation, x ← (x − mean) / standard deviation per input, with the statistics taken
    /// from the training part only and applied to every part, so the test set does not leak into training.
    /// </summary>
    public sealed class Standardizer
    {
        private readonly double[] _mean;
        private readonly double[] _scale;

        private Standardizer(double[] mean, double[] scale)
        {
            _mean = mean;
            _scale = scale;
        }

        /// <summary>Per-input means.</summary>
        public ReadOnlySpan<double> Mean => _mean;

        /// <summary>Per-input standard deviations (1 for a constant input, which is only centred).</summary>
        public ReadOnlySpan<double> StandardDeviation => _scale;

        /// <summary>Takes the mean and standard deviation of each input of <paramref name="training"/>.</summary>
        /// <exception cref="ArgumentException">
        /// The dataset is empty, or an input is NaN or infinite: the statistics would be NaN, and applying them would
        /// turn every input into NaN.
        /// </exception>
        public static Standardizer Fit<T>(Dataset<T> training)
            where T : unmanaged
        {
            if (training is null)
            {
                throw new ArgumentNullException(nameof(training));
            }

            if (training.Count == 0)
            {
                throw new ArgumentException("The training set is empty: there is nothing to take a mean of.", nameof(training));
            }

            int n = training.InputCount;
            var mean = new double[n];
            var scale = new double[n];
            for (int i = 0; i < training.Count; i++)
            {
                ReadOnlySpan<T> x = training.Input(i);
                for (int j = 0; j < n; j++)
                {
                    double value = Numbers.ToDouble(x[j]);
                    if (double.IsNaN(value) || double.IsInfinity(value))
                    {
                        throw new ArgumentException($"Input {j} of sample {i} is {value}; a mean and standard deviation need finite inputs.", nameof(training));
                    }

                    mean[j] += value;
                }
            }

            for (int j = 0; j < n; j++)
            {
                mean[j] /= training.Count;
            }

            for (int i = 0; i < training.Count; i++)
            {
                ReadOnlySpan<T> x = training.Input(i);
                for (int j = 0; j < n; j++)
                {
                    double d = Numbers.ToDouble(x[j]) - mean[j];
                    scale[j] += d * d;
                }
            }

            for (int j = 0; j < n; j++)
            {
                double deviation = Math.Sqrt(scale[j] / training.Count);
                scale[j] = deviation > 0 ? deviation : 1.0;
            }

            return new Standardizer(mean, scale);
        }

        /// <summary>Standardises the inputs of <paramref name="data"/> in place.</summary>
        public void Apply<T>(Dataset<T> data)
            where T : unmanaged
        {
            if (data.InputCount != _mean.Length)
            {
                throw new ArgumentException($"data has {data.InputCount} inputs, but this standardiser was fitted on {_mean.Length}.", nameof(data));
            }

            Span<T> inputs = data.Inputs;
            for (int i = 0; i < inputs.Length; i++)
            {
                int j = i % _mean.Length;
                inputs[i] = Numbers.FromDouble<T>((Numbers.ToDouble(inputs[i]) - _mean[j]) / _scale[j]);
            }
        }
    }
}
