using System.IO;

namespace NnGen
{
    /// <summary>A weights file that is corrupt, truncated, of another format, or of another network's shape.</summary>
    public sealed class WeightsFormatException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public WeightsFormatException(string message)
            : base(message)
        {
        }
    }
}
