using System;
using System.Collections.Generic;
using System.Globalization;

namespace NnGen
{
    /// <summary>
    /// Training produced a loss, gradient or parameter that is not a finite number. The network's
    /// parameters are as they were before the minibatch that diverged, and its gradients are cleared.
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

        /// <summary>1-based epoch.</summary>
        public int Epoch { get; }

        /// <summary>1-based minibatch within the epoch.</summary>
        public int Batch { get; }
    }
}
