using System;
using System.ComponentModel;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// AccumulateBatch taken apart at layer 1, so that several threads can share one gathered batch by the rows of
    /// W(1) (model parallelism, <see cref="TrainerOptions.Threads"/>): each thread computes Z(1) and A(1) for its
    /// own rows, one thread runs layers 2..L on the whole A(1) and returns G(1) = ∂C/∂A(1), and each thread then
    /// adds ∇W(1) and ∇b(1) for its own rows. Only A(1) and G(1) pass between the threads; W(1), its packed copy
    /// and its gradient rows stay with the thread that owns them.
    /// </summary>
    /// <remarks>
    /// Generated networks implement it (explicitly) where layer 1 is vectorised with an element-wise activation and
    /// another layer follows. With row blocks that start on a multiple of 16 (8 in double), the three calls compute
    /// what AccumulateBatch(inputs, targets, gradients) computes for the same samples, bit for bit: every sum keeps
    /// its terms and their order. Spans hold one sample after another; <c>count</c> is inputs.Length / N(0).
    /// </remarks>
    /// <typeparam name="T">float or double.</typeparam>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public interface IRowSplitTraining<T>
        where T : unmanaged
    {
        /// <summary>
        /// z = Z(1) and a = A(1) for the rows [<paramref name="from"/>, from + <paramref name="rows"/>) of layer 1:
        /// count × rows values each.
        /// </summary>
        /// <exception cref="ArgumentException">The spans do not hold whole samples of the block, or the block is not inside layer 1.</exception>
        void ForwardRows(ReadOnlySpan<T> inputs, int from, int rows, Span<T> z, Span<T> a);

        /// <summary>
        /// Layers 2..L for the samples whose A(1) is <paramref name="activations"/> (count × N(1)): the forward pass, the
        /// cost and the backward pass down to G(1) = Δ(2) W(2), written into <paramref name="upstream"/> (count × N(1)). Where
        /// <paramref name="accumulate"/>, ∇W(l) and ∇b(l) for l ≥ 2 are added into <paramref name="gradients"/> (laid out
        /// like Parameters). Returns the sum of the costs.
        /// </summary>
        /// <exception cref="ArgumentException">The spans do not hold whole, matching samples, or gradients is not ParameterCount long.</exception>
        T AccumulateAfterRows(ReadOnlySpan<T> activations, ReadOnlySpan<T> targets, Span<T> upstream, Span<T> gradients, bool accumulate);

        /// <summary>
        /// <see cref="AccumulateAfterRows(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T}, bool)"/> with
        /// <paramref name="lossFunction"/> in place of the declared cost, as AccumulateBatch with a loss function runs it:
        /// <paramref name="targets"/> holds the loss's TargetCount values per sample. Returns the sum of its losses.
        /// </summary>
        /// <exception cref="ArgumentException">The spans do not hold whole, matching samples, gradients is not ParameterCount
        /// long, lossFunction is null, or a target is one it cannot read.</exception>
        T AccumulateAfterRows(ReadOnlySpan<T> activations, ReadOnlySpan<T> targets, Span<T> upstream, Span<T> gradients, bool accumulate, LossFunction<T> lossFunction);

        /// <summary>
        /// δ(1) = h'(z(1)) ⊙ g(1) for the rows [<paramref name="from"/>, from + <paramref name="rows"/>) into
        /// <paramref name="delta"/> (count × rows), from that block's z and a and from G(1), <paramref name="upstream"/>
        /// (count × N(1)); then
        /// ∇W(1) and ∇b(1) of those rows added into <paramref name="gradients"/>, the samples in order.
        /// </summary>
        /// <exception cref="ArgumentException">The spans do not hold whole samples of the block, or the block is not inside layer 1.</exception>
        void AccumulateRows(ReadOnlySpan<T> inputs, int from, int rows, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> upstream, Span<T> delta, Span<T> gradients);
    }
}
