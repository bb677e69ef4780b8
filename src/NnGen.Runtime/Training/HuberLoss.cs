using System;
using System.Runtime.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// The Huber loss, optionally weighted per output: C = Σ_k w_k h(a_k − t_k), where h(r) = ½ r² for |r| ≤ δ and
    /// δ (|r| − ½ δ) beyond, so g_k = w_k · clamp(a_k − t_k, −δ, δ). Quadratic near the target and linear far from it, a
    /// single outlier pulls with a force of at most δ, where a squared error's pull grows with the error: the loss of
    /// choice for regression with noisy targets and for value learning (DQN's temporal-difference error).
    /// </summary>
    /// <typeparam name="T">The network's precision: float or double.</typeparam>
    /// <remarks>
    /// <para>
    /// Summed over the outputs and averaged over the samples of a minibatch, as the declared costs are: for errors within δ
    /// it is <c>Cost.HalfSquaredError</c>. PyTorch's <c>HuberLoss(delta)</c> with <c>reduction="sum"</c> gives the same
    /// value per sample (its default, "mean", also divides by the number of outputs), and <c>SmoothL1Loss(beta)</c> is this
    /// loss divided by β.
    /// </para>
    /// <para>
    /// <b>Weighted</b> (<c>weighted: true</c>): each target holds OutputCount values and then OutputCount weights w_k ≥ 0;
    /// otherwise every w_k is 1. A weight of 0 leaves an output out of the loss and its gradient, as for the actions a DQN
    /// step did not take: the target of a 4-action Q-network whose sample took action 2 with the TD target y is
    /// <c>{ 0, 0, y, 0, 0, 0, 1, 0 }</c>.
    /// </para>
    /// <para>
    /// Computed in double whatever <typeparamref name="T"/> is, then rounded once. Holds no state, so the Trainer's threads
    /// may share one instance. <see cref="IsCorrect"/> is null: a regression loss has no accuracy (the reports give NaN).
    /// </para>
    /// </remarks>
    public sealed class HuberLoss<T> : LossFunction<T>
        where T : unmanaged
    {
        /// <summary>A Huber loss with threshold <paramref name="delta"/>.</summary>
        /// <param name="delta">δ, where the loss turns from quadratic to linear: positive and finite (PyTorch's default is 1).</param>
        /// <param name="weighted">True: each target is OutputCount values then OutputCount weights.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite, or
        /// <typeparamref name="T"/> is neither float nor double.</exception>
        public HuberLoss(double delta = 1, bool weighted = false)
        {
            Numbers.RequirePrecision<T>();

            if (!(delta > 0 && delta <= double.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber's delta must be positive and finite.");
            }

            Delta = delta;
            Weighted = weighted;
        }

        /// <summary>δ: the loss is quadratic for errors up to δ and linear beyond.</summary>
        public double Delta { get; }

        /// <summary>True when each target carries a weight per output after its values.</summary>
        public bool Weighted { get; }

        /// <inheritdoc/>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override int TargetCount(int outputCount) => Weighted ? 2 * outputCount : outputCount;

        /// <summary>Refuses a weight that is negative or not a number (a weighted target's second half): it would push the output away from its target.</summary>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override string? CheckTarget(ReadOnlySpan<T> target, int outputCount)
        {
            if (TargetLengthProblem(target, outputCount) is { } length)
            {
                return length;
            }

            if (!Weighted)
            {
                return null;
            }

            for (int k = 0; k < outputCount; k++)
            {
                double w = Numbers.ToDouble(target[outputCount + k]);
                if (!(w >= 0))
                {
                    return $"its weight {k} is {Numbers.Format(w)}, but a weight is at least 0.";
                }
            }

            return null;
        }

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">The target is not one this loss can read (see <see cref="CheckTarget"/>).</exception>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
        {
            // The generated members and the Trainer check every target first; this keeps a direct call from reading past it.
            CompilerServices.SpanGuard.RequireReadableTarget(this, target, output.Length, "target");

            int count = output.Length;
            double delta = Delta, loss = 0;
            for (int k = 0; k < count; k++)
            {
                double r = Numbers.ToDouble(output[k]) - Numbers.ToDouble(target[k]);
                double weight = Weighted ? Numbers.ToDouble(target[count + k]) : 1;

                // |r| ≤ δ is false for a NaN r, which then gives a NaN loss and gradient through the linear branch, as it must
                // for the Trainer to stop on it; a weight of 0 gives no loss and no gradient for any finite error.
                double magnitude = Math.Abs(r);
                if (magnitude <= delta)
                {
                    loss += weight * (0.5 * r * r);
                    outputGradient[k] = Numbers.FromDouble<T>(weight * r);
                }
                else
                {
                    loss += weight * (delta * (magnitude - (0.5 * delta)));
                    outputGradient[k] = Numbers.FromDouble<T>(weight * (r > 0 ? delta : r < 0 ? -delta : r));
                }
            }

            return Numbers.FromDouble<T>(loss);
        }

        /// <summary>None: a regression loss has no accuracy.</summary>
        public override bool? IsCorrect(ReadOnlySpan<T> output, ReadOnlySpan<T> target) => null;
    }
}
