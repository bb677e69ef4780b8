using System;

namespace NnGen.Tests.Reference
{
    /// <summary>
    /// A multilayer perceptron written the plain way, to check the generated code against: matrices as
    /// 2-D arrays, loops, every activation's Jacobian as a full matrix, every cost's gradient taken
    /// directly from its definition (no fused forms, no stable rewrites). It shares no code with the
    /// generator; the only thing the two agree on is the flat parameter layout of the spec.
    /// </summary>
    public sealed class ReferenceMlp
    {
        private readonly NetSpec _spec;
        private readonly double[][,] _weights;
        private readonly double[][] _biases;

        public ReferenceMlp(NetSpec spec, ReadOnlySpan<double> parameters)
        {
            if (parameters.Length != spec.ParameterCount)
            {
                throw new ArgumentException("wrong parameter count", nameof(parameters));
            }

            _spec = spec;
            _weights = new double[spec.Layers.Length][,];
            _biases = new double[spec.Layers.Length][];
            int at = 0;
            for (int l = 0; l < spec.Layers.Length; l++)
            {
                int rows = spec.Layers[l].Size;
                int columns = spec.FanIn(l);
                _weights[l] = new double[rows, columns];
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < columns; j++)
                    {
                        _weights[l][i, j] = parameters[at++];
                    }
                }

