using System;

namespace NnGen
{
    public sealed partial class Trainer<T>
    {
        /// <summary>
        /// TrainerOptions.Threads above 1. Each gathered block of a minibatch is cut into one contiguous piece
        /// per thread. First every thread gathers its piece and adds its gradient into a buffer of its own,
        /// through AccumulateBatch(inputs, targets, gradients), which only reads the network. Then every thread
        /// takes a slice of the parameters and adds the buffers into Gradients there in thread order, buffer 0
        /// first: each sum has the same terms in the same order on every run, so the same bits. The same pass
        /// finds the slice's largest |gradient| for the Trainer's checks, and a plain-SGD step then runs on
        /// the same slices, so that each thread touches the part of Gradients it has in its cache and no pass
        /// over all the parameters is left to one thread.
        /// </summary>
        private sealed class ParallelAccumulation : IDisposable
        {
            // Values added and checked at a time in the reduction: each buffer adds a block that stays in L1.
            private const int ReductionBlock = 1024;

            private readonly INetwork<T> _network;
            private readonly T[] _inputs;
            private readonly T[] _targets;
            private readonly T[][] _buffers;
            private readonly double[] _losses;
            private readonly double[] _largest;
            private readonly WorkerPool _pool;
            private Dataset<T>? _training;
            private int[]? _order;
            private int _from;
            private int _count;
            private Phase _phase;
            private double _scale;

            public ParallelAccumulation(INetwork<T> network, int threads, T[] gatheredInputs, T[] gatheredTargets)
            {
                _network = network;
                _inputs = gatheredInputs;
                _targets = gatheredTargets;
                _buffers = new T[threads][];
                for (int w = 0; w < threads; w++)
                {
                    _buffers[w] = new T[network.ParameterCount];
                }

                _losses = new double[threads];
                _largest = new double[threads];
                _pool = new WorkerPool(threads, Work);
            }

            private enum Phase
            {
                Accumulate,
                Reduce,
                Step,
            }

            /// <summary>The largest |gradient| after the last <see cref="Accumulate"/>, or NaN when one is NaN or infinite.</summary>
            public double LargestGradient
            {
                get
                {
                    double largest = 0;
                    foreach (double part in _largest)
                    {
                        largest = double.IsNaN(part) ? double.NaN : Math.Max(largest, part);
                    }

                    return largest;
                }
            }

            /// <summary>Accumulates the samples order[from..to) into Gradients; returns the sum of their costs.</summary>
            public double Accumulate(Dataset<T> training, int[] order, int from, int to)
            {
                (_training, _order, _from, _count) = (training, order, from, to - from);
                _phase = Phase.Accumulate;
                _pool.Run();
                _phase = Phase.Reduce;
                _pool.Run();
                _training = null;
                _order = null;
                double loss = 0;
                foreach (double part in _losses)
                {
                    loss += part;
                }

                return loss;
            }

            /// <summary>
            /// p ← p − scale · g, then g ← 0: the plain SGD step with scale = η / M for a sum that the threads counted,
            /// each thread on its slice.
            /// </summary>
            public void Step(double scale)
            {
                _scale = scale;
                _phase = Phase.Step;
                _pool.Run();
            }

            public void Dispose() => _pool.Dispose();

            private void Work(int w)
            {
                if (_phase == Phase.Accumulate)
                {
                    AccumulatePiece(w);
                    return;
                }

                // Slices of whole 16-value blocks, so that no two threads share a cache line of Gradients.
                int threads = _buffers.Length;
                int blocks = (_network.ParameterCount + 15) / 16;
                int first = Math.Min(_network.ParameterCount, (int)((long)w * blocks / threads) * 16);
                int last = Math.Min(_network.ParameterCount, (int)((long)(w + 1) * blocks / threads) * 16);
                if (_phase == Phase.Step)
                {
                    Numbers.Step(_network.Parameters.Slice(first, last - first), _network.Gradients.Slice(first, last - first), _scale);
                    return;
                }

                _largest[w] = Reduce(first, last);
            }

            // Gradients[first..last) += every buffer's part, buffer 0 first, block by block; clears those parts and
            // returns their largest |sum|, or NaN.
            private double Reduce(int first, int last)
            {
                Span<T> gradients = _network.Gradients;
                double largest = 0;
                for (int start = first; start < last; start += ReductionBlock)
                {
                    int length = Math.Min(ReductionBlock, last - start);
                    Span<T> sums = gradients.Slice(start, length);
                    foreach (T[] buffer in _buffers)
                    {
                        Span<T> part = buffer.AsSpan(start, length);
                        Numbers.Add<T>(part, sums);
                        part.Clear();
                    }

                    double block = Numbers.MaxAbsOrNaN<T>(sums);
                    largest = double.IsNaN(block) ? double.NaN : Math.Max(largest, block);
                }

                return largest;
            }

            private void AccumulatePiece(int w)
            {
                int threads = _buffers.Length;
                int from = (int)((long)w * _count / threads), to = (int)((long)(w + 1) * _count / threads);
                _losses[w] = 0;
                if (from == to)
                {
                    return;
                }

                int inputs = _network.InputCount, outputs = _network.OutputCount;
                Gather(_training!, _order.AsSpan(_from + from, to - from), _inputs, _targets, from);
                _losses[w] = Numbers.ToDouble(_network.AccumulateBatch(
                    new ReadOnlySpan<T>(_inputs, from * inputs, (to - from) * inputs),
                    new ReadOnlySpan<T>(_targets, from * outputs, (to - from) * outputs),
                    _buffers[w]));
            }
        }
    }
}
