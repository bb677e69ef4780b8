using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NnGen.CompilerServices
{
    /// <summary>Argument checks that generated code calls before it touches any state.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class SpanGuard
    {
        /// <summary>
        /// The exception for a span of the wrong length. Generated code writes
        /// <c>if (input.Length != InputCount) throw SpanGuard.LengthMismatch(...)</c>: with the throw in
        /// the caller the JIT knows the length afterwards and drops every bounds check on the span.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ArgumentException LengthMismatch(string parameterName, int expected, int actual) =>
            new($"{parameterName} has length {actual}, but this network needs length {expected}.", parameterName);

        /// <summary>The exception for a batch span of the wrong length; the expected length may exceed int.MaxValue.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ArgumentException LengthMismatch(string parameterName, long expected, int actual) =>
            new($"{parameterName} has length {actual}, but this batch needs length {expected}.", parameterName);

        /// <summary>
        /// The target length of <paramref name="lossFunction"/> for a network of <paramref name="outputCount"/> outputs,
        /// checked: a null loss or a negative length throws before anything is touched.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int TargetCount<T>(LossFunction<T> lossFunction, int outputCount)
            where T : unmanaged
        {
            if (lossFunction is null)
            {
                throw new ArgumentNullException(nameof(lossFunction));
            }

            int count = lossFunction.TargetCount(outputCount);
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(lossFunction), count, $"{TypeName(lossFunction)}.TargetCount({outputCount}) gave {count}; a target holds 0 values or more.");
            }

            return count;
        }

        /// <summary>
        /// <see cref="TargetCount{T}(LossFunction{T}, int)"/> for a network of <paramref name="architecture"/>, after
        /// <see cref="RequireSuitableLoss"/>: the generated members that take a loss function call it first, so a loss that
        /// does not suit the network (a softmax cross-entropy on a Softmax output) is refused by a direct call as by the Trainer.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int TargetCount<T>(LossFunction<T> lossFunction, NetworkArchitecture architecture)
            where T : unmanaged
        {
            int count = TargetCount(lossFunction, architecture.OutputCount);
            RequireSuitableLoss(lossFunction, architecture);
            return count;
        }

        /// <summary>The exception for a target whose length is not the one a loss function asks for.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ArgumentException TargetMismatch(string parameterName, int expected, int actual) =>
            new($"{parameterName} has length {actual}, but the loss function's TargetCount asks for length {expected}.", parameterName);

        /// <summary>
        /// Throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/> unless
        /// <paramref name="lossFunction"/> can read <paramref name="target"/> (<see cref="LossFunction{T}.CheckTarget"/>).
        /// Generated code calls it after the length checks and before anything is computed.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void RequireReadableTarget<T>(LossFunction<T> lossFunction, ReadOnlySpan<T> target, int outputCount, string parameterName)
            where T : unmanaged
        {
            if (lossFunction.CheckTarget(target, outputCount) is { } problem)
            {
                throw UnreadableTarget(parameterName, lossFunction, problem);
            }
        }

        /// <summary>
        /// <see cref="RequireReadableTarget"/> for each of the <paramref name="count"/> targets of
        /// <paramref name="targetCount"/> values in <paramref name="targets"/>; the exception names the sample too.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static void RequireReadableTargets<T>(LossFunction<T> lossFunction, ReadOnlySpan<T> targets, int count, int targetCount, int outputCount, string parameterName)
            where T : unmanaged
        {
            if (FirstUnreadableTarget(lossFunction, targets, count, targetCount, outputCount) is { } unreadable)
            {
                throw UnreadableTarget($"{parameterName} of sample {unreadable.Sample}", lossFunction, unreadable.Problem, parameterName);
            }
        }

        /// <summary>
        /// The first of the <paramref name="count"/> targets of <paramref name="targetCount"/> values in
        /// <paramref name="targets"/> that <paramref name="lossFunction"/> cannot read, and why; null when it can read them all.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        internal static (int Sample, string Problem)? FirstUnreadableTarget<T>(LossFunction<T> lossFunction, ReadOnlySpan<T> targets, int count, int targetCount, int outputCount)
            where T : unmanaged
        {
            for (int s = 0; s < count; s++)
            {
                if (lossFunction.CheckTarget(targets.Slice(s * targetCount, targetCount), outputCount) is { } problem)
                {
                    return (s, problem);
                }
            }

            return null;
        }

        /// <summary>
        /// Throws unless <paramref name="lossFunction"/> suits <paramref name="architecture"/>
        /// (<see cref="LossFunction{T}.CheckArchitecture"/>). The instance remembers the last architecture it suited, so
        /// a loop of one-sample calls on one network asks once: generated networks hand over one static instance.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        internal static void RequireSuitableLoss<T>(LossFunction<T> lossFunction, NetworkArchitecture architecture)
            where T : unmanaged
        {
            if (!ReferenceEquals(lossFunction.SuitedArchitecture, architecture))
            {
                AskSuitability(lossFunction, architecture);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void AskSuitability<T>(LossFunction<T> lossFunction, NetworkArchitecture architecture)
            where T : unmanaged
        {
            if (lossFunction.CheckArchitecture(architecture) is { } problem)
            {
                throw new ArgumentException($"{TypeName(lossFunction)} does not suit the network {architecture}: {problem}", nameof(lossFunction));
            }

            // A reference write is atomic, so threads sharing the instance at worst ask again.
            lossFunction.SuitedArchitecture = architecture;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static ArgumentException UnreadableTarget<T>(string which, LossFunction<T> lossFunction, string problem, string? parameterName = null)
            where T : unmanaged =>
            new($"{which} is not one {TypeName(lossFunction)} can read: {problem}", parameterName ?? which);

        // A type's name as C# writes it, for messages: "HuberLoss<Single>", not "HuberLoss`1".
        private static string TypeName(object value)
        {
            Type type = value.GetType();
            if (!type.IsGenericType)
            {
                return type.Name;
            }

            string name = type.Name;
            int tick = name.IndexOf('`');
            return $"{(tick < 0 ? name : name.Substring(0, tick))}<{string.Join(", ", Array.ConvertAll(type.GetGenericArguments(), a => a.Name))}>";
        }

        /// <summary>The exception for a batch span that does not hold a whole number of samples.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ArgumentException PartialSample(string parameterName, int sampleLength, int actual) =>
            new($"{parameterName} has length {actual}, which is not a whole number of samples of length {sampleLength}.", parameterName);

        /// <summary>
        /// Throws unless a batch's <paramref name="outputs"/> can be written while its <paramref name="inputs"/> are read
        /// sample by sample: they may share memory only where outputs starts at or before inputs and an output is no
        /// longer than an input (in place, for one), so that no output lands on an input not yet read. Called before
        /// anything is written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void RequireBatchOverlap<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputs, int inputLength, int outputLength)
        {
            if (inputs.Overlaps(outputs, out int offset) && (offset > 0 || outputLength > inputLength))
            {
                throw BatchOverlap(offset, inputLength, outputLength);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ArgumentException BatchOverlap(int offset, int inputLength, int outputLength) =>
            new(
                (offset > 0 ? $"outputs overlaps inputs, starting {offset} {(offset == 1 ? "value" : "values")} after it" : $"outputs overlaps inputs, and an output ({outputLength} values) is longer than an input ({inputLength})")
                + ", so an output would be written over an input not yet read. Use separate spans, or outputs starting where inputs starts (in place) or before it, with outputs no longer than inputs.",
                "outputs");

        /// <summary>
        /// Throws unless the <paramref name="gradients"/> a batch adds into share no memory with what it reads while it
        /// adds: its <paramref name="inputs"/>, its <paramref name="targets"/> and the network's
        /// <paramref name="parameters"/>. Called before anything is written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void RequireSeparateGradients<T>(ReadOnlySpan<T> gradients, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> parameters)
        {
            if (gradients.Overlaps(inputs) || gradients.Overlaps(targets) || gradients.Overlaps(parameters))
            {
                throw SharedGradients(gradients.Overlaps(inputs) ? "inputs" : gradients.Overlaps(targets) ? "targets" : "the network's parameters");
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ArgumentException SharedGradients(string what) =>
            new($"gradients shares memory with {what}, which the batch reads while it adds into gradients. Give gradients memory of its own.", "gradients");

        /// <summary>
        /// Checks a block of rows [<paramref name="from"/>, from + <paramref name="rows"/>) of a layer of
        /// <paramref name="layerRows"/> rows for <see cref="IRowSplitTraining{T}"/>, and that inputs holds whole samples
        /// and the two block spans count × rows values each; returns count. Throws before anything is written.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int RowBlock(int inputsLength, int inputCount, int from, int rows, int layerRows, int length1, string name1, int length2, string name2)
        {
            if (from < 0 || rows < 0 || from > layerRows - rows)
            {
                throw new ArgumentOutOfRangeException(
                    from < 0 || from > layerRows ? "from" : "rows",
                    $"The rows [{from}, {(long)from + rows}) are not inside layer 1, which has {layerRows} rows.");
            }

            if (inputsLength % inputCount != 0)
            {
                throw PartialSample("inputs", inputCount, inputsLength);
            }

            int count = inputsLength / inputCount;
            long needed = (long)count * rows;
            if (length1 != needed)
            {
                throw LengthMismatch(name1, needed, length1);
            }

            if (length2 != needed)
            {
                throw LengthMismatch(name2, needed, length2);
            }

            return count;
        }

        /// <summary>
        /// Throws unless <paramref name="written"/> shares no memory with the two spans read while it is written, naming
        /// the one it shares memory with. Called before anything is written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void RequireSeparate<T>(ReadOnlySpan<T> written, string writtenName, ReadOnlySpan<T> read1, string read1Name, ReadOnlySpan<T> read2, string read2Name)
        {
            if (written.Overlaps(read1) || written.Overlaps(read2))
            {
                throw Shared(writtenName, written.Overlaps(read1) ? read1Name : read2Name);
            }
        }

        /// <summary>
        /// Throws unless two spans that are both written share no memory, naming <paramref name="secondName"/>. Called
        /// before anything is written.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void RequireApart<T>(ReadOnlySpan<T> first, string firstName, ReadOnlySpan<T> second, string secondName)
        {
            if (second.Overlaps(first))
            {
                throw BothWritten(firstName, secondName);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ArgumentException BothWritten(string firstName, string secondName) =>
            new($"{secondName} shares memory with {firstName}, and both are written. Give {secondName} memory of its own.", secondName);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ArgumentException Shared(string name, string what) =>
            new($"{name} shares memory with {what}, which is read while {name} is written. Give {name} memory of its own.", name);

        /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless the learning rate is finite and not negative.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static void RequireLearningRate(double learningRate, string parameterName)
        {
            // Written so that NaN fails too.
            if (!(learningRate >= 0.0 && learningRate <= double.MaxValue))
            {
                ThrowLearningRate(parameterName, learningRate);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowLearningRate(string parameterName, double learningRate) =>
            throw new ArgumentOutOfRangeException(
                parameterName,
                learningRate,
                "The learning rate must be a finite number greater than or equal to 0.");
    }
}
