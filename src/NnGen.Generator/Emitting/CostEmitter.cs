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
        /// <paramref name="forBackward"/> so does a logistic output's fused binary cross-entropy delta. The batch members
        /// declare r's span by it too.
        /// </summary>
        public static bool UsesResidual(NetworkPlan plan, bool forBackward) =>
            plan.Cost is CostKind.SquaredError or CostKind.HalfSquaredError or CostKind.MeanSquaredError
            || (forBackward && plan.OutputDelta == OutputDeltaForm.LogisticBinaryCrossEntropy);

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
                    EmitSoftmaxBinaryCrossEntropyDelta(c, output);
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

        // Binary cross-entropy after softmax needs 1 − a_k = o_k / s, o_k = Σ_{p≠k} e_p. Below the maximum, o_k = s − e_k
        // is at least s / 2, so the subtraction loses nothing. At the maximum (z_k = m) s − e_k cancels once the other
        // outputs are far below (from a gap of about 17 between the two largest z in float), and o_k itself underflows to 0
        // past about 88; there it is taken relative to m', the largest z but one: o_k = e^(m' − m) O, with
        // O = Σ_{p≠k} e^(z_p − m') between 1 and K − 1.
        // f_p = e^(min(z_p − m', 0)) is e^(z_p − m') below the maximum and 1 at it, so O = Σ_p f_p − 1 wherever the
        // maximum is; with a shared maximum m' = m and O = s − 1 = o_k.
        private static void EmitSoftmaxBinaryCrossEntropyLoss(EmitContext c, LayerPlan output)
        {
            CodeWriter w = c.Writer;
            int l = output.Number;
            (int size, bool loop) = (output.Size, output.IsVectorized);
            Slot z = output.Z, e = output.Exp, f = c.Plan.Scaled;
            string m = Locals.Max(l), second = Locals.SecondMax(l), running = Locals.RunningMax(l), s = Locals.Sum(l);
            w.Comment("C = −Σ_k [t_k ln a_k + (1 − t_k) ln(1 − a_k)], ln a_k = z_k − m − ln s, ln(1 − a_k) = ln o_k − ln s, o_k = Σ_{p≠k} e_p:");
            w.Comment("below the maximum o_k = s − e_k ≥ s / 2; at it (z_k = m), where o_k rounds to 0 once the others are far below,");
            w.Comment("ln o_k = m' − m + ln O, with m' the largest z but one and O = Σ_{p≠k} e^(z_p − m') = Σ_p f_p − 1 ≥ 1  (§3)");
            w.Line($"{c.T} {Locals.LogSum(l)} = {c.Scalar.Log}({s});");
            w.Line($"{c.T} {running} = {z[0]};");
            w.Line($"{c.T} {second} = {c.T}.NegativeInfinity;");
            if (loop)
            {
                using (w.Block($"for (int i = 1; i < {size}; i++)"))
                {
                    EmitSecondMaxStep(c, second, running, z["i"]);
                }
            }
            else
            {
                for (int k = 1; k < size; k++)
                {
                    EmitSecondMaxStep(c, second, running, z[k]);
                }
            }

            Neurons.Declare(c, f, size);
            Neurons.Assign(c, loop, size, f, k => $"{c.Exp}({c.Math}.Min({z[k]} - {second}, {c.Zero}))");
            Neurons.Sum(c, loop, size, Locals.ScaledSum(l), k => f[k]);
            w.Line($"{c.T} {Locals.OthersOfMax(l)} = {Locals.ScaledSum(l)} - {c.One};");
            string logOthersAtMax = $"{c.Scalar.Log}({Locals.OthersOfMax(l)}) + ({second} - {m})";
            Neurons.Sum(c, loop, size, "logLikelihood", k =>
                $"{EmitContext.Target(k)} * {LogSoftmax(output, k)} + ({c.One} - {EmitContext.Target(k)}) * (({AtMaximum(output, k)} ? {logOthersAtMax} : {c.Scalar.Log}({s} - {e[k]})) - {Locals.LogSum(l)})");
            w.Line($"{c.T} loss = -logLikelihood;");
        }

        // One step of the running top two: m' takes the smaller of the largest so far and z_k.
        private static void EmitSecondMaxStep(EmitContext c, string second, string running, string zk)
        {
            c.Writer.Line($"{second} = {c.Math}.Max({second}, {c.Math}.Min({running}, {zk}));");
            c.Writer.Line($"{running} = {c.Math}.Max({running}, {zk});");
        }

        // ∂C/∂z_i = a_i (T + 1 − t_i) − t_i − a_i Σ_{k≠i} w_k, T = Σ_k t_k, w_k = (1 − t_k) a_k / (1 − a_k) = (1 − t_k) e_k / o_k
        // (J(L)ᵀ ∇a C written out; w_i (1 − a_i) = (1 − t_i) a_i has been taken out of the sum, where dividing by
        // 1 − a_i = 0 would have lost it). Below the maximum w_k ≤ 1 − t_k (u_k). At the maximum w_k is huge, and
        // a_i w_k = (1 − t_k) f_i / (s O) is taken relative to m' instead, with f_i ≤ 1 and s O ≥ 1 (v_k = 1 − t_k there).
        private static void EmitSoftmaxBinaryCrossEntropyDelta(EmitContext c, LayerPlan output)
        {
            CodeWriter w = c.Writer;
            int l = output.Number;
            (int size, bool loop) = (output.Size, output.IsVectorized);
            Slot a = output.A, e = output.Exp, d = output.Delta, f = c.Plan.Scaled, u = c.Plan.Odds;
            string s = Locals.Sum(l);
            w.Comment($"δ({l})_i = a_i (Σ_k t_k + 1 − t_i − Σ_{{k≠i}} u_k) − t_i − f_i Σ_{{k≠i}} v_k / (s O): J({l})ᵀ ∇a C, where below the maximum");
            w.Comment("u_k = (1 − t_k) e_k / (s − e_k) and v_k = 0, and at it u_k = 0 and v_k = 1 − t_k: a_i (1 − t_k) a_k / (1 − a_k),");
            w.Comment("huge there, is (1 − t_k) f_i / (s O) relative to m', and nothing divides by 1 − a_k  (§3)");
            Neurons.Sum(c, loop, size, Locals.TargetSum, EmitContext.Target);
            Neurons.Declare(c, u, size);
            Neurons.Assign(c, loop, size, u, k => $"{AtMaximum(output, k)} ? {c.Zero} : ({c.One} - {EmitContext.Target(k)}) * {e[k]} / ({s} - {e[k]})");
            Neurons.Sum(c, loop, size, Locals.OddsSum, k => u[k]);
            Neurons.Sum(c, loop, size, Locals.AtMaxSum, k => AtMax(c, output, k));
            Neurons.Declare(c, d, size);
            Neurons.Assign(c, loop, size, d, k =>
                $"{a[k]} * ({Locals.TargetSum} + {c.One} - {EmitContext.Target(k)} - ({Locals.OddsSum} - {u[k]})) - {EmitContext.Target(k)}"
                + $" - {f[k]} * ({Locals.AtMaxSum} - {AtMax(c, output, k)}) / ({s} * {Locals.OthersOfMax(l)})");
        }

        // v_k: 1 − t_k where z_k is the maximum, 0 elsewhere; in parentheses, as a term of a sum.
        private static string AtMax(EmitContext c, LayerPlan output, string k) =>
            $"({AtMaximum(output, k)} ? {c.One} - {EmitContext.Target(k)} : {c.Zero})";

        // Whether output k is at the maximum, z_k = m: where its o_k is taken relative to the second-largest z.
        private static string AtMaximum(LayerPlan output, string k) => $"{output.Z[k]} == {Locals.Max(output.Number)}";

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
