using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// A network as declared: input count, layers with their activations, cost and precision. Every
    /// generated class exposes its own as a static <c>Architecture</c>; the weights file stores it so
    /// that a file is only ever loaded into a network of the same shape.
    /// </summary>
    public sealed class NetworkArchitecture : IEquatable<NetworkArchitecture>
    {
        private readonly LayerArchitecture[] _layers;

        /// <summary>Describes a network.</summary>
        public NetworkArchitecture(int inputCount, Cost cost, Precision precision, params LayerArchitecture[] layers)
        {
            if (inputCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "A network needs at least one input.");
            }

            if (layers is null || layers.Length == 0)
            {
                throw new ArgumentException("A network needs at least one layer.", nameof(layers));
            }

            InputCount = inputCount;
            Cost = cost;
            Precision = precision;
            _layers = (LayerArchitecture[])layers.Clone();

            long count = 0;
            long fanIn = inputCount;
            foreach (LayerArchitecture layer in _layers)
            {
                count += (fanIn + 1) * layer.Size;
                fanIn = layer.Size;
            }

            ParameterCount = checked((int)count);
        }

        /// <summary>N(0).</summary>
        public int InputCount { get; }

        /// <summary>N(L).</summary>
        public int OutputCount
        {
            // Read per call where a loss function of the caller's sizes its targets (SpanGuard.TargetCount): inlined there.
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _layers[_layers.Length - 1].Size;
        }

        /// <summary>Weights and biases of all layers.</summary>
        public int ParameterCount { get; }

        /// <summary>The cost the network trains with.</summary>
        public Cost Cost { get; }

        /// <summary>float or double.</summary>
        public Precision Precision { get; }

        /// <summary>Layers 1..L, output last.</summary>
        public IReadOnlyList<LayerArchitecture> Layers => _layers;

        /// <summary>The number of inputs of layer <paramref name="index"/> (0-based), N(l−1).</summary>
        public int FanIn(int index) => index == 0 ? InputCount : _layers[index - 1].Size;

        /// <summary>
        /// True when the two compute the same function of the same parameters: same inputs, same
        /// layer sizes, activations and activation parameters. Cost and precision may differ.
        /// </summary>
        public bool HasSameShape(NetworkArchitecture other) =>
            other is not null && InputCount == other.InputCount && _layers.SequenceEqual(other._layers);

        /// <inheritdoc />
        public bool Equals(NetworkArchitecture? other) =>
            other is not null && HasSameShape(other) && Cost == other.Cost && Precision == other.Precision;

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as NetworkArchitecture);

        /// <inheritdoc />
        public override int GetHashCode()
        {
            int hash = InputCount;
            foreach (LayerArchitecture layer in _layers)
            {
                hash = unchecked((hash * 31) + layer.GetHashCode());
            }

            return hash;
        }

        /// <summary>"64 → 32 Tanh → 10 Softmax, CrossEntropy, Single".</summary>
        public override string ToString() =>
            InputCount.ToString(CultureInfo.InvariantCulture) + " → "
            + string.Join(" → ", _layers.Select(l => l.ToString()))
            + ", " + Cost + ", " + Precision;
    }

    /// <summary>One layer of a <see cref="NetworkArchitecture"/>.</summary>
    public readonly struct LayerArchitecture : IEquatable<LayerArchitecture>
    {
        private readonly LayerSpec _spec;

        /// <summary>Describes a layer; the parameters default as on <see cref="LayerAttribute"/>.</summary>
        public LayerArchitecture(
            int size,
            Activation activation,
            double alpha = LayerText.DefaultAlpha,
            double max = LayerText.DefaultMax,
            double steepness = LayerText.DefaultSteepness,
            double midpoint = LayerText.DefaultMidpoint)
        {
            if (size < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, "A layer needs at least one neuron.");
            }

            _spec = new LayerSpec(size, (int)activation, alpha, max, steepness, midpoint);
        }

        /// <summary>N(l).</summary>
        public int Size => _spec.Size;

        /// <summary>h(l).</summary>
        public Activation Activation => (Activation)_spec.Activation;

        /// <summary>Elu's α (1 elsewhere).</summary>
        public double Alpha => _spec.Alpha;

        /// <summary>Logistic's maximum (1 elsewhere).</summary>
        public double Max => _spec.Max;

        /// <summary>Logistic's steepness (1 elsewhere).</summary>
        public double Steepness => _spec.Steepness;

        /// <summary>Logistic's midpoint (0 elsewhere).</summary>
        public double Midpoint => _spec.Midpoint;

        /// <summary>The layer as the weights file records it.</summary>
        internal LayerSpec Spec => _spec;

        /// <inheritdoc />
        public bool Equals(LayerArchitecture other) => _spec.Equals(other._spec);

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is LayerArchitecture other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => _spec.GetHashCode();

        /// <summary>"32 Tanh", or "3 Elu(α = 0.5)".</summary>
        public override string ToString() =>
            Size.ToString(CultureInfo.InvariantCulture) + " " + _spec.DescribeActivation(Activation.ToString());
    }
}
