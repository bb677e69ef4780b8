using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>What every part of the emitter needs: the plan, the number type and the writer.</summary>
    internal sealed class EmitContext
    {
        public EmitContext(NetworkPlan plan)
        {
            Plan = plan;
            Scalar = Scalar.For(plan.Model.Precision);
        }

        public NetworkPlan Plan { get; }

        public Scalar Scalar { get; }

        public CodeWriter Writer { get; } = new();

        /// <summary>"float" or "double".</summary>
        public string T => Scalar.Keyword;

        public string Math => Scalar.Math;

        public string Zero => Scalar.Zero;

        public string One => Scalar.One;

        public string Literal(double value) => Scalar.Literal(value);

        /// <summary>The parameter at a flat index, read through the local span p.</summary>
        public static string P(int index) => $"p[{index}]";

        public static string Target(int k) => $"target[{k}]";
    }
}
