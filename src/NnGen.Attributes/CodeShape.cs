namespace NnGen
{
    /// <summary>How the generated code computes a layer.</summary>
    public enum CodeShape
    {
        /// <summary>
        /// Let NnGen choose per layer: small layers unrolled, wide layers vectorised, and the unrolled
        /// part kept small enough for the JIT to optimise it. The default.
        /// </summary>
        Auto = 0,

        /// <summary>
        /// Every layer as straight-line code: one statement per multiply-add, constant indices, locals.
        /// Fastest for small layers.
        /// </summary>
        Unrolled = 1,

        /// <summary>
        /// Every layer as loops of constant trip count over SIMD dot products and AXPYs on contiguous
        /// weight rows, with activations in stack-allocated spans. Fastest for wide layers.
        /// </summary>
        Vectorized = 2,
    }
}
