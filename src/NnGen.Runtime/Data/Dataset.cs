using System;

namespace NnGen
{
    /// <summary>
    /// Samples for training or evaluation: inputs and targets in two flat arrays, sample i at
    /// [i · InputCount, (i + 1) · InputCount) and [i · TargetCount, (i + 1) · TargetCount).
    /// </summary>
    /// <typeparam name="T">float or double, the network's precision.</typeparam>
    public sealed class Dataset<T>
        where T : unmanaged
    {
        private readonly T[] _inputs;
        private readonly T[] _targets;

        /// <summary>Wraps the arrays (not copied).</summary>
        /// <exception cref="ArgumentException">The lengths do not make whole samples, or the two arrays hold different numbers of samples.</exception>
        public Dataset(T[] inputs, T[] targets, int inputCount, int targetCount)
        {
            if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            {
                throw new NotSupportedException($"A dataset holds float or double, not {typeof(T).Name}.");
            }

            _inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
            _targets = targets ?? throw new ArgumentNullException(nameof(targets));
            if (inputCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "Each sample needs at least one input.");
            }

            if (targetCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount, "Each sample needs at least one target.");
            }

            if (inputs.Length % inputCount != 0)
            {
                throw new ArgumentException($"inputs has length {inputs.Length}, which is not a multiple of inputCount {inputCount}.", nameof(inputs));
            }

            if (targets.Length % targetCount != 0)
            {
                throw new ArgumentException($"targets has length {targets.Length}, which is not a multiple of targetCount {targetCount}.", nameof(targets));
            }

            if (inputs.Length / inputCount != targets.Length / targetCount)
            {
                throw new ArgumentException(
                    $"inputs holds {inputs.Length / inputCount} samples but targets holds {targets.Length / targetCount}.", nameof(targets));
            }

            InputCount = inputCount;
            TargetCount = targetCount;
            Count = inputs.Length / inputCount;
        }

        /// <summary>The number of samples.</summary>
        public int Count { get; }

        /// <summary>The length of each input.</summary>
        public int InputCount { get; }

        /// <summary>The length of each target.</summary>
        public int TargetCount { get; }

        /// <summary>Every input, flat; writable so that inputs can be scaled in place.</summary>
        public Span<T> Inputs => _inputs;

        /// <summary>Every target, flat.</summary>
        public Span<T> Targets => _targets;

        /// <summary>The input of sample <paramref name="index"/>.</summary>
        public ReadOnlySpan<T> Input(int index) => new(_inputs, index * InputCount, InputCount);

        /// <summary>The target of sample <paramref name="index"/>.</summary>
        public ReadOnlySpan<T> Target(int index) => new(_targets, index * TargetCount, TargetCount);

        /// <summary>A new dataset of the given samples, in the given order (copied).</summary>
        public Dataset<T> Subset(ReadOnlySpan<int> indices)
        {
            var inputs = new T[indices.Length * InputCount];
            var targets = new T[indices.Length * TargetCount];
            for (int i = 0; i < indices.Length; i++)
            {
                int index = indices[i];
                if ((uint)index >= (uint)Count)
                {
                    throw new ArgumentOutOfRangeException(nameof(indices), index, $"Sample index must be in [0, {Count}).");
                }

                Input(index).CopyTo(inputs.AsSpan(i * InputCount));
                Target(index).CopyTo(targets.AsSpan(i * TargetCount));
            }

            return new Dataset<T>(inputs, targets, InputCount, TargetCount);
        }

        /// <summary>
        /// Shuffles the samples with <paramref name="seed"/> and splits them into a training part of
        /// round(trainFraction · Count) samples and a test part of the rest. The same seed gives the same split.
        /// </summary>
        public (Dataset<T> Train, Dataset<T> Test) Split(double trainFraction, int seed)
        {
            if (!(trainFraction > 0 && trainFraction < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The training fraction must be between 0 and 1, exclusive.");
            }

            int[] order = Shuffling.Permutation(Count, seed);
            int trainCount = (int)Math.Round(trainFraction * Count, MidpointRounding.AwayFromZero);
            return (Subset(order.AsSpan(0, trainCount)), Subset(order.AsSpan(trainCount)));
        }

        /// <summary>Divides every input value by <paramref name="divisor"/>, in place (e.g. 16 for pixels 0..16).</summary>
        public void ScaleInputs(double divisor)
        {
            if (divisor == 0 || double.IsNaN(divisor) || double.IsInfinity(divisor))
            {
                throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be a finite number other than 0.");
            }

            Span<T> inputs = _inputs;
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = Numbers.FromDouble<T>(Numbers.ToDouble(inputs[i]) / divisor);
            }
        }
    }
}
