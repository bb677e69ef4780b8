using System;
using System.Collections.Generic;
using System.Globalization;

namespace NnGen
{
    /// <summary>The metric early stopping watches.</summary>
    public enum StoppingMetric
    {
        /// <summary>Mean loss on the test set; lower is better.</summary>
        TestLoss,

        /// <summary>Accuracy on the test set; higher is better.</summary>
        TestAccuracy,
    }

    /// <summary>Stop when the test metric has not improved for <see cref="Patience"/> epochs.</summary>
    public sealed class EarlyStopping
    {
        /// <summary>What to watch.</summary>
        public StoppingMetric Metric { get; init; } = StoppingMetric.TestLoss;

        /// <summary>Epochs without improvement before stopping; at least 1.</summary>
        public int Patience { get; init; } = 5;

        /// <summary>The smallest change that counts as an improvement.</summary>
        public double MinDelta { get; init; }

        /// <summary>Put back the parameters of the best epoch when training ends.</summary>
        public bool RestoreBest { get; init; } = true;
    }
}
