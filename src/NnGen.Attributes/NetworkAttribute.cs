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

        /// <summary>
        /// Bakes trained weights into the code. The name (or the end of the path) of an
        /// <c>AdditionalFiles</c> item that holds them, saved by <c>WeightsFile.Save</c> or as safetensors
        /// (<c>.safetensors</c>). The network is then inference-only: it gets Forward, ForwardBatch and
        /// Loss with its parameters compiled in as constants, and no training members. Null (the
        /// default) declares a trainable network.
        /// </summary>
        public string? Weights { get; set; }

        /// <summary>
        /// With a safetensors <see cref="Weights"/> file: the names of the linear layers to bake, first to last, each
        /// the NAME of a NAME.weight [out, in] tensor (and an optional NAME.bias), as <c>Safetensors.Import</c> takes
        /// them. The file's other tensors are not read, so an actor can be baked from a checkpoint that also holds a
        /// critic, an optimiser's state or tensors of other kinds. Null (the default): every tensor of the file must be
        /// a linear layer's, in natural order of the names.
        /// </summary>
        public string[]? WeightsLayers { get; set; }
    }
}
