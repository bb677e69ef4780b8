using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>Loss and accuracy of a network over a dataset.</summary>
    /// <remarks>
    /// The samples go through the network's LossBatch (ForwardBatch with a loss function) up to 256 at a time, so where a
    /// layer is vectorised each cost may differ from Loss's in the last bits; the costs are summed in double in sample
    /// order. The Trainer's reports compute the same figures, on its threads where it has them.
    /// </remarks>
    public static class Evaluation
    {
        /// <summary>Mean loss and accuracy of <paramref name="network"/> on <paramref name="data"/>.</summary>
        /// <exception cref="ArgumentException">The data does not fit the network, or holds a NaN or an infinity (the message names the sample).</exception>
        public static Metrics Evaluate<T>(IInferenceNetwork<T> network, Dataset<T> data)
            where T : unmanaged
        {
            _ = network ?? throw new ArgumentNullException(nameof(network));
            DatasetChecks.RequireFits(network, data, nameof(data));
            return Evaluate(network, data, new EvaluationScratch<T>());
        }

        /// <summary>
        /// Mean loss of <paramref name="lossFunction"/> over every sample, and accuracy (by its
        /// <see cref="LossFunction{T}.IsCorrect"/>, over the samples where that is not null; NaN where it is null for
        /// every sample) of <paramref name="network"/> on <paramref name="data"/>, whose targets hold
        /// <see cref="LossFunction{T}.TargetCount"/> values each.
        /// </summary>
        /// <exception cref="ArgumentException">The data does not fit the network and the loss, holds a NaN or an infinity, or has
        /// a target the loss function cannot read (the message names the sample).</exception>
        public static Metrics Evaluate<T>(IInferenceNetwork<T> network, Dataset<T> data, LossFunction<T> lossFunction)
            where T : unmanaged
        {
            _ = network ?? throw new ArgumentNullException(nameof(network));
            DatasetChecks.RequireFits(network, data, nameof(data), lossFunction ?? throw new ArgumentNullException(nameof(lossFunction)));
            CompilerServices.SpanGuard.RequireSuitableLoss(lossFunction, network.Architecture);
            return Evaluate(network, data, new EvaluationScratch<T>(), int.MaxValue, new LossScratch<T>(lossFunction, network.OutputCount));
        }

        /// <summary>
        /// True when <paramref name="output"/> picks the class of <paramref name="target"/>: the same argmax,
        /// or, with a single output, both on the same side of 0.5.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static bool IsCorrect<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
            where T : unmanaged
        {
            if (output.Length == 1)
            {
                return Numbers.ToDouble(output[0]) >= 0.5 == Numbers.ToDouble(target[0]) >= 0.5;
            }

            return Numbers.ArgMax(output) == Numbers.ArgMax(target);
        }

        // Over `limit` samples at most: all when there are no more, else the evenly spaced i · Count / limit. A chunk of
        // samples at a time through LossBatch (with a loss function, ForwardBatch and the loss per sample), which runs the
        // matrix kernels where a layer is vectorised: one Loss call per sample took 4.3 µs on 784-128-10, against 1.1 µs
        // a sample for the batch. The costs are summed in double, sample by sample in order.
        [MethodImpl(CompileOptions.Optimized)]
        internal static Metrics Evaluate<T>(IInferenceNetwork<T> network, Dataset<T> data, EvaluationScratch<T> scratch, int limit = int.MaxValue, LossScratch<T>? custom = null)
            where T : unmanaged
        {
            int count = Math.Min(limit, data.Count);
            int chunk = EvaluationScratch<T>.ChunkFor(data.InputCount);
            scratch.EnsureFor(network, data, count);
            var sum = new MetricsSum();
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                EvaluateChunk(network, data, count, start, n, scratch, custom, scratch.Losses, scratch.Verdicts);
                sum.Add<T>(scratch.Losses.AsSpan(0, n), scratch.Verdicts.AsSpan(0, n));
            }

            return sum.Result(count);
        }

        /// <summary>
        /// Samples [start, start + n) of the <paramref name="count"/> evaluated (see <see cref="Evaluate{T}(IInferenceNetwork{T}, Dataset{T}, EvaluationScratch{T}, int, LossScratch{T})"/>),
        /// one chunk: their costs into losses[0..n) and their verdicts into verdicts[0..n) (1 right, 0 wrong, −1 not judged).
        /// A sample's figures depend only on the chunk it is in, so threads that each take whole chunks of the same
        /// boundaries give the figures of one thread. <paramref name="scratch"/> is large enough already
        /// (<see cref="EvaluationScratch{T}.EnsureFor"/>).
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        internal static void EvaluateChunk<T>(
            IInferenceNetwork<T> network, Dataset<T> data, int count, int start, int n, EvaluationScratch<T> scratch, LossScratch<T>? custom, Span<T> losses, Span<sbyte> verdicts)
            where T : unmanaged
        {
            int inputCount = data.InputCount, targetCount = data.TargetCount, outputCount = network.OutputCount;
            ReadOnlySpan<T> inputs, targets;
            if (count == data.Count)
            {
                inputs = data.Inputs.Slice(start * inputCount, n * inputCount);
                targets = data.Targets.Slice(start * targetCount, n * targetCount);
            }
            else
            {
                Span<T> gatheredInputs = scratch.Inputs.AsSpan(0, n * inputCount), gatheredTargets = scratch.Targets.AsSpan(0, n * targetCount);
                for (int s = 0; s < n; s++)
                {
                    int i = (int)((long)(start + s) * data.Count / count);
                    data.Input(i).CopyTo(gatheredInputs.Slice(s * inputCount, inputCount));
                    data.Target(i).CopyTo(gatheredTargets.Slice(s * targetCount, targetCount));
                }

                inputs = gatheredInputs;
                targets = gatheredTargets;
            }

            Span<T> outputs = scratch.Outputs.AsSpan(0, n * outputCount);
            if (custom is null)
            {
                network.LossBatch(inputs, targets, outputs, losses.Slice(0, n));
            }
            else
            {
                network.ForwardBatch(inputs, outputs);
            }

            for (int s = 0; s < n; s++)
            {
                ReadOnlySpan<T> output = outputs.Slice(s * outputCount, outputCount), target = targets.Slice(s * targetCount, targetCount);
                bool? right;
                if (custom is null)
                {
                    right = IsCorrect<T>(output, target);
                }
                else
                {
                    losses[s] = custom.Evaluate(output, target);
                    right = custom.Function.IsCorrect(output, target);
                }

                verdicts[s] = right switch { true => 1, false => 0, null => -1 };
            }
        }
    }

    /// <summary>The running sums of an evaluation, added sample by sample in order.</summary>
    internal struct MetricsSum
    {
        private double _loss;
        private int _correct;
        private int _judged;

        [MethodImpl(CompileOptions.Optimized)]
        public void Add<T>(ReadOnlySpan<T> losses, ReadOnlySpan<sbyte> verdicts)
            where T : unmanaged
        {
            for (int s = 0; s < losses.Length; s++)
            {
                _loss += Numbers.ToDouble(losses[s]);
                if (verdicts[s] >= 0)
                {
                    _judged++;
                    _correct += verdicts[s];
                }
            }
        }

        // A sample IsCorrect does not judge (a masked one) counts in the loss, where it adds its 0 as PyTorch's mean
        // reduction does, but not in the accuracy, where counting it either way would bias the fraction.
        [MethodImpl(CompileOptions.Optimized)]
        public readonly Metrics Result(int count) =>
            count == 0 ? new Metrics(double.NaN, double.NaN) : new Metrics(_loss / count, _judged == 0 ? double.NaN : (double)_correct / _judged);
    }

    /// <summary>
    /// The buffers of an evaluation: a chunk of outputs and costs and, for an evenly spaced subset of a dataset, of gathered
    /// samples. A trainer keeps one, so that its reports allocate nothing after the first.
    /// </summary>
    internal sealed class EvaluationScratch<T>
        where T : unmanaged
    {
        /// <summary>
        /// Samples per LossBatch call at most: enough that packing W, once per call, is a few per cent of the call
        /// (784-128-10: W is 100,000 values, a chunk 25.7 M multiply-adds).
        /// </summary>
        public const int Chunk = 256;

        // At most this many gathered input values per chunk (4 MB in float, 8 in double): a network of 100,000 inputs
        // would otherwise gather 25.6 million for a subset's chunk, far more than its trainer's minibatch buffers.
        private const int MostGatheredValues = 1 << 20;

        /// <summary>
        /// Samples per chunk for inputs of <paramref name="inputCount"/> values: <see cref="Chunk"/>, fewer for very wide
        /// inputs, never fewer than BatchKernels.PackFrom. The same for every thread of an evaluation, so that the chunks'
        /// boundaries, and with them every sample's figures, do not depend on the threads.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int ChunkFor(int inputCount) => Math.Max(BatchKernels.PackFrom, Math.Min(Chunk, MostGatheredValues / Math.Max(1, inputCount)));

        private T[] _inputs = Array.Empty<T>();
        private T[] _targets = Array.Empty<T>();
        private T[] _outputs = Array.Empty<T>();
        private T[] _losses = Array.Empty<T>();
        private sbyte[] _verdicts = Array.Empty<sbyte>();

        public T[] Inputs => _inputs;

        public T[] Targets => _targets;

        public T[] Outputs => _outputs;

        public T[] Losses => _losses;

        public sbyte[] Verdicts => _verdicts;

        /// <summary>Makes the buffers large enough for chunks of an evaluation of <paramref name="count"/> samples of <paramref name="data"/>.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public void EnsureFor(IInferenceNetwork<T> network, Dataset<T> data, int count) =>
            Ensure(Math.Min(count, ChunkFor(data.InputCount)), data.InputCount, data.TargetCount, network.OutputCount, gathers: count < data.Count);

        /// <summary>Makes the buffers at least as large as <paramref name="samples"/> need; they are only ever made larger.</summary>
        [MethodImpl(CompileOptions.Optimized)]
        public void Ensure(int samples, int inputCount, int targetCount, int outputCount, bool gathers)
        {
            AtLeast(ref _outputs, samples * outputCount);
            AtLeast(ref _losses, samples);
            AtLeast(ref _verdicts, samples);
            if (gathers)
            {
                AtLeast(ref _inputs, samples * inputCount);
                AtLeast(ref _targets, samples * targetCount);
            }
        }

        [MethodImpl(CompileOptions.Optimized)]
        internal static void AtLeast<TValue>(ref TValue[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = new TValue[length];
            }
        }
    }

    /// <summary>A loss function with the gradient buffer that evaluating it needs (the gradient itself is not used).</summary>
    internal sealed class LossScratch<T>
        where T : unmanaged
    {
        private readonly T[] _gradient;

        public LossScratch(LossFunction<T> function, int outputCount)
        {
            Function = function;
            _gradient = new T[outputCount];
        }

        public LossFunction<T> Function { get; }

        [MethodImpl(CompileOptions.Optimized)]
        public T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
        {
            _gradient.AsSpan().Clear();
            return Function.Evaluate(output, target, _gradient);
        }
    }

    internal static class DatasetChecks
    {
        /// <summary>
        /// Throws unless <paramref name="data"/> fits the network (targets of the loss function's TargetCount values, or
        /// where there is none the network's OutputCount, as the declared cost needs), holds only finite numbers, and has
        /// only targets that the loss function can read (<see cref="LossFunction{T}.CheckTarget"/>).
        /// </summary>
        public static void RequireFits<T>(IInferenceNetwork<T> network, Dataset<T> data, string name, LossFunction<T>? lossFunction = null)
            where T : unmanaged
        {
            int? lossTargetCount = lossFunction is null ? null : CompilerServices.SpanGuard.TargetCount(lossFunction, network.OutputCount);
            if (data is null)
            {
                throw new ArgumentNullException(name);
            }

            if (data.InputCount != network.InputCount)
            {
                throw new ArgumentException($"{name} has inputs of length {data.InputCount}, but the network needs length {network.InputCount}.", name);
            }

            int targetCount = lossTargetCount ?? network.OutputCount;
            if (data.TargetCount != targetCount)
            {
                string needs = lossTargetCount is null ? "the network" : "the loss function";
                throw new ArgumentException($"{name} has targets of length {data.TargetCount}, but {needs} needs length {targetCount}.", name);
            }

            // A NaN or an infinity in the data makes every loss and gradient of its minibatch NaN: training would stop
            // with TrainingDivergedException and advice about the learning rate, and an evaluation would report NaN.
            RequireFinite(data.Inputs, data.InputCount, "Input", name);
            RequireFinite(data.Targets, data.TargetCount, "Target", name);
            if (lossFunction is not null
                && CompilerServices.SpanGuard.FirstUnreadableTarget(lossFunction, data.Targets, data.Count, data.TargetCount, network.OutputCount) is { } unreadable)
            {
                throw CompilerServices.SpanGuard.UnreadableTarget($"{name}.Target({unreadable.Sample})", lossFunction, unreadable.Problem, name);
            }
        }

        [MethodImpl(CompileOptions.Optimized)]
        private static void RequireFinite<T>(ReadOnlySpan<T> values, int perSample, string member, string name)
            where T : unmanaged
        {
            int at = FirstNonFinite(values);
            if (at >= 0)
            {
                string value = Numbers.ToDouble(values[at]).ToString(CultureInfo.InvariantCulture);
                throw new ArgumentException(
                    $"{name}.{member}({at / perSample})[{at % perSample}] is {value}, not a finite number: every loss and gradient of a minibatch with it would be NaN. Remove or fill that sample.",
                    name);
            }
        }

        // The index of the first NaN or infinity, or −1: Numbers.MaxAbsOrNaN (the Trainer's divergence check) tells in
        // one vector pass whether there is one, and only then are the values searched.
        [MethodImpl(CompileOptions.Optimized)]
        private static int FirstNonFinite<T>(ReadOnlySpan<T> values)
            where T : unmanaged
        {
            if (!double.IsNaN(Numbers.MaxAbsOrNaN(values)))
            {
                return -1;
            }

            for (int i = 0; i < values.Length; i++)
            {
                double x = Numbers.ToDouble(values[i]);
                if (double.IsNaN(x) || double.IsInfinity(x))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
