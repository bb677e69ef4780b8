namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// Every runtime type the generated code names, fully qualified with global:: so that a user type of the
    /// same name (a Kernels or a Math of one's own) cannot capture it. One place, so that moving a type
    /// changes one line. What exists only for generated code is in NnGen.CompilerServices, out of the way of
    /// IntelliSense on NnGen.
    /// </summary>
    internal static class RuntimeNames
    {
        public const string Kernels = "global::NnGen.CompilerServices.Kernels";
        public const string BatchKernels = "global::NnGen.CompilerServices.BatchKernels";
        public const string SpanGuard = "global::NnGen.CompilerServices.SpanGuard";
        public const string FastMath = "global::NnGen.CompilerServices.FastMath";
        public const string LaneLayout = "global::NnGen.CompilerServices.LaneLayout";
        public const string Vector128 = "global::System.Runtime.Intrinsics.Vector128";
        public const string Vector256 = "global::System.Runtime.Intrinsics.Vector256";
        public const string Vector512 = "global::System.Runtime.Intrinsics.Vector512";
        public const string StableMath = "global::NnGen.CompilerServices.StableMath";
        public const string SeededUniform = "global::NnGen.SeededUniform";
        public const string NetworkArchitecture = "global::NnGen.NetworkArchitecture";
        public const string LayerArchitecture = "global::NnGen.LayerArchitecture";
        public const string Activation = "global::NnGen.Activation";
        public const string Cost = "global::NnGen.Cost";
        public const string Precision = "global::NnGen.Precision";
        public const string INetwork = "global::NnGen.INetwork";
        public const string IInferenceNetwork = "global::NnGen.IInferenceNetwork";
        public const string LossFunction = "global::NnGen.LossFunction";
    }
}
