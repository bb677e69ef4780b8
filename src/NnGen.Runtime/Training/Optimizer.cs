using System;

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

            bool updated = state.TryUpdate(Numbers.DoubleView.Of(network.Parameters), Numbers.DoubleView.Of(network.Gradients), network.AccumulatedSamples, learningRate);
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

        private protected double MeanGradient(Numbers.DoubleView parameters, Numbers.DoubleView gradientSum, int samples, int i) =>
            (gradientSum[i] / samples) + (WeightDecay * parameters[i]);

        /// <summary>What an optimiser remembers between the steps of one network's training.</summary>
        internal abstract class OptimizerState
        {
            /// <summary>What <see cref="TryUpdate"/> refused, for <see cref="TrainingDivergedException"/>.</summary>
            public const string Overflow = "a parameter or the optimiser's state after the update";

            /// <summary>
            /// Updates <paramref name="parameters"/> from <paramref name="gradientSum"/> over <paramref name="samples"/> samples;
            /// or, where some new parameter (in the parameters' own type) or state value would be NaN or infinite, changes
            /// nothing and returns false.
            /// </summary>
            /// <remarks>
            /// Finite gradients can still overflow: g = 1e30 with η = 1e10 in float, or g² in Adam's second moment beyond
            /// 1e154. A first pass computes every new value and writes none, the second writes them: the same arithmetic
            /// twice, which costs one more pass over the parameters but needs no copy of them or of the state to undo from.
            /// </remarks>
            public bool TryUpdate(Numbers.DoubleView parameters, Numbers.DoubleView gradientSum, int samples, double learningRate)
            {
                if (!Update(parameters, gradientSum, samples, learningRate, commit: false))
                {
                    return false;
                }

                Update(parameters, gradientSum, samples, learningRate, commit: true);
                return true;
            }

            /// <summary>
            /// One pass of the update. <paramref name="commit"/> false: computes each new value, writes nothing and returns
            /// false at the first that is not finite. True: writes them all (and returns true).
            /// </summary>
            private protected abstract bool Update(Numbers.DoubleView parameters, Numbers.DoubleView gradientSum, int samples, double learningRate, bool commit);

            private protected static bool IsFinite(double value) => NumericLimits.IsFinite(value, asSingle: false);
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

                public State(SgdOptimizer options) => _options = options;

                private protected override bool Update(Numbers.DoubleView parameters, Numbers.DoubleView gradientSum, int samples, double learningRate, bool commit)
                {
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        double parameter = parameters[i] - (learningRate * _options.MeanGradient(parameters, gradientSum, samples, i));
                        if (commit)
                        {
                            parameters[i] = parameter;
                        }
                        else if (!parameters.Holds(parameter))
                        {
                            return false;
                        }
                    }

                    return true;
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

                public State(MomentumOptimizer options, int parameterCount)
                {
                    _options = options;
                    _velocity = new double[parameterCount];
                }

                private protected override bool Update(Numbers.DoubleView parameters, Numbers.DoubleView gradientSum, int samples, double learningRate, bool commit)
                {
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        double velocity = (_options._momentum * _velocity[i]) + _options.MeanGradient(parameters, gradientSum, samples, i);
                        double parameter = parameters[i] - (learningRate * velocity);
                        if (commit)
                        {
                            _velocity[i] = velocity;
                            parameters[i] = parameter;
                        }
                        else if (!IsFinite(velocity) || !parameters.Holds(parameter))
                        {
                            return false;
                        }
                    }

                    return true;
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

                public State(AdamOptimizer options, int parameterCount)
                {
                    _options = options;
                    _first = new double[parameterCount];
                    _second = new double[parameterCount];
                }

                private protected override bool Update(Numbers.DoubleView parameters, Numbers.DoubleView gradientSum, int samples, double learningRate, bool commit)
                {
                    double beta1 = _options._beta1, beta2 = _options._beta2;
                    int step = _steps + 1;
                    // β^t by repeated squaring, not Math.Pow (the C library's): the same bits on every operating system.
                    double correction1 = 1 - PortableMath.Pow(beta1, step);
                    double correction2 = 1 - PortableMath.Pow(beta2, step);
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        double g = _options.MeanGradient(parameters, gradientSum, samples, i);
                        double first = (beta1 * _first[i]) + ((1 - beta1) * g);
                        double second = (beta2 * _second[i]) + ((1 - beta2) * g * g);
                        double m = first / correction1;
                        double v = second / correction2;
                        double parameter = parameters[i] - (learningRate * m / (Math.Sqrt(v) + _options._epsilon));
                        if (commit)
                        {
                            _first[i] = first;
                            _second[i] = second;
                            parameters[i] = parameter;
                        }
                        else if (!IsFinite(first) || !IsFinite(second) || !parameters.Holds(parameter))
                        {
                            return false;
                        }
                    }

                    if (commit)
                    {
                        _steps = step;
                    }

                    return true;
                }
            }
        }
    }
}
