using System;

namespace NnGen
{
    /// <summary>
    /// What every NnGen network can compute: its outputs and its cost. Networks declared with baked
    /// weights (<see cref="NetworkAttribute.Weights"/>) offer only this; trainable networks offer
    /// <see cref="INetwork{T}"/>, which extends it.
    /// </summary>
    /// <typeparam name="T">float or double, from <see cref="NetworkAttribute.Precision"/>.</typeparam>
    /// <remarks>An instance is not thread-safe: give each thread its own network.</remarks>
    public interface IInferenceNetwork<T> where T : unmanaged
    {
        /// <summary>The declared architecture: sizes, activations, cost and precision.</summary>
        NetworkArchitecture Architecture { get; }

        /// <summary>N(0), the length of every input span.</summary>
        int InputCount { get; }

        /// <summary>N(L), the length of every output and target span.</summary>
        int OutputCount { get; }

        /// <summary>The number of weights and biases.</summary>
        int ParameterCount { get; }

        /// <summary>Every parameter, flat: for l = 1..L, W(l) row by row (N(l) rows of N(l−1)), then b(l).</summary>
        ReadOnlySpan<T> Parameters { get; }

        /// <summary>Computes the output a(L) for one input.</summary>
        void Forward(ReadOnlySpan<T> input, Span<T> output);

        /// <summary>
        /// Forward for many samples: <paramref name="inputs"/> holds N inputs one after another,
        /// <paramref name="outputs"/> receives the N outputs in the same order. A network with a vectorised
        /// layer computes a chunk of samples at a time with register-blocked matrix kernels, whose sums run in
        /// another order than Forward's: an output may differ from Forward's in the last bits. A network whose
        /// layers are all unrolled gives exactly Forward's outputs, and so do an inference snapshot and a baked network, on every
        /// machine. <paramref name="outputs"/> may share memory with
        /// <paramref name="inputs"/> only where it starts at or before it (in place, for one) and an output is no longer
        /// than an input; any other overlap would write outputs over inputs not yet read, and is an
        /// <see cref="ArgumentException"/> before anything is written.
        /// </summary>
        void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs);

        /// <summary>Computes the cost C of one sample.</summary>
        T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

        /// <summary>
        /// Computes the cost C of one sample and writes its output a(L) into <paramref name="output"/>
        /// (OutputCount values): Forward and Loss in one forward pass, for evaluations that need both. Output is
        /// written after input and target are read, so it may overlap either.
        /// </summary>
        T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> output);

        /// <summary>
        /// Loss with the output for many samples: <paramref name="inputs"/> holds N inputs one after another and
        /// <paramref name="targets"/> their targets; <paramref name="outputs"/> receives the N outputs (OutputCount values
        /// each) and <paramref name="losses"/> the N costs, in the same order. A network with a vectorised layer computes a
        /// chunk of samples at a time with the matrix kernels of ForwardBatch, so an output or a cost may differ from
        /// Loss's in the last bits; a network whose layers are all unrolled gives exactly Loss's, and so do an inference snapshot
        /// and a baked network. Evaluations of a whole
        /// dataset (<see cref="Evaluation"/>, the Trainer's reports) go through it. Spans of the wrong length, or outputs
        /// and losses sharing memory with inputs, targets or each other, are an <see cref="ArgumentException"/> before
        /// anything is written.
        /// </summary>
        void LossBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> outputs, Span<T> losses);
    }
}
