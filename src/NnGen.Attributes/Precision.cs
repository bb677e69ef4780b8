namespace NnGen
{
    /// <summary>The floating-point type the generated network computes in.</summary>
    public enum Precision
    {
        /// <summary>float (System.Single): the default, and what games and embedded targets want.</summary>
        Single = 0,

        /// <summary>double (System.Double).</summary>
        Double = 1,
    }
}
