using System;
using System.Diagnostics;

namespace NnGen
{
    /// <summary>
    /// Declares a dense neural network on a <c>partial</c> class. NnGen generates its forward pass,
    /// backpropagation and SGD update at compile time. The layers are the <see cref="LayerAttribute"/>s
    /// on the same class, in source order.
    /// </summary>
    /// <example>
    /// <code>
    /// [Network(Inputs = 2, Cost = Cost.SquaredError)]
    /// [Layer(3, Activation.Tanh)]
    /// [Layer(2, Activation.Identity)]
    /// public partial class MyNet { }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    [Conditional("NNGEN_KEEP_ATTRIBUTES")]
    public sealed class NetworkAttribute : Attribute
    {
        /// <summary>The number of inputs, N(0). Required; at least 1.</summary>
        public int Inputs { get; set; }

        /// <summary>The per-sample cost that <c>Loss</c> and <c>Accumulate</c> compute.</summary>
        public Cost Cost { get; set; } = Cost.SquaredError;

        /// <summary>float (default) or double.</summary>
        public Precision Precision { get; set; } = Precision.Single;

        /// <summary>Unrolled or vectorised code; chosen per layer by default.</summary>
        public CodeShape CodeShape { get; set; } = CodeShape.Auto;
    }
}
