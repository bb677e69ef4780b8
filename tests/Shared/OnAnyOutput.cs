using System;

namespace NnGen.Testing
{
    /// <summary>
    /// The loss it wraps, without its <see cref="LossFunction{T}.CheckArchitecture"/>: the catalog tests take any output
    /// layer's values as logits so as to cross every generated loss-function path, Softmax and Logistic outputs included,
    /// where the ready-made logit losses refuse those outputs (rightly, for training).
    /// </summary>
    internal sealed class OnAnyOutput<T> : LossFunction<T>
        where T : unmanaged
    {
        private readonly LossFunction<T> _loss;

        public OnAnyOutput(LossFunction<T> loss) => _loss = loss;

        public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient) => _loss.Evaluate(output, target, outputGradient);

        public override int TargetCount(int outputCount) => _loss.TargetCount(outputCount);

        public override string? CheckTarget(ReadOnlySpan<T> target, int outputCount) => _loss.CheckTarget(target, outputCount);

        public override bool? IsCorrect(ReadOnlySpan<T> output, ReadOnlySpan<T> target) => _loss.IsCorrect(output, target);
    }
}
