using System;
using System.Runtime.InteropServices;

namespace NnGen
{
    /// <summary>
    /// A float or double span read and written as double, so that each optimiser is written once for
    /// both precisions. Optimisers run once per minibatch, so the branch per element does not matter.
    /// </summary>
    internal readonly ref struct ParameterSpan
    {
        private readonly Span<float> _single;
        private readonly Span<double> _double;
        private readonly bool _isSingle;

        private ParameterSpan(Span<float> single, Span<double> @double, bool isSingle)
        {
            _single = single;
            _double = @double;
            _isSingle = isSingle;
        }

        public int Length => _isSingle ? _single.Length : _double.Length;

        public double this[int index]
        {
            get => _isSingle ? _single[index] : _double[index];
            set
            {
                if (_isSingle)
                {
                    _single[index] = (float)value;
                }
                else
                {
                    _double[index] = value;
                }
            }
        }

        public static ParameterSpan Of<T>(Span<T> span)
            where T : unmanaged =>
            typeof(T) == typeof(float)
                ? new ParameterSpan(MemoryMarshal.Cast<T, float>(span), default, isSingle: true)
                : new ParameterSpan(default, MemoryMarshal.Cast<T, double>(span), isSingle: false);
    }
}
