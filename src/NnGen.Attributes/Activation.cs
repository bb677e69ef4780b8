namespace NnGen
{
    /// <summary>The activation h(z) a layer applies to its weighted input z = W a + b.</summary>
    /// <remarks>The numeric values are part of the weights file format; never renumber them.</remarks>
    public enum Activation
    {
        /// <summary>h(z) = z.</summary>
        Identity = 0,

        /// <summary>h(z) = Max / (1 + e^(−Steepness (z − Midpoint))); the standard sigmoid by default.</summary>
        Logistic = 1,

        /// <summary>h(z) = tanh z.</summary>
        Tanh = 2,

        /// <summary>h(z) = max(0, z).</summary>
        Relu = 3,

        /// <summary>h(z) = Alpha (e^z − 1) for z &lt; 0, z otherwise.</summary>
        Elu = 4,

        /// <summary>h(z)_i = e^(z_i) / Σ_p e^(z_p); allowed in any layer.</summary>
        Softmax = 5,
    }
}
