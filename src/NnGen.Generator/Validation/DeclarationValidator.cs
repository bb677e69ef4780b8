using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;
using NnGen.Generator.Reading;

namespace NnGen.Generator.Validation
{
    /// <summary>
    /// Stage 2: judges a declaration. Reports every problem it finds (not only the first), each on the
    /// attribute or argument that causes it, and yields a model only when none of them is an error,
    /// so the emitter never sees a network it cannot turn into compiling code.
    /// </summary>
    internal static class DeclarationValidator
    {
        /// <summary>
        /// Unrolled code has one statement per multiply-add; past this many parameters the generated
        /// file grows into megabytes and the compiler and JIT slow to a crawl.
        /// </summary>
        public const long MaxUnrolledParameters = 200_000;

        /// <summary>
        /// Spans of a vectorised Accumulate: about five values per neuron (z, a, δ, ∂C/∂a, e^z). Kept far
        /// below the 1 MiB main-thread stack, and below the smaller stacks of game-engine worker threads.
        /// </summary>
        public const long MaxStackBytes = 256 * 1024;

        /// <summary>Parameters and Gradients are single arrays.</summary>
        public const long MaxParameters = NumericLimits.MaxArrayLength;

        /// <summary>
        /// Above this many weights a forced Unrolled network gets NNG023. Measured (docs/benchmarks.md): unrolled
        /// source is about 280 bytes per weight (each member that backpropagates writes every weight out again),
        /// so this is about 2.3 MB of source and a compile of a few seconds.
        /// </summary>
        public const long UnrolledWeightsWarning = 8_192;

        /// <summary>Bytes of generated source per weight of an unrolled network, for NNG023's estimate.</summary>
        public const double UnrolledBytesPerWeight = 280;

        public static ValidationResult Validate(NetworkDeclaration declaration)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var forTarget = new List<TargetDiagnostic>();
            LocationInfo? at = declaration.AttributeLocation;
            string name = declaration.Type.DisplayName;

            CheckStructure(declaration, diagnostics);

            bool precisionDefined = IsDefined<PrecisionKind>(declaration.Precision.Value);
            if (!precisionDefined)
            {
                diagnostics.Add(Undefined<PrecisionKind>(declaration.Precision, "Precision", at));
            }

            bool shapeDefined = IsDefined<CodeShapeKind>(declaration.CodeShape.Value);
            if (!shapeDefined)
            {
                diagnostics.Add(Undefined<CodeShapeKind>(declaration.CodeShape, "CodeShape", at));
            }

            bool costDefined = IsDefined<CostKind>(declaration.Cost.Value);
            if (!costDefined)
            {
                diagnostics.Add(Undefined<CostKind>(declaration.Cost, "Cost", at));
            }

