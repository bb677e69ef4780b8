using System.Collections.Generic;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The forward pass as straight-line code: one local per z(l)_i and a(l)_i, every multiply-add
    /// written out with its constant parameter index (spec §1, seed 000 eq. 1a–1b).
    /// </summary>
    internal static class ForwardEmitter
    {
        public static void Emit(EmitContext c)
        {
            CodeWriter w = c.Writer;
            w.Comment("a(0) = input");
            for (int j = 0; j < c.Plan.InputCount; j++)
            {
                w.Line($"{c.T} {Locals.A(0, j)} = input[{j}];");
            }

            foreach (LayerPlan layer in c.Plan.Layers)
            {
                w.Line();
                EmitLayer(c, layer);
            }
        }

        private static void EmitLayer(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            w.Comment($"Layer {l}: {layer.FanIn} → {layer.Size}, {layer.Describe()}. W({l}) at p[{layer.WeightOffset}..{layer.BiasOffset - 1}], row by row; b({l}) at p[{layer.BiasOffset}..{layer.End - 1}].");
            w.Comment($"z({l}) = W({l}) a({l - 1}) + b({l})  (§1)");
            for (int i = 0; i < layer.Size; i++)
            {
                var terms = new List<string> { EmitContext.P(layer.BiasIndex(i)) };
                terms.AddRange(Enumerable.Range(0, layer.FanIn).Select(j => $"{EmitContext.P(layer.WeightIndex(i, j))} * {Locals.A(l - 1, j)}"));
                w.Sum($"{c.T} {Locals.Z(l, i)} = ", terms);
            }

            if (layer.Activation == ActivationKind.Softmax)
            {
                EmitSoftmax(c, layer);
                return;
            }

            w.Comment(ActivationCode.Equation(layer) + "  (§2)");
            for (int i = 0; i < layer.Size; i++)
            {
                w.Line($"{c.T} {Locals.A(l, i)} = {ActivationCode.Apply(c, layer, Locals.Z(l, i))};");
            }
        }

        private static void EmitSoftmax(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            string max = Locals.Max(l);
            string sum = Locals.Sum(l);

            w.Comment($"a({l})_i = e^(z_i − m) / Σ_p e^(z_p − m), m = max_p z_p: subtracting m changes nothing but keeps e^z finite  (§2)");
            w.Line($"{c.T} {max} = {Locals.Z(l, 0)};");
            for (int i = 1; i < layer.Size; i++)
            {
                w.Line($"{max} = {c.Math}.Max({max}, {Locals.Z(l, i)});");
            }

            for (int i = 0; i < layer.Size; i++)
            {
                w.Line($"{c.T} {Locals.Exp(l, i)} = {c.Math}.Exp({Locals.Z(l, i)} - {max});");
            }

            w.Sum($"{c.T} {sum} = ", Enumerable.Range(0, layer.Size).Select(i => Locals.Exp(l, i)).ToList());
            for (int i = 0; i < layer.Size; i++)
            {
                w.Line($"{c.T} {Locals.A(l, i)} = {Locals.Exp(l, i)} / {sum};");
            }
        }
    }
}
