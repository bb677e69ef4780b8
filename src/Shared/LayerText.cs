using System.Globalization;

namespace NnGen
{
    /// <summary>
    /// A layer's activation parameters where they are not given, and how a layer's activation reads in
    /// comments, diagnostics and messages ("Tanh", "Elu(α = 0.5)"). Compiled into the attributes, the
    /// generator and the runtime, so that the defaults and the text are written once.
    /// </summary>
    internal static class LayerText
    {
        /// <summary>Elu's α.</summary>
        public const double DefaultAlpha = 1.0;

        /// <summary>Logistic's maximum.</summary>
        public const double DefaultMax = 1.0;

        /// <summary>Logistic's steepness.</summary>
        public const double DefaultSteepness = 1.0;

        /// <summary>Logistic's midpoint.</summary>
        public const double DefaultMidpoint = 0.0;

        // The values of Activation.Logistic and Activation.Elu, which every side mirrors.
        private const int Logistic = 1;
        private const int Elu = 4;

        /// <summary>
        /// "Tanh", "Elu(α = 0.5)", "Logistic(Max = 2, Steepness = 1, Midpoint = 0)": the activation's
        /// <paramref name="name"/>, and its parameters where they are not the defaults.
        /// </summary>
        public static string Describe(string name, int activation, double alpha, double max, double steepness, double midpoint)
        {
            if (activation == Elu && alpha != DefaultAlpha)
            {
                return "Elu(α = " + Number(alpha) + ")";
            }

            if (activation == Logistic && (max != DefaultMax || steepness != DefaultSteepness || midpoint != DefaultMidpoint))
            {
                return "Logistic(Max = " + Number(max) + ", Steepness = " + Number(steepness) + ", Midpoint = " + Number(midpoint) + ")";
            }

            return name;
        }

        private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
