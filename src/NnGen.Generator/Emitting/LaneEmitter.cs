using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Unrolled layers of a class whose parameters never change (a baked network, an inference snapshot) on .NET 8+:
    /// V neurons per Vector128 (V = 4 floats, 2 doubles) from W transposed into groups of V rows (LaneLayout). Lane r
    /// of group g is neuron gV + r, and it runs exactly the multiplies and additions of that neuron's unrolled sum, in
    /// the same order, so z is bit for bit what the unrolled code of the network computes: the vector only does V
    /// neurons' scalar work at once (a 4 × 4 layer is 4 vector multiplies and 4 adds instead of 16 and 16).
    /// </summary>
    internal static class LaneEmitter
    {
        private static string Cell(int index) => index.ToString(CultureInfo.InvariantCulture);

        /// <summary>The lanes field of a class over <paramref name="plan"/> whose parameters never change, or null if no layer computes in lanes.</summary>
        public static string? FieldFor(NetworkPlan plan) =>
            plan.HasLanes && plan.Layers.Any(Qualifies) ? GeneratedMembers.LanesField : null;

        /// <summary>Whether <paramref name="layer"/> computes its z in lanes in this class.</summary>
        public static bool InLanes(EmitContext c, LayerPlan layer) => c.LanesField is not null && Qualifies(layer);

        // One neuron would leave most lanes empty and pay a broadcast per input on top of the scalar work.
        private static bool Qualifies(LayerPlan layer) => !layer.IsVectorized && layer.Size >= 2;

        private static int Width(EmitContext c) => Width(c.Plan);

        private static int Width(NetworkPlan plan) => plan.Model.Precision == PrecisionKind.Double ? 2 : 4;

        private static int Groups(EmitContext c, LayerPlan layer) => Groups(c.Plan, layer);

        private static int Groups(NetworkPlan plan, LayerPlan layer) => (layer.Size + Width(plan) - 1) / Width(plan);

        private static string VectorType(EmitContext c) => $"{RuntimeNames.Vector128}<{c.T}>";

        /// <summary>Where the layer's first group starts in the lanes array: after every layer before it that computes in lanes.</summary>
        private static int Start(EmitContext c, LayerPlan layer) =>
            c.Plan.Layers.Where(other => other.Number < layer.Number && Qualifies(other)).Sum(other => Groups(c, other) * (other.FanIn + 1));

        private static int Length(EmitContext c) => Length(c.Plan);

        /// <summary>Vectors in the lanes of <paramref name="plan"/>: (columns + 1) per group of each layer in lanes.</summary>
        private static int Length(NetworkPlan plan) =>
            plan.Layers.Where(Qualifies).Sum(layer => Groups(plan, layer) * (layer.FanIn + 1));

        /// <summary>The span over the lanes array that the passes read, declared with <see cref="EmitSpan"/>.</summary>
        private const string Span = "pv";

        /// <summary>Vector <paramref name="index"/> of the lanes: an element of pv, or in the InferenceValue struct a field.</summary>
        private static string Vector(EmitContext c, int index) => c.LanesInFields ? $"{c.LanesField}{Cell(index)}" : $"{Span}[{Cell(index)}]";

        /// <summary>
        /// Most vectors an InferenceValue holds: 64 Vector128 are 1 KB, twice the vector registers of AVX-512, so a copy
        /// stays cheap and the JIT still promotes it; a network with more lanes is served by Inference.
        /// </summary>
        private const int MaxValueVectors = 64;

        /// <summary>
        /// Whether <paramref name="plan"/> gets an InferenceValue: the runtime has lanes, and either every layer computes in
        /// them (unrolled, two neurons or more) in at most <see cref="MaxValueVectors"/> vectors, or every layer is a
        /// vectorised panel (at most 16 float rows, 8 double) read from packed W, in at most 24 Vector512 (1.5 KB).
        /// </summary>
        public static bool FitsInValue(NetworkPlan plan)
        {
            if (!plan.HasLanes)
            {
                return false;
            }

            return plan.Layers.All(Qualifies) ? Length(plan) <= MaxValueVectors : IsPanelValue(plan);
        }

        /// <summary>Whether the InferenceValue of <paramref name="plan"/> holds panels: every layer vectorised, one panel each, 24 Vector512 at most.</summary>
        public static bool IsPanelValue(NetworkPlan plan) =>
            plan.HasMatrixKernels &&
            plan.Layers.All(layer => layer.IsVectorized && layer.Size <= PanelRows(plan)) &&
            plan.Layers.Sum(layer => layer.FanIn + 2) <= 24;

        /// <summary>Rows of a panel: one Vector512 of the network's number type.</summary>
        public static int PanelRows(NetworkPlan plan) => plan.Model.Precision == PrecisionKind.Double ? 8 : 16;

        /// <summary>
        /// The prefix of the vectors that hold a(l) in lanes after the layer (avl_g after a float tanh, zvl_g after an
        /// identity), or null where a(l) exists only as scalars or a span.
        /// </summary>
        private static string? VectorsOfA(EmitContext c, LayerPlan layer) =>
            !InLanes(c, layer) ? null
            : layer.Activation == ActivationKind.Tanh && c.Scalar == Scalar.Single ? $"av{layer.Number}"
            : layer.Activation == ActivationKind.Identity ? $"zv{layer.Number}"
            : null;

        /// <summary>
        /// Whether a(l) goes to the next layer as vectors only: the next layer computes in lanes and broadcasts each
        /// a(l)_j straight from its lane, so a(l) is never taken apart into scalars (it is not the output either).
        /// </summary>
        private static bool PassesVectors(EmitContext c, LayerPlan layer) =>
            VectorsOfA(c, layer) is not null && layer.Number < c.Plan.Layers.Count && InLanes(c, c.Plan.Layers[layer.Number]);

        /// <summary>
        /// What holds a(l) after <paramref name="layer"/> for the layer after it, as (type, name): its vectors where it
        /// passes them on in lanes, else its scalars. A member split between layers (StraightLinePass) passes these on.
        /// </summary>
        public static IReadOnlyList<(string Type, string Name)> ValuesOfA(EmitContext c, LayerPlan layer) =>
            PassesVectors(c, layer)
                ? Enumerable.Range(0, Groups(c, layer)).Select(g => (VectorType(c), $"{VectorsOfA(c, layer)}_{Cell(g)}")).ToArray()
                : Enumerable.Range(0, layer.Size).Select(i => (c.T, layer.A[i])).ToArray();

        /// <summary>zvl_g: neurons gV … gV + V − 1 of z(l).</summary>
        private static string Group(LayerPlan layer, int g) => $"zv{layer.Number}_{Cell(g)}";

        /// <summary>The snapshot's instance field, filled by its constructor with <see cref="EmitPack"/>.</summary>
        public static void EmitFieldDeclaration(EmitContext c)
        {
            CommentField(c);
            c.Writer.GeneratedCode();
            c.Writer.Line($"private readonly {VectorType(c)}[] {c.LanesField};");
        }

        /// <summary>Fills the lanes field from the parameters: a static initializer in a baked network, the constructor in a snapshot.</summary>
        public static void EmitPack(EmitContext c, bool isStatic)
        {
            CodeWriter w = c.Writer;
            string field = c.LanesField!;
            if (isStatic)
            {
                CommentField(c);
                w.GeneratedCode();
            }

            string layers = string.Join(", ", c.Plan.Layers.Where(Qualifies).Select(layer => $"({layer.WeightOffset}, {layer.Size}, {layer.FanIn})"));
            string pack = $"{RuntimeNames.LaneLayout}.Pack<{c.T}>({GeneratedMembers.ParametersField}, {layers});";
            w.Line(isStatic ? $"private static readonly {VectorType(c)}[] {field} = {pack}" : $"{field} = {pack}");
        }

        /// <summary>pv, the lanes array as a span of constant length (so the JIT drops the bounds check of every constant index), where the class has one.</summary>
        public static void EmitSpan(EmitContext c)
        {
            if (c.LanesField is not null && !c.LanesInFields)
            {
                c.Writer.Line($"global::System.ReadOnlySpan<{VectorType(c)}> {Span} = new global::System.ReadOnlySpan<{VectorType(c)}>({c.LanesField}, 0, {Length(c)});");
            }
        }

        /// <summary>The InferenceValue's fields: every vector of the lanes, eight declared to a line; or each layer's panel.</summary>
        public static void EmitValueFields(EmitContext c)
        {
            if (IsPanelValue(c.Plan))
            {
                c.Writer.Comment("Each layer's panel: one Vector512 per column of W (rows past the last are 0), then the biases; and the same");
                c.Writer.Comment("layer packed by PackPanels, which the runtime's kernel reads where neither AVX-512 nor AVX2 is.");
                foreach (LayerPlan layer in c.Plan.Layers)
                {
                    IEnumerable<string> names = Enumerable.Range(0, layer.FanIn + 1).Select(j => PanelVector(layer, j));
                    c.Writer.Line($"private readonly {RuntimeNames.Vector512}<{c.T}> {string.Join(", ", names)};");
                    c.Writer.Line($"private readonly {c.T}[] {PackedPanel(layer)};");
                }

                return;
            }

            CommentField(c);
            int length = Length(c);
            for (int first = 0; first < length; first += 8)
            {
                IEnumerable<string> names = Enumerable.Range(first, System.Math.Min(8, length - first)).Select(i => c.LanesField + Cell(i));
                c.Writer.Line($"private readonly {VectorType(c)} {string.Join(", ", names)};");
            }
        }

        /// <summary>
        /// The field of vector <paramref name="j"/> of layer l's panel in the InferenceValue, as LaneLayout.Panel returns it:
        /// _w{l}_{j} for column j of W, _w{l}_b for the biases after the last column.
        /// </summary>
        private static string PanelVector(LayerPlan layer, int j) => $"_w{layer.Number}_{(j < layer.FanIn ? Cell(j) : "b")}";

        /// <summary>_packed{l}: layer l as PackPanels packs it, for the runtime's kernel where neither AVX-512 nor AVX2 is.</summary>
        private static string PackedPanel(LayerPlan layer) => $"_packed{layer.Number}";

        /// <summary>The InferenceValue constructor's body after its length check: the lanes packed once, then copied into the fields.</summary>
        public static void EmitValueFill(EmitContext c, string parameters)
        {
            if (IsPanelValue(c.Plan))
            {
                // Each layer packed once: the fallback kernel reads the array, and the fields are its vectors.
                foreach (LayerPlan layer in c.Plan.Layers)
                {
                    string packed = $"packed{layer.Number}", panel = $"panel{layer.Number}";
                    c.Writer.Line($"{c.T}[] {packed} = {RuntimeNames.BatchKernels}.PackPanels({parameters}.Slice({layer.WeightOffset}, {layer.WeightCount}), {parameters}.Slice({layer.BiasOffset}, {layer.Size}), {layer.Size}, {layer.FanIn});");
                    c.Writer.Line($"{RuntimeNames.Vector512}<{c.T}>[] {panel} = {RuntimeNames.LaneLayout}.Panel<{c.T}>({packed}, {layer.Size}, {layer.FanIn});");
                    for (int j = 0; j <= layer.FanIn; j++)
                    {
                        c.Writer.Line($"{PanelVector(layer, j)} = {panel}[{Cell(j)}];");
                    }

                    c.Writer.Line($"{PackedPanel(layer)} = {packed};");
                }

                return;
            }

            string layers = string.Join(", ", c.Plan.Layers.Where(Qualifies).Select(layer => $"({layer.WeightOffset}, {layer.Size}, {layer.FanIn})"));
            c.Writer.Line($"{VectorType(c)}[] lanes = {RuntimeNames.LaneLayout}.Pack<{c.T}>({parameters}, {layers});");
            for (int i = 0; i < Length(c); i++)
            {
                c.Writer.Line($"{c.LanesField}{Cell(i)} = lanes[{Cell(i)}];");
            }
        }

        /// <summary>Whether a pass reads p: some layer reads W from the flat parameters rather than from lanes or panels.</summary>
        public static bool ReadsParameters(EmitContext c) =>
            c.Plan.Layers.Any(layer => layer.IsVectorized ? c.PackedField is null && !c.PackedInFields : !InLanes(c, layer));

        /// <summary>
        /// z(l) of a one-panel layer in the InferenceValue, into the span <paramref name="z"/>: inline from the fields, so
        /// they stay in the caller's registers, PanelKernels' expression for one panel (chain k takes the columns j ≡ k mod 4
        /// as fused multiply-adds in column order, chain 0 from the biases, z = (c0 + c1) + (c2 + c3)), with AVX-512 as one
        /// Vector512 and with AVX2 as the Vector256 halves the kernel computes there, lane by lane the same operations;
        /// elsewhere the runtime's kernel over the layer as PackPanels packs it (the snapshot's own call).
        /// </summary>
        public static void EmitPanelProduct(EmitContext c, LayerPlan layer, string x, string z, bool tanh = false)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            w.Comment($"z({l}) = W({l}) a({l - 1}) + b({l}): one panel, chain k taking columns j ≡ k mod 4 as fused multiply-adds in order,");
            w.Comment("z = (c0 + c1) + (c2 + c3): Inference's expression, the same bits, from fields a local copy keeps in registers  (§1)");
            using (w.Block("if (global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported)"))
            {
                EmitStrips(c, layer, x, RuntimeNames.Vector512, "global::System.Runtime.Intrinsics.X86.Avx512F.FusedMultiplyAdd", new[] { new Strip($"c{l}_", $"zv{l}", j => PanelVector(layer, j)) }, tanh);
                if (layer.Size == PanelRows(c.Plan))
                {
                    // Two 256-bit stores, as the kernel does: the activations read z 256 bits at a time, and a load from half
                    // of a 512-bit store is not forwarded from the store buffer.
                    w.Line($"{RuntimeNames.Vector256}.CopyTo({RuntimeNames.Vector512}.GetLower(zv{l}), {z});");
                    w.Line($"{RuntimeNames.Vector256}.CopyTo({RuntimeNames.Vector512}.GetUpper(zv{l}), {z}.Slice({Cell(layer.Size / 2)}));");
                }
                else
                {
                    EmitElements(w, RuntimeNames.Vector512, $"zv{l}", z, 0, layer.Size);
                }
            }

            // Without AVX-512 the kernel runs a panel as Vector256 strips (rows 0 to P/2 − 1, then the rest), each with the
            // same four chains: here the halves of the same fields, the same bits. Both strips are computed before either is
            // stored, so that each a(l − 1)_j is read and broadcast once (a store to z might otherwise have changed it).
            using (w.Block("else if (global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && global::System.Runtime.Intrinsics.X86.Fma.IsSupported)"))
            {
                int half = PanelRows(c.Plan) / 2;
                Strip[] strips = Enumerable.Range(0, (layer.Size + half - 1) / half)
                    .Select(h => h == 0
                        ? new Strip($"lo{l}_", $"zlo{l}", j => $"{RuntimeNames.Vector512}.GetLower({PanelVector(layer, j)})")
                        : new Strip($"hi{l}_", $"zhi{l}", j => $"{RuntimeNames.Vector512}.GetUpper({PanelVector(layer, j)})"))
                    .ToArray();
                EmitStrips(c, layer, x, RuntimeNames.Vector256, "global::System.Runtime.Intrinsics.X86.Fma.MultiplyAdd", strips, tanh);
                for (int h = 0; h < strips.Length; h++)
                {
                    int rows = System.Math.Min(half, layer.Size - (h * half));
                    if (rows == half)
                    {
                        w.Line($"{RuntimeNames.Vector256}.CopyTo({strips[h].Sum}, {(h == 0 ? z : $"{z}.Slice({Cell(half)})")});");
                    }
                    else
                    {
                        EmitElements(w, RuntimeNames.Vector256, strips[h].Sum, z, h * half, rows);
                    }
                }
            }

            // default(InferenceValue) has no packed copy: its parameters are all 0, as the vector paths read them from its
            // zero fields, so z is 0 (and tanh 0 is 0).
            using (w.Block($"else if ({PackedPanel(layer)} is null)"))
            {
                w.Line($"{z}.Clear();");
            }

            using (w.Block("else"))
            {
                w.Line(tanh
                    ? $"{RuntimeNames.BatchKernels}.ForwardPackedTanh({x}, {PackedPanel(layer)}, {z});"
                    : $"{RuntimeNames.BatchKernels}.ForwardPacked({x}, {PackedPanel(layer)}, {z});");
            }
        }

        /// <summary>
        /// One vector of a panel's rows: its chains are <see cref="Chain"/>0 to 3, their sum <see cref="Sum"/>, and
        /// <see cref="Column"/>(j) reads column j of W (j = FanIn: the biases) for these rows from the fields.
        /// </summary>
        private sealed class Strip
        {
            public Strip(string chain, string sum, System.Func<int, string> column) => (Chain, Sum, Column) = (chain, sum, column);

            public string Chain { get; }

            public string Sum { get; }

            public System.Func<int, string> Column { get; }
        }

        /// <summary>
        /// The strips of a panel in the vector type <paramref name="vector"/>, column by column: each strip's four chains
        /// (chain j mod 4 takes column j, chain 0 starts from the biases), then each strip's sum (c0 + c1) + (c2 + c3), and
        /// tanh of it in place where the layer's activation is a float tanh. With more than one strip each a(l − 1)_j is
        /// broadcast once into a local that every strip reads.
        /// </summary>
        private static void EmitStrips(EmitContext c, LayerPlan layer, string x, string vector, string fma, IReadOnlyList<Strip> strips, bool tanh)
        {
            CodeWriter w = c.Writer;
            string type = $"{vector}<{c.T}>";
            for (int j = 0; j < System.Math.Max(layer.FanIn, 4); j++)
            {
                string broadcast = $"{vector}.Create({x}[{Cell(j)}])";
                if (j < layer.FanIn && strips.Count > 1)
                {
                    w.Line($"{type} x{layer.Number}_{Cell(j)} = {broadcast};");
                    broadcast = $"x{layer.Number}_{Cell(j)}";
                }

                foreach (Strip strip in strips)
                {
                    string chain = $"{strip.Chain}{Cell(j % 4)}";
                    string start = j >= 4 ? chain : j == 0 ? strip.Column(layer.FanIn) : $"{type}.Zero";
                    string value = j < layer.FanIn ? $"{fma}({broadcast}, {strip.Column(j)}, {start})" : start;
                    w.Line(j < 4 ? $"{type} {chain} = {value};" : $"{chain} = {value};");
                }
            }

            foreach (Strip strip in strips)
            {
                w.Line($"{type} {strip.Sum} = ({strip.Chain}0 + {strip.Chain}1) + ({strip.Chain}2 + {strip.Chain}3);");
            }

            if (tanh)
            {
                w.Comment($"a({layer.Number}) = tanh z({layer.Number}) in the register: FastMath's tanh, the bits of Kernels.Tanh  (§2)");
                foreach (Strip strip in strips)
                {
                    w.Line($"{strip.Sum} = {RuntimeNames.FastMath}.Tanh({strip.Sum});");
                }
            }
        }

        /// <summary>z[first + i] = lane i of <paramref name="sum"/> for the first <paramref name="count"/> lanes: a strip partly padding.</summary>
        private static void EmitElements(CodeWriter w, string vector, string sum, string z, int first, int count)
        {
            for (int i = 0; i < count; i++)
            {
                w.Line($"{z}[{Cell(first + i)}] = {vector}.GetElement({sum}, {Cell(i)});");
            }
        }

        private static void CommentField(EmitContext c)
        {
            c.Writer.Comment($"W(l) and b(l) of the unrolled layers of two neurons or more, one after another, transposed into groups of {Width(c)} rows:");
            c.Writer.Comment($"per group, a Vector128 of its biases, then one per column of W. The unrolled code computes {Width(c)} neurons at once, each in its lane.");
        }

        /// <summary>
        /// A layer in lanes: z(l) in groups, and a(l) too where it stays in vectors (a float tanh, handed to FastMath.Tanh
        /// of four lanes as the scalar code's Tanh(z0, z1, z2, z3) evaluates it; an identity stored into the output or
        /// passed on to the next layer in lanes). True when the layer is done; false when each z(l)_i is left in its own
        /// local, as the scalar code declares it, for the scalar activation code that follows.
        /// </summary>
        public static bool EmitLayer(EmitContext c, LayerPlan layer, Slot previous)
        {
            bool tanh = layer.Activation == ActivationKind.Tanh && c.Scalar == Scalar.Single;
            bool store = ForwardEmitter.WritesIntoOutput(c, layer);
            bool passes = PassesVectors(c, layer);
            EmitZ(c, layer, layer.Number == 1 ? new Slot("input", inSpan: true) : previous, keepVectors: tanh || store || passes);
            if (store)
            {
                EmitStore(c, layer);
            }
            else if (tanh)
            {
                c.Writer.Comment(ForwardEmitter.TanhByFoursComment(layer));
                EmitTanh(c, layer);
            }
            else if (passes)
            {
                c.Writer.Comment($"a({layer.Number}) = z({layer.Number}), kept in its vectors for layer {layer.Number + 1}  (§2)");
            }

            return store || tanh || passes;
        }

        // z(l) in groups of lanes, then, unless keepVectors, each z(l)_i in its own local.
        private static void EmitZ(EmitContext c, LayerPlan layer, Slot previous, bool keepVectors)
        {
            CodeWriter w = c.Writer;
            int l = layer.Number;
            int width = Width(c);
            int stride = layer.FanIn + 1;
            int first = Start(c, layer);
            string x = $"xv{l}";
            w.Comment($"z({l}) = W({l}) a({l - 1}) + b({l}), {width} neurons per Vector128: lane r of zv{l}_g is neuron {width}g + r, and each lane runs");
            w.Comment($"exactly the multiplies and additions of its neuron's unrolled sum, in the same order: the same bits. Group g is at {(c.LanesInFields ? c.LanesField + "(" : Span + "[")}{first} + {stride}g{(c.LanesInFields ? ")" : "]")}  (§1)");
            LayerPlan? before = l > 1 ? c.Plan.Layers[l - 2] : null;
            string? vectors = before is not null && PassesVectors(c, before) ? VectorsOfA(c, before) : null;
            for (int j = 0; j < layer.FanIn; j++)
            {
                // From the previous layer's vectors, a(l−1)_j is one shuffle that copies lane j mod V into every lane.
                string value = vectors is null
                    ? $"{RuntimeNames.Vector128}.Create({previous[j]})"
                    : $"{RuntimeNames.Vector128}.Shuffle({vectors}_{Cell(j / width)}, {RuntimeNames.Vector128}.Create({(c.Scalar == Scalar.Single ? Cell(j % width) : Cell(j % width) + "L")}))";
                w.Line($"{VectorType(c)} {x}_{Cell(j)} = {value};");
            }

            int count = ForwardEmitter.PartialSums(layer.FanIn);
            string[] parts = Enumerable.Range(0, count).Select(k => $"zpv{l}_{Cell(k)}").ToArray();
            if (count > 1)
            {
                w.Line($"{VectorType(c)} {string.Join(", ", parts)};");
            }

            for (int g = 0; g < Groups(c, layer); g++)
            {
                int at = first + (g * stride);
                string Term(int j) => $"{Vector(c, at + 1 + j)} * {x}_{Cell(j)}";
                if (count == 1)
                {
                    var terms = new List<string> { Vector(c, at) };
                    terms.AddRange(Enumerable.Range(0, layer.FanIn).Select(Term));
                    w.Sum($"{VectorType(c)} {Group(layer, g)} = ", terms);
                    continue;
                }

                for (int k = 0; k < count; k++)
                {
                    w.Sum($"{parts[k]} = ", Enumerable.Range(0, layer.FanIn).Where(j => j % count == k).Select(Term).ToList());
                }

                w.Line($"{VectorType(c)} {Group(layer, g)} = {Vector(c, at)} + {ForwardEmitter.Pairwise(parts, 0, parts.Length)};");
            }

            if (!keepVectors)
            {
                for (int i = 0; i < layer.Size; i++)
                {
                    w.Line($"{c.T} {layer.Z[i]} = {Group(layer, i / width)}[{Cell(i % width)}];");
                }
            }
        }

        /// <summary>
        /// a(L) = z(L) of an identity output layer stored from its vectors into the caller's span: whole groups as they
        /// are, the lanes of a last, partial group one by one (the span ends there). Every input was read before.
        /// </summary>
        private static void EmitStore(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int width = Width(c);
            w.Comment($"a({layer.Number}) = z({layer.Number})  (§2)");
            for (int g = 0; g < Groups(c, layer); g++)
            {
                if ((g + 1) * width <= layer.Size)
                {
                    w.Line(g == 0 ? $"{RuntimeNames.Vector128}.CopyTo({Group(layer, g)}, {c.OutputSpan});" : $"{RuntimeNames.Vector128}.CopyTo({Group(layer, g)}, {c.OutputSpan}.Slice({Cell(g * width)}));");
                    continue;
                }

                for (int i = g * width; i < layer.Size; i++)
                {
                    w.Line($"{c.OutputSpan}[{Cell(i)}] = {Group(layer, g)}[{Cell(i % width)}];");
                }
            }
        }

        /// <summary>a(l) = tanh z(l) on the groups of a float layer as they are (FastMath.Tanh of four lanes), then each a(l)_i.</summary>
        private static void EmitTanh(EmitContext c, LayerPlan layer)
        {
            CodeWriter w = c.Writer;
            int width = Width(c);
            string av = $"av{layer.Number}";
            for (int g = 0; g < Groups(c, layer); g++)
            {
                w.Line($"{VectorType(c)} {av}_{Cell(g)} = {RuntimeNames.FastMath}.Tanh({Group(layer, g)});");
            }

            if (PassesVectors(c, layer))
            {
                return;
            }

            Neurons.Declare(c, layer.A, layer.Size);
            string declare = layer.A.InSpan ? string.Empty : c.T + " ";
            for (int i = 0; i < layer.Size; i++)
            {
                w.Line($"{declare}{layer.A[i]} = {av}_{Cell(i / width)}[{Cell(i % width)}];");
            }
        }
    }
}
