using System;
using System.Linq;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Writes a statement for every neuron of a layer, or a sum over them, in the layer's shape: one
    /// line per neuron with constant indices when unrolled, one loop over spans when vectorised. The
    /// formulas come as functions of the index, so both shapes compute exactly the same thing.
    /// </summary>
    internal static class Neurons
    {
        private const string Index = "i";

        /// <summary>Declares the span behind <paramref name="slot"/>, if it is one (stack memory, no heap).</summary>
        public static void Declare(EmitContext c, Slot slot, int size)
        {
            if (slot.InSpan && c.DeclareSpans)
            {
                c.Writer.Line($"{c.Span} {slot.Name} = stackalloc {c.T}[{size}];");
            }
        }

        /// <summary>target[i] = value(i) for i in [0, size), declaring locals where the slot is made of locals.</summary>
        public static void Assign(EmitContext c, bool loop, int size, Slot target, Func<string, string> value)
        {
            CodeWriter w = c.Writer;
            if (loop)
            {
                using (w.Block($"for (int {Index} = 0; {Index} < {size}; {Index}++)"))
                {
                    w.Line($"{target[Index]} = {value(Index)};");
                }

                return;
            }

            string declare = target.InSpan ? string.Empty : c.T + " ";
            for (int i = 0; i < size; i++)
            {
                w.Line($"{declare}{target[i]} = {value(i.ToString(System.Globalization.CultureInfo.InvariantCulture))};");
            }
        }

        /// <summary>T variable = Σ_i term(i), as one wrapped expression or as a loop.</summary>
        public static void Sum(EmitContext c, bool loop, int size, string variable, Func<string, string> term)
        {
            CodeWriter w = c.Writer;
            if (loop)
            {
                w.Line($"{c.T} {variable} = {c.Zero};");
                using (w.Block($"for (int {Index} = 0; {Index} < {size}; {Index}++)"))
                {
                    w.Line($"{variable} += {term(Index)};");
                }

                return;
            }

            w.Sum($"{c.T} {variable} = ", Enumerable.Range(0, size).Select(i => term(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());
        }
    }
}
