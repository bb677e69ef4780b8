using System;

namespace NnGen
{
    /// <summary>
    /// A trainable NnGen network: the members that the generator adds to a <c>[Network]</c> class
    /// without baked weights. Runtime code that trains or loads (trainers, loaders) works against
    /// this interface; code that only evaluates takes <see cref="IInferenceNetwork{T}"/>.
    /// </summary>
    /// <typeparam name="T">float or double, from <see cref="NetworkAttribute.Precision"/>.</typeparam>
    /// <remarks>An instance is not thread-safe: give each thread its own network.</remarks>
    public interface INetwork<T> : IInferenceNetwork<T> where T : unmanaged
    {
        /// <summary>
        /// Every parameter, flat: for l = 1..L, W(l) row by row (N(l) rows of N(l−1)), then b(l).
        /// Writable: this is the network's own storage.
        /// </summary>
        new Span<T> Parameters { get; }

        /// <summary>The sum of per-sample gradients since the last Step or ClearGradients, laid out like Parameters.</summary>
        Span<T> Gradients { get; }

        /// <summary>How many samples <see cref="Gradients"/> holds.</summary>
        int AccumulatedSamples { get; }

        /// <summary>Runs forward and backward for one sample, adds its gradient into Gradients and returns its cost.</summary>
        T Accumulate(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

        /// <summary>
        /// <see cref="Accumulate(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, and writes ∂C/∂a(0), the gradient of the
        /// cost with respect to the input, into <paramref name="inputGradient"/> (InputCount values).
        /// </summary>
        T Accumulate(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> inputGradient);

        /// <summary>
        /// Runs forward and backward for one sample with <paramref name="lossFunction"/> in place of the declared cost: its
        /// gradient ∂C/∂a(L) is backpropagated, the parameter gradient added into Gradients and the sample counted.
        /// Returns the loss. <paramref name="target"/> holds <see cref="LossFunction{T}.TargetCount"/> values, and is refused
        /// with an <see cref="ArgumentException"/>, before anything is changed, where the loss's
        /// <see cref="LossFunction{T}.CheckTarget"/> finds it unreadable (as AccumulateBatch checks every target first).
        /// </summary>
        T Accumulate(ReadOnlySpan<T> input, ReadOnlySpan<T> target, LossFunction<T> lossFunction);

        /// <summary>
        /// Backpropagates the gradient of a loss of the caller's own for one sample: <paramref name="outputGradient"/>
        /// is g = ∂C/∂a(L) (OutputCount values). Runs the forward pass, adds the parameter gradient into
        /// <see cref="Gradients"/> and counts one sample. For policy gradients, custom penalties, and the second
        /// network of a chain (pass it the input gradient of the network after it).
        /// </summary>
        void AccumulateGradient(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient);

        /// <summary>
        /// <see cref="AccumulateGradient(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, and writes ∂C/∂a(0) into
        /// <paramref name="inputGradient"/> (InputCount values).
        /// </summary>
        void AccumulateGradient(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> inputGradient);

        /// <summary>
        /// Writes ∂C/∂a(0) into <paramref name="inputGradient"/> for g = ∂C/∂a(L) = <paramref name="outputGradient"/>;
        /// Gradients and AccumulatedSamples are left as they were.
        /// </summary>
        void InputGradient(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> inputGradient);

        /// <summary>
        /// Accumulate for a batch: <paramref name="inputs"/> holds the samples' inputs one after another,
        /// <paramref name="targets"/> their targets. Returns the sum of their costs.
        /// </summary>
        T AccumulateBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets);

        /// <summary>
        /// AccumulateBatch into <paramref name="gradients"/> (ParameterCount values, laid out like Parameters)
        /// instead of Gradients; Gradients and AccumulatedSamples are left as they were. Writes nothing of the
        /// network's, so threads with gradient buffers of their own may share one network while its parameters
        /// do not change (the Trainer's <see cref="TrainerOptions.Threads"/>). Gradients sharing memory with
        /// <paramref name="inputs"/>, <paramref name="targets"/> or Parameters, which are read while it is written,
        /// are an <see cref="ArgumentException"/> before anything changes.
        /// </summary>
        T AccumulateBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients);

        /// <summary>
        /// AccumulateBatch with <paramref name="lossFunction"/> in place of the declared cost (see
        /// <see cref="Accumulate(ReadOnlySpan{T}, ReadOnlySpan{T}, LossFunction{T})"/>): <paramref name="targets"/> holds
        /// <see cref="LossFunction{T}.TargetCount"/> values per sample. Returns the sum of the samples' losses.
        /// </summary>
        T AccumulateBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, LossFunction<T> lossFunction);

        /// <summary>
        /// AccumulateBatch with <paramref name="lossFunction"/> into <paramref name="gradients"/>, as
        /// <see cref="AccumulateBatch(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> does for the declared cost.
        /// </summary>
        T AccumulateBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients, LossFunction<T> lossFunction);

        /// <summary>Applies p ← p − (η / M) · Gradients with M = AccumulatedSamples, then clears the gradients.</summary>
        void Step(T learningRate);

        /// <summary>Zeroes Gradients and AccumulatedSamples.</summary>
        void ClearGradients();

        /// <summary>Draws fresh weights from the seeded initialiser, zeroes the biases and clears the gradients.</summary>
        void InitializeParameters(int seed);
    }
}
