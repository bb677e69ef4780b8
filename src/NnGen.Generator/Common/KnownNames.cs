namespace NnGen.Generator.Common
{
    /// <summary>The metadata names and argument names of NnGen's attributes, as the reader looks them up.</summary>
    internal static class KnownNames
    {
        public const string NetworkAttribute = "NnGen.NetworkAttribute";
        public const string LayerAttribute = "NnGen.LayerAttribute";

        public const string Inputs = "Inputs";
        public const string Cost = "Cost";
        public const string Precision = "Precision";
        public const string CodeShape = "CodeShape";
        public const string Weights = "Weights";
        public const string WeightsLayers = "WeightsLayers";

        public const string Alpha = "Alpha";
        public const string Max = "Max";
        public const string Steepness = "Steepness";
        public const string Midpoint = "Midpoint";
    }
}
