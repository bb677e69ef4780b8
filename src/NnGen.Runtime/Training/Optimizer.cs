using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// How a trainer turns the summed gradient of a minibatch into a parameter update. Plain SGD without
    /// weight decay uses the network's own generated <c>Step</c>; the others work on the flat
    /// <c>Parameters</c> and <c>Gradients</c> spans. Weight decay is L2 on every parameter, as in
    /// torch.optim: the mean gradient g becomes g + λ p.
    /// </summary>
    public abstract class Optimizer
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, OptimizerState> _states = new();

        private protected Optimizer(double weightDecay)
        {
            if (!(weightDecay >= 0 && weightDecay <= double.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and not negative.");
            }

            WeightDecay = weightDecay;
        }

        /// <summary>λ of the L2 penalty ½ λ ‖p‖².</summary>
        public double WeightDecay { get; }

        /// <summary>Minibatch SGD: p ← p − η (g + λ p).</summary>
        public static Optimizer Sgd(double weightDecay = 0) => new SgdOptimizer(weightDecay);

        /// <summary>SGD with momentum μ: v ← μ v + (g + λ p); p ← p − η v.</summary>
        public static Optimizer Momentum(double momentum = 0.9, double weightDecay = 0) => new MomentumOptimizer(momentum, weightDecay);

        /// <summary>Adam (Kingma and Ba), with bias-corrected first and second moments.</summary>
        public static Optimizer Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0) =>
            new AdamOptimizer(beta1, beta2, epsilon, weightDecay);

        /// <summary>
        /// Applies one update to <paramref name="network"/> from the gradients it has accumulated (their mean over
        /// <see cref="INetwork{T}.AccumulatedSamples"/>), then clears them: for training loops of one's own, such as
        /// reinforcement learning with <c>AccumulateGradient</c>. The optimiser's state (momentum's velocity, Adam's
        /// moments) is kept in this instance for this network, and starts afresh when the instance is given another
        /// network. Allocates nothing after the first call.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The learning rate is not a positive finite number.</exception>
        /// <exception cref="InvalidOperationException">The network holds no accumulated sample.</exception>
        /// <exception cref="TrainingDivergedException">
        /// A gradient is NaN or infinite (a loss or a custom gradient that diverged), or the update would make a parameter or
        /// the optimiser's state NaN or infinite (a finite gradient too large for the learning rate, or beyond the
        /// parameters' type): the parameters and the state are left as they were and the gradients are cleared, so a loop may
        /// catch it and go on.
        /// </exception>
        public void Step<T>(INetwork<T> network, double learningRate)
            where T : unmanaged
        {
            if (network is null)
            {
                throw new ArgumentNullException(nameof(network));
            }

            if (!(learningRate > 0 && learningRate <= double.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
            }

            if (network.AccumulatedSamples == 0)
            {
                throw new InvalidOperationException("The network holds no accumulated sample to take a step from.");
            }

            // A NaN or an infinity in g would make every parameter it reaches NaN, and the moments too, for good: the
            // Trainer checks each minibatch this way, and a loop of one's own (AccumulateGradient with a gradient it
            // computes) needs it more.
            if (double.IsNaN(Numbers.MaxAbsOrNaN<T>(network.Gradients)))
            {
                network.ClearGradients();
                throw new TrainingDivergedException("a gradient");
            }

            // One state per network, kept as long as the network lives: two networks stepped by one optimiser, or a
            // network stepped here and trained by a Trainer, never share moments.
            if (!_states.TryGetValue(network, out OptimizerState? state))
            {
                state = CreateState(network.ParameterCount);
                _states.Add(network, state);
            }

            bool updated = state.TryUpdate<T>(network.Parameters, network.Gradients, network.AccumulatedSamples, learningRate);
            network.ClearGradients();
            if (!updated)
            {
                throw new TrainingDivergedException(OptimizerState.Overflow);
            }
        }

        /// <summary>True when the generated Step does exactly this update.</summary>
        internal virtual bool IsPlainSgd => false;

        /// <summary>
        /// Fresh state (velocity, moments) for one network's training: every Trainer run takes its own, so two
        /// trainers that share one options object never share moments.
        /// </summary>
        internal abstract OptimizerState CreateState(int parameterCount);

        /// <summary>What an optimiser remembers between the steps of one network's training.</summary>
        internal abstract class OptimizerState
        {
            /// <summary>What <see cref="TryUpdate"/> refused, for <see cref="TrainingDivergedException"/>.</summary>
            public const string Overflow = "a parameter or the optimiser's state after the update";

            // Every state value stays below this in magnitude when a step is taken without the check pass.
            private protected const double StateLimit = 1e300;

            private readonly double _weightDecay;

            private protected OptimizerState(double weightDecay) => _weightDecay = weightDecay;

            /// <summary>
            /// Updates <paramref name="parameters"/> from <paramref name="gradientSum"/> over <paramref name="samples"/> samples;
            /// or, where some new parameter (in the parameters' own type) or state value would be NaN or infinite, changes
            /// nothing and returns false.
            /// </summary>
            /// <remarks>
            /// Finite gradients can still overflow: g = 1e30 with η = 1e10 in float, or g² in Adam's second moment beyond
            /// 1e154. Where bounds prove that no new value can (the largest |p| and |g| of this step and the bounds the
            /// state keeps on its own values, far below the type's largest value), one pass computes and writes. Otherwise
            /// a first pass computes every new value and writes none, the second writes them, and the state's bounds are
            /// measured afresh: no copy of the parameters or the state to undo from. The bits are the same either way.
            /// Vectors false: the scalar loop only, as where the runtime does not accelerate vectors (for tests).
            /// </remarks>
            [MethodImpl(CompileOptions.Optimized)]
            public bool TryUpdate<T>(Span<T> parameters, ReadOnlySpan<T> gradientSum, int samples, double learningRate, bool vectors = true)
                where T : unmanaged
            {
                // The parameters are measured on every step, not tracked: a loop of one's own may change them between steps.
                double parameterBound = Numbers.MaxAbsOrNaN<T>(parameters);
                double gradientBound = (Numbers.MaxAbsOrNaN(gradientSum) / samples) + (_weightDecay * parameterBound);
                double limit = typeof(T) == typeof(float) ? 1e37 : 1e306;

                // False for NaN: unknown bounds take the checked path.
                if (parameterBound + StepBound(gradientBound, learningRate, commit: false) < limit)
                {
                    Update(parameters, gradientSum, samples, learningRate, commit: true, vectors);
                    StepBound(gradientBound, learningRate, commit: true);
                    Committed();
                    return true;
                }

                if (!Update(parameters, gradientSum, samples, learningRate, commit: false, vectors))
                {
                    return false;
                }

                Update(parameters, gradientSum, samples, learningRate, commit: true, vectors);
                Committed();
                MeasureBounds();
                return true;
            }

            /// <summary>
            /// One pass of the update (<see cref="UpdatePass"/>). Commit false: computes each new value, writes nothing and
            /// returns whether all are finite. True: writes them all. Vectors false: the scalar loop only.
            /// </summary>
            internal abstract bool Update<T>(Span<T> parameters, ReadOnlySpan<T> gradientSum, int samples, double learningRate, bool commit, bool vectors = true)
                where T : unmanaged;

            /// <summary>
            /// An upper bound on every |Δp| of the coming step, given <paramref name="gradientBound"/> ≥ |ĝ/M + λ p| for
            /// every parameter, or +∞ where the state's new values cannot be bounded below <see cref="StateLimit"/>. With
            /// <paramref name="commit"/>, also keeps the new bounds on the state's values, for the step after.
            /// </summary>
            private protected abstract double StepBound(double gradientBound, double learningRate, bool commit);

            /// <summary>After the checked path: the state's bounds measured from its values.</summary>
            [MethodImpl(CompileOptions.Optimized)]
            private protected virtual void MeasureBounds()
            {
            }

            /// <summary>The state's arrays (velocity; Adam's moments), for tests.</summary>
            internal virtual double[][] StateArrays => Array.Empty<double[]>();

            /// <summary>After a step is written: Adam counts it.</summary>
            [MethodImpl(CompileOptions.Optimized)]
            private protected virtual void Committed()
            {
            }
        }

        private sealed class SgdOptimizer : Optimizer
        {
            public SgdOptimizer(double weightDecay)
                : base(weightDecay)
            {
            }

            internal override bool IsPlainSgd => WeightDecay == 0;

            internal override OptimizerState CreateState(int parameterCount) => new State(this);

            private sealed class State : OptimizerState
            {
                private readonly SgdOptimizer _options;

                public State(SgdOptimizer options)
                    : base(options.WeightDecay) => _options = options;

                [MethodImpl(CompileOptions.Optimized)]
                private protected override double StepBound(double gradientBound, double learningRate, bool commit) => learningRate * gradientBound;

                [MethodImpl(CompileOptions.Optimized)]
                internal override bool Update<T>(Span<T> parameters, ReadOnlySpan<T> gradientSum, int samples, double learningRate, bool commit, bool vectors = true)
                {
                    var rule = new Rule(samples, _options.WeightDecay, learningRate);
                    return UpdatePass.Run(parameters, gradientSum, ref rule, commit, vectors);
                }

                // p ← p − η (ĝ/M + λ p).
                private readonly struct Rule : IUpdateRule
                {
                    private readonly double _samples, _decay, _rate;

                    public Rule(int samples, double decay, double rate) => (_samples, _decay, _rate) = (samples, decay, rate);

                    [MethodImpl(MethodImplOptions.AggressiveInlining)]
                    public Vector<double> Next(Vector<double> parameter, Vector<double> gradientSum, int i, bool commit, ref Vector<double> check) =>
                        parameter - (new Vector<double>(_rate) * ((gradientSum / new Vector<double>(_samples)) + (new Vector<double>(_decay) * parameter)));

                    [MethodImpl(MethodImplOptions.AggressiveInlining)]
                    public double Next(double parameter, double gradientSum, int i, bool commit, ref double check) =>
                        parameter - (_rate * ((gradientSum / _samples) + (_decay * parameter)));
                }
            }
        }

        private sealed class MomentumOptimizer : Optimizer
        {
            private readonly double _momentum;

            public MomentumOptimizer(double momentum, double weightDecay)
                : base(weightDecay)
            {
                if (!(momentum >= 0 && momentum < 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
                }

                _momentum = momentum;
            }

            internal override OptimizerState CreateState(int parameterCount) => new State(this, parameterCount);

            private sealed class State : OptimizerState
            {
                private readonly MomentumOptimizer _options;
                private readonly double[] _velocity;
                private double _velocityBound;

                public State(MomentumOptimizer options, int parameterCount)
                    : base(options.WeightDecay)
                {
                    _options = options;
                    _velocity = new double[parameterCount];
                }

                // |v′| ≤ μ |v| + |g|; |Δp| = η |v′|.
                [MethodImpl(CompileOptions.Optimized)]
                private protected override double StepBound(double gradientBound, double learningRate, bool commit)
                {
                    double velocity = (_options._momentum * _velocityBound) + gradientBound;
                    if (!(velocity < StateLimit))
                    {
                        return double.PositiveInfinity;
                    }

                    if (commit)
                    {
                        _velocityBound = velocity;
                    }

                    return learningRate * velocity;
                }

                [MethodImpl(CompileOptions.Optimized)]
                private protected override void MeasureBounds() => _velocityBound = Numbers.MaxAbsOrNaN<double>(_velocity);

                internal override double[][] StateArrays => new[] { _velocity };

                [MethodImpl(CompileOptions.Optimized)]
                internal override bool Update<T>(Span<T> parameters, ReadOnlySpan<T> gradientSum, int samples, double learningRate, bool commit, bool vectors = true)
                {
                    var rule = new Rule(_velocity, _options._momentum, samples, _options.WeightDecay, learningRate);
                    return UpdatePass.Run(parameters, gradientSum, ref rule, commit, vectors);
                }

                // v ← μ v + (ĝ/M + λ p); p ← p − η v.
                private readonly struct Rule : IUpdateRule
                {
                    private readonly double[] _velocity;
                    private readonly double _momentum, _samples, _decay, _rate;

                    public Rule(double[] velocity, double momentum, int samples, double decay, double rate) =>
                        (_velocity, _momentum, _samples, _decay, _rate) = (velocity, momentum, samples, decay, rate);

                    [MethodImpl(MethodImplOptions.AggressiveInlining)]
                    public Vector<double> Next(Vector<double> parameter, Vector<double> gradientSum, int i, bool commit, ref Vector<double> check)
                    {
                        Vector<double> velocity = UpdatePass.FlushSubnormals((new Vector<double>(_momentum) * new Vector<double>(_velocity, i))
                            + ((gradientSum / new Vector<double>(_samples)) + (new Vector<double>(_decay) * parameter)));
                        if (commit)
                        {
                            velocity.CopyTo(_velocity, i);
                        }
                        else
                        {
                            check += velocity * Vector<double>.Zero;
                        }

                        return parameter - (new Vector<double>(_rate) * velocity);
                    }

                    [MethodImpl(MethodImplOptions.AggressiveInlining)]
                    public double Next(double parameter, double gradientSum, int i, bool commit, ref double check)
                    {
                        double velocity = UpdatePass.FlushSubnormals((_momentum * _velocity[i]) + ((gradientSum / _samples) + (_decay * parameter)));
                        if (commit)
                        {
                            _velocity[i] = velocity;
                        }
                        else
                        {
                            check += velocity * 0;
                        }

                        return parameter - (_rate * velocity);
                    }
                }
            }
        }

        private sealed class AdamOptimizer : Optimizer
        {
            private readonly double _beta1;
            private readonly double _beta2;
            private readonly double _epsilon;

            public AdamOptimizer(double beta1, double beta2, double epsilon, double weightDecay)
                : base(weightDecay)
            {
                if (!(beta1 >= 0 && beta1 < 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
                }

                if (!(beta2 >= 0 && beta2 < 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
                }

                if (!(epsilon > 0 && epsilon <= double.MaxValue))
                {
                    throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite.");
                }

                _beta1 = beta1;
                _beta2 = beta2;
                _epsilon = epsilon;
            }

            internal override OptimizerState CreateState(int parameterCount) => new State(this, parameterCount);

            private sealed class State : OptimizerState
            {
                private readonly AdamOptimizer _options;
                private readonly double[] _first;
                private readonly double[] _second;
                private int _steps;
                private double _firstBound, _secondBound;

                public State(AdamOptimizer options, int parameterCount)
                    : base(options.WeightDecay)
                {
                    _options = options;
                    _first = new double[parameterCount];
                    _second = new double[parameterCount];
                }

                // |m′| ≤ β1 |m| + (1 − β1) |g|, v′ ≤ β2 v + (1 − β2) g², and |Δp| = η |m̂′| / (√v̂′ + ε) ≤ η |m′| / ((1 − β1^t) ε).
                // Loose where ε is small, which only sends more steps down the checked path.
                [MethodImpl(CompileOptions.Optimized)]
                private protected override double StepBound(double gradientBound, double learningRate, bool commit)
                {
                    AdamOptimizer options = _options;
                    double first = (options._beta1 * _firstBound) + ((1 - options._beta1) * gradientBound);
                    double second = (options._beta2 * _secondBound) + ((1 - options._beta2) * gradientBound * gradientBound);
                    if (!(first < StateLimit && second < StateLimit))
                    {
                        return double.PositiveInfinity;
                    }

                    if (commit)
                    {
                        (_firstBound, _secondBound) = (first, second);
                    }

                    double correction1 = 1 - PortableMath.Pow(options._beta1, _steps + 1);
                    return learningRate * (first / (correction1 * options._epsilon));
                }

                [MethodImpl(CompileOptions.Optimized)]
                private protected override void MeasureBounds() =>
                    (_firstBound, _secondBound) = (Numbers.MaxAbsOrNaN<double>(_first), Numbers.MaxAbsOrNaN<double>(_second));

                internal override double[][] StateArrays => new[] { _first, _second };

                [MethodImpl(CompileOptions.Optimized)]
                internal override bool Update<T>(Span<T> parameters, ReadOnlySpan<T> gradientSum, int samples, double learningRate, bool commit, bool vectors = true)
                {
                    var rule = new Rule(this, samples, learningRate);
                    return UpdatePass.Run(parameters, gradientSum, ref rule, commit, vectors);
                }

                [MethodImpl(CompileOptions.Optimized)]
                private protected override void Committed() => _steps++;

                // g = ĝ/M + λ p; m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; p ← p − η m̂ / (√v̂ + ε), with
                // m̂ = m / (1 − β1^t) and v̂ = v / (1 − β2^t) at step t.
                private readonly struct Rule : IUpdateRule
                {
                    private readonly double[] _first, _second;
                    private readonly double _beta1, _beta2, _correction1, _correction2, _epsilon, _samples, _decay, _rate;

                    public Rule(State state, int samples, double rate)
                    {
                        AdamOptimizer options = state._options;
                        (_first, _second) = (state._first, state._second);
                        (_beta1, _beta2, _epsilon, _decay) = (options._beta1, options._beta2, options._epsilon, options.WeightDecay);
                        (_samples, _rate) = (samples, rate);

                        // β^t by repeated squaring, not Math.Pow (the C library's): the same bits on every operating system.
                        _correction1 = 1 - PortableMath.Pow(_beta1, state._steps + 1);
                        _correction2 = 1 - PortableMath.Pow(_beta2, state._steps + 1);
                    }

                    [MethodImpl(MethodImplOptions.AggressiveInlining)]
                    public Vector<double> Next(Vector<double> parameter, Vector<double> gradientSum, int i, bool commit, ref Vector<double> check)
                    {
                        Vector<double> g = (gradientSum / new Vector<double>(_samples)) + (new Vector<double>(_decay) * parameter);
                        Vector<double> first = UpdatePass.FlushSubnormals((new Vector<double>(_beta1) * new Vector<double>(_first, i)) + (new Vector<double>(1 - _beta1) * g));
                        Vector<double> second = UpdatePass.FlushSubnormals((new Vector<double>(_beta2) * new Vector<double>(_second, i)) + (new Vector<double>(1 - _beta2) * g * g));
                        if (commit)
                        {
                            first.CopyTo(_first, i);
                            second.CopyTo(_second, i);
                        }
                        else
                        {
                            check += (first * Vector<double>.Zero) + (second * Vector<double>.Zero);
                        }

                        Vector<double> m = first / new Vector<double>(_correction1);
                        Vector<double> v = second / new Vector<double>(_correction2);
                        return parameter - (new Vector<double>(_rate) * m / (Vector.SquareRoot(v) + new Vector<double>(_epsilon)));
                    }

                    [MethodImpl(MethodImplOptions.AggressiveInlining)]
                    public double Next(double parameter, double gradientSum, int i, bool commit, ref double check)
                    {
                        double g = (gradientSum / _samples) + (_decay * parameter);
                        double first = UpdatePass.FlushSubnormals((_beta1 * _first[i]) + ((1 - _beta1) * g));
                        double second = UpdatePass.FlushSubnormals((_beta2 * _second[i]) + ((1 - _beta2) * g * g));
                        if (commit)
                        {
                            _first[i] = first;
                            _second[i] = second;
                        }
                        else
                        {
                            check += (first * 0) + (second * 0);
                        }

                        double m = first / _correction1;
                        double v = second / _correction2;
                        return parameter - (_rate * m / (Math.Sqrt(v) + _epsilon));
                    }
                }
            }
        }
    }
}
