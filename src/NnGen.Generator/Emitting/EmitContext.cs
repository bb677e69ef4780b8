using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>What every part of the emitter needs: the plan, the number type and the writer.</summary>
    internal sealed class EmitContext
    {
        public EmitContext(NetworkPlan plan)
            : this(plan, new CodeWriter())
        {
        }

        /// <summary>A context for a class of the network writing into <paramref name="writer"/>.</summary>
        /// <param name="packedField">The field of W and b packed per layer, or null: see <see cref="PackedField"/>.</param>
        /// <param name="lanesField">The field of the unrolled layers' W and b in lanes, or null: see <see cref="LanesField"/>.</param>
        public EmitContext(NetworkPlan plan, CodeWriter writer, string? packedField = null, string? lanesField = null)
        {
            Plan = plan;
            Scalar = Scalar.For(plan.Model.Precision);
            Writer = writer;
            PackedField = packedField;
            LanesField = lanesField;
        }

        public NetworkPlan Plan { get; }

        /// <summary>
        /// The runs of layers that a straight-line member is written in (<see cref="MemberSplit"/>): Forward's and Loss's,
        /// or with <paramref name="training"/> Accumulate's and the input gradient's; in a class whose unrolled layers compute
        /// in lanes (a snapshot, a baked network on .NET 8+), the lanes' own runs. Always one run in the InferenceValue struct,
        /// whose lanes are fields a local function could not read (CS1673), and which holds only small networks.
        /// </summary>
        public System.Collections.Generic.IReadOnlyList<LayerRun> Runs(bool training) =>
            LanesInFields ? new[] { new LayerRun(0, Plan.Layers.Count - 1) }
            : LanesField is not null ? Plan.LanesRuns
            : training ? Plan.TrainingRuns : Plan.ForwardRuns;

        /// <summary>Marks the member that follows to be compiled optimised at its first call (see <see cref="CodeWriter.OptimizedFromFirstCall"/>).</summary>
        public void OptimizedFromFirstCall(bool inline = false) => Writer.OptimizedFromFirstCall(Plan.NamesAggressiveOptimization, inline);

        /// <summary>
        /// The array of every layer's W and b packed in panels (one element per layer), in a class whose parameters
        /// never change after construction (a baked network, an inference snapshot) built against the .NET 8+
        /// runtime: its vectorised layers read that instead of the rows of W. Null in a trainable network, whose
        /// Parameters the caller may write at any time, and on netstandard2.1.
        /// </summary>
        public string? PackedField { get; }

        /// <summary>
        /// The array of the unrolled layers' W and b transposed into groups of rows (<see cref="LaneEmitter"/>), in a
        /// class whose parameters never change, built against the .NET 8+ runtime; null elsewhere.
        /// </summary>
        public string? LanesField { get; }

        /// <summary>
        /// True in the InferenceValue struct, whose lanes are its own fields (named <see cref="LanesField"/> followed by
        /// the index) rather than elements of an array: a local copy of the struct keeps them in registers.
        /// </summary>
        public bool LanesInFields { get; private set; }

        /// <summary>
        /// True in the InferenceValue struct of a network whose layers are vectorised panels: each layer's columns of W and
        /// its biases are fields (_w{l}_{j}, _w{l}_b), read by inline AVX-512 or AVX2 code.
        /// </summary>
        public bool PackedInFields { get; private set; }

        /// <summary>
        /// True in a class whose parameters never change after construction (a baked network, an inference snapshot and its
        /// value), whose outputs are promised to be the same bits on every machine, its batch members' too.
        /// </summary>
        public bool FixedParameters { get; init; }

        /// <summary>
        /// The span parameter that a training pass adds its gradient sums into, where that is not the network's own
        /// Gradients: AccumulateBatch's gradient buffer, in a network that accumulates one sample at a time.
        /// </summary>
        public string? GradientsParameter { get; init; }

        /// <summary>This context with the gradient sums added into the span parameter <paramref name="name"/>.</summary>
        public EmitContext WithGradientsIn(string name) => Copy(Plan, name);

        /// <summary>A context for another plan of the same class, writing into the same file.</summary>
        public EmitContext For(NetworkPlan plan) => Copy(plan, GradientsParameter);

        private EmitContext Copy(NetworkPlan plan, string? gradientsParameter) => new(plan, Writer, PackedField, LanesField)
        {
            LanesInFields = LanesInFields, PackedInFields = PackedInFields, FixedParameters = FixedParameters, GradientsParameter = gradientsParameter,
        };

        /// <summary>
        /// A context for the InferenceValue struct of this plan: layers in lanes read fields named <paramref name="prefix"/>0, 1, …;
        /// vectorised layers (one panel each) read their panel's fields.
        /// </summary>
        public EmitContext ForValueFields(string prefix) => new(Plan, Writer, packedField: null, lanesField: prefix) { LanesInFields = true, PackedInFields = true, FixedParameters = true };

        public Scalar Scalar { get; }

        public CodeWriter Writer { get; }

        /// <summary>
        /// False while writing per-sample code inside the batch loop (<see cref="ViewsOnly"/>), where every span is
        /// a view into storage declared once before the loop: a stackalloc there would grow the stack per sample.
        /// </summary>
        public bool DeclareSpans { get; private set; } = true;

        /// <summary>
        /// The caller's span that receives a(L) in Forward, or null elsewhere: a vectorised output layer that reads W
        /// packed then computes z(L) straight into it and runs its activation in place there, instead of writing
        /// into stack memory that is copied there afterwards (<see cref="ForwardEmitter.WritesIntoOutput"/>).
        /// </summary>
        public string? OutputSpan { get; private set; }

        /// <summary>Until disposed, the output layer writes a(L) into <paramref name="span"/> (see <see cref="OutputSpan"/>).</summary>
        public System.IDisposable IntoOutput(string span)
        {
            string? outer = OutputSpan;
            OutputSpan = span;
            return new Scope(() => OutputSpan = outer);
        }

        /// <summary>Until disposed, <see cref="Neurons.Declare"/> declares no span: the per-sample code of a batch uses views.</summary>
        public System.IDisposable ViewsOnly()
        {
            bool outer = DeclareSpans;
            DeclareSpans = false;
            return new Scope(() => DeclareSpans = outer);
        }

        // Puts a setting back as it was when the scope was opened.
        private sealed class Scope : System.IDisposable
        {
            private readonly System.Action _restore;

            public Scope(System.Action restore) => _restore = restore;

            public void Dispose() => _restore();
        }

        /// <summary>"float" or "double".</summary>
        public string T => Scalar.Keyword;

        /// <summary>Span of T, as generated code spells it.</summary>
        public string Span => $"global::System.Span<{T}>";

        /// <summary>ReadOnlySpan of T, as generated code spells it.</summary>
        public string ReadOnlySpan => $"global::System.ReadOnlySpan<{T}>";

        public string Math => Scalar.Math;

        /// <summary>e^x for unrolled softmax and logistic neurons (<see cref="Scalar.Exp"/>).</summary>
        public string Exp => Scalar.Exp;

        public string Zero => Scalar.Zero;

        public string One => Scalar.One;

        public string Literal(double value) => Scalar.Literal(value);

        /// <summary>The parameter at a flat index, read through the local span p.</summary>
        public static string P(int index) => $"p[{index}]";

        public static string Target(string k) => $"target[{k}]";

        /// <summary>The flat index of row <paramref name="row"/> of a matrix at <paramref name="offset"/> with <paramref name="columns"/> columns.</summary>
        public static string RowStart(int offset, string row, int columns)
        {
            if (int.TryParse(row, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int constant))
            {
                return (offset + (constant * columns)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return offset == 0 ? $"{row} * {columns}" : $"{offset} + ({row} * {columns})";
        }

        public static string Target(int k) => $"target[{k}]";
    }
}
