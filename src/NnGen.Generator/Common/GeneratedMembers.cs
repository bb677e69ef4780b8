using System.Linq;

namespace NnGen.Generator.Common
{
    /// <summary>
    /// The names of every member the emitter adds to a network class. The reader checks the user's
    /// class against this list (a clash is NNG004, not a compiler error in generated code), so the
    /// emitter takes its names from here too.
    /// </summary>
    internal static class GeneratedMembers
    {
        public const string Architecture = "Architecture";
        public const string InputCount = "InputCount";
        public const string OutputCount = "OutputCount";
        public const string ParameterCount = "ParameterCount";
        public const string Parameters = "Parameters";
        public const string Gradients = "Gradients";
        public const string AccumulatedSamples = "AccumulatedSamples";
        public const string Forward = "Forward";
        public const string ForwardBatch = "ForwardBatch";
        public const string Loss = "Loss";
        public const string LossBatch = "LossBatch";
        public const string Accumulate = "Accumulate";
        public const string AccumulateGradient = "AccumulateGradient";
        public const string InputGradient = "InputGradient";
        public const string AccumulateBatch = "AccumulateBatch";
        public const string Step = "Step";
        public const string ClearGradients = "ClearGradients";
        public const string InitializeParameters = "InitializeParameters";
        public const string ToInference = "ToInference";

        /// <summary>The nested class of a trainable network that ToInference returns.</summary>
        public const string InferenceClass = "Inference";

        /// <summary>The method of every network with ToInference that returns its snapshot as a value.</summary>
        public const string ToInferenceValue = "ToInferenceValue";

        /// <summary>The nested struct that ToInferenceValue returns: the weights in its fields where they fit, else an Inference.</summary>
        public const string InferenceValueStruct = "InferenceValue";

        public const string ParametersField = "_parameters";
        public const string GradientsField = "_gradients";
        public const string AccumulatedSamplesField = "_accumulatedSamples";
        public const string CreateInitialParameters = "CreateInitialParameters";
        public const string WriteInitialParameters = "WriteInitialParameters";
        public const string BackpropagateGradient = "BackpropagateGradient";

        /// <summary>Accumulate's body with the gradient sums going into a span of the caller's, in a network that accumulates one sample at a time.</summary>
        public const string AccumulateInto = "AccumulateInto";

        /// <summary>The array through which a loss function of the caller's reads a(L) and writes g, made on first use.</summary>
        public const string LossScratchField = "_lossScratch";
        public const string PackedField = "_packed";
        public const string LanesField = "_lanes";

        /// <summary>What a network with baked weights gets: the inference members only.</summary>
        public static readonly string[] Inference =
        {
            Architecture, InputCount, OutputCount, ParameterCount, Parameters, Forward, ForwardBatch, Loss, LossBatch, ParametersField, PackedField, LanesField,
        };

        /// <summary>What a trainable network gets.</summary>
        public static readonly string[] Trainable =
        {
            Architecture, InputCount, OutputCount, ParameterCount, Parameters, Gradients, AccumulatedSamples,
            Forward, ForwardBatch, Loss, LossBatch, Accumulate, AccumulateGradient, InputGradient, AccumulateBatch, Step, ClearGradients, InitializeParameters,
            ParametersField, GradientsField, AccumulatedSamplesField, CreateInitialParameters, WriteInitialParameters, BackpropagateGradient, AccumulateInto, LossScratchField,
        };

        /// <summary>
        /// What a trainable network gets that is not forced Unrolled: also the inference snapshot, and the names of its
        /// struct form, reserved even where the network's layers do not qualify for it, so that the names a class may use
        /// do not depend on its layer sizes or on the runtime it is built against.
        /// </summary>
        public static readonly string[] TrainableWithSnapshot = Trainable.Concat(new[] { ToInference, InferenceClass, ToInferenceValue, InferenceValueStruct }).ToArray();

        /// <summary>The names generated into a network class of this kind.</summary>
        public static string[] For(bool baked, CodeShapeKind codeShape) =>
            baked ? Inference : HasInferenceSnapshot(baked, codeShape) ? TrainableWithSnapshot : Trainable;

        /// <summary>
        /// Whether a network gets ToInference and its Inference class: every trainable network but one forced
        /// Unrolled, whose code is already as fast as a snapshot's would be and may be megabytes that a copy would double.
        /// </summary>
        public static bool HasInferenceSnapshot(bool baked, CodeShapeKind codeShape) => !baked && codeShape != CodeShapeKind.Unrolled;
    }
}
