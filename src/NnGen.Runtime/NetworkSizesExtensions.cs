namespace NnGen
{
    /// <summary>Reads a network's sizes from an instance.</summary>
    public static class NetworkSizesExtensions
    {
        /// <summary>
        /// The sizes of <paramref name="network"/>: <c>new float[net.Sizes().InputCount]</c>. On the type itself
        /// the same numbers are constants, <c>MyNet.InputCount</c>, for <c>stackalloc</c> and constant expressions.
        /// </summary>
        /// <remarks>
        /// An extension rather than a generated member, so a user's own member named <c>Sizes</c> keeps working.
        /// Allocates nothing.
        /// </remarks>
        /// <exception cref="System.ArgumentNullException"><paramref name="network"/> is null.</exception>
        public static NetworkSizes Sizes<T>(this IInferenceNetwork<T> network) where T : unmanaged
        {
            if (network is null)
            {
                throw new System.ArgumentNullException(nameof(network));
            }

            return new NetworkSizes(network.InputCount, network.OutputCount, network.ParameterCount);
        }
    }
}
