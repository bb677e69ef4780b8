using System;

namespace NnGen.Samples.CartPole
{
    /// <summary>
    /// The cart-pole of Barto, Sutton and Anderson (1983), "Neuronlike adaptive elements that can solve
    /// difficult learning control problems", with the constants, Euler integration and termination of the
    /// usual CartPole-v1: a pole hinged on a cart that a force of ±10 N pushes left or right every 0.02 s. The
    /// episode ends when the cart leaves ±2.4 m, the pole tilts past ±12°, or after 500 steps; every step
    /// until then earns a reward of 1. Written out here, allocation-free.
    /// </summary>
    public sealed class CartPoleEnvironment
    {
        public const int StateSize = 4;
        public const int MaxSteps = 500;

        private const double Gravity = 9.8;
        private const double CartMass = 1.0;
        private const double PoleMass = 0.1;
        private const double TotalMass = CartMass + PoleMass;
        private const double HalfLength = 0.5;
        private const double PoleMassLength = PoleMass * HalfLength;
        private const double ForceMagnitude = 10.0;
        private const double Tau = 0.02;
        private const double ThetaLimit = 12 * 2 * Math.PI / 360;
        private const double XLimit = 2.4;

        private readonly Random _random;
        private double _x, _xDot, _theta, _thetaDot;

        public CartPoleEnvironment(int seed) => _random = new Random(seed);

        /// <summary>Steps taken in this episode.</summary>
        public int Steps { get; private set; }

        /// <summary>Starts an episode: every state variable uniform in [−0.05, 0.05].</summary>
        public void Reset(Span<float> state)
        {
            _x = Uniform();
            _xDot = Uniform();
            _theta = Uniform();
            _thetaDot = Uniform();
            Steps = 0;
            Observe(state);
        }

        /// <summary>Pushes the cart left (action 0) or right (1) for one step; returns true when the episode is over.</summary>
        public bool Step(int action, Span<float> state)
        {
            double force = action == 1 ? ForceMagnitude : -ForceMagnitude;
            double cos = Math.Cos(_theta);
            double sin = Math.Sin(_theta);

            // The equations of motion of Barto et al., as CartPole-v1 integrates them (explicit Euler).
            double temp = (force + (PoleMassLength * _thetaDot * _thetaDot * sin)) / TotalMass;
            double thetaAcceleration = ((Gravity * sin) - (cos * temp)) / (HalfLength * ((4.0 / 3.0) - (PoleMass * cos * cos / TotalMass)));
            double xAcceleration = temp - (PoleMassLength * thetaAcceleration * cos / TotalMass);
            _x += Tau * _xDot;
            _xDot += Tau * xAcceleration;
            _theta += Tau * _thetaDot;
            _thetaDot += Tau * thetaAcceleration;
            Steps++;

            Observe(state);
            return _x < -XLimit || _x > XLimit || _theta < -ThetaLimit || _theta > ThetaLimit || Steps >= MaxSteps;
        }

        private void Observe(Span<float> state)
        {
            state[0] = (float)_x;
            state[1] = (float)_xDot;
            state[2] = (float)_theta;
            state[3] = (float)_thetaDot;
        }

        private double Uniform() => (_random.NextDouble() * 0.1) - 0.05;
    }
}
