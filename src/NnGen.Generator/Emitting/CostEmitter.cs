using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The cost C(a(L), t) and the output delta δ(L) (spec §3). Losses that take a logarithm are
    /// written from z (log-sum-exp, softplus), never as ln of a value that can round to 0.
    /// </summary>
    internal static class CostEmitter
    {
        private const string Softplus = RuntimeNames.StableMath + ".Softplus";

        /// <summary>Writes "T loss = ...;" after the forward pass, with the values that it needs and,
        /// when <paramref name="forBackward"/>, the ones that <see cref="EmitOutputDelta"/> needs.</summary>
        public static void EmitLoss(EmitContext c, bool forBackward)
        {
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;
            LayerPlan output = plan.Output;
            (int l, int size, bool loop) = (output.Number, output.Size, output.IsVectorized);
            Slot a = output.A, z = output.Z, r = plan.Residual;

            if (UsesResidual(plan, forBackward))
            {
                w.Comment($"r = a({l}) − t");
                Neurons.Declare(c, r, size);
                Neurons.Assign(c, loop, size, r, k => $"{a[k]} - {EmitContext.Target(k)}");
            }

            switch (plan.Cost)
            {
                case CostKind.SquaredError:
                    w.Comment("C = Σ_k (a_k − t_k)²  (§3)");
                    Neurons.Sum(c, loop, size, "loss", k => $"{r[k]} * {r[k]}");
                    break;
                case CostKind.HalfSquaredError or CostKind.MeanSquaredError:
                    bool half = plan.Cost == CostKind.HalfSquaredError;
                    w.Comment(half ? "C = ½ Σ_k (a_k − t_k)²  (§3)" : "C = (1/K) Σ_k (a_k − t_k)², K = OutputCount  (§3)");
                    Neurons.Sum(c, loop, size, "squares", k => $"{r[k]} * {r[k]}");
                    w.Line(half ? $"{c.T} loss = {c.Literal(0.5)} * squares;" : $"{c.T} loss = squares / OutputCount;");
                    break;
                case CostKind.CrossEntropy when output.Activation == ActivationKind.Softmax:
                    w.Comment("C = −Σ_k t_k ln a_k, with ln a_k = z_k − m − ln s (log-sum-exp)  (§3)");
                    w.Line($"{c.T} {Locals.LogSum(l)} = {c.Scalar.Log}({Locals.Sum(l)});");
                    Neurons.Sum(c, loop, size, "logLikelihood", k => $"{EmitContext.Target(k)} * {LogSoftmax(output, k)}");
                    w.Line($"{c.T} loss = -logLikelihood;");
                    break;
                case CostKind.CrossEntropy:
                    w.Comment("C = −Σ_k t_k ln a_k, with ln a_k = ln Max − softplus(−u_k), u = k (z − z0)  (§3)");
                    Neurons.Sum(c, loop, size, "loss", k => $"{EmitContext.Target(k)} * {NegatedLogLogistic(c, output, z[k])}");
                    break;
                case CostKind.BinaryCrossEntropy when output.Activation == ActivationKind.Softmax:
                    EmitSoftmaxBinaryCrossEntropyLoss(c, output);
                    break;
                case CostKind.BinaryCrossEntropy when output.Spec.Max == 1.0:
                    w.Comment("C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)], with ln a = −softplus(−u) and ln(1 − a) = −softplus(u), u = k (z − z0)  (§3)");
                    Neurons.Sum(c, loop, size, "loss", k =>
                        $"{EmitContext.Target(k)} * {NegatedLogLogistic(c, output, z[k])} + ({c.One} - {EmitContext.Target(k)}) * {Softplus}({ActivationCode.LogisticArgument(c, output, z[k])})");
                    break;
                case CostKind.BinaryCrossEntropy:
                    w.Comment("C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)], with ln a = ln Max − softplus(−u); 1 − a ≥ 1 − Max > 0 needs no care  (§3)");
                    Neurons.Sum(c, loop, size, "loss", k =>
                        $"{EmitContext.Target(k)} * {NegatedLogLogistic(c, output, z[k])} - ({c.One} - {EmitContext.Target(k)}) * {c.Scalar.Log}({c.One} - {a[k]})");
                    break;
            }
        }

        /// <summary>
        /// Whether <see cref="EmitLoss"/> computes r = a(L) − t: the squared costs read it, and with
        /// <paramref name="forBackward"/> so do the fused binary cross-entropy deltas.
        /// </summary>
        public static bool UsesResidual(NetworkPlan plan, bool forBackward) =>
            plan.Cost is CostKind.SquaredError or CostKind.HalfSquaredError or CostKind.MeanSquaredError
            || (forBackward && plan.OutputDelta is OutputDeltaForm.LogisticBinaryCrossEntropy or OutputDeltaForm.SoftmaxBinaryCrossEntropy);

        /// <summary>Writes δ(L) for every output neuron, after <see cref="EmitLoss"/> with forBackward.</summary>
        public static void EmitOutputDelta(EmitContext c)
        {
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;
            LayerPlan output = plan.Output;
            (int l, int size, bool loop) = (output.Number, output.Size, output.IsVectorized);
            Slot a = output.A, d = output.Delta, r = plan.Residual;
            string steep = output.Spec.Steepness == 1.0 ? string.Empty : c.Literal(output.Spec.Steepness) + " * ";

            switch (plan.OutputDelta)
            {
                case OutputDeltaForm.ElementwiseChain:
                    w.Comment($"δ({l}) = h'(z({l})) ⊙ ∇a C, {CostGradientEquation(plan.Cost)}; {ActivationCode.DerivativeEquation(output)}  (§3, §4)");
                    Neurons.Declare(c, d, size);
                    Neurons.Assign(c, loop, size, d, k =>
                    {
                        string? derivative = ActivationCode.Derivative(c, output, k);
                        return derivative is null ? CostGradient(c, r[k]) : derivative + " * " + CostGradient(c, r[k]);
                    });
                    break;

                case OutputDeltaForm.SoftmaxChain:
                    w.Comment($"δ({l}) = J({l})ᵀ ∇a C with J_ik = a_i (δ_ik − a_k): δ_i = a_i (g_i − Σ_k a_k g_k), g = ∇a C, {CostGradientEquation(plan.Cost)}  (§3)");
                    Neurons.Declare(c, output.Upstream, size);
                    Neurons.Assign(c, loop, size, output.Upstream, k => CostGradient(c, r[k]));
                    BackwardEmitter.EmitSoftmaxJacobianProduct(c, output);
                    break;

                case OutputDeltaForm.SoftmaxCrossEntropy:
                    w.Comment($"δ({l})_i = a_i Σ_j t_j − t_i: softmax and cross-entropy fused, a − t for one-hot targets  (§3)");
                    Neurons.Sum(c, loop, size, Locals.TargetSum, EmitContext.Target);
                    Neurons.Declare(c, d, size);
                    Neurons.Assign(c, loop, size, d, k => $"{a[k]} * {Locals.TargetSum} - {EmitContext.Target(k)}");
                    break;

                case OutputDeltaForm.LogisticCrossEntropy:
                    w.Comment($"δ({l})_k = h'(z_k) (−t_k / a_k) = −k t_k (1 − a_k / Max): a cancels  (§3)");
                    Neurons.Declare(c, d, size);
                    Neurons.Assign(c, loop, size, d, k =>
                    {
                        string scaled = output.Spec.Max == 1.0 ? a[k] : $"{a[k]} / {c.Literal(output.Spec.Max)}";
                        string factor = output.Spec.Steepness == 1.0 ? "-" + EmitContext.Target(k) : $"{c.Literal(-output.Spec.Steepness)} * {EmitContext.Target(k)}";
                        return $"{factor} * ({c.One} - {scaled})";
                    });
                    break;

                case OutputDeltaForm.LogisticBinaryCrossEntropy when output.Spec.Max == 1.0:
                    w.Comment($"δ({l}) = k (a − t): logistic and binary cross-entropy fused  (§3)");
                    Neurons.Declare(c, d, size);
                    Neurons.Assign(c, loop, size, d, k => steep + r[k]);
                    break;

                case OutputDeltaForm.LogisticBinaryCrossEntropy:
                    w.Comment($"δ({l}) = h'(z) (a − t) / (a (1 − a)) = k (1 − a / Max)(a − t) / (1 − a): a cancels, and 1 − a ≥ 1 − Max > 0  (§3)");
                    Neurons.Declare(c, d, size);
                    Neurons.Assign(c, loop, size, d, k => $"{steep}({c.One} - {a[k]} / {c.Literal(output.Spec.Max)}) * {r[k]} / ({c.One} - {a[k]})");
                    break;

                case OutputDeltaForm.SoftmaxBinaryCrossEntropy:
                    w.Comment($"δ({l})_i = q_i − a_i Σ_k q_k, q_k = a_k ∂C/∂a_k = (a_k − t_k) / (1 − a_k) = (a_k − t_k) s / o_k: J({l})ᵀ ∇a C without dividing by a  (§3)");
                    Neurons.Declare(c, plan.Q, size);
                    Neurons.Assign(c, loop, size, plan.Q, k => $"{r[k]} * {Locals.Sum(l)} / {plan.Others[k]}");
                    Neurons.Sum(c, loop, size, Locals.QSum, k => plan.Q[k]);
                    Neurons.Declare(c, d, size);
                    Neurons.Assign(c, loop, size, d, k => $"{plan.Q[k]} - {a[k]} * {Locals.QSum}");
                    break;
            }
        }

        /// <summary>
        /// δ(L) from a gradient g = ∂C/∂a(L) that the caller computed for a loss of its own (spec §6.1):
        /// h'(z(L)) ⊙ g, or for a softmax output the Jacobian product J(L)ᵀ g.
        /// </summary>
        public static void EmitOutputDeltaFromGradient(EmitContext c, string gradient)
        {
            CodeWriter w = c.Writer;
            LayerPlan output = c.Plan.Output;
            int l = output.Number;
            bool loop = output.IsVectorized;
            if (output.Activation == ActivationKind.Softmax)
            {
                w.Comment($"δ({l}) = J({l})ᵀ g, J_ik = a_i (δ_ik − a_k): δ_i = a_i (g_i − Σ_k a_k g_k), g = {gradient}  (§2, §6.1)");
                if (loop)
                {
                    w.Line($"{c.ReadOnlySpan} {output.Upstream.Name} = {gradient};");
                }
                else
                {
                    Neurons.Assign(c, loop: false, output.Size, output.Upstream, k => $"{gradient}[{k}]");
                }

                BackwardEmitter.EmitSoftmaxJacobianProduct(c, output);
                return;
            }

            w.Comment($"δ({l}) = h'(z({l})) ⊙ g, {ActivationCode.DerivativeEquation(output)}, g = {gradient}  (§6.1)");
            Neurons.Declare(c, output.Delta, output.Size);
            Neurons.Assign(c, loop, output.Size, output.Delta, k =>
                ActivationCode.Derivative(c, output, k) is { } derivative ? $"{derivative} * {gradient}[{k}]" : $"{gradient}[{k}]");
        }

        private static void EmitSoftmaxBinaryCrossEntropyLoss(EmitContext c, LayerPlan output)
        {
            CodeWriter w = c.Writer;
            int l = output.Number;
            Slot e = output.Exp, o = c.Plan.Others;
            w.Comment("C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)], with ln a_k = z_k − m − ln s and ln(1 − a_k) = ln o_k − ln s,");
            w.Comment("o_k = Σ_{p≠k} e_p summed directly: s − e_k would cancel when a_k is near 1  (§3)");
            w.Line($"{c.T} {Locals.LogSum(l)} = {c.Scalar.Log}({Locals.Sum(l)});");
            Neurons.Declare(c, o, output.Size);
            if (output.IsVectorized)
            {
                using (w.Block($"for (int i = 0; i < {output.Size}; i++)"))
                {
                    w.Line($"{c.T} others = {c.Zero};");
                    using (w.Block($"for (int j = 0; j < {output.Size}; j++)"))
                    {
                        w.Line($"others += j == i ? {c.Zero} : {e["j"]};");
                    }

                    w.Line($"{o["i"]} = others;");
                }
            }
            else
            {
                for (int k = 0; k < output.Size; k++)
                {
                    int kk = k;
                    w.Sum($"{c.T} {o[k]} = ", Enumerable.Range(0, output.Size).Where(p => p != kk).Select(p => e[p]).ToList());
                }
            }

            Neurons.Sum(c, output.IsVectorized, output.Size, "logLikelihood", k =>
                $"{EmitContext.Target(k)} * {LogSoftmax(output, k)} + ({c.One} - {EmitContext.Target(k)}) * ({c.Scalar.Log}({o[k]}) - {Locals.LogSum(l)})");
            w.Line($"{c.T} loss = -logLikelihood;");
        }

        // ln a_k of a softmax, from z.
        private static string LogSoftmax(LayerPlan output, string k) =>
            $"({output.Z[k]} - {Locals.Max(output.Number)} - {Locals.LogSum(output.Number)})";

        // −ln a_k of a logistic, from z: softplus(−u_k) − ln Max.
        private static string NegatedLogLogistic(EmitContext c, LayerPlan output, string z)
        {
            string softplus = $"{Softplus}({ActivationCode.NegatedLogisticArgument(c, output, z)})";
            double lnMax = PortableMath.Log(output.Spec.Max);   // not Math.Log: the same literal on every build machine
            if (lnMax == 0.0)
            {
                return softplus;
            }

            return lnMax > 0 ? $"({softplus} - {c.Literal(lnMax)})" : $"({softplus} + {c.Literal(-lnMax)})";
        }

        // ∂C/∂a_k for the squared costs, from the residual.
        private static string CostGradient(EmitContext c, string residual) => c.Plan.Cost switch
        {
            CostKind.SquaredError => $"{c.Literal(2.0)} * {residual}",
            CostKind.HalfSquaredError => residual,
            _ => $"({c.Literal(2.0)} / OutputCount) * {residual}",
        };

        private static string CostGradientEquation(CostKind cost) => cost switch
        {
            CostKind.SquaredError => "∇a C = 2 (a − t)",
            CostKind.HalfSquaredError => "∇a C = a − t",
            _ => "∇a C = (2 / K)(a − t)",
        };
    }
}
