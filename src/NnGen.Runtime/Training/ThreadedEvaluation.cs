using System;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    public sealed partial class Trainer<T>
    {
        /// <summary>
        /// The per-epoch evaluation of a run with TrainerOptions.Threads above 1, on the run's threads: each chunk of
        /// <see cref="EvaluationScratch{T}.ChunkFor"/> samples is one unit of a job of the accumulation's
        /// <see cref="UnitTeam"/>. The chunks have the boundaries one thread uses, each sample's cost and verdict go to
        /// its own place, and the calling thread sums them in sample order: the reports are one thread's, bit for bit.
        /// </summary>
        /// <remarks>
        /// On one thread the evaluation of every training sample took longer than the epoch's training on two (784-128-10,
        /// batch 64: about 72 µs a minibatch's worth of samples against 100–135), so two threads made a default epoch only
        /// about 1.4 times as fast as one.
        /// </remarks>
        private sealed class ThreadedEvaluation
        {
            private readonly EvaluationScratch<T>[] _scratch;
            private readonly LossScratch<T>?[] _custom;
            private readonly int[] _homeStart;
            private T[] _losses = Array.Empty<T>();
            private sbyte[] _verdicts = Array.Empty<sbyte>();

            // The job's: what is evaluated, and how (set by Evaluate for the length of one job).
            private IInferenceNetwork<T>? _network;
            private Dataset<T>? _data;
            private LossFunction<T>? _function;
            private int _count;
            private int _chunk;
            private int _firstChunk;

            public ThreadedEvaluation(int threads)
            {
                _scratch = new EvaluationScratch<T>[threads];
                _custom = new LossScratch<T>?[threads];
                for (int w = 0; w < threads; w++)
                {
                    _scratch[w] = new EvaluationScratch<T>();
                }

                _homeStart = new int[threads + 1];
            }

            /// <summary>
            /// Mean loss and accuracy over <paramref name="limit"/> samples of <paramref name="data"/> at most, as
            /// <see cref="Evaluation"/> computes them; <paramref name="run"/> runs one job of the team over the chunks.
            /// </summary>
            [MethodImpl(CompileOptions.Optimized)]
            public Metrics Evaluate(IInferenceNetwork<T> network, Dataset<T> data, int limit, LossScratch<T>? custom, Action<int[]> run)
            {
                int count = Math.Min(limit, data.Count), chunk = EvaluationScratch<T>.ChunkFor(data.InputCount);
                if (count <= chunk)
                {
                    // One chunk: a job would only add a meeting.
                    return Evaluation.Evaluate(network, data, _scratch[0], limit, custom);
                }

                EvaluationScratch<T>.AtLeast(ref _losses, count);
                EvaluationScratch<T>.AtLeast(ref _verdicts, count);
                foreach (EvaluationScratch<T> scratch in _scratch)
                {
                    scratch.EnsureFor(network, data, count);
                }

                (_network, _data, _function, _count, _chunk) = (network, data, custom?.Function, count, chunk);
                try
                {
                    // A job has at most UnitTeam.MostUnitsPerJob units, and a set of more than 16.7 million samples more
                    // chunks than that (at 256 a chunk): such a set goes in several jobs, with the same chunks.
                    int chunks = (count + chunk - 1) / chunk, threads = _homeStart.Length - 1;
                    for (_firstChunk = 0; _firstChunk < chunks; _firstChunk += UnitTeam.MostUnitsPerJob)
                    {
                        int units = Math.Min(UnitTeam.MostUnitsPerJob, chunks - _firstChunk);
                        for (int w = 0; w <= threads; w++)
                        {
                            _homeStart[w] = w * units / threads;
                        }

                        run(_homeStart);
                    }
                }
                finally
                {
                    // Not held past the job: the trainer's dataset may be let go of between runs.
                    (_network, _data, _function) = (null, null, null);
                }

                var sum = new MetricsSum();
                sum.Add<T>(_losses.AsSpan(0, count), _verdicts.AsSpan(0, count));
                return sum.Result(count);
            }

            /// <summary>Chunk <paramref name="u"/>, on thread <paramref name="w"/> with that thread's buffers.</summary>
            [MethodImpl(CompileOptions.Optimized)]
            public void RunUnit(int w, int u)
            {
                IInferenceNetwork<T> network = _network!;
                Dataset<T> data = _data!;
                int start = (_firstChunk + u) * _chunk, n = Math.Min(_chunk, _count - start);
                LossScratch<T>? custom = null;
                if (_function is { } function)
                {
                    // Each thread has its own gradient buffer for the loss function, made on its first evaluation.
                    custom = _custom[w] is { } own && own.Function == function ? own : _custom[w] = new LossScratch<T>(function, network.OutputCount);
                }

                Evaluation.EvaluateChunk(network, data, _count, start, n, _scratch[w], custom, _losses.AsSpan(start, n), _verdicts.AsSpan(start, n));
            }
        }
    }
}
