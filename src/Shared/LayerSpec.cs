using System;

namespace NnGen
{
    /// <summary>
    /// One layer as a value: its size, its activation (the <c>Activation</c> enum's value) and the activation's
    /// parameters, which hold their defaults where the activation ignores them. The one description of a layer
    /// that the generator's model, the weights file's record and the runtime's <c>LayerArchitecture</c> share.
    /// </summary>
    internal readonly struct LayerSpec : IEquatable<LayerSpec>
    {
        public LayerSpec(
            int size,
            int activation,
            double alpha = LayerText.DefaultAlpha,
            double max = LayerText.DefaultMax,
            double steepness = LayerText.DefaultSteepness,
            double midpoint = LayerText.DefaultMidpoint)
        {
            Size = size;
            Activation = activation;
            Alpha = alpha;
            Max = max;
            Steepness = steepness;
            Midpoint = midpoint;
        }

        /// <summary>N(l).</summary>
        public int Size { get; }

        /// <summary>The value of the Activation enum.</summary>
        public int Activation { get; }

        /// <summary>Elu's α.</summary>
        public double Alpha { get; }

        /// <summary>Logistic's maximum.</summary>
        public double Max { get; }

        /// <summary>Logistic's steepness.</summary>
        public double Steepness { get; }

        /// <summary>Logistic's midpoint.</summary>
        public double Midpoint { get; }

        /// <summary>"Tanh", "Elu(α = 0.5)": the activation with its parameters where they are not the defaults.</summary>
        public string DescribeActivation(string activationName) => LayerText.Describe(activationName, Activation, Alpha, Max, Steepness, Midpoint);

        /// <summary>The same size, activation and parameters, bit for bit (as a weights file must match its network).</summary>
        public bool Equals(LayerSpec other) =>
            Size == other.Size && Activation == other.Activation
            && Alpha.Equals(other.Alpha) && Max.Equals(other.Max)
            && Steepness.Equals(other.Steepness) && Midpoint.Equals(other.Midpoint);

        public override bool Equals(object? obj) => obj is LayerSpec other && Equals(other);

        public override int GetHashCode() =>
            unchecked((Size * 397) ^ Activation ^ Alpha.GetHashCode() ^ Max.GetHashCode() ^ Steepness.GetHashCode() ^ Midpoint.GetHashCode());
    }
}
