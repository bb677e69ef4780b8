using System;
using System.Globalization;

namespace NnGen
{
    /// <summary>The learning rate η for each epoch (1-based). A plain number converts to a constant schedule.</summary>
    public sealed class LearningRateSchedule
    {
        private readonly Func<int, double> _rate;
        private readonly string _description;

        private LearningRateSchedule(Func<int, double> rate, string description)
        {
            _rate = rate;
            _description = description;
        }

        /// <summary>η in <paramref name="epoch"/> (1-based).</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is less than 1.</exception>
        public double At(int epoch) => epoch >= 1
            ? _rate(epoch)
            : throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs count from 1.");

        /// <summary>The same η every epoch.</summary>
        public static LearningRateSchedule Constant(double rate)
        {
            Require(rate, nameof(rate));
            return new LearningRateSchedule(_ => rate, rate.ToString("G", CultureInfo.InvariantCulture));
        }

        /// <summary>η₀ · factor^⌊(epoch − 1) / every⌋: multiplied by <paramref name="factor"/> every <paramref name="every"/> epochs.</summary>
        public static LearningRateSchedule Step(double initial, double factor, int every)
        {
            Require(initial, nameof(initial));
            Require(factor, nameof(factor));
            if (every < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(every), every, "The step must be at least 1 epoch.");
            }

            return new LearningRateSchedule(
                epoch => initial * PortableMath.Pow(factor, (epoch - 1) / every),
                FormattableString.Invariant($"{initial} × {factor} every {every} epochs"));
        }

        /// <summary>η₀ · γ^(epoch − 1).</summary>
        public static LearningRateSchedule Exponential(double initial, double gamma)
        {
            Require(initial, nameof(initial));
            Require(gamma, nameof(gamma));
            return new LearningRateSchedule(epoch => initial * PortableMath.Pow(gamma, epoch - 1), FormattableString.Invariant($"{initial} × {gamma}^(epoch − 1)"));
        }

        /// <summary>A constant schedule.</summary>
        public static implicit operator LearningRateSchedule(double rate) => Constant(rate);

        /// <inheritdoc />
        public override string ToString() => _description;

        private static void Require(double value, string name)
        {
            if (!(value >= 0 && value <= double.MaxValue))
            {
                throw new ArgumentOutOfRangeException(name, value, "Must be a finite number, not negative.");
            }
        }
    }
}
