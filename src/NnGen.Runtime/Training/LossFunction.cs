using System;
using System.Runtime.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// A supervised loss of your own (Huber, a weighted or masked error, focal cross-entropy, …) in place of the declared
    /// cost: the generated <c>Accumulate</c> and <c>AccumulateBatch</c> overloads that take one run the forward pass,
    /// hand a(L) to <see cref="Evaluate"/>, and backpropagate the gradient it writes, with the same batch kernels as the
    /// declared cost (one forward pass per sample, except the one-sample <c>Accumulate</c> of an all-unrolled network,
    /// which runs <c>Forward</c> first). <see cref="Trainer{T}"/> takes one for the whole of training (its metrics and
    /// early stopping then report this loss).
    /// </summary>
    /// <typeparam name="T">The network's precision: float or double.</typeparam>
    /// <remarks>
    /// An instance must compute from its arguments alone: with <see cref="TrainerOptions.Threads"/> above 1 the threads
    /// call <see cref="Evaluate"/> and <see cref="CheckTarget"/> at the same time. A softmax output layer applies its
    /// Jacobian to the gradient, so write the gradient with respect to the probabilities, as for <c>AccumulateGradient</c>;
    /// a loss that takes logs of those probabilities breaks where one rounds to 0, so for a cross-entropy declare an
    /// Identity output and use <see cref="SoftmaxCrossEntropyLoss{T}"/> (or a loss of your own over logits).
    /// <see cref="Evaluate"/> must not call the network that is calling it: its output and gradient spans may be that
    /// network's own storage.
    /// </remarks>
    public abstract class LossFunction<T>
        where T : unmanaged
    {
        /// <summary>
        /// Returns the loss C of one sample and writes g = ∂C/∂a(L) into <paramref name="outputGradient"/>.
        /// </summary>
        /// <param name="output">a(L), the network's output for the sample (OutputCount values).</param>
        /// <param name="target">The sample's target, <see cref="TargetCount"/> values.</param>
        /// <param name="outputGradient">OutputCount values, all 0 on entry: write ∂C/∂a(L)_k for every k whose
        /// gradient is not 0.</param>
        public abstract T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient);

        /// <summary>
        /// The length of a target for a network with <paramref name="outputCount"/> outputs: outputCount unless the
        /// loss reads more or less (weights or a mask beside the values, a class index, none at all). At least 0; 0 works
        /// with the generated members, but a <see cref="Dataset{T}"/> (and so the Trainer) holds at least one target value
        /// per sample.
        /// </summary>
        public virtual int TargetCount(int outputCount) => outputCount;

        /// <summary>
        /// Null when this loss can read <paramref name="target"/>, else what is wrong with it ("class index 12, but the
        /// network has 10 outputs"). The generated <c>Accumulate</c> and <c>AccumulateBatch</c> ask it for every target
        /// before any sample is computed, and the <see cref="Trainer{T}"/> and <see cref="Evaluation"/> for every target of
        /// a dataset before they start, and throw <see cref="ArgumentException"/> with it: a target that
        /// <see cref="Evaluate"/> cannot read is refused with nothing changed. By default every target is readable.
        /// </summary>
        /// <param name="target">One target, <see cref="TargetCount"/> values.</param>
        /// <param name="outputCount">The network's OutputCount.</param>
        public virtual string? CheckTarget(ReadOnlySpan<T> target, int outputCount) => null;

        /// <summary>
        /// For the runtime's losses' <see cref="CheckTarget"/>: what is wrong with the length of <paramref name="target"/>, or
        /// null. The generated members and the Trainer check the length before they ask; a direct call may not have.
        /// </summary>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        private protected string? TargetLengthProblem(ReadOnlySpan<T> target, int outputCount)
        {
            int expected = TargetCount(outputCount);
            return target.Length == expected ? null : $"it holds {target.Length} values, but this loss reads {expected} for {outputCount} outputs.";
        }

        /// <summary>
        /// Null when this loss suits a network of <paramref name="architecture"/>, else why not ("it applies the softmax
        /// itself, but the output layer is Softmax already"). The <see cref="Trainer{T}"/> and <see cref="Evaluation"/> ask
        /// before they start, and the generated <c>Accumulate</c> and <c>AccumulateBatch</c> before anything is computed,
        /// and throw <see cref="ArgumentException"/> with it. The answer must follow from the architecture alone: an
        /// instance remembers the last architecture it suited and is not asked again for it. By default every network suits.
        /// </summary>
        public virtual string? CheckArchitecture(NetworkArchitecture architecture) => null;

        // The last architecture CheckArchitecture accepted (SpanGuard.RequireSuitableLoss), so that one-sample calls in a
        // loop do not each make a virtual call for an answer that cannot change.
        internal NetworkArchitecture? SuitedArchitecture;

        /// <summary>
        /// Whether <paramref name="output"/> classifies the sample right, for the accuracy that evaluations report, or
        /// null where there is nothing to judge: a loss with no notion of accuracy, or a sample whose every output is
        /// masked. The accuracy is the fraction right among the samples judged, NaN when none is. By default
        /// <see cref="Evaluation.IsCorrect{T}"/> where the target is as long as the output, else null.
        /// </summary>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public virtual bool? IsCorrect(ReadOnlySpan<T> output, ReadOnlySpan<T> target) =>
            target.Length == output.Length ? Evaluation.IsCorrect(output, target) : null;
    }
}
