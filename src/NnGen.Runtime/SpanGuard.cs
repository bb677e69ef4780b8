using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NnGen
{
    /// <summary>Argument checks that generated code calls before it touches any state.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class SpanGuard
    {
        /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="span"/> has <paramref name="expected"/> elements.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void RequireLength<T>(ReadOnlySpan<T> span, int expected, string parameterName)
        {
            if (span.Length != expected)
            {
                ThrowLengthMismatch(parameterName, expected, span.Length);
            }
        }

        /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="span"/> has <paramref name="expected"/> elements.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void RequireLength<T>(Span<T> span, int expected, string parameterName)
        {
            if (span.Length != expected)
            {
                ThrowLengthMismatch(parameterName, expected, span.Length);
            }
        }

        /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless the learning rate is finite and not negative.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void RequireLearningRate(double learningRate, string parameterName)
        {
            // Written so that NaN fails too.
            if (!(learningRate >= 0.0 && learningRate <= double.MaxValue))
            {
                ThrowLearningRate(parameterName, learningRate);
            }
        }

        // Kept out of line so the happy path inlines to a compare and a branch.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowLengthMismatch(string parameterName, int expected, int actual) =>
            throw new ArgumentException(
                $"{parameterName} has length {actual}, but this network needs length {expected}.",
                parameterName);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowLearningRate(string parameterName, double learningRate) =>
            throw new ArgumentOutOfRangeException(
                parameterName,
                learningRate,
                "The learning rate must be a finite number greater than or equal to 0.");
    }
}
