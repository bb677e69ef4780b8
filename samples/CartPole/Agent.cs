using System;

namespace NnGen.Samples.CartPole
{
    /// <summary>
    /// REINFORCE with a learned baseline (Williams 1992; Sutton and Barto, Reinforcement Learning, §13.4):
    /// after each episode, every step's advantage A_t = G_t − V(s_t) scales the gradient of −ln π(a_t | s_t) with
    /// respect to the policy's logits, which the policy network backpropagates through AccumulateGradient; the value network regresses V(s_t)
    /// on G_t with its own cost. Both step with Adam from the runtime. All storage is allocated up front: an
    /// episode, acting and learning included, allocates nothing.
    /// </summary>
    public sealed class Agent
    {
        /// <summary>Returns are divided by this for the value network, so that its targets are near 1.</summary>
        public const float ReturnScale = 100f;

        private const float Discount = 0.99f;

        private readonly PolicyNet _policy = new();
        private readonly ValueNet _value = new();
        private readonly Optimizer _policyOptimizer = Optimizer.Adam();
        private readonly Optimizer _valueOptimizer = Optimizer.Adam();
        private readonly CartPoleEnvironment _environment;
        private readonly Random _random;
        private readonly double _policyRate;
        private readonly double _valueRate;

        // One episode: s_t, a_t, G_t and A_t, and the scratch spans of one step.
        private readonly float[] _states = new float[CartPoleEnvironment.MaxSteps * CartPoleEnvironment.StateSize];
        private readonly int[] _actions = new int[CartPoleEnvironment.MaxSteps];
        private readonly float[] _returns = new float[CartPoleEnvironment.MaxSteps];
        private readonly float[] _advantages = new float[CartPoleEnvironment.MaxSteps];
        private readonly float[] _state = new float[CartPoleEnvironment.StateSize];
        private readonly float[] _logits = new float[2];
        private readonly float[] _probabilities = new float[2];
        private readonly float[] _outputGradient = new float[2];
        private readonly float[] _value1 = new float[1];
        private readonly float[] _target1 = new float[1];

        public Agent(int seed, double policyRate = 0.01, double valueRate = 0.01)
        {
            _policy.InitializeParameters(seed);
            _value.InitializeParameters(seed + 1000);
            _environment = new CartPoleEnvironment(seed);
            _random = new Random(seed);
            _policyRate = policyRate;
            _valueRate = valueRate;
        }

        /// <summary>Plays one episode with the current policy and learns from it; returns its length (its return).</summary>
        public int RunEpisode()
        {
            // Act: sample a_t ~ π(· | s_t) until the pole falls or time runs out.
            _environment.Reset(_state);
            int steps = 0;
            bool done = false;
            while (!done)
            {
                _state.AsSpan().CopyTo(_states.AsSpan(steps * CartPoleEnvironment.StateSize, CartPoleEnvironment.StateSize));
                _policy.Forward(_state, _logits);
                SoftmaxCrossEntropyLoss<float>.Softmax(_logits, _probabilities);
                int action = _random.NextDouble() < _probabilities[0] ? 0 : 1;
                _actions[steps] = action;
                done = _environment.Step(action, _state);
                steps++;
            }

            Learn(steps);
            return steps;
        }

        // G_t = Σ_k γ^k r_{t+k} with r = 1 per step; A_t = G_t − V(s_t), normalised over the episode.
        private void Learn(int steps)
        {
            float running = 0f;
            for (int t = steps - 1; t >= 0; t--)
            {
                running = 1f + (Discount * running);
                _returns[t] = running;
            }

            double sum = 0, squares = 0;
            for (int t = 0; t < steps; t++)
            {
                ReadOnlySpan<float> s = State(t);
                _value.Forward(s, _value1);
                float advantage = _returns[t] - (ReturnScale * _value1[0]);
                _advantages[t] = advantage;
                sum += advantage;
                squares += advantage * advantage;

                // The baseline learns V(s_t) ≈ G_t / ReturnScale with its declared cost.
                _target1[0] = _returns[t] / ReturnScale;
                _value.Accumulate(s, _target1);
            }

            double mean = sum / steps;
            double deviation = Math.Sqrt(Math.Max((squares / steps) - (mean * mean), 0)) + 1e-6;
            for (int t = 0; t < steps; t++)
            {
                // C = −Â_t ln π(a_t | s_t) with π = softmax(z): ∂C/∂z_k = Â_t (π_k − [k = a_t]), finite for every π
                // (over a softmax output, ∂C/∂π_a = −Â_t / π_a would be infinite where π_a rounds to 0).
                ReadOnlySpan<float> s = State(t);
                _policy.Forward(s, _logits);
                SoftmaxCrossEntropyLoss<float>.Softmax(_logits, _probabilities);
                int action = _actions[t];
                float normalised = (float)((_advantages[t] - mean) / deviation);
                _outputGradient[0] = normalised * _probabilities[0];
                _outputGradient[1] = normalised * _probabilities[1];
                _outputGradient[action] -= normalised;
                _policy.AccumulateGradient(s, _outputGradient);
            }

            _policyOptimizer.Step(_policy, _policyRate);
            _valueOptimizer.Step(_value, _valueRate);
        }

        private ReadOnlySpan<float> State(int t) => _states.AsSpan(t * CartPoleEnvironment.StateSize, CartPoleEnvironment.StateSize);
    }
}
