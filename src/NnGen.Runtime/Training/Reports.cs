using System;
using System.Collections.Generic;
using System.Globalization;

namespace NnGen
{
    /// <summary>Mean loss and accuracy of a network over a dataset.</summary>
    /// <param name="Loss">The mean per-sample cost.</param>
    /// <param name="Accuracy">The fraction of samples classified right: argmax of output against argmax of target,
    /// or, for a single output, both on the same side of 0.5. With a loss function, its <c>IsCorrect</c> judges, and
    /// the fraction is over the samples it judges (NaN when it judges none).</param>
    public readonly record struct Metrics(double Loss, double Accuracy)
    {
        /// <inheritdoc />
        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "loss {0:F4}, accuracy {1:P2}", Loss, Accuracy);
    }

    /// <summary>What one epoch did; passed to the progress reporter and kept in the history.</summary>
    /// <param name="Epoch">1-based.</param>
    /// <param name="Epochs">The number of epochs planned.</param>
    /// <param name="LearningRate">η used in this epoch.</param>
    /// <param name="Train">Metrics on the training set after the epoch.</param>
    /// <param name="Test">Metrics on the test set after the epoch, if one was given.</param>
    /// <param name="Duration">Wall time of the epoch's training (not its evaluation).</param>
    public sealed record EpochReport(int Epoch, int Epochs, double LearningRate, Metrics Train, Metrics? Test, TimeSpan Duration)
    {
        /// <summary>"epoch  3/30  train loss 0.1234 acc 96.10%  test loss ... (12 ms)".</summary>
        public override string ToString()
        {
            string test = Test is { } t ? string.Format(CultureInfo.InvariantCulture, "   test loss {0:F4} acc {1,7:P2}", t.Loss, t.Accuracy) : string.Empty;
            return string.Format(
                CultureInfo.InvariantCulture,
                "epoch {0,3}/{1}   train loss {2:F4} acc {3,7:P2}{4}   ({5:F1} ms)",
                Epoch,
                Epochs,
                Train.Loss,
                Train.Accuracy,
                test,
                Duration.TotalMilliseconds);
        }
    }

    /// <summary>The outcome of <see cref="Trainer{T}.Train"/>.</summary>
    public sealed class TrainingResult
    {
        internal TrainingResult(IReadOnlyList<EpochReport> history, int bestEpoch, bool stoppedEarly)
        {
            History = history;
            BestEpoch = bestEpoch;
            StoppedEarly = stoppedEarly;
        }

        /// <summary>Every epoch that ran, in order.</summary>
        public IReadOnlyList<EpochReport> History { get; }

        /// <summary>
        /// The last epoch that ran. Where early stopping put back the best epoch's parameters (its default,
        /// <see cref="EarlyStopping.RestoreBest"/>), the network holds <see cref="Best"/>'s parameters, not these.
        /// </summary>
        public EpochReport Last => History[History.Count - 1];

        /// <summary>
        /// The report of <see cref="BestEpoch"/>: with early stopping that restores the best epoch (the default), the
        /// metrics of the parameters the network holds after training; without early stopping, <see cref="Last"/>.
        /// </summary>
        public EpochReport Best => History[BestEpoch - 1];

        /// <summary>The epoch with the best early-stopping metric, or the last epoch without early stopping (1-based).</summary>
        public int BestEpoch { get; }

        /// <summary>True when early stopping ended training before the planned number of epochs.</summary>
        public bool StoppedEarly { get; }
    }
}
