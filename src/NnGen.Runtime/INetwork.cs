using System;

namespace NnGen
{
    /// <summary>
    /// What every NnGen network offers, whatever its shape: the members that the generator adds to a
    /// <c>[Network]</c> class. Runtime code (trainers, savers) works against this interface.
    /// </summary>
    /// <typeparam name="T">float or double, from <see cref="NetworkAttribute.Precision"/>.</typeparam>
    /// <remarks>An instance is not thread-safe: give each thread its own network.</remarks>
    public interface INetwork<T> where T : unmanaged
    {
        /// <summary>The declared architecture: sizes, activations, cost and precision.</summary>
        NetworkArchitecture Architecture { get; }

        /// <summary>N(0), the length of every input span.</summary>
        int InputCount { get; }

        /// <summary>N(L), the length of every output and target span.</summary>
        int OutputCount { get; }

        /// <summary>The number of weights and biases.</summary>
        int ParameterCount { get; }

        /// <summary>
        /// Every parameter, flat: for l = 1..L, W(l) row by row (N(l) rows of N(l−1)), then b(l).
        /// Writable: this is the network's own storage.
        /// </summary>
        Span<T> Parameters { get; }

        /// <summary>The sum of per-sample gradients since the last Step or ClearGradients, laid out like Parameters.</summary>
        Span<T> Gradients { get; }

        /// <summary>How many samples <see cref="Gradients"/> holds.</summary>
        int AccumulatedSamples { get; }

        /// <summary>Computes the output a(L) for one input.</summary>
        void Forward(ReadOnlySpan<T> input, Span<T> output);

        /// <summary>Computes the cost C of one sample.</summary>
        T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

        /// <summary>Runs forward and backward for one sample, adds its gradient into Gradients and returns its cost.</summary>
        T Accumulate(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

        /// <summary>
        /// Accumulate for a batch: <paramref name="inputs"/> holds the samples' inputs one after another,
        /// <paramref name="targets"/> their targets. Returns the sum of their costs.
        /// </summary>
        T AccumulateBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets);

        /// <summary>Applies p ← p − (η / M) · Gradients with M = AccumulatedSamples, then clears the gradients.</summary>
        void Step(T learningRate);

        /// <summary>Zeroes Gradients and AccumulatedSamples.</summary>
        void ClearGradients();

        /// <summary>Draws fresh weights from the seeded initialiser, zeroes the biases and clears the gradients.</summary>
        void InitializeParameters(int seed);
    }
}