            if (declaration.Inputs.Value < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InputsOutOfRange, declaration.Inputs.Location ?? at, declaration.Inputs.Value));
            }

            if (declaration.Layers.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, at, name));
            }

            bool single = declaration.Precision.Value == (int)PrecisionKind.Single;
            var layers = new List<LayerModel>();
            for (int i = 0; i < declaration.Layers.Count; i++)
            {
                LayerModel? layer = ValidateLayer(declaration.Layers[i], number: i + 1, single, diagnostics);
                if (layer is not null)
                {
                    layers.Add(layer);
                }
            }

            bool layersValid = layers.Count == declaration.Layers.Count && layers.Count > 0;
            if (declaration.WeightsLayers.IsSet && WeightsLayersProblem(declaration) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidWeightsLayers, declaration.WeightsLayers.Location ?? at, name, problem));
            }

            if (layersValid && costDefined)
            {
                CheckCostFitsOutput((CostKind)declaration.Cost.Value, layers[layers.Count - 1], declaration.Cost.Location ?? at, diagnostics);
            }

            if (declaration.Weights.Value is { } weights && weights.Trim().Length == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileMissing, declaration.Weights.Location ?? at, name, weights));
            }

            long parameters = layersValid && declaration.Inputs.Value >= 1 ? CountParameters(declaration.Inputs.Value, layers) : 0;
            if (parameters > MaxParameters)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooManyParameters, declaration.Inputs.Location ?? at, name, parameters, MaxParameters));
            }

            // Only straight-line code grows with the parameter count; loops do not.
            if (layersValid && declaration.Inputs.Value >= 1 && declaration.CodeShape.Value == (int)CodeShapeKind.Unrolled)
            {
                long weightCount = CountWeights(declaration.Inputs.Value, layers);
                if (parameters > MaxUnrolledParameters)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, declaration.CodeShape.Location ?? at, name, parameters, MaxUnrolledParameters));
                }
                else
                {
                    if (weightCount > UnrolledWeightsWarning)
                    {
                        string megabytes = (weightCount * UnrolledBytesPerWeight / 1e6).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LargeUnrolledSource, declaration.CodeShape.Location ?? at, name, weightCount, megabytes, UnrolledWeightsWarning));
                    }

                    CheckJitLimit(declaration, layers, diagnostics, forTarget);
                }
            }

            if (layersValid && IsDefined<PrecisionKind>(declaration.Precision.Value))
            {
                long neurons = layers.Sum(l => (long)l.Size);
                long stackBytes = neurons * 5 * (declaration.Precision.Value == (int)PrecisionKind.Double ? 8 : 4);
                if (stackBytes > MaxStackBytes)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersTooWideForStack, at, name, neurons, stackBytes, MaxStackBytes));
                }
            }

            NetworkModel? model = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error)
                ? null
                : new NetworkModel(
                    declaration.Type,
                    declaration.Inputs.Value,
                    (CostKind)declaration.Cost.Value,
                    (PrecisionKind)declaration.Precision.Value,
                    (CodeShapeKind)declaration.CodeShape.Value,
                    layers.ToEquatableArray(),
                    declaration.Weights.Value is { } file ? new WeightsReference(file, declaration.WeightsLayers.Value ?? default) : null);

            return new ValidationResult(model, diagnostics.ToEquatableArray(), new NetworkSites(at, declaration.Weights.Location ?? at), forTarget.ToEquatableArray());
        }

        // A forced Unrolled member past the JIT's instruction limit would run unoptimised for good. The emitter splits such a
        // member between layers (MemberSplit), so only a run that cannot be split further, a layer too large on its own, is
        // left past it. A network with baked weights has only Forward and Loss, and on .NET 8+ computes their unrolled
        // layers in Vector128 lanes: fewer, longer instructions, so a layer can be past the limit as scalar code (Unity) and
        // within it in lanes (a 64 × 64 float layer), or the other way round (1 → 300 softmax in double). Its warning is
        // given for each kind of runtime apart, with the figures of that runtime's code.
        private static void CheckJitLimit(NetworkDeclaration declaration, List<LayerModel> layers, List<DiagnosticInfo> diagnostics, List<TargetDiagnostic> forTarget)
        {
            int[] layerSizes = layers.Select(l => l.Size).ToArray();
            ActivationKind[] activations = layers.Select(l => l.Activation).ToArray();
            var cost = (CostKind)declaration.Cost.Value;
            bool trains = declaration.Weights.Value is null;
            long forward = MemberSplit.Largest(declaration.Inputs.Value, layerSizes, activations, cost, vectorized: null, training: false);
            long training = trains ? MemberSplit.Largest(declaration.Inputs.Value, layerSizes, activations, cost, vectorized: null, training: true) : 0;
            bool forwardPast = forward > JitMethodSize.InstructionLimit;
            bool trainingPast = training > JitMethodSize.InstructionLimit;
            DiagnosticInfo? asScalars = forwardPast || trainingPast
                ? JitLimitWarning(declaration, layerSizes, activations, cost, trains, forwardPast, trainingPast, Amount(System.Math.Max(forward, training), "IL instructions"), Amount(JitMethodSize.InstructionLimit, "IL instructions"))
                : null;
            if (trains)
            {
                if (asScalars is not null)
                {
                    diagnostics.Add(asScalars);
                }

                return;
            }

            var precision = (PrecisionKind)declaration.Precision.Value;
            long bytes = 0;
            long instructions = 0;
            for (int i = 0; i < layers.Count; i++)
            {
                int fanIn = i == 0 ? declaration.Inputs.Value : layers[i - 1].Size;
                if (layers[i].Size >= 2)
                {
                    bool output = i == layers.Count - 1;
                    bytes = System.Math.Max(bytes, LanesMethodSize.Bytes(fanIn, layers[i].Size, layers[i].Activation, precision, output));
                    instructions = System.Math.Max(instructions, LanesMethodSize.Instructions(fanIn, layers[i].Size, layers[i].Activation, precision, output));
                }
                else
                {
                    // A single neuron is not in lanes: its scalar sum, about 2.3 bytes an instruction, meets the instruction limit first.
                    instructions = System.Math.Max(instructions, MemberSplit.SizeOfRun(declaration.Inputs.Value, layerSizes, activations, cost, vectorized: null, i, i, training: false));
                }
            }

            DiagnosticInfo? inLanes = bytes > JitMethodSize.IlByteLimit
                ? JitLimitWarning(declaration, layerSizes, activations, cost, trains, forwardPast: true, trainingPast: false, Amount(bytes, "bytes of IL in Vector128 lanes"), Amount(JitMethodSize.IlByteLimit, "bytes of IL"))
                : instructions > JitMethodSize.InstructionLimit
                ? JitLimitWarning(declaration, layerSizes, activations, cost, trains, forwardPast: true, trainingPast: false, Amount(instructions, "IL instructions in Vector128 lanes"), Amount(JitMethodSize.InstructionLimit, "IL instructions"))
                : null;
            if (asScalars is not null)
            {
                forTarget.Add(new TargetDiagnostic(asScalars, Lanes: false));
            }

            if (inLanes is not null)
            {
                forTarget.Add(new TargetDiagnostic(inLanes, Lanes: true));
            }
        }

        private static DiagnosticInfo JitLimitWarning(NetworkDeclaration declaration, int[] layerSizes, ActivationKind[] activations, CostKind cost, bool trains, bool forwardPast, bool trainingPast, string amount, string limit)
        {
            string members = !trainingPast ? "Forward and Loss"
                : !forwardPast ? "Accumulate, AccumulateGradient and InputGradient"
                : "Forward, Loss, Accumulate, AccumulateGradient and InputGradient";
            return DiagnosticInfo.Create(
                DiagnosticDescriptors.UnrolledPastJitLimit,
                declaration.CodeShape.Location ?? declaration.AttributeLocation,
                declaration.Type.DisplayName,
                members,
                amount,
                limit,
                JitLimitAdvice(declaration.Inputs.Value, layerSizes, activations, cost, trains));
        }

        // What to do instead. Auto vectorises the layers too wide to unroll, and splits what is left between layers, so its
        // methods fit unless a single narrow layer would not, which the check keeps honest rather than assumes.
        private static string JitLimitAdvice(int inputs, int[] sizes, ActivationKind[] activations, CostKind cost, bool trains)
        {
            bool[] auto = NetworkPlan.ChooseShapes(inputs, sizes, activations, cost, CodeShapeKind.Auto, hasMatrixKernels: true);
            long largest = System.Math.Max(
                MemberSplit.Largest(inputs, sizes, activations, cost, auto, training: false),
                trains ? MemberSplit.Largest(inputs, sizes, activations, cost, auto, training: true) : 0);
            return largest <= JitMethodSize.InstructionLimit
                ? "use CodeShape.Auto, which vectorises such layers, or compile ahead of time (NativeAOT, ReadyToRun), which has no such limit"
                : "compile ahead of time (NativeAOT, ReadyToRun), which has no such limit, or use CodeShape.Vectorized, which stays within it";
        }

        // "26,000 IL instructions": an estimate rounded up to a thousand, or a limit, and what it counts.
        private static string Amount(long count, string unit) =>
            ((count + 999) / 1000 * 1000).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " " + unit;

        // What is wrong with a WeightsLayers argument as written, or null. The file's tensors are checked when it is bound.
        private static string? WeightsLayersProblem(NetworkDeclaration declaration)
        {
            if (declaration.Weights.Value is null)
            {
                return "picks layers of the Weights file, but there is no Weights = \"file.safetensors\"";
            }

            if (declaration.WeightsLayers.Value is not { } names || names.Count == 0)
            {
                return "is empty; give one layer name per [Layer], or leave WeightsLayers out to bake every layer of the file";
            }

            if (names.FirstOrDefault(n => n.Trim().Length == 0) is not null)
            {
                return "holds an empty or null name";
            }

            if (names.GroupBy(n => n, System.StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                return $"names '{repeated.Key}' twice";
            }

            if (names.Count != declaration.Layers.Count)
            {
                return $"names {names.Count} layers, but '{declaration.Type.DisplayName}' has {declaration.Layers.Count} [Layer] attributes";
            }

            return null;
        }

        public static long CountWeights(int inputs, IReadOnlyList<LayerModel> layers)
        {
            long count = 0;
            long fanIn = inputs;
            foreach (LayerModel layer in layers)
            {
                count += fanIn * layer.Size;
                fanIn = layer.Size;
            }

            return count;
        }

        /// <summary>The weights plus one bias per neuron.</summary>
        public static long CountParameters(int inputs, IReadOnlyList<LayerModel> layers) =>
            CountWeights(inputs, layers) + layers.Sum(l => (long)l.Size);

        private static void CheckStructure(NetworkDeclaration declaration, List<DiagnosticInfo> diagnostics)
        {
            LocationInfo? at = declaration.AttributeLocation;
            string name = declaration.Type.DisplayName;
            StructuralProblems problems = declaration.Problems;

            if (!problems.IsPartial)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, at, name));
            }

            if (problems.NonPartialContainingType is { } outer)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, at, name, outer));
            }

            if (problems.IsStatic)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticClass, at, name));
            }

            if (problems.LayersSplitAcrossDeclarations)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, at, name));
            }

            if (problems.FileLocalType is { } fileLocal)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FileLocalType, at, name, fileLocal));
            }

            if (problems.OldLanguageVersion is { } version)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LanguageVersionTooOld, at, name, version));
            }

            if (problems.BaseNetwork is { } baseNetwork)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivesFromNetwork, at, name, baseNetwork));
            }

            // A compiled copy of the generated file clashes with every generated member; one error names the cause instead.
            if (problems.CompiledOutputCopy is { } copy)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CompiledOutputCopy, at, name, copy));
            }
            else
            {
                foreach (MemberConflict conflict in problems.MemberConflicts)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.MemberConflict, conflict.Location ?? at, conflict.MemberName, name, conflict.Existing));
                }
            }
        }

        private static LayerModel? ValidateLayer(LayerDeclaration layer, int number, bool single, List<DiagnosticInfo> diagnostics)
        {
            int errorsBefore = diagnostics.Count;

            if (layer.Size < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.LayerSizeOutOfRange, layer.SizeLocation ?? layer.Location, number, layer.Size));
            }

            if (!IsDefined<ActivationKind>(layer.Activation))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UndefinedEnumValue,
                    layer.ActivationLocation ?? layer.Location,
                    layer.Activation,
                    "Activation",
                    NamesOf<ActivationKind>()));
                return null;
            }

            var activation = (ActivationKind)layer.Activation;
            bool isElu = activation == ActivationKind.Elu;
            bool isLogistic = activation == ActivationKind.Logistic;

            CheckParameter(layer.Alpha, KnownNames.Alpha, applies: isElu, "Elu", number, activation, layer, single, diagnostics,
                v => v > 0, "Alpha must be greater than 0");
            CheckParameter(layer.Max, KnownNames.Max, applies: isLogistic, "Logistic", number, activation, layer, single, diagnostics,
                v => v > 0, "Max must be greater than 0");
            CheckParameter(layer.Steepness, KnownNames.Steepness, applies: isLogistic, "Logistic", number, activation, layer, single, diagnostics,
                v => v != 0, "Steepness must not be 0, or every output would be Max / 2");
            CheckParameter(layer.Midpoint, KnownNames.Midpoint, applies: isLogistic, "Logistic", number, activation, layer, single, diagnostics,
                _ => true, string.Empty);

            if (activation == ActivationKind.Softmax && layer.Size == 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SingleNeuronSoftmax, layer.SizeLocation ?? layer.Location, number));
            }

            bool hasError = diagnostics.Skip(errorsBefore).Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
            return hasError
                ? null
                : new LayerModel(
                    layer.Size,
                    activation,
                    alpha: isElu ? layer.Alpha.Value : LayerText.DefaultAlpha,
                    max: isLogistic ? layer.Max.Value : LayerText.DefaultMax,
                    steepness: isLogistic ? layer.Steepness.Value : LayerText.DefaultSteepness,
                    midpoint: isLogistic ? layer.Midpoint.Value : LayerText.DefaultMidpoint);
        }

        private static void CheckParameter(
            NamedValue<double> value,
            string parameterName,
            bool applies,
            string appliesTo,
            int number,
            ActivationKind activation,
            LayerDeclaration layer,
            bool single,
            List<DiagnosticInfo> diagnostics,
            Func<double, bool> isValid,
            string rule)
        {
            if (!value.IsSet)
            {
                return;
            }

            LocationInfo? at = value.Location ?? layer.Location;
            if (!applies)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.IgnoredActivationParameter, at, parameterName, number, activation, appliesTo));
                return;
            }

            if (double.IsNaN(value.Value) || double.IsInfinity(value.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidActivationParameter, at, parameterName, value.Value, number, "it must be a finite number"));
            }
            else if (single && NumericLimits.OverflowsSingle(value.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidActivationParameter, at, parameterName, value.Value, number,
                    "it is beyond the range of float (±3.4028235E+38); use Precision.Double or a smaller value"));
            }
            else if (!isValid(value.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidActivationParameter, at, parameterName, value.Value, number, rule));
            }
            else if (single && !isValid((float)value.Value))
            {
                // Max = 1e-46 is positive, but rounds to 0 in float: every output would be 0.
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidActivationParameter, at, parameterName, value.Value, number,
                    rule + " once rounded to float, and it rounds to 0; use Precision.Double or a larger value"));
            }
        }

        private static void CheckCostFitsOutput(CostKind cost, LayerModel output, LocationInfo? at, List<DiagnosticInfo> diagnostics)
        {
            if (cost is not (CostKind.CrossEntropy or CostKind.BinaryCrossEntropy))
            {
                return;
            }

            // Softmax is in (0, 1) by construction; Logistic is in (0, Max).
            bool inUnitInterval = output.Activation == ActivationKind.Softmax
                || (output.Activation == ActivationKind.Logistic && output.Spec.Max <= 1.0);
            if (!inUnitInterval)
            {
                string describe = output.Activation == ActivationKind.Logistic
                    ? FormattableString.Invariant($"Logistic with Max = {output.Spec.Max}")
                    : output.Activation.ToString();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CostNeedsProbabilities, at, cost, describe));
            }
        }

        private static DiagnosticInfo Undefined<TEnum>(NamedValue<int> value, string enumName, LocationInfo? fallback)
            where TEnum : struct, Enum =>
            DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedEnumValue, value.Location ?? fallback, value.Value, enumName, NamesOf<TEnum>());

        private static bool IsDefined<TEnum>(int value) where TEnum : struct, Enum =>
            Enum.IsDefined(typeof(TEnum), value);

        private static string NamesOf<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetNames(typeof(TEnum)));
    }
}
