using System;
using System.Runtime.InteropServices;
using NnGen.CompilerServices;

namespace NnGen
{
    public sealed partial class Trainer<T>
    {
        /// <summary>
        /// TrainerOptions.Threads above 1: each gathered block of a minibatch is cut into one contiguous piece per
        /// thread; thread 0 (the caller) adds its piece's gradient straight into the network's Gradients, thread
        /// w into a buffer of its own, through AccumulateBatch(inputs, targets, gradients), which only reads the
        /// network. Then Gradients += buffer 1, += buffer 2, … in that order: the same bits on every run.
        /// </summary>
        private sealed class ParallelAccumulation : IDisposable
        {
            private readonly INetwork<T> _network;
            private readonly T[] _inputs;
            private readonly T[] _targets;
            private readonly T[][] _buffers;
            private readonly double[] _losses;
            private readonly WorkerPool _pool;
            private int _count;

            public ParallelAccumulation(INetwork<T> network, int threads, T[] gatheredInputs, T[] gatheredTargets)
            {
                _network = network;
                _inputs = gatheredInputs;
                _targets = gatheredTargets;
                _buffers = new T[threads][];
                for (int w = 1; w < threads; w++)
                {
                    _buffers[w] = new T[network.ParameterCount];
                }

                _losses = new double[threads];
                _pool = new WorkerPool(threads, Work);
            }

            /// <summary>Accumulates the first <paramref name="count"/> gathered samples; returns the sum of their costs.</summary>
            public double Accumulate(int count)
            {
                _count = count;
                _pool.Run();
                double loss = 0;
                Span<T> gradients = _network.Gradients;
                for (int w = 0; w < _buffers.Length; w++)
                {
                    loss += _losses[w];
                    if (w > 0)
                    {
                        Add(_buffers[w], gradients);
                        Array.Clear(_buffers[w], 0, _buffers[w].Length);
                    }
                }

                return loss;
            }

            public void Dispose() => _pool.Dispose();

            /// <summary>p ← p − scale · g, the plain SGD step with scale = η / M for a sum that the threads counted.</summary>
            public static void Step(Span<T> parameters, ReadOnlySpan<T> gradients, double scale)
            {
                if (typeof(T) == typeof(float))
                {
                    Kernels.MultiplyAdd(MemoryMarshal.Cast<T, float>(gradients), (float)-scale, MemoryMarshal.Cast<T, float>(parameters));
                }
                else
                {
                    Kernels.MultiplyAdd(MemoryMarshal.Cast<T, double>(gradients), -scale, MemoryMarshal.Cast<T, double>(parameters));
                }
            }

            private static void Add(ReadOnlySpan<T> x, Span<T> y)
            {
                if (typeof(T) == typeof(float))
                {
                    Kernels.Add(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
                }
                else
                {
                    Kernels.Add(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
                }
            }

            private void Work(int w)
            {
                int threads = _buffers.Length;
                int from = (int)((long)w * _count / threads), to = (int)((long)(w + 1) * _count / threads);
                if (from == to)
                {
                    _losses[w] = 0;
                    return;
                }

                int inputs = _network.InputCount, outputs = _network.OutputCount;
                Span<T> gradients = w == 0 ? _network.Gradients : _buffers[w];
                _losses[w] = Numbers.ToDouble(_network.AccumulateBatch(
                    new ReadOnlySpan<T>(_inputs, from * inputs, (to - from) * inputs),
                    new ReadOnlySpan<T>(_targets, from * outputs, (to - from) * outputs),
                    gradients));
            }
        }
    }
}
