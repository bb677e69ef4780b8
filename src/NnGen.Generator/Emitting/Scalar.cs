using System.Globalization;
using NnGen.Generator.Common;

namespace NnGen.Generator.Emitting
{
    /// <summary>The generated code's number type: its keyword, its math class, and its literals.</summary>
    internal sealed class Scalar
    {
        public static readonly Scalar Single = new("float", "global::System.MathF", isSingle: true);
        public static readonly Scalar Double = new("double", "global::System.Math", isSingle: false);

        private readonly bool _isSingle;

        private Scalar(string keyword, string math, bool isSingle)
        {
            Keyword = keyword;
            Math = math;
            _isSingle = isSingle;
        }

        /// <summary>"float" or "double".</summary>
        public string Keyword { get; }

        /// <summary>The class whose Max takes this type (softmax's maximum).</summary>
        public string Math { get; }

        /// <summary>
        /// e^x for unrolled softmax, logistic and Elu neurons: FastMath.Exp (within 1 ulp; in float inlined, where
        /// MathF.Exp is a call that costs more than a small layer's multiply-adds), and the same bits on every operating
        /// system, where Math.Exp and MathF.Exp are the C library's.
        /// </summary>
        public string Exp => RuntimeNames.FastMath + ".Exp";

        /// <summary>tanh x for unrolled double neurons: FastMath.Tanh, for the same reason (float layers take it four lanes at a time).</summary>
        public string Tanh => RuntimeNames.FastMath + ".Tanh";

        /// <summary>ln x for the losses: FastMath.Log, whose bits, unlike Math.Log's and MathF.Log's, do not depend on the C library.</summary>
        public string Log => RuntimeNames.FastMath + ".Log";

        public string Zero => Literal(0.0);

        public string One => Literal(1.0);

        public static Scalar For(PrecisionKind precision) => precision == PrecisionKind.Double ? Double : Single;

        /// <summary>
        /// A C# literal for <paramref name="value"/> in this type: the shortest text that reads back as
        /// the same value, always in the invariant culture (a generated '−' or ',' would not compile).
        /// </summary>
        public string Literal(double value)
        {
            // Validation keeps every value finite in the network's type; "Infinityf" would not compile.
            if (!NumericLimits.IsFinite(value, _isSingle))
            {
                throw new System.InvalidOperationException(
                    "the value " + value.ToString("R", CultureInfo.InvariantCulture) + " has no finite " + Keyword + " literal");
            }

            if (_isSingle)
            {
                float single = (float)value;
                string text = single.ToString("R", CultureInfo.InvariantCulture);

                // "R" has not always round-tripped on .NET Framework, where the compiler may host us.
                if (float.Parse(text, CultureInfo.InvariantCulture) != single)
                {
                    text = single.ToString("G9", CultureInfo.InvariantCulture);
                }

                return text + "f";
            }
            else
            {
                string text = value.ToString("R", CultureInfo.InvariantCulture);
                if (double.Parse(text, CultureInfo.InvariantCulture) != value)
                {
                    text = value.ToString("G17", CultureInfo.InvariantCulture);
                }

                // "2" alone would be an int literal.
                return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
            }
        }
    }
}
