using System;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// Binary cross-entropy over a logistic that the loss applies to each of the network's outputs, which are logits z
    /// (declare the output layer <c>Activation.Identity</c>): one yes-or-no label per output, for multi-label
    /// classification (several labels may hold at once) or a single binary one. C = Σ_k w_k [P_k t_k softplus(−z_k) +
    /// (1 − t_k) softplus(z_k)], since −ln σ(z) = softplus(−z) and −ln(1 − σ(z)) = softplus(z), so
    /// g_k = ∂C/∂z_k = w_k [(P_k t_k + 1 − t_k) σ(z_k) − P_k t_k], which is σ(z) − t without weights. PyTorch's
    /// <c>BCEWithLogitsLoss</c>, with per-output weights (or a mask) and positive weights P (<c>pos_weight</c>).
    /// </summary>
    /// <typeparam name="T">The network's precision: float or double.</typeparam>
    /// <remarks>
    /// <para>
    /// <b>Why logits.</b> A loss of your own on a logistic output layer sees a = σ(z), which rounds to 1 in float from
    /// z ≈ 17 (and to 0 below about −104). There ln(1 − a) and (1 − t)/(1 − a) are infinite and σ'(z) = a(1 − a) is 0, so
    /// a confidently wrong label gives an infinite loss and NaN gradients, or, clamped, a gradient that vanishes where it
    /// is needed most. Here softplus is finite for every finite z and g is at most w_k max(1, P_k) in size. (The declared
    /// <c>Cost.BinaryCrossEntropy</c> with a logistic output is as safe, without weights: it fuses the two the same way.)
    /// </para>
    /// <para>
    /// <b>Targets.</b> OutputCount values t_k from 0 to 1 (1: the label holds); with <c>weighted: true</c>, then OutputCount
    /// weights w_k ≥ 0, where 0 leaves a label out (not known for this sample). Positive weights P_k &gt; 1 count a missed
    /// positive more than a false alarm, for labels that hold rarely (PyTorch suggests negatives / positives). A target
    /// that is not one of these is refused before anything is computed (<see cref="CheckTarget"/>).
    /// </para>
    /// <para>
    /// <b>Against PyTorch.</b> The loss of one sample is <c>BCEWithLogitsLoss(weight=w, pos_weight=P, reduction="sum")</c>
    /// on that sample; minibatches average over their samples, which PyTorch's default "mean" also divides by the number
    /// of outputs.
    /// </para>
    /// <para>
    /// Computed in double with NnGen's own e^x and ln (<c>FastMath</c>), then rounded once: the same bits on every
    /// operating system. Holds no state that changes, so the Trainer's threads may share one instance.
    /// <see cref="IsCorrect"/> is true when every label with a weight above 0 is on the right side: z_k ≥ 0 exactly where
    /// t_k ≥ ½ (exact-match accuracy; for one output, binary accuracy), and null for a sample whose every label is masked,
    /// which the accuracy then leaves out.
    /// </para>
    /// </remarks>
    public sealed class BinaryCrossEntropyWithLogitsLoss<T> : LossFunction<T>
        where T : unmanaged
    {
        private readonly double[]? _positiveWeights;

        /// <summary>A binary cross-entropy over logits, one label per output.</summary>
        /// <param name="weighted">True: each target is OutputCount labels, then OutputCount weights.</param>
        /// <param name="positiveWeights">P_k &gt; 0 per output, finite (PyTorch's pos_weight), or null for all 1. Copied.</param>
        /// <exception cref="ArgumentOutOfRangeException">A positive weight is not positive and finite, or
        /// <typeparamref name="T"/> is neither float nor double.</exception>
        /// <exception cref="ArgumentException"><paramref name="positiveWeights"/> is empty.</exception>
        public BinaryCrossEntropyWithLogitsLoss(bool weighted = false, double[]? positiveWeights = null)
        {
            Numbers.RequirePrecision<T>();

            if (positiveWeights is not null)
            {
                if (positiveWeights.Length == 0)
                {
                    throw new ArgumentException("positiveWeights is empty: give one weight per output, or null for all 1.", nameof(positiveWeights));
                }

                for (int k = 0; k < positiveWeights.Length; k++)
                {
                    if (!(positiveWeights[k] > 0 && positiveWeights[k] <= double.MaxValue))
                    {
                        throw new ArgumentOutOfRangeException(nameof(positiveWeights), positiveWeights[k], $"positiveWeights[{k}] is {Numbers.Format(positiveWeights[k])}; a positive weight is finite and above 0.");
                    }
                }

                _positiveWeights = (double[])positiveWeights.Clone();
            }

            Weighted = weighted;
        }

        /// <summary>True when each target carries a weight per output after its labels.</summary>
        public bool Weighted { get; }

        /// <summary>A copy of the positive weights, or null where every one is 1.</summary>
        public double[]? PositiveWeights => (double[]?)_positiveWeights?.Clone();

        /// <summary>
        /// σ(z) = 1 / (1 + e^−z) of each logit: writes the probabilities of <paramref name="logits"/> into
        /// <paramref name="probabilities"/> (which may be the same memory). In double, then rounded once; the same bits on
        /// every operating system.
        /// </summary>
        /// <exception cref="ArgumentException">The spans differ in length.</exception>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public static void Logistic(ReadOnlySpan<T> logits, Span<T> probabilities)
        {
            if (probabilities.Length != logits.Length)
            {
                throw new ArgumentException($"probabilities has length {probabilities.Length}, but logits has length {logits.Length}.", nameof(probabilities));
            }

            for (int k = 0; k < logits.Length; k++)
            {
                probabilities[k] = Numbers.FromDouble<T>(Sigmoid(Numbers.ToDouble(logits[k])));
            }
        }

        /// <summary>Refuses a network whose output layer is already a Logistic: the loss takes logits.</summary>
        public override string? CheckArchitecture(NetworkArchitecture architecture) =>
            architecture.Layers[architecture.Layers.Count - 1].Activation == Activation.Logistic
                ? "it applies the logistic to the outputs itself, but the output layer is Logistic already, so it would train σ(σ(z)); declare the output layer Activation.Identity."
                : null;

        /// <inheritdoc/>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override int TargetCount(int outputCount) => Weighted ? 2 * outputCount : outputCount;

        /// <inheritdoc/>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override string? CheckTarget(ReadOnlySpan<T> target, int outputCount)
        {
            if (TargetLengthProblem(target, outputCount) is { } length)
            {
                return length;
            }

            if (_positiveWeights is not null && _positiveWeights.Length != outputCount)
            {
                return $"the loss has {_positiveWeights.Length} positive weights, but the network has {outputCount} outputs.";
            }

            for (int k = 0; k < outputCount; k++)
            {
                double t = Numbers.ToDouble(target[k]);
                if (!(t >= 0 && t <= 1))
                {
                    return $"its label {k} is {Numbers.Format(t)}, but a label is from 0 to 1.";
                }

                if (Weighted)
                {
                    double w = Numbers.ToDouble(target[outputCount + k]);
                    if (!(w >= 0 && w <= double.MaxValue))
                    {
                        return $"its weight {k} is {Numbers.Format(w)}, but a weight is finite and at least 0.";
                    }
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
            // the target or weighting by an output that is not there.
            SpanGuard.RequireReadableTarget(this, target, count, "target");

            double loss = 0;
            for (int k = 0; k < count; k++)
            {
                double z = Numbers.ToDouble(output[k]);
                double t = Numbers.ToDouble(target[k]);
                double w = Weighted ? Numbers.ToDouble(target[count + k]) : 1;
                double positive = (_positiveWeights is null ? 1 : _positiveWeights[k]) * t;

                // A weight of 0 leaves the label out: no loss and no gradient, also for a NaN z (0 · NaN would be NaN).
                if (w == 0)
                {
                    continue;
                }

                loss += w * ((positive * StableMath.Softplus(-z)) + ((1 - t) * StableMath.Softplus(z)));
                outputGradient[k] = Numbers.FromDouble<T>(w * (((positive + 1 - t) * Sigmoid(z)) - positive));
            }

            return Numbers.FromDouble<T>(loss);
        }

        /// <summary>
        /// True when every label with a weight above 0 is on the right side (z_k ≥ 0 exactly where t_k ≥ ½); null when
        /// every weight is 0, as there is nothing to judge (an evaluation's accuracy leaves the sample out).
        /// </summary>
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        public override bool? IsCorrect(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
        {
            int count = output.Length;
            bool judged = false;
            for (int k = 0; k < count; k++)
            {
                if (Weighted && Numbers.ToDouble(target[count + k]) == 0)
                {
                    continue;
                }

                judged = true;
                if (Numbers.ToDouble(output[k]) >= 0 != Numbers.ToDouble(target[k]) >= 0.5)
                {
                    return false;
                }
            }

            return judged ? true : null;
        }

        // σ(z) without overflow: e^−z for z ≥ 0 is at most 1; for z < 0, e^z / (1 + e^z).
        [MethodImpl(CompilerServices.CompileOptions.Optimized)]
        private static double Sigmoid(double z)
        {
            if (z >= 0)
            {
                return 1 / (1 + FastMath.Exp(-z));
            }

            double e = FastMath.Exp(z);
            return e / (1 + e);
        }
    }
}
