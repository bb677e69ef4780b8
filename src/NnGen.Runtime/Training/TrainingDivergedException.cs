using System;
using System.Collections.Generic;
using System.Globalization;

namespace NnGen
{
    /// <summary>
    /// Training produced a loss, gradient or parameter that is not a finite number. The network's
    /// parameters are as they were before the minibatch that diverged, and its gradients are cleared.
    /// <see cref="Optimizer.Step{T}(INetwork{T}, double)"/> throws it too, for a training loop of one's own.
    /// </summary>
    public sealed class TrainingDivergedException : Exception
    {
        internal TrainingDivergedException(int epoch, int batch, string what)
            : base($"Training diverged in epoch {epoch}, batch {batch}: {what} is not a finite number. "
                + "The parameters are as they were before that batch. Try a lower learning rate, or scale the inputs.")
        {
            Epoch = epoch;
            Batch = batch;
        }

        internal TrainingDivergedException(string what)
            : base($"The update diverged: {what} is not a finite number. The parameters and the optimiser's state are as they "
                + "were, and the gradients were cleared. Check the loss and its gradient (a log of 0, a division by 0), or try a lower learning rate.")
        {
        }

        /// <summary>1-based epoch; 0 where Optimizer.Step threw it, outside a Trainer.</summary>
        public int Epoch { get; }

        /// <summary>1-based minibatch within the epoch; 0 where Optimizer.Step threw it, outside a Trainer.</summary>
        public int Batch { get; }
    }
}