                _biases[l] = new double[rows];
                for (int i = 0; i < rows; i++)
                {
                    _biases[l][i] = parameters[at++];
                }
            }
        }

        /// <summary>z(l) and a(l) for l = 1..L (index l − 1), and a(0) = x.</summary>
        public (double[][] Z, double[][] A) Forward(double[] x)
        {
            int count = _spec.Layers.Length;
            var z = new double[count][];
            var a = new double[count + 1][];
            a[0] = (double[])x.Clone();
            for (int l = 0; l < count; l++)
            {
                RefLayer layer = _spec.Layers[l];
                z[l] = new double[layer.Size];
                for (int i = 0; i < layer.Size; i++)
                {
                    double sum = _biases[l][i];
                    for (int j = 0; j < _spec.FanIn(l); j++)
                    {
                        sum += _weights[l][i, j] * a[l][j];
                    }

                    z[l][i] = sum;
                }

                a[l + 1] = Activate(layer, z[l]);
            }

            return (z, a);
        }

        public double[] Output(double[] x) => Forward(x).A[^1];

        public double Loss(double[] x, double[] t) => Cost(_spec.Cost, Output(x), t);

        /// <summary>∇p C in the flat layout, by textbook backpropagation with full Jacobians.</summary>
        public double[] Gradient(double[] x, double[] t) => Backpropagate(x, CostGradient(_spec.Cost, Output(x), t)).Parameters;

        /// <summary>
        /// ∇p C and ∂C/∂a(0) for a loss whose gradient ∂C/∂a(L) is <paramref name="outputGradient"/>, by textbook
        /// backpropagation with full Jacobians.
        /// </summary>
        public (double[] Parameters, double[] Input) Backpropagate(double[] x, double[] outputGradient)
        {
            (double[][] z, double[][] a) = Forward(x);
            int count = _spec.Layers.Length;
            var weightGradients = new double[count][,];
            var biasGradients = new double[count][];
            double[] input = new double[_spec.Inputs];

            // δ(L) = J(L)ᵀ ∇a C
            double[] delta = MultiplyTransposed(Jacobian(_spec.Layers[^1], z[^1]), outputGradient);
            for (int l = count - 1; l >= 0; l--)
            {
                int fanIn = _spec.FanIn(l);
                weightGradients[l] = new double[delta.Length, fanIn];
                for (int i = 0; i < delta.Length; i++)
                {
                    for (int j = 0; j < fanIn; j++)
                    {
                        weightGradients[l][i, j] = delta[i] * a[l][j];
                    }
                }

                biasGradients[l] = (double[])delta.Clone();
                if (l == 0)
                {
                    // ∂C/∂a(0) = W(1)ᵀ δ(1)
                    for (int j = 0; j < fanIn; j++)
                    {
                        for (int i = 0; i < delta.Length; i++)
                        {
                            input[j] += _weights[0][i, j] * delta[i];
                        }
                    }

                    break;
                }

                // δ(l−1) = J(l−1)ᵀ W(l)ᵀ δ(l)
                var back = new double[fanIn];
                for (int j = 0; j < fanIn; j++)
                {
                    for (int i = 0; i < delta.Length; i++)
                    {
                        back[j] += _weights[l][i, j] * delta[i];
                    }
                }

                delta = MultiplyTransposed(Jacobian(_spec.Layers[l - 1], z[l - 1]), back);
            }

            var flat = new double[_spec.ParameterCount];
            int at = 0;
            for (int l = 0; l < count; l++)
            {
                for (int i = 0; i < weightGradients[l].GetLength(0); i++)
                {
                    for (int j = 0; j < weightGradients[l].GetLength(1); j++)
                    {
                        flat[at++] = weightGradients[l][i, j];
                    }
                }

                foreach (double b in biasGradients[l])
                {
                    flat[at++] = b;
                }
            }

            return (flat, input);
        }

        public static double[] Activate(RefLayer layer, double[] z)
        {
            var a = new double[z.Length];
            if (layer.Activation == Activation.Softmax)
            {
                // Textbook form, no shift: the tests keep z small.
                double sum = 0;
                for (int i = 0; i < z.Length; i++)
                {
                    sum += Math.Exp(z[i]);
                }

                for (int i = 0; i < z.Length; i++)
                {
                    a[i] = Math.Exp(z[i]) / sum;
                }

                return a;
            }

            for (int i = 0; i < z.Length; i++)
            {
                a[i] = layer.Activation switch
                {
                    Activation.Identity => z[i],
                    Activation.Logistic => layer.Max / (1 + Math.Exp(-layer.Steepness * (z[i] - layer.Midpoint))),
                    Activation.Tanh => Math.Tanh(z[i]),
                    Activation.Relu => Math.Max(0, z[i]),
                    Activation.Elu => z[i] < 0 ? layer.Alpha * (Math.Exp(z[i]) - 1) : z[i],
                    _ => throw new ArgumentOutOfRangeException(nameof(layer)),
                };
            }

            return a;
        }

        /// <summary>J_ik = ∂a_i / ∂z_k, from z.</summary>
        public static double[,] Jacobian(RefLayer layer, double[] z)
        {
            int n = z.Length;
            var jacobian = new double[n, n];
            if (layer.Activation == Activation.Softmax)
            {
                double[] a = Activate(layer, z);
                for (int i = 0; i < n; i++)
                {
                    for (int k = 0; k < n; k++)
                    {
                        jacobian[i, k] = a[i] * ((i == k ? 1 : 0) - a[k]);
                    }
                }

                return jacobian;
            }

            for (int i = 0; i < n; i++)
            {
                jacobian[i, i] = layer.Activation switch
                {
                    Activation.Identity => 1,
                    Activation.Logistic => LogisticDerivative(layer, z[i]),
                    Activation.Tanh => 1 / (Math.Cosh(z[i]) * Math.Cosh(z[i])),
                    Activation.Relu => z[i] > 0 ? 1 : 0,
                    Activation.Elu => z[i] < 0 ? layer.Alpha * Math.Exp(z[i]) : 1,
                    _ => throw new ArgumentOutOfRangeException(nameof(layer)),
                };
            }

            return jacobian;
        }

        // d/dz [Max / (1 + e^(−k (z − z0)))] = Max k e^(−u) / (1 + e^(−u))², u = k (z − z0).
        private static double LogisticDerivative(RefLayer layer, double z)
        {
            double e = Math.Exp(-layer.Steepness * (z - layer.Midpoint));
            return layer.Max * layer.Steepness * e / ((1 + e) * (1 + e));
        }

        public static double Cost(Cost cost, double[] a, double[] t)
        {
            double sum = 0;
            for (int k = 0; k < a.Length; k++)
            {
                sum += cost switch
                {
                    NnGen.Cost.SquaredError or NnGen.Cost.HalfSquaredError or NnGen.Cost.MeanSquaredError => (a[k] - t[k]) * (a[k] - t[k]),
                    NnGen.Cost.CrossEntropy => -t[k] * Math.Log(a[k]),
                    NnGen.Cost.BinaryCrossEntropy => -(t[k] * Math.Log(a[k]) + (1 - t[k]) * Math.Log(1 - a[k])),
                    _ => throw new ArgumentOutOfRangeException(nameof(cost)),
                };
            }

            return cost switch
            {
                NnGen.Cost.HalfSquaredError => sum / 2,
                NnGen.Cost.MeanSquaredError => sum / a.Length,
                _ => sum,
            };
        }

        /// <summary>∂C/∂a_k, differentiated from the definitions above.</summary>
        public static double[] CostGradient(Cost cost, double[] a, double[] t)
        {
            var g = new double[a.Length];
            for (int k = 0; k < a.Length; k++)
            {
                g[k] = cost switch
                {
                    NnGen.Cost.SquaredError => 2 * (a[k] - t[k]),
                    NnGen.Cost.HalfSquaredError => a[k] - t[k],
                    NnGen.Cost.MeanSquaredError => 2 * (a[k] - t[k]) / a.Length,
                    NnGen.Cost.CrossEntropy => -t[k] / a[k],
                    NnGen.Cost.BinaryCrossEntropy => -t[k] / a[k] + (1 - t[k]) / (1 - a[k]),
                    _ => throw new ArgumentOutOfRangeException(nameof(cost)),
                };
            }

            return g;
        }

        // Jᵀ v
        private static double[] MultiplyTransposed(double[,] jacobian, double[] v)
        {
            int n = v.Length;
            var result = new double[n];
            for (int k = 0; k < n; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    result[k] += jacobian[i, k] * v[i];
                }
            }

            return result;
        }
    }
}
