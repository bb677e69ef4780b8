using System;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    public sealed partial class Trainer<T>
    {
        /// <summary>
        /// TrainerOptions.Threads above 1 where the row split does not apply. Each gathered block of a minibatch is cut
        /// into one contiguous piece per thread, each with a gradient buffer of its own. First each piece is gathered and
        /// its gradient added into its buffer, through AccumulateBatch(inputs, targets, gradients), which only reads the
        /// network. Then each slice of the parameters adds the buffers into Gradients there in piece order, buffer 0
        /// first: each sum has the same terms in the same order on every run, so the same bits. The thread that summed a
        /// slice also finds its largest |g|, and with plain SGD and many parameters steps it, each slice in a job of its
        /// own after the trainer's checks. Pieces and slices are the units of a <see cref="UnitTeam"/>: a thread the OS holds back
        /// before it starts has its share taken.
        /// </summary>
        /// <remarks>
        /// The calling thread used to find the largest |g| and step every parameter alone, reading the half of Gradients
        /// that the other thread had just summed while that thread waited: on the 2-vCPU host of docs/benchmarks.md, with
        /// the vCPUs far apart, two threads then trained 256-256-256-10 at batch 64 at 0.72–0.74 times one thread's speed.
        /// </remarks>
        private sealed class ParallelAccumulation : ThreadedAccumulation
        {
            // Parameters from which the threads step their slices in a job of their own, rather than the calling thread
            // all of them. The job's meeting costs 1–1.5 µs on the 2-vCPU host of docs/benchmarks.md: 2-3-4-2 at batch 64
            // took 8.3–9.5 µs a minibatch on two threads with it against 7.7–8.0 without, where 256-256-256-10 (134,000
            // parameters) gains about 60 µs. Below this, stepping in place costs less than a meeting.
            private const int TeamStepParameters = 16384;

            private readonly INetwork<T> _network;
            private readonly T[] _inputs;
            private readonly T[] _targets;
            private readonly T[][] _buffers;
            private readonly double[] _losses;
            private readonly double[] _largest;
            private readonly UnitTeam _team;
            private readonly LossFunction<T>? _lossFunction;
            private Dataset<T>? _training;
            private int[]? _order;
            private int _from;
            private int _count;
            private Phase _phase;
            private double _learningRate;
            private int _samples;

            public ParallelAccumulation(INetwork<T> network, int threads, T[] gatheredInputs, T[] gatheredTargets, LossFunction<T>? lossFunction)
            {
                _network = network;
                _lossFunction = lossFunction;
                _inputs = gatheredInputs;
                _targets = gatheredTargets;
                _buffers = new T[threads][];
                for (int w = 0; w < threads; w++)
                {
                    _buffers[w] = new T[network.ParameterCount];
                }

                _losses = new double[threads];
                _largest = new double[threads];
                // One unit per piece, each piece a thread's home: a piece's samples and buffer do not depend on the
                // thread that computes it, so a thread the OS holds back does not hold the minibatch.
                var homeStart = new int[threads + 1];
                for (int w = 0; w <= threads; w++)
                {
                    homeStart[w] = w;
                }

                _team = new UnitTeam(homeStart, NoPreparation, Work);
            }

            // A thread has nothing to do before its piece; called per job and thread, so compiled optimised like the rest.
            [MethodImpl(CompileOptions.Optimized)]
            private static void NoPreparation(int w)
            {
            }

            /// <summary>Accumulates the samples order[from..to) into Gradients; returns the sum of their costs.</summary>
            [MethodImpl(CompileOptions.Optimized)]
            public override double Accumulate(Dataset<T> training, int[] order, int from, int to, int nextTo)
            {
                (_training, _order, _from, _count) = (training, order, from, to - from);
                _phase = Phase.Pieces;
                _team.Run();
                _phase = Phase.Slices;
                _team.Run();
                double loss = 0;
                foreach (double part in _losses)
                {
                    loss += part;
                }

                return loss;
            }

            protected override int Threads => _buffers.Length;

            [MethodImpl(CompileOptions.Optimized)]
            protected override void RunEvaluation(int[] homeStart)
            {
                _phase = Phase.Evaluate;
                _team.Run(homeStart);
            }

            [MethodImpl(CompileOptions.Optimized)]
            public override void EndRun()
            {
                _training = null;
                _order = null;

                // Only a failure inside a job leaves a sum in a buffer; the next run starts from zero either way.
                foreach (T[] buffer in _buffers)
                {
                    buffer.AsSpan().Clear();
                }
            }

            // The slices' largest |g|, each found by the thread that summed it; NaN where one holds a NaN or an infinity.
            [MethodImpl(CompileOptions.Optimized)]
            public override double LargestGradient() => LargestOrNaN(0, _largest);

            /// <summary>
            /// The generated Step's update, p ← p − (η / M) g with η / M computed in T, then g ← 0, each slice on the thread
            /// that summed it where the parameters are many (Numbers.Step gives a slice the bits of one Step). (η / M in
            /// double, then rounded to float, differs from it in the last bit for some η and M.)
            /// </summary>
            [MethodImpl(CompileOptions.Optimized)]
            public override void Step(double learningRate, int samples, bool beforeNextAccumulate)
            {
                // AccumulatedSamples is still 0 (the threads' gradients were added, not accumulated), and Step zeroes g.
                if (_network.ParameterCount < TeamStepParameters)
                {
                    Numbers.Step(_network.Parameters, _network.Gradients, learningRate, samples);
                    return;
                }

                (_learningRate, _samples, _phase) = (learningRate, samples, Phase.Step);
                _team.Run();
            }

            private enum Phase
            {
                // Each unit a piece of the samples, into its buffer.
                Pieces,

                // Each unit a slice of the parameters: the buffers summed into Gradients.
                Slices,

                // Each unit a slice of the parameters, stepped.
                Step,

                // Each unit a chunk of the samples an epoch's report evaluates.
                Evaluate,
            }

            // Piece or slice w, on whichever thread took it.
            [MethodImpl(CompileOptions.Optimized)]
            private void Work(int thread, int w)
            {
                if (_phase == Phase.Evaluate)
                {
                    EvaluationUnit(thread, w);
                    return;
                }

                int threads = _buffers.Length;
                if (_phase != Phase.Pieces)
                {
                    // Slices of whole 16-value blocks, so that no two threads share a cache line of Gradients.
                    int blocks = (_network.ParameterCount + 15) / 16;
                    int first = Math.Min(_network.ParameterCount, (int)((long)w * blocks / threads) * 16);
                    int last = Math.Min(_network.ParameterCount, (int)((long)(w + 1) * blocks / threads) * 16);
                    Span<T> gradients = _network.Gradients.Slice(first, last - first);
                    if (_phase == Phase.Step)
                    {
                        Numbers.Step(_network.Parameters.Slice(first, last - first), gradients, _learningRate, _samples);
                        return;
                    }

                    foreach (T[] buffer in _buffers)
                    {
                        Span<T> part = buffer.AsSpan(first, last - first);
                        Numbers.Add(part, gradients);
                        part.Clear();
                    }

                    // Checked by the thread that summed it, while it is still in its cache.
                    _largest[w] = Numbers.MaxAbsOrNaN<T>(gradients);
                    return;
                }

                int from = (int)((long)w * _count / threads), to = (int)((long)(w + 1) * _count / threads);
                _losses[w] = 0;
                if (from == to)
                {
                    return;
                }

                int inputs = _network.InputCount, targetCount = _training!.TargetCount;
                Gather(_training, _order.AsSpan(_from + from, to - from), _inputs, _targets, from);
                var pieceInputs = new ReadOnlySpan<T>(_inputs, from * inputs, (to - from) * inputs);
                var pieceTargets = new ReadOnlySpan<T>(_targets, from * targetCount, (to - from) * targetCount);
                _losses[w] = Numbers.ToDouble(_lossFunction is null
                    ? _network.AccumulateBatch(pieceInputs, pieceTargets, _buffers[w])
                    : _network.AccumulateBatch(pieceInputs, pieceTargets, _buffers[w], _lossFunction));
            }
        }
    }
}
