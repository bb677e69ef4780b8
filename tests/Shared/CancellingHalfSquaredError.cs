using System;
using System.Globalization;
using System.Threading;

namespace NnGen.Testing
{
    /// <summary>
    /// Half the squared error, C = ½ Σ_k (a_k − t_k)², computed in double, as a loss function of the user's that also
    /// cancels a training run at a chosen point: at its <c>at</c>-th evaluation on the thread that made it (the thread
    /// that calls Train). With TrainerOptions.Threads splitting layer 1's rows that thread evaluates every sample once,
    /// as one thread does, while the others' evaluations depend on when they come; counting only its own makes the
    /// point of cancellation the same for every thread count.
    /// </summary>
    internal sealed class CancellingHalfSquaredError<T> : LossFunction<T>
        where T : unmanaged
    {
        private readonly CancellationTokenSource _cancel;
        private readonly int _at;
        private readonly Thread _owner = Thread.CurrentThread;
        private int _count;

        public CancellingHalfSquaredError(CancellationTokenSource cancel, int at) => (_cancel, _at) = (cancel, at);

        public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
        {
            if (Thread.CurrentThread == _owner && ++_count == _at)
            {
                _cancel.Cancel();
            }

            double loss = 0;
            for (int i = 0; i < output.Length; i++)
            {
                double g = Convert.ToDouble(output[i], CultureInfo.InvariantCulture) - Convert.ToDouble(target[i], CultureInfo.InvariantCulture);
                outputGradient[i] = From(g);
                loss += 0.5 * g * g;
            }

            return From(loss);
        }

        private static T From(double value) => typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;
    }
}
