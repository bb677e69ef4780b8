using System.Globalization;

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
    /// <param name="InputCount">N(0), the length of every input span.</param>
    /// <param name="OutputCount">N(L), the length of every output and target span.</param>
    /// <param name="ParameterCount">The number of weights and biases: the length of Parameters and Gradients.</param>
    public readonly record struct NetworkSizes(int InputCount, int OutputCount, int ParameterCount)
    {
        /// <summary>"2 inputs, 2 outputs, 35 parameters".</summary>
        public override string ToString() =>
            InputCount.ToString(CultureInfo.InvariantCulture) + " inputs, "
            + OutputCount.ToString(CultureInfo.InvariantCulture) + " outputs, "
            + ParameterCount.ToString(CultureInfo.InvariantCulture) + " parameters";
    }
}
