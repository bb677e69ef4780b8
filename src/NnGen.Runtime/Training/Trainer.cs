using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using NnGen.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
#endif

namespace NnGen
{
    /// <summary>
    /// Trains any generated network with shuffled minibatches: epochs, a learning-rate schedule, an
    /// optimiser, per-epoch metrics, early stopping and progress reports. Every buffer is allocated
    /// when training starts; the loop over samples and batches allocates nothing.
    /// </summary>
    /// <remarks>
    /// Every method that a run runs per minibatch or per epoch, here and in the threads' classes, the optimisers and
    /// Numbers, is compiled optimised at its first call (CompileOptions.Optimized): as tier-0 code it held the first
    /// epochs of a process at 1.3 times the time of the rest with two threads (FirstCallTests). What runs once per run
    /// stays tiered.
    /// </remarks>
    public sealed partial class Trainer<T>
        where T : unmanaged
    {
        // Samples gathered into one contiguous block per AccumulateBatch call: a minibatch of 32 is one call,
        // a full-batch run of 60,000 a few hundred, so the buffers stay small whatever BatchSize is.
        private const int MaxGathered = 256;

        private readonly INetwork<T> _network;
        private readonly T[] _gatheredInputs;
        private readonly T[] _gatheredTargets;
        private readonly TrainerOptions _options;
        private readonly EvaluationScratch<T> _evaluation = new();
        private readonly T[] _beforeUpdate;

        // The caller's loss in place of the declared cost, with its evaluation buffer, and the length of its targets (both
        // null: the declared cost).
        private readonly LossScratch<T>? _loss;
        private readonly int? _lossTargetCount;

        // Threads above 1 where layer 1 does most of the work: its rows split between the threads (null elsewhere).
        private readonly RowSplitAccumulation.Workspace? _rowSplit;

        // Threads above 1: made by the first Train and kept, so that later calls start no threads and rent nothing
        // anew. Its threads end after a while without work (UnitTeam.IdleTimeout), and at once when the trainer is
        // collected: they hold the work of a job only weakly, so they do not keep a dropped trainer alive.
        private ThreadedAccumulation? _threaded;

        // An upper bound on every |parameter| (NaN: unknown), kept through plain-SGD steps so that a step that
        // provably cannot overflow skips the copy and the check that undo a diverging one.
        private double _parameterBound = double.NaN;

        /// <summary>A trainer for <paramref name="network"/>.</summary>
        /// <param name="network">The network to train.</param>
        /// <param name="options">How to train; the defaults where null.</param>
        /// <param name="lossFunction">A loss of your own in place of the network's declared cost, for training and for the
        /// reports' loss, accuracy and early stopping; the datasets' targets then hold its
        /// <see cref="LossFunction{T}.TargetCount"/> values each. Null: the declared cost.</param>
        public Trainer(INetwork<T> network, TrainerOptions? options = null, LossFunction<T>? lossFunction = null)
        {
            _network = network ?? throw new ArgumentNullException(nameof(network));
            _options = options ?? new TrainerOptions();
            _options.Validate();
            _beforeUpdate = new T[network.ParameterCount];
            _loss = lossFunction is null ? null : new LossScratch<T>(lossFunction, network.OutputCount);
            _lossTargetCount = lossFunction is null ? null : CompilerServices.SpanGuard.TargetCount(lossFunction, network.OutputCount);
            if (lossFunction is not null)
            {
                CompilerServices.SpanGuard.RequireSuitableLoss(lossFunction, network.Architecture);
            }

            int gathered = Math.Min(_options.BatchSize, MaxGathered);
            _gatheredInputs = new T[gathered * network.InputCount];
            _gatheredTargets = new T[gathered * (_lossTargetCount ?? network.OutputCount)];

            _rowSplit = _options.Threads > 1 ? RowSplitAccumulation.Plan(network, _options.Threads, _gatheredInputs, _gatheredTargets, ownGradients: _options.Optimizer.IsPlainSgd) : null;
        }

        /// <summary>
        /// Trains on <paramref name="training"/>, evaluating on it and on <paramref name="test"/> (if given)
        /// after every epoch.
        /// </summary>
        /// <exception cref="ArgumentException">A dataset does not fit the network, holds a NaN or an infinity, or has a target
        /// the loss function cannot read (the message names the sample); nothing was changed.</exception>
        /// <exception cref="TrainingDivergedException">A loss, gradient or parameter became NaN or infinite.</exception>
        /// <exception cref="OperationCanceledException">Cancelled between minibatches; the last update is complete.</exception>
        public TrainingResult Train(Dataset<T> training, Dataset<T>? test = null, CancellationToken cancellationToken = default)
        {
            DatasetChecks.RequireFits(_network, training, nameof(training), _loss?.Function);
            if (test is not null)
            {
                DatasetChecks.RequireFits(_network, test, nameof(test), _loss?.Function);
            }

            EarlyStopping? stopping = _options.EarlyStopping;
            if (stopping is not null && test is null)
            {
                throw new ArgumentException("Early stopping watches a test metric, so it needs a test set.", nameof(test));
            }

            if (training.Count == 0)
            {
                throw new ArgumentException("The training set is empty.", nameof(training));
            }

            Optimizer optimizer = _options.Optimizer;
            Optimizer.OptimizerState state = optimizer.CreateState(_network.ParameterCount);
            _network.ClearGradients();
            ThreadedAccumulation? parallel = _options.Threads <= 1 ? null
                : _threaded ??= _rowSplit is not null ? new RowSplitAccumulation(_network, _rowSplit, _loss?.Function)
                : new ParallelAccumulation(_network, _options.Threads, _gatheredInputs, _gatheredTargets, _loss?.Function);
            using var run = new ThreadedRun(parallel);

            int[] order = new int[training.Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            var random = new SeededUniform(_options.Seed);
            var history = new List<EpochReport>(_options.Epochs);
            T[]? best = stopping is { RestoreBest: true } ? new T[_network.ParameterCount] : null;
            double bestScore = double.NaN;
            int bestEpoch = 0;
            int epochsWithoutImprovement = 0;
            bool stoppedEarly = false;
            var clock = new Stopwatch();

            for (int epoch = 1; epoch <= _options.Epochs; epoch++)
            {
                double learningRate = _options.LearningRate.At(epoch);
                if (!(learningRate >= 0 && learningRate <= double.MaxValue))
                {
                    throw new InvalidOperationException($"The learning-rate schedule gave {learningRate} for epoch {epoch}.");
                }

                // A float network steps with η as a float: a rate beyond float's range would reach Step as +∞.
                if (typeof(T) == typeof(float) && learningRate > float.MaxValue)
                {
                    throw new InvalidOperationException($"The learning-rate schedule gave {learningRate} for epoch {epoch}, beyond the range of a float network.");
                }

                if (_options.Shuffle)
                {
                    Shuffling.Shuffle(order, ref random);
                }

                // Measured afresh each epoch: a progress report may have changed the parameters.
                _parameterBound = Numbers.MaxAbsOrNaN<T>(_network.Parameters);

                clock.Restart();
                double epochLoss = RunEpoch(training, order, epoch, learningRate, optimizer, state, parallel, cancellationToken);
                clock.Stop();

                Metrics trainMetrics = _options.TrainingEvaluationSamples == 0
                    ? new Metrics(epochLoss / training.Count, double.NaN)
                    : Evaluate(training, _options.TrainingEvaluationSamples, parallel);
                Metrics? testMetrics = test is null ? null : Evaluate(test, int.MaxValue, parallel);
                var report = new EpochReport(epoch, _options.Epochs, learningRate, trainMetrics, testMetrics, clock.Elapsed);
                history.Add(report);
                _options.Progress?.Report(report);

                if (stopping is null)
                {
                    bestEpoch = epoch;
                    continue;
                }

                // Scores are "higher is better" so both metrics compare the same way.
                double score = stopping.Metric == StoppingMetric.TestAccuracy ? testMetrics!.Value.Accuracy : -testMetrics!.Value.Loss;
                if (double.IsNaN(score))
                {
                    // Only a loss function whose IsCorrect judges no test sample has no accuracy: every epoch would count as the best.
                    throw new InvalidOperationException("Early stopping watches the test accuracy, but the loss function gives none on the test set (its IsCorrect returns null for every sample). Watch StoppingMetric.TestLoss instead, or override IsCorrect.");
                }

                if (double.IsNaN(bestScore) || score > bestScore + stopping.MinDelta)
                {
                    bestScore = score;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    _network.Parameters.CopyTo(best);
                }
                else if (++epochsWithoutImprovement >= stopping.Patience)
                {
                    stoppedEarly = epoch < _options.Epochs;
                    break;
                }
            }

            if (best is not null && bestEpoch != history.Count)
            {
                best.AsSpan().CopyTo(_network.Parameters);
            }

            return new TrainingResult(history, bestEpoch, stoppedEarly);
        }

        // Returns the sum of the costs of every sample, as each minibatch computed them.
        [MethodImpl(CompileOptions.Optimized)]
        private double RunEpoch(
            Dataset<T> training, int[] order, int epoch, double learningRate, Optimizer optimizer, Optimizer.OptimizerState state, ThreadedAccumulation? parallel, CancellationToken cancellationToken)
        {
            int batch = 0;
            double epochLoss = 0;
            for (int start = 0; start < order.Length; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch++;
                int end = Math.Min(start + _options.BatchSize, order.Length);
                double loss = 0;
                for (int from = start; from < end; from += MaxGathered)
                {
                    int to = Math.Min(from + MaxGathered, end);
                    if (parallel is not null)
                    {
                        // The block after this one: the rest of this minibatch, else the first block of the next one.
                        int nextEnd = to < end ? end : Math.Min(end + _options.BatchSize, order.Length);
                        loss += parallel.Accumulate(training, order, from, to, Math.Min(to + MaxGathered, nextEnd));
                        continue;
                    }

                    Gather(training, order.AsSpan(from, to - from), _gatheredInputs, _gatheredTargets, 0);
                    var inputs = new ReadOnlySpan<T>(_gatheredInputs, 0, (to - from) * training.InputCount);
                    var targets = new ReadOnlySpan<T>(_gatheredTargets, 0, (to - from) * training.TargetCount);
                    loss += Numbers.ToDouble(_loss is null ? _network.AccumulateBatch(inputs, targets) : _network.AccumulateBatch(inputs, targets, _loss.Function));
                }

                Update(epoch, batch, loss, learningRate, optimizer, state, parallel, parallel is null ? 0 : end - start, more: end < order.Length);
                epochLoss += loss;
            }

            return epochLoss;
        }

        // The shuffled samples copied end to end into inputs and targets from sample position `at` on, for one
        // AccumulateBatch: the generated batch path does the matrix products of vectorised layers for many
        // samples at once, and is a plain loop over Accumulate where every layer is unrolled.
        [MethodImpl(CompileOptions.Optimized)]
        private static void Gather(Dataset<T> training, ReadOnlySpan<int> samples, T[] inputs, T[] targets, int at)
        {
            int inputCount = training.InputCount, targetCount = training.TargetCount;
            for (int i = 0; i < samples.Length; i++)
            {
                if (i + 1 < samples.Length)
                {
                    // The next shuffled row is somewhere the hardware prefetcher cannot guess: ask for it while this
                    // one is copied. From 784-float rows of 8,000 and 60,000 samples, a gather of 64 took 16–27 and
                    // 28–42 µs without this and 9–13 and 20–28 µs with it (docs/benchmarks.md).
                    Prefetch(training.Input(samples[i + 1]));
                }

                training.Input(samples[i]).CopyTo(inputs.AsSpan((at + i) * inputCount, inputCount));
                training.Target(samples[i]).CopyTo(targets.AsSpan((at + i) * targetCount, targetCount));
            }
        }

        // Asks the cache for the lines of `values` (x86; nothing elsewhere), so that a copy of them soon finds them
        // there. A hint only: it changes no value and never faults, even where the collector has just moved the array.
        [MethodImpl(CompileOptions.Optimized)]
        private static unsafe void Prefetch(ReadOnlySpan<T> values)
        {
#if NET8_0_OR_GREATER
            if (Sse.IsSupported)
            {
                byte* first = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(values));
                long bytes = (long)values.Length * Unsafe.SizeOf<T>();
                for (long offset = 0; offset < bytes; offset += 64)
                {
                    Sse.Prefetch0(first + offset);
                }
            }
#endif
        }

        // An epoch's report: on the run's threads where it has them (the same figures, ThreadedEvaluation).
        [MethodImpl(CompileOptions.Optimized)]
        private Metrics Evaluate(Dataset<T> data, int limit, ThreadedAccumulation? threaded) =>
            threaded is null ? Evaluation.Evaluate(_network, data, _evaluation, limit, _loss) : threaded.Evaluate(_network, data, limit, _loss);

        // Checks before and after the update, so a diverging batch leaves the parameters as they were.
        // threadedSamples: the minibatch's size when the threads of `threaded` summed its gradient into Gradients
        // without counting it (AccumulatedSamples is then 0), else 0. more: another minibatch of the epoch follows.
        [MethodImpl(CompileOptions.Optimized)]
        private void Update(int epoch, int batch, double loss, double learningRate, Optimizer optimizer, Optimizer.OptimizerState state, ThreadedAccumulation? threaded, int threadedSamples, bool more)
        {
            if (double.IsNaN(loss) || double.IsInfinity(loss))
            {
                Diverged(epoch, batch, "the loss");
            }

            double largestGradient = threaded?.LargestGradient() ?? Numbers.MaxAbsOrNaN<T>(_network.Gradients);
            if (double.IsNaN(largestGradient))
            {
                Diverged(epoch, batch, "a gradient");
            }

            int samples = threadedSamples > 0 ? threadedSamples : _network.AccumulatedSamples;
            if (!optimizer.IsPlainSgd)
            {
                // Momentum, Adam, weight decay: the state writes a step only when every new value is finite (proved by
                // bounds, or by a first pass that writes nothing), so a batch that would overflow leaves the parameters and
                // the state as they were, with no copy to undo from.
                if (!state.TryUpdate<T>(_network.Parameters, _network.Gradients, samples, learningRate))
                {
                    Diverged(epoch, batch, Optimizer.OptimizerState.Overflow);
                }

                _network.ClearGradients();
                return;
            }

            // Plain SGD runs the generated Step (or the threads' share of it), which writes as it goes. It moves each
            // parameter by at most η / M · max|g|. While the parameters' bound plus that stays far below the type's
            // largest value, no parameter can overflow, so there is nothing to undo: the copy and the check after the
            // step (three passes over the parameters) are skipped.
            double bound = _parameterBound + (learningRate / Math.Max(samples, 1) * largestGradient);
            bool cannotOverflow = bound < (typeof(T) == typeof(float) ? 1e37 : 1e306);
            if (!cannotOverflow)
            {
                _network.Parameters.CopyTo(_beforeUpdate);
            }

            if (threaded is not null)
            {
                // Nothing reads the parameters before the epoch's next minibatch where nothing is checked after the
                // step, so the threads may step their rows as the first part of that minibatch's forward job.
                threaded.Step(learningRate, threadedSamples, beforeNextAccumulate: cannotOverflow && more);
            }
            else
            {
                _network.Step(Numbers.FromDouble<T>(learningRate));
            }

            if (cannotOverflow)
            {
                _parameterBound = bound;
                return;
            }

            _parameterBound = Numbers.MaxAbsOrNaN<T>(_network.Parameters);
            if (double.IsNaN(_parameterBound))
            {
                _beforeUpdate.AsSpan().CopyTo(_network.Parameters);
                Diverged(epoch, batch, "a parameter after the update");
            }
        }

        private void Diverged(int epoch, int batch, string what)
        {
            _network.ClearGradients();
            throw new TrainingDivergedException(epoch, batch, what);
        }
    }
}
