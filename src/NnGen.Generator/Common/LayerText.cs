using System.Globalization;

namespace NnGen.Generator.Common
{
    /// <summary>How a layer's activation reads in comments and diagnostics: "Tanh", "Elu(α = 0.5)".</summary>
    internal static class LayerText
    {
        public static string Activation(ActivationKind activation, double alpha, double max, double steepness, double midpoint)
        {
            switch (activation)
            {
                case ActivationKind.Elu when alpha != 1.0:
                    return "Elu(α = " + Number(alpha) + ")";
                case ActivationKind.Logistic when max != 1.0 || steepness != 1.0 || midpoint != 0.0:
                    return "Logistic(Max = " + Number(max) + ", Steepness = " + Number(steepness) + ", Midpoint = " + Number(midpoint) + ")";
                default:
                    return System.Enum.IsDefined(typeof(ActivationKind), activation) ? activation.ToString() : "activation " + ((int)activation).ToString(CultureInfo.InvariantCulture);
            }
        }

        private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
