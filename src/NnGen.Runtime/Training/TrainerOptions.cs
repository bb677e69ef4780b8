using System;

namespace NnGen
{
    /// <summary>How <see cref="Trainer{T}"/> trains.</summary>
    public sealed class TrainerOptions
    {
        /// <summary>Passes over the training set.</summary>
        public int Epochs { get; init; } = 10;

        /// <summary>Samples per minibatch; the last batch of an epoch may be smaller.</summary>
        public int BatchSize { get; init; } = 32;

        /// <summary>η per epoch. A number converts to a constant schedule.</summary>
        public LearningRateSchedule LearningRate { get; init; } = 0.01;

        /// <summary>The update rule; plain SGD (the generated Step) by default.</summary>
        public Optimizer Optimizer { get; init; } = Optimizer.Sgd();

        /// <summary>Seeds the shuffle of every epoch: the same seed gives the same order.</summary>
        public int Seed { get; init; }

        /// <summary>Shuffle the training set at the start of every epoch.</summary>
        public bool Shuffle { get; init; } = true;

        /// <summary>Stop when the test metric stops improving; needs a test set.</summary>
        public EarlyStopping? EarlyStopping { get; init; }

        /// <summary>
        /// Threads that share each minibatch: 1, the default, trains on the calling thread alone. With more, where
        /// layer 1 holds at least half of the network's multiply-adds and more than one panel of rows (a panel is 16
        /// rows in float, 8 in double), each thread has a home block of layer 1's rows (model parallelism): only a(1)
        /// and the layers after it pass between threads, and training gives the same bits as one thread, with the
        /// declared cost or a <see cref="LossFunction{T}"/>. With plain SGD each such thread sums its rows of layer 1's
        /// gradient in a buffer of its own, as long as the network's Gradients and 1 MB apart from the other threads'
        /// (rows that two threads write side by side slow both). Elsewhere every minibatch is split into that many
        /// contiguous pieces (data parallelism), each with a gradient buffer of its own, summed in piece order, so a
        /// given thread count gives the same bits on every run but not one thread's. A thread the OS holds back before
        /// it starts its share (a busy machine) has it taken by the others, whatever the bits. Buffers and threads are
        /// made when the trainer is made or by its first Train, and kept; a thread without work for 20 seconds ends, and
        /// the next Train starts it again. Threads spin briefly while they wait for each other, so use at most as many
        /// as the machine has free cores. The threads also share each epoch's evaluation (a chunk of samples each),
        /// whose figures are then one thread's, bit for bit.
        /// </summary>
        public int Threads { get; init; } = 1;

        /// <summary>
        /// How many training samples the report of each epoch evaluates (loss and accuracy, one forward pass
        /// each, a chunk of samples at a time through LossBatch). All of them by default. Fewer: an evenly spaced subset, the same every epoch. Zero: no extra
        /// pass at all; the report's training loss is then the mean cost of the epoch's minibatches as they
        /// were trained (the parameters moving meanwhile) and its training accuracy is NaN.
        /// </summary>
        public int TrainingEvaluationSamples { get; init; } = int.MaxValue;

        /// <summary>Receives a report after every epoch.</summary>
        public IProgress<EpochReport>? Progress { get; init; }

        internal void Validate()
        {
            if (Epochs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
            }

            if (BatchSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A minibatch holds at least one sample.");
            }

            if (Threads < 1 || Threads > 256)
            {
                throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Use from 1 to 256 threads.");
            }

            if (TrainingEvaluationSamples < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(TrainingEvaluationSamples), TrainingEvaluationSamples, "Evaluate zero or more training samples.");
            }

            if (EarlyStopping is { Patience: < 1 })
            {
                throw new ArgumentOutOfRangeException(nameof(EarlyStopping), EarlyStopping.Patience, "Patience must be at least 1 epoch.");
            }

            _ = LearningRate ?? throw new ArgumentNullException(nameof(LearningRate));
            _ = Optimizer ?? throw new ArgumentNullException(nameof(Optimizer));
        }
    }
}
