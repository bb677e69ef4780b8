using System;

namespace NnGen
{
    /// <summary>
    /// A network's sizes, read from an instance: <c>net.Sizes().InputCount</c>.
    /// </summary>
    /// <remarks>
    /// A generated network declares its sizes as constants (<c>MyNet.InputCount</c>), so that they size
    /// <c>stackalloc</c> buffers and fixed arrays. C# does not let a constant be read through an instance
    /// (CS0176), and a class cannot hold a constant and an instance member of the same name, so the
    /// instance reading goes through <see cref="NetworkSizesExtensions.Sizes{T}(IInferenceNetwork{T})"/>.
    /// </remarks>
    public readonly struct NetworkSizes : IEquatable<NetworkSizes>
    {
        /// <summary>Creates the sizes of a network.</summary>
        public NetworkSizes(int inputCount, int outputCount, int parameterCount)
        {
            InputCount = inputCount;
            OutputCount = outputCount;
            ParameterCount = parameterCount;
        }

        /// <summary>N(0), the length of every input span.</summary>
        public int InputCount { get; }

        /// <summary>N(L), the length of every output and target span.</summary>
        public int OutputCount { get; }

        /// <summary>The number of weights and biases: the length of Parameters and Gradients.</summary>
        public int ParameterCount { get; }

        /// <inheritdoc/>
        public bool Equals(NetworkSizes other) =>
            InputCount == other.InputCount && OutputCount == other.OutputCount && ParameterCount == other.ParameterCount;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is NetworkSizes other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => (InputCount * 397 ^ OutputCount) * 397 ^ ParameterCount;

        /// <summary>"2 inputs, 2 outputs, 35 parameters".</summary>
        public override string ToString() =>
            InputCount.ToString(System.Globalization.CultureInfo.InvariantCulture) + " inputs, "
            + OutputCount.ToString(System.Globalization.CultureInfo.InvariantCulture) + " outputs, "
            + ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture) + " parameters";

        /// <summary>Whether two networks have the same sizes.</summary>
        public static bool operator ==(NetworkSizes left, NetworkSizes right) => left.Equals(right);

        /// <summary>Whether two networks differ in a size.</summary>
        public static bool operator !=(NetworkSizes left, NetworkSizes right) => !left.Equals(right);
    }
}
