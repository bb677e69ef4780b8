using System;
using System.Runtime.CompilerServices;
using NnGen.CompilerServices;

namespace NnGen
{
    public sealed partial class Trainer<T>
    {
        /// <summary>
        /// How TrainerOptions.Threads above 1 shares a minibatch between threads: the sum of its gradients into the
        /// network's Gradients (without counting the samples in AccumulatedSamples), the divergence check over
        /// them, and the plain-SGD step. <see cref="RowSplitAccumulation"/> splits layer 1's rows where that layer
        /// does most of the work; <see cref="ParallelAccumulation"/> splits the samples elsewhere.
        /// </summary>
        private abstract class ThreadedAccumulation
        {
            private readonly Action<int[]> _runEvaluation;
            private ThreadedEvaluation? _evaluation;

            protected ThreadedAccumulation() => _runEvaluation = RunEvaluation;

            /// <summary>The threads of a job, the calling thread's included.</summary>
            protected abstract int Threads { get; }

            /// <summary>
            /// Accumulates the samples order[from..to) into Gradients; returns the sum of their costs. order[to..nextTo) is the
            /// block the next call will likely ask for (nextTo = to where none is known), which the threads may gather ahead.
            /// With plain SGD the row split sums layer 1's rows in buffers of its threads instead, which only its own
            /// <see cref="LargestGradient"/> and <see cref="Step"/> read; Gradients' rows of layer 1 then stay zero.
            /// </summary>
            public abstract double Accumulate(Dataset<T> training, int[] order, int from, int to, int nextTo);

            /// <summary>The largest |gradient| of the sums in Gradients, or NaN where one is NaN or infinite.</summary>
            public abstract double LargestGradient();

            /// <summary>
            /// p ← p − (η / M) g for the <paramref name="samples"/> samples summed in Gradients, then g ← 0. Where
            /// <paramref name="beforeNextAccumulate"/> is true the step may be left to the start of the next
            /// <see cref="Accumulate"/> (or to <see cref="EndRun"/>): the caller promises not to read Parameters or
            /// Gradients before then.
            /// </summary>
            public abstract void Step(double learningRate, int samples, bool beforeNextAccumulate);

            /// <summary>
            /// After a training run, however it ended: lets go of the run's dataset and leaves no partial sum behind. The
            /// threads stay for the next run.
            /// </summary>
            public abstract void EndRun();

            /// <summary>
            /// Mean loss and accuracy of the network over <paramref name="limit"/> samples of <paramref name="data"/> at
            /// most, as <see cref="Evaluation"/> computes them with one thread, on the threads (<see cref="ThreadedEvaluation"/>).
            /// </summary>
            [MethodImpl(CompileOptions.Optimized)]
            public Metrics Evaluate(IInferenceNetwork<T> network, Dataset<T> data, int limit, LossScratch<T>? custom) =>
                (_evaluation ??= new ThreadedEvaluation(Threads)).Evaluate(network, data, limit, custom, _runEvaluation);

            /// <summary>Runs one job of the team whose units <paramref name="homeStart"/> numbers, each unit through <see cref="EvaluationUnit"/>.</summary>
            protected abstract void RunEvaluation(int[] homeStart);

            /// <summary>Unit <paramref name="u"/> of an evaluation job, on thread <paramref name="w"/>.</summary>
            [MethodImpl(CompileOptions.Optimized)]
            protected void EvaluationUnit(int w, int u) => _evaluation!.RunUnit(w, u);

            /// <summary>
            /// The largest of <paramref name="first"/> and <paramref name="parts"/>, the largest |g| of parts of the
            /// gradient that the threads checked where they summed them; NaN where one is NaN.
            /// </summary>
            [MethodImpl(CompileOptions.Optimized)]
            protected static double LargestOrNaN(double first, double[] parts)
            {
                double largest = first;
                if (double.IsNaN(largest))
                {
                    return double.NaN;
                }

                foreach (double part in parts)
                {
                    if (double.IsNaN(part))
                    {
                        return double.NaN;
                    }

                    largest = Math.Max(largest, part);
                }

                return largest;
            }
        }

        // Ends a threaded run when Train leaves, by any path.
        private readonly struct ThreadedRun : IDisposable
        {
            private readonly ThreadedAccumulation? _threaded;

            public ThreadedRun(ThreadedAccumulation? threaded) => _threaded = threaded;

            public void Dispose() => _threaded?.EndRun();
        }
    }
}
