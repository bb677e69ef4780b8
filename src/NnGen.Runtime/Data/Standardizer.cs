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

        /// <summary>
        /// Per-input standard deviations (1 for a constant input, which is only centred; an input whose variance is
        /// within the rounding of its sums counts as constant).
        /// </summary>
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
                    if (!NumericLimits.IsFinite(value, asSingle: false))
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
                double variance = scale[j] / training.Count;
                scale[j] = IsConstant(variance, mean[j], training.Count) ? 1.0 : Math.Sqrt(variance);
            }

            return new Standardizer(mean, scale);
        }

        // The gap between 1 and the next double (double.Epsilon is the smallest positive double instead).
        private const double Epsilon = 2.220446049250313e-16;

        // A variance within the rounding of the sums that computed it is a constant input (the rule of sklearn's
        // StandardScaler). The mean of n equal doubles can miss them by a few ulp (n equal floats sum exactly), and
        // dividing by the deviation that leaves blows small differences up: 4,097 copies of −3.3 left 2.1e-13, which
        // turned an input 1e-10 away into about 1,600.
        private static bool IsConstant(double variance, double mean, int count)
        {
            double rounding = count * Epsilon * mean;
            return variance <= (count * Epsilon * variance) + (rounding * rounding);
        }

        /// <summary>Standardises the inputs of <paramref name="data"/> in place.</summary>
        public void Apply<T>(Dataset<T> data)
            where T : unmanaged
        {
            if (data is null)
            {
                throw new ArgumentNullException(nameof(data));
            }

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
