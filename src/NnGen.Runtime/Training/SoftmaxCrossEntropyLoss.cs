using System;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// Cross-entropy over a softmax that the loss applies to the network's outputs, which are logits z (declare the output
    /// layer <c>Activation.Identity</c>): C = −Σ_k w_k q_k ln p_k with p = softmax(z), so g_j = ∂C/∂z_j = p_j Σ_k w_k q_k
    /// − w_j q_j, which is p − q without weights. PyTorch's <c>CrossEntropyLoss</c>, with class-index or probability
    /// targets, class weights and label smoothing.
    /// </summary>
    /// <typeparam name="T">The network's precision: float or double.</typeparam>
    /// <remarks>
    /// <para>
    /// <b>Why logits.</b> A loss of your own on a softmax output layer sees probabilities, and its gradient goes through the
    /// softmax's Jacobian. A sample the network gets confidently wrong has a probability that rounds to 0 (in float from a
    /// logit gap of about 90 to 104, depending on the exponential), and there −t/p and the Jacobian give ∞ · 0 = NaN, or
    /// with a clamped p a gradient that vanishes exactly where it is needed most. Here ln p_k = z_k − max z − ln Σ
    /// e^(z − max z) is finite for every finite z, and so is the gradient. (The declared <c>Cost.CrossEntropy</c> with a
    /// softmax output is as safe, for probability targets without weights or smoothing: it fuses the two the same way.)
    /// Turn the network's outputs into probabilities with <see cref="Softmax"/>.
    /// </para>
    /// <para>
    /// <b>Targets.</b> With <c>classIndex: true</c> a target is one value, the class y, an integer from 0 to
    /// OutputCount − 1, and q = e_y; otherwise it is OutputCount values q_k ≥ 0 (one-hot, as <see cref="Csv"/> reads
    /// labels, or soft targets). Label smoothing ε replaces q by (1 − ε) q + ε / K. Class weights w_k scale each class's
    /// term, for classes seen less often. A target that is not one of these is refused before anything is computed
    /// (<see cref="CheckTarget"/>).
    /// </para>
    /// <para>
    /// <b>Against PyTorch.</b> The loss of one sample is <c>CrossEntropyLoss(weight, label_smoothing=ε, reduction="sum")</c>
    /// on that sample. Minibatches average over their samples as the declared costs do, which is PyTorch's default "mean"
    /// without class weights; with weights, "mean" divides by the sum of the samples' weights instead.
    /// </para>
    /// <para>
    /// Computed in double whatever <typeparamref name="T"/> is, then rounded once, with NnGen's own e^x and ln
    /// (<c>FastMath</c>) rather than the operating system's, so a run gives the same bits on every OS. Holds no state
    /// that changes, so the Trainer's threads may share one instance. <see cref="IsCorrect"/> compares the largest logit
    /// with the class (the largest target value for probability targets).
    /// </para>
    /// </remarks>
    public sealed class SoftmaxCrossEntropyLoss<T> : LossFunction<T>
        where T : unmanaged
    {
        // 2 KB of stack at most.
        private const int MaxKeptExponentials = 256;

        private readonly double[]? _classWeights;

        /// <summary>A softmax cross-entropy over logits.</summary>
        /// <param name="classIndex">True: a target is the class index alone (one value); false: OutputCount probabilities.</param>
        /// <param name="labelSmoothing">ε from 0 (none, the default) up to, not including, 1.</param>
        /// <param name="classWeights">One weight w_k ≥ 0 per output, finite, or null for all 1. Copied.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1), a class weight
        /// is negative or not finite, or <typeparamref name="T"/> is neither float nor double.</exception>
        /// <exception cref="ArgumentException"><paramref name="classWeights"/> is empty.</exception>
        public SoftmaxCrossEntropyLoss(bool classIndex = false, double labelSmoothing = 0, double[]? classWeights = null)
        {
            Numbers.RequirePrecision<T>();

            if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing is at least 0 and less than 1.");
            }

            if (classWeights is not null)
            {
                if (classWeights.Length == 0)
                {
                    throw new ArgumentException("classWeights is empty: give one weight per output, or null for all 1.", nameof(classWeights));
                }

                for (int k = 0; k < classWeights.Length; k++)
                {
                    if (!(classWeights[k] >= 0 && classWeights[k] <= double.MaxValue))
                    {
                        throw new ArgumentOutOfRangeException(nameof(classWeights), classWeights[k], $"classWeights[{k}] is {Numbers.Format(classWeights[k])}; a class weight is finite and at least 0.");
                    }
                }

                _classWeights = (double[])classWeights.Clone();
            }

            ClassIndex = classIndex;
            LabelSmoothing = labelSmoothing;
        }

        /// <summary>True when a target is a class index; false when it is OutputCount probabilities.</summary>
        public bool ClassIndex { get; }

        /// <summary>ε: the targets are (1 − ε) q + ε / K.</summary>
        public double LabelSmoothing { get; }

        /// <summary>A copy of the class weights, or null where every class weighs 1.</summary>
        public double[]? ClassWeights => (double[]?)_classWeights?.Clone();

        /// <summary>
        /// p = softmax(z): writes the probabilities of <paramref name="logits"/> into <paramref name="probabilities"/>
        /// (which may be the same memory), from z − max z so that no exponential overflows. In double, then rounded once;
        /// the same bits on every operating system.
        /// </summary>
        /// <exception cref="ArgumentException">The spans differ in length, or are empty.</exception>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public static void Softmax(ReadOnlySpan<T> logits, Span<T> probabilities)
        {
            if (probabilities.Length != logits.Length)
            {
                throw new ArgumentException($"probabilities has length {probabilities.Length}, but logits has length {logits.Length}.", nameof(probabilities));
            }

            if (logits.Length == 0)
            {
                throw new ArgumentException("logits is empty.", nameof(logits));
            }

            double max = Max(logits);
            double sum = 0;
            for (int k = 0; k < logits.Length; k++)
            {
                sum += FastMath.Exp(Numbers.ToDouble(logits[k]) - max);
            }

            for (int k = 0; k < logits.Length; k++)
            {
                probabilities[k] = Numbers.FromDouble<T>(FastMath.Exp(Numbers.ToDouble(logits[k]) - max) / sum);
            }
        }

        /// <summary>Refuses a network whose output layer is already a Softmax: the loss takes logits.</summary>
        public override string? CheckArchitecture(NetworkArchitecture architecture) =>
            architecture.Layers[architecture.Layers.Count - 1].Activation == Activation.Softmax
                ? "it applies the softmax to the outputs itself, but the output layer is Softmax already, so it would train softmax(softmax(z)); declare the output layer Activation.Identity."
                : null;

        /// <inheritdoc/>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override int TargetCount(int outputCount) => ClassIndex ? 1 : outputCount;

        /// <inheritdoc/>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override string? CheckTarget(ReadOnlySpan<T> target, int outputCount)
        {
            if (TargetLengthProblem(target, outputCount) is { } length)
            {
                return length;
            }

            if (outputCount < 2)
            {
                return $"a softmax over {outputCount} output is always 1, so the loss and its gradient would be 0; use two outputs, or a logistic output with Cost.BinaryCrossEntropy.";
            }

            if (_classWeights is not null && _classWeights.Length != outputCount)
            {
                return $"the loss has {_classWeights.Length} class weights, but the network has {outputCount} outputs.";
            }

            if (ClassIndex)
            {
                double y = Numbers.ToDouble(target[0]);
                return y >= 0 && y < outputCount && y == Math.Floor(y)
                    ? null
                    : $"its class index is {Numbers.Format(y)}, but a class index is a whole number from 0 to {outputCount - 1} for a network of {outputCount} outputs.";
            }

            for (int k = 0; k < target.Length; k++)
            {
                double q = Numbers.ToDouble(target[k]);
                if (!(q >= 0))
                {
                    return $"its probability of class {k} is {Numbers.Format(q)}, but a target probability is at least 0.";
                }
            }

            return null;
        }

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">The target is not one this loss can read (see <see cref="CheckTarget"/>).</exception>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
        {
            int count = output.Length;

            // The generated members and the Trainer check every target first; this keeps a direct call from reading past
            // the output or weighting by a class that is not there.
            SpanGuard.RequireReadableTarget(this, target, count, "target");

            // ln p_k = z_k − m − ln s, with m = max z and s = Σ e^(z − m) ≥ 1: finite for every finite z. The exponentials
            // are kept for p where there are few enough classes for the stack, else computed again (the same values).
            double max = Max(output);
            double sum = 0;
            Span<double> exponentials = count <= MaxKeptExponentials ? stackalloc double[count] : default;
            for (int k = 0; k < count; k++)
            {
                double e = FastMath.Exp(Numbers.ToDouble(output[k]) - max);
                sum += e;
                if (!exponentials.IsEmpty)
                {
                    exponentials[k] = e;
                }
            }

            double logSum = FastMath.Log(sum);
            int label = ClassIndex ? (int)Numbers.ToDouble(target[0]) : -1;
            double keep = 1 - LabelSmoothing, spread = LabelSmoothing / count;

            // C = −Σ_k w_k q_k ln p_k, and W = Σ_k w_k q_k for the gradient p_j W − w_j q_j.
            double loss = 0, weightSum = 0;
            for (int k = 0; k < count; k++)
            {
                double weighted = Weight(k) * SmoothedTarget(target, k, label, keep, spread);
                weightSum += weighted;
                loss -= weighted * (Numbers.ToDouble(output[k]) - max - logSum);
            }

            for (int k = 0; k < count; k++)
            {
                double p = (exponentials.IsEmpty ? FastMath.Exp(Numbers.ToDouble(output[k]) - max) : exponentials[k]) / sum;
                double weighted = Weight(k) * SmoothedTarget(target, k, label, keep, spread);
                outputGradient[k] = Numbers.FromDouble<T>((p * weightSum) - weighted);
            }

            return Numbers.FromDouble<T>(loss);
        }

        /// <summary>
        /// Whether the largest output is the target's class: its index, or for probability targets the class with the
        /// largest probability.
        /// </summary>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override bool? IsCorrect(ReadOnlySpan<T> output, ReadOnlySpan<T> target) =>
            ClassIndex ? Numbers.ArgMax(output) == (int)Numbers.ToDouble(target[0]) : Numbers.ArgMax(output) == Numbers.ArgMax(target);

        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        private double Weight(int k) => _classWeights is null ? 1 : _classWeights[k];

        // q_k after smoothing: (1 − ε) q_k + ε / K, with q = e_label for a class-index target.
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        private static double SmoothedTarget(ReadOnlySpan<T> target, int k, int label, double keep, double spread)
        {
            double q = label >= 0 ? (k == label ? 1 : 0) : Numbers.ToDouble(target[k]);
            return (keep * q) + spread;
        }

        // The largest value; NaN if any is NaN, so that a NaN logit gives a NaN loss and gradient for the Trainer to stop on.
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        private static double Max(ReadOnlySpan<T> values)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < values.Length; k++)
            {
                double v = Numbers.ToDouble(values[k]);
                if (v > max || double.IsNaN(v))
                {
                    max = v;
                    if (double.IsNaN(v))
                    {
                        break;
                    }
                }
            }

            return max;
        }
    }
}
