using System;
using System.Diagnostics;

namespace NnGen
{
    /// <summary>
    /// One layer of a <see cref="NetworkAttribute"/> network: a number of neurons with
    /// the given activation. Layers are read in source order, first hidden layer first, output last.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    [Conditional("NNGEN_KEEP_ATTRIBUTES")]
    public sealed class LayerAttribute : Attribute
    {
        /// <summary>Declares a layer.</summary>
        /// <param name="size">The number of neurons, N(l); at least 1.</param>
        /// <param name="activation">The activation h(l).</param>
        public LayerAttribute(int size, Activation activation)
        {
            Size = size;
            Activation = activation;
        }

        /// <summary>The number of neurons, N(l).</summary>
        public int Size { get; }

        /// <summary>The activation h(l).</summary>
        public Activation Activation { get; }

        /// <summary>Elu only: the saturation value α for negative z; greater than 0. Default 1.</summary>
        public double Alpha { get; set; } = LayerText.DefaultAlpha;

        /// <summary>Logistic only: the maximum L of the curve; greater than 0. Default 1.</summary>
        public double Max { get; set; } = LayerText.DefaultMax;

        /// <summary>Logistic only: the steepness k at the midpoint; not 0. Default 1.</summary>
        public double Steepness { get; set; } = LayerText.DefaultSteepness;

        /// <summary>Logistic only: the midpoint z0. Default 0.</summary>
        public double Midpoint { get; set; } = LayerText.DefaultMidpoint;
    }
}
