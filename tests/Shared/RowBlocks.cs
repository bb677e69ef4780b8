using System;
using System.Linq;
using NnGen.CompilerServices;

namespace NnGen.Testing
{
    /// <summary>
    /// What the Trainer's threads do with <see cref="IRowSplitTraining{T}"/>, one after another on the calling thread:
    /// ForwardRows for each block of layer 1's rows, A(1) gathered from the blocks, AccumulateAfterRows once,
    /// AccumulateRows for each block.
    /// </summary>
    internal static class RowBlocks
    {
        /// <summary>
        /// Runs <paramref name="inputs"/> and <paramref name="targets"/> through <paramref name="network"/> in blocks of
        /// <paramref name="block"/> rows (the last may be short), with the declared cost or <paramref name="lossFunction"/>;
        /// returns the gradient sums (from zero), the summed cost and G(1).
        /// </summary>
        public static (T[] Gradients, T Loss, T[] Upstream) Run<T>(INetwork<T> network, T[] inputs, T[] targets, int block, bool accumulate, LossFunction<T>? lossFunction = null)
            where T : unmanaged
        {
            var split = (IRowSplitTraining<T>)network;
            int rows = network.Architecture.Layers[0].Size, count = inputs.Length / network.InputCount;
            var activations = new T[count * rows];
            var upstream = new T[count * rows];
            var gradients = new T[network.ParameterCount];
            var blocks = Enumerable.Range(0, (rows + block - 1) / block).Select(b => (From: b * block, Rows: Math.Min(block, rows - (b * block)))).ToArray();
            T[][] z = blocks.Select(b => new T[count * b.Rows]).ToArray(), a = blocks.Select(b => new T[count * b.Rows]).ToArray();
            for (int b = 0; b < blocks.Length; b++)
            {
                split.ForwardRows(inputs, blocks[b].From, blocks[b].Rows, z[b], a[b]);
                for (int s = 0; s < count; s++)
                {
                    a[b].AsSpan(s * blocks[b].Rows, blocks[b].Rows).CopyTo(activations.AsSpan((s * rows) + blocks[b].From));
                }
            }

            T loss = lossFunction is null
                ? split.AccumulateAfterRows(activations, targets, upstream, gradients, accumulate)
                : split.AccumulateAfterRows(activations, targets, upstream, gradients, accumulate, lossFunction);
            for (int b = 0; b < blocks.Length; b++)
            {
                split.AccumulateRows(inputs, blocks[b].From, blocks[b].Rows, z[b], a[b], upstream, new T[count * blocks[b].Rows], gradients);
            }

            return (gradients, loss, upstream);
        }
    }
}
