using System;

namespace NnGen
{
    /// <summary>
    /// One layer as a value: its size, its activation (the <c>Activation</c> enum's value) and the activation's
    /// parameters, which hold their defaults where the activation ignores them. The one description of a layer
    /// that the generator's model, the weights file's record and the runtime's <c>LayerArchitecture</c> share.
    /// </summary>
    /// <param name="Size">N(l).</param>
    /// <param name="Activation">The value of the Activation enum.</param>
    /// <param name="Alpha">Elu's α.</param>
    /// <param name="Max">Logistic's maximum.</param>
    /// <param name="Steepness">Logistic's steepness.</param>
    /// <param name="Midpoint">Logistic's midpoint.</param>
    /// <remarks>
    /// Equal when size, activation and parameters are equal bit for bit, as a weights file must match its
    /// network. Every caller passes all six; the defaults live in LayerText, and LayerArchitecture's
    /// constructor offers them.
    /// </remarks>
    internal readonly record struct LayerSpec(int Size, int Activation, double Alpha, double Max, double Steepness, double Midpoint)
    {
        /// <summary>"Tanh", "Elu(α = 0.5)": the activation with its parameters where they are not the defaults.</summary>
        public string DescribeActivation(string activationName) => LayerText.Describe(activationName, Activation, Alpha, Max, Steepness, Midpoint);
    }
}
