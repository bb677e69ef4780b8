using System;
using System.Threading;

namespace NnGen.Testing
{
    /// <summary>
    /// The loss it wraps, which also cancels a training run at a chosen point: at its <c>at</c>-th evaluation on the
    /// thread that made it (the thread that calls Train). With TrainerOptions.Threads splitting layer 1's rows that thread
    /// evaluates every sample once, as one thread does, while the others' evaluations depend on when they come; counting
    /// only its own makes the point of cancellation the same for every thread count.
    /// </summary>
    internal sealed class CancellingLoss<T> : LossFunction<T>
        where T : unmanaged
    {
        private readonly LossFunction<T> _loss;
        private readonly CancellationTokenSource _cancel;
        private readonly int _at;
        private readonly Thread _owner = Thread.CurrentThread;
        private int _count;

        public CancellingLoss(LossFunction<T> loss, CancellationTokenSource cancel, int at) => (_loss, _cancel, _at) = (loss, cancel, at);

        /// <summary>Half the squared error, ½ Σ_k (a_k − t_k)²: a Huber loss that never turns linear.</summary>
        public static CancellingLoss<T> HalfSquaredError(CancellationTokenSource cancel, int at) => new(new HuberLoss<T>(delta: double.MaxValue), cancel, at);

        public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
        {
            if (Thread.CurrentThread == _owner && ++_count == _at)
            {
                _cancel.Cancel();
            }

            return _loss.Evaluate(output, target, outputGradient);
        }

        public override int TargetCount(int outputCount) => _loss.TargetCount(outputCount);

        public override string? CheckTarget(ReadOnlySpan<T> target, int outputCount) => _loss.CheckTarget(target, outputCount);

        public override bool? IsCorrect(ReadOnlySpan<T> output, ReadOnlySpan<T> target) => _loss.IsCorrect(output, target);
    }
}
