using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The element-wise activations and their derivatives as C# expressions (spec §2). Softmax is
    /// not element-wise and is written by <see cref="ForwardEmitter"/> and <see cref="BackwardEmitter"/>.
    /// </summary>
    internal static class ActivationCode
    {
        /// <summary>h(z) for one neuron.</summary>
        public static string Apply(EmitContext c, LayerPlan layer, string z)
        {
            return layer.Activation switch
            {
                ActivationKind.Identity => z,
                ActivationKind.Logistic when layer.IsDefaultLogistic => $"{c.One} / ({c.One} + {c.Exp}(-{z}))",
                ActivationKind.Logistic => $"{c.Literal(layer.Spec.Max)} / ({c.One} + {c.Exp}({NegatedLogisticArgument(c, layer, z)}))",
                // Unrolled float tanh layers go four lanes at a time through FastMath (ForwardEmitter); this is the
                // double path: FastMath's double tanh (within 2.5 ulp), whose bits do not depend on the C library.
                ActivationKind.Tanh => $"{c.Scalar.Tanh}({z})",
                ActivationKind.Relu => $"{z} > {c.Zero} ? {z} : {c.Zero}",
                // e^z from FastMath (as logistic and softmax), so an Elu's bits do not depend on the operating
                // system's C library.
                ActivationKind.Elu when layer.Spec.Alpha == 1.0 => $"{z} < {c.Zero} ? {c.Exp}({z}) - {c.One} : {z}",
                ActivationKind.Elu => $"{z} < {c.Zero} ? {c.Literal(layer.Spec.Alpha)} * ({c.Exp}({z}) - {c.One}) : {z}",
                _ => throw new System.InvalidOperationException("Softmax is not element-wise."),
            };
        }

        /// <summary>The equation of h for a comment.</summary>
        public static string Equation(LayerPlan layer)
        {
            int l = layer.Number;
            return layer.Activation switch
            {
                ActivationKind.Identity => $"a({l}) = z({l})",
                ActivationKind.Logistic when layer.IsDefaultLogistic => $"a({l}) = 1 / (1 + e^(−z({l})))",
                ActivationKind.Logistic => $"a({l}) = Max / (1 + e^(−k (z({l}) − z0))), Max = {Invariant(layer.Spec.Max)}, k = {Invariant(layer.Spec.Steepness)}, z0 = {Invariant(layer.Spec.Midpoint)}",
                ActivationKind.Tanh => $"a({l}) = tanh z({l})",
                ActivationKind.Relu => $"a({l}) = max(0, z({l}))",
                ActivationKind.Elu => $"a({l}) = α (e^z − 1) for z < 0, z otherwise; α = {Invariant(layer.Spec.Alpha)}",
                _ => $"a({l}) = softmax z({l})",
            };
        }

        /// <summary>
        /// h'(z) for one neuron, written from a where that is cheaper (spec §2, "as used in backprop"),
        /// or null where h' is 1.
        /// </summary>
        public static string? Derivative(EmitContext c, LayerPlan layer, string i)
        {
            string a = layer.A[i];
            string z = layer.Z[i];
            switch (layer.Activation)
            {
                case ActivationKind.Identity:
                    return null;
                case ActivationKind.Logistic:
                    // k a (1 − a / Max)
                    string steep = layer.Spec.Steepness == 1.0 ? string.Empty : c.Literal(layer.Spec.Steepness) + " * ";
                    string scaled = layer.Spec.Max == 1.0 ? a : $"{a} / {c.Literal(layer.Spec.Max)}";
                    return $"{steep}{a} * ({c.One} - {scaled})";
                case ActivationKind.Tanh:
                    return $"({c.One} - {a} * {a})";
                case ActivationKind.Relu:
                    return $"({z} > {c.Zero} ? {c.One} : {c.Zero})";
                case ActivationKind.Elu:
                    // α e^z = a + α for z < 0, so no second exponential.
                    return $"({z} < {c.Zero} ? {a} + {c.Literal(layer.Spec.Alpha)} : {c.One})";
                default:
                    throw new System.InvalidOperationException("Softmax has a Jacobian, not a derivative.");
            }
        }

        /// <summary>
        /// The kernel call that computes δ(l) = h'(z(l)) ⊙ g(l) over the layer's spans where the derivative branches on z (Relu,
        /// Elu), else null. A per-element loop over <see cref="Derivative"/> mispredicts that branch about every other element.
        /// </summary>
        public static string? DerivativeKernelCall(EmitContext c, LayerPlan layer) => layer.Activation switch
        {
            ActivationKind.Relu => $"{RuntimeNames.Kernels}.ReluBackward({layer.Z.Name}, {layer.Upstream.Name}, {layer.Delta.Name});",
            ActivationKind.Elu => $"{RuntimeNames.Kernels}.EluBackward({layer.Z.Name}, {layer.A.Name}, {layer.Upstream.Name}, {layer.Delta.Name}, {c.Literal(layer.Spec.Alpha)});",
            _ => null,
        };

        /// <summary>The kernel call that computes a(l) = h(z(l)) over spans, for a vectorised element-wise layer.</summary>
        public static string KernelCall(EmitContext c, LayerPlan layer)
        {
            string z = layer.Z.Name;
            string a = layer.A.Name;
            return layer.Activation switch
            {
                ActivationKind.Tanh => $"{RuntimeNames.Kernels}.Tanh({z}, {a});",
                ActivationKind.Logistic => $"{RuntimeNames.Kernels}.Logistic({z}, {a}, {c.Literal(layer.Spec.Max)}, {c.Literal(layer.Spec.Steepness)}, {c.Literal(layer.Spec.Midpoint)});",
                ActivationKind.Relu => $"{RuntimeNames.Kernels}.Relu({z}, {a});",
                ActivationKind.Elu => $"{RuntimeNames.Kernels}.Elu({z}, {a}, {c.Literal(layer.Spec.Alpha)});",
                _ => throw new System.InvalidOperationException($"{layer.Activation} has no element-wise kernel."),
            };
        }

        /// <summary>The equation of h' for a comment.</summary>
        public static string DerivativeEquation(LayerPlan layer) => layer.Activation switch
        {
            ActivationKind.Identity => "h'(z) = 1",
            ActivationKind.Logistic => "h'(z) = k a (1 − a / Max)",
            ActivationKind.Tanh => "h'(z) = 1 − a²",
            ActivationKind.Relu => "h'(z) = 1 for z > 0, else 0",
            ActivationKind.Elu => "h'(z) = α e^z = a + α for z < 0, else 1",
            _ => "J_ik = a_i (δ_ik − a_k)",
        };

        /// <summary>u = k (z − z0), the argument of the logistic's σ, as an expression.</summary>
        public static string LogisticArgument(EmitContext c, LayerPlan layer, string z)
        {
            string shifted = Shifted(c, layer, z);
            return layer.Spec.Steepness == 1.0 ? shifted : $"{c.Literal(layer.Spec.Steepness)} * {shifted}";
        }

        /// <summary>−u = −k (z − z0), with the sign folded into the constant.</summary>
        public static string NegatedLogisticArgument(EmitContext c, LayerPlan layer, string z)
        {
            string shifted = Shifted(c, layer, z);
            return layer.Spec.Steepness == 1.0 ? "-" + shifted : $"{c.Literal(-layer.Spec.Steepness)} * {shifted}";
        }

        private static string Shifted(EmitContext c, LayerPlan layer, string z)
        {
            double z0 = layer.Spec.Midpoint;
            if (z0 == 0.0)
            {
                return z;
            }

            return z0 > 0 ? $"({z} - {c.Literal(z0)})" : $"({z} + {c.Literal(-z0)})";
        }

        private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }
}
