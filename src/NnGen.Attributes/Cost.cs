namespace NnGen
{
    /// <summary>The per-sample cost C(a, t) of the output a against the target t.</summary>
    /// <remarks>The numeric values are part of the weights file format; never renumber them.</remarks>
    public enum Cost
    {
        /// <summary>C = Σ_k (a_k − t_k)².</summary>
        SquaredError = 0,

        /// <summary>C = ½ Σ_k (a_k − t_k)².</summary>
        HalfSquaredError = 1,

        /// <summary>C = (1/K) Σ_k (a_k − t_k)², K the number of outputs.</summary>
        MeanSquaredError = 2,

        /// <summary>C = −Σ_k t_k ln a_k. Needs outputs in (0, 1): a Softmax or Logistic output layer.</summary>
        CrossEntropy = 3,

        /// <summary>C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)]. Needs outputs in (0, 1).</summary>
        BinaryCrossEntropy = 4,
    }
}
