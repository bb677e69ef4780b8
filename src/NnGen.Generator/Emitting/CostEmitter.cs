using System.Collections.Generic;
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
        private const string Softplus = "global::NnGen.StableMath.Softplus";

        /// <summary>Writes "T loss = ...;" after the forward pass, with the locals that it needs and,
        /// when <paramref name="forBackward"/>, the ones that <see cref="EmitOutputDelta"/> needs.</summary>
        public static void EmitLoss(EmitContext c, bool forBackward)
        {
            CodeWriter w = c.Writer;
            NetworkPlan plan = c.Plan;
            LayerPlan output = plan.Output;
            int outputs = output.Size;
            int l = output.Number;

            bool squared = plan.Cost is CostKind.SquaredError or CostKind.HalfSquaredError or CostKind.MeanSquaredError;
            bool residualsForDelta = forBackward
                && plan.OutputDelta is OutputDeltaForm.LogisticBinaryCrossEntropy or OutputDeltaForm.SoftmaxBinaryCrossEntropy;
            if (squared || residualsForDelta)
            {
                w.Comment($"r = a({l}) − t");
                for (int k = 0; k < outputs; k++)
                {
                    w.Line($"{c.T} {Locals.Residual(k)} = {Locals.A(l, k)} - {EmitContext.Target(k)};");
                }
            }

            List<string> squares = Enumerable.Range(0, outputs).Select(k => $"{Locals.Residual(k)} * {Locals.Residual(k)}").ToList();
            switch (plan.Cost)
            {
                case CostKind.SquaredError:
                    w.Comment("C = Σ_k (a_k − t_k)²  (§3)");
                    w.Sum($"{c.T} loss = ", squares);
                    break;
                case CostKind.HalfSquaredError:
                    w.Comment("C = ½ Σ_k (a_k − t_k)²  (§3)");
                    w.Sum($"{c.T} loss = {c.Literal(0.5)} * (", squares, tail: ");");
                    break;
                case CostKind.MeanSquaredError:
                    w.Comment("C = (1/K) Σ_k (a_k − t_k)², K = OutputCount  (§3)");
                    w.Sum($"{c.T} loss = (", squares, tail: ") / OutputCount;");
                    break;
                case CostKind.CrossEntropy when output.Activation == ActivationKind.Softmax:
                    w.Comment("C = −Σ_k t_k ln a_k, with ln a_k = z_k − m − ln s (log-sum-exp)  (§3)");
                    w.Line($"{c.T} {Locals.LogSum(l)} = {c.Math}.Log({Locals.Sum(l)});");
                    w.Sum($"{c.T} loss = -(", Enumerable.Range(0, outputs).Select(k => $"{EmitContext.Target(k)} * {LogSoftmax(l, k)}").ToList(), tail: ");");
                    break;
                case CostKind.CrossEntropy:
                    w.Comment("C = −Σ_k t_k ln a_k, with ln a_k = ln Max − softplus(−u_k), u = k (z − z0)  (§3)");
                    w.Sum($"{c.T} loss = ", Enumerable.Range(0, outputs).Select(k => $"{EmitContext.Target(k)} * {NegatedLogLogistic(c, output, k)}").ToList());
                    break;
                case CostKind.BinaryCrossEntropy when output.Activation == ActivationKind.Softmax:
                    EmitSoftmaxBinaryCrossEntropyLoss(c, output);
                    break;
                case CostKind.BinaryCrossEntropy when output.Model.Max == 1.0:
                    w.Comment("C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)], with ln a = −softplus(−u) and ln(1 − a) = −softplus(u), u = k (z − z0)  (§3)");
                    w.Sum($"{c.T} loss = ", Enumerable.Range(0, outputs).Select(k =>
                        $"{EmitContext.Target(k)} * {NegatedLogLogistic(c, output, k)} + ({c.One} - {EmitContext.Target(k)}) * {Softplus}({ActivationCode.LogisticArgument(c, output, Locals.Z(l, k))})").ToList());
                    break;
                case CostKind.BinaryCrossEntropy:
                    w.Comment("C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)], with ln a = ln Max − softplus(−u); 1 − a ≥ 1 − Max > 0 needs no care  (§3)");
                    w.Sum($"{c.T} loss = ", Enumerable.Range(0, outputs).Select(k =>
                        $"{EmitContext.Target(k)} * {NegatedLogLogistic(c, output, k)} - ({c.One} - {EmitContext.Target(k)}) * {c.Math}.Log({c.One} - {Locals.A(l, k)})").ToList());
                    break;
            }
        }

        /// <summary>Writes δ(L) for every output neuron, after <see cref="EmitLoss"/> with forBackward.</summary>
        public static void EmitOutputDelta(EmitContext c)
        {
            CodeWriter w = c.Writer;
            LayerPlan output = c.Plan.Output;
            int l = output.Number;
            int outputs = output.Size;
            IEnumerable<int> ks = Enumerable.Range(0, outputs);

            switch (c.Plan.OutputDelta)
            {
                case OutputDeltaForm.ElementwiseChain:
                    w.Comment($"δ({l}) = h'(z({l})) ⊙ ∇a C, {CostGradientEquation(c.Plan.Cost)}; {ActivationCode.DerivativeEquation(output)}  (§3, §4)");
                    for (int k = 0; k < outputs; k++)
                    {
                        string gradient = CostGradient(c, k);
                        string? derivative = ActivationCode.Derivative(c, output, k);
                        w.Line($"{c.T} {Locals.Delta(l, k)} = {(derivative is null ? gradient : derivative + " * " + gradient)};");
                    }

                    break;

                case OutputDeltaForm.SoftmaxChain:
                    w.Comment($"δ({l}) = J({l})ᵀ ∇a C with J_ik = a_i (δ_ik − a_k): δ_i = a_i (g_i − Σ_k a_k g_k), g = ∇a C, {CostGradientEquation(c.Plan.Cost)}  (§3)");
                    for (int k = 0; k < outputs; k++)
                    {
                        w.Line($"{c.T} {Locals.Upstream(l, k)} = {CostGradient(c, k)};");
                    }

                    EmitSoftmaxJacobianProduct(c, output);
                    break;

                case OutputDeltaForm.SoftmaxCrossEntropy:
                    w.Comment($"δ({l})_i = a_i Σ_j t_j − t_i: softmax and cross-entropy fused, a − t for one-hot targets  (§3)");
                    w.Sum($"{c.T} {Locals.TargetSum} = ", ks.Select(EmitContext.Target).ToList());
                    for (int k = 0; k < outputs; k++)
                    {
                        w.Line($"{c.T} {Locals.Delta(l, k)} = {Locals.A(l, k)} * {Locals.TargetSum} - {EmitContext.Target(k)};");
                    }

                    break;

                case OutputDeltaForm.LogisticCrossEntropy:
                    w.Comment($"δ({l})_k = h'(z_k) (−t_k / a_k) = −k t_k (1 − a_k / Max): a cancels  (§3)");
                    for (int k = 0; k < outputs; k++)
                    {
                        string a = Locals.A(l, k);
                        string scaled = output.Model.Max == 1.0 ? a : $"{a} / {c.Literal(output.Model.Max)}";
                        string factor = output.Model.Steepness == 1.0 ? "-" + EmitContext.Target(k) : $"{c.Literal(-output.Model.Steepness)} * {EmitContext.Target(k)}";
                        w.Line($"{c.T} {Locals.Delta(l, k)} = {factor} * ({c.One} - {scaled});");
                    }

                    break;

                case OutputDeltaForm.LogisticBinaryCrossEntropy when output.Model.Max == 1.0:
                    w.Comment($"δ({l}) = k (a − t): logistic and binary cross-entropy fused  (§3)");
                    for (int k = 0; k < outputs; k++)
                    {
                        string steep = output.Model.Steepness == 1.0 ? string.Empty : c.Literal(output.Model.Steepness) + " * ";
                        w.Line($"{c.T} {Locals.Delta(l, k)} = {steep}{Locals.Residual(k)};");
                    }

                    break;

                case OutputDeltaForm.LogisticBinaryCrossEntropy:
                    w.Comment($"δ({l}) = h'(z) (a − t) / (a (1 − a)) = k (1 − a / Max)(a − t) / (1 − a): a cancels, and 1 − a ≥ 1 − Max > 0  (§3)");
                    for (int k = 0; k < outputs; k++)
                    {
                        string a = Locals.A(l, k);
                        string steep = output.Model.Steepness == 1.0 ? string.Empty : c.Literal(output.Model.Steepness) + " * ";
                        w.Line($"{c.T} {Locals.Delta(l, k)} = {steep}({c.One} - {a} / {c.Literal(output.Model.Max)}) * {Locals.Residual(k)} / ({c.One} - {a});");
                    }

                    break;

                case OutputDeltaForm.SoftmaxBinaryCrossEntropy:
                    w.Comment($"δ({l})_i = q_i − a_i Σ_k q_k, q_k = a_k ∂C/∂a_k = (a_k − t_k) / (1 − a_k) = (a_k − t_k) s / o_k: J({l})ᵀ ∇a C without dividing by a  (§3)");
                    for (int k = 0; k < outputs; k++)
                    {
                        w.Line($"{c.T} {Locals.Q(k)} = {Locals.Residual(k)} * {Locals.Sum(l)} / {Locals.Others(k)};");
                    }

                    w.Sum($"{c.T} {Locals.QSum} = ", ks.Select(Locals.Q).ToList());
                    for (int k = 0; k < outputs; k++)
                    {
                        w.Line($"{c.T} {Locals.Delta(l, k)} = {Locals.Q(k)} - {Locals.A(l, k)} * {Locals.QSum};");
                    }

                    break;
            }
        }

        /// <summary>
        /// δ(l)_i = a_i (g_i − Σ_k a_k g_k): the product of a softmax Jacobian with the gradient g(l)
        /// (seed 002 eq. 2.12). Shared by a softmax output and a hidden softmax.
        /// </summary>
        public static void EmitSoftmaxJacobianProduct(EmitContext c, LayerPlan layer)
        {
            int l = layer.Number;
            c.Writer.Sum($"{c.T} {Locals.UpstreamDot(l)} = ", Enumerable.Range(0, layer.Size).Select(k => $"{Locals.A(l, k)} * {Locals.Upstream(l, k)}").ToList());
            for (int i = 0; i < layer.Size; i++)
            {
                c.Writer.Line($"{c.T} {Locals.Delta(l, i)} = {Locals.A(l, i)} * ({Locals.Upstream(l, i)} - {Locals.UpstreamDot(l)});");
            }
        }

        private static void EmitSoftmaxBinaryCrossEntropyLoss(EmitContext c, LayerPlan output)
        {
            CodeWriter w = c.Writer;
            int l = output.Number;
            w.Comment("C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)], with ln a_k = z_k − m − ln s and ln(1 − a_k) = ln o_k − ln s,");
            w.Comment("o_k = Σ_{p≠k} e_p summed directly: s − e_k would cancel when a_k is near 1  (§3)");
            w.Line($"{c.T} {Locals.LogSum(l)} = {c.Math}.Log({Locals.Sum(l)});");
            for (int k = 0; k < output.Size; k++)
            {
                int kk = k;
                w.Sum($"{c.T} {Locals.Others(k)} = ", Enumerable.Range(0, output.Size).Where(p => p != kk).Select(p => Locals.Exp(l, p)).ToList());
            }

            w.Sum($"{c.T} loss = -(", Enumerable.Range(0, output.Size).Select(k =>
                $"{EmitContext.Target(k)} * {LogSoftmax(l, k)} + ({c.One} - {EmitContext.Target(k)}) * ({c.Math}.Log({Locals.Others(k)}) - {Locals.LogSum(l)})").ToList(), tail: ");");
        }

        // ln a_k of a softmax, from z.
        private static string LogSoftmax(int l, int k) => $"({Locals.Z(l, k)} - {Locals.Max(l)} - {Locals.LogSum(l)})";

        // −ln a_k of a logistic, from z: softplus(−u_k) − ln Max.
        private static string NegatedLogLogistic(EmitContext c, LayerPlan output, int k)
        {
            string softplus = $"{Softplus}({ActivationCode.NegatedLogisticArgument(c, output, Locals.Z(output.Number, k))})";
            double lnMax = System.Math.Log(output.Model.Max);
            if (lnMax == 0.0)
            {
                return softplus;
            }

            return lnMax > 0 ? $"({softplus} - {c.Literal(lnMax)})" : $"({softplus} + {c.Literal(-lnMax)})";
        }

        // ∂C/∂a_k for the squared costs.
        private static string CostGradient(EmitContext c, int k) => c.Plan.Cost switch
        {
            CostKind.SquaredError => $"{c.Literal(2.0)} * {Locals.Residual(k)}",
            CostKind.HalfSquaredError => Locals.Residual(k),
            _ => $"({c.Literal(2.0)} / OutputCount) * {Locals.Residual(k)}",
        };

        private static string CostGradientEquation(CostKind cost) => cost switch
        {
            CostKind.SquaredError => "∇a C = 2 (a − t)",
            CostKind.HalfSquaredError => "∇a C = a − t",
            _ => "∇a C = (2 / K)(a − t)",
        };
    }
}
