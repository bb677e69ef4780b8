using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NnGen
{
    /// <summary>
    /// Threads that stay for one training run and each run a fixed piece of every job: Run hands the calling
    /// thread piece 0 and worker w piece w, and returns when all are done.
    /// </summary>
    /// <remarks>
    /// A minibatch of a wide network takes about 100 µs per thread, so waking a blocked thread (tens of µs on a
    /// busy machine) would eat the gain. Each side therefore spins for a bounded while on a counter before it
    /// blocks on a SemaphoreSlim. The semaphores carry every hand-off (the spin only decides when to wait), so
    /// no hand-off is lost however the threads are scheduled, and they allocate nothing after construction
    /// (ManualResetEventSlim allocates its lock the first time a wait blocks).
    /// </remarks>
    internal sealed class WorkerPool : IDisposable
    {
        // About 50–100 µs of pause instructions before a thread gives up its core.
        private const int SpinIterations = 2000;

        private readonly Action<int> _work;
        private readonly Thread[] _threads;
        private readonly SemaphoreSlim[] _start;
        private readonly SemaphoreSlim[] _done;
        private readonly int[] _finished;
        private readonly Exception?[] _errors;
        private int _started;
        private volatile bool _stopping;

        /// <summary><paramref name="work"/>(w) runs piece w; pieces 1..count−1 on threads of their own.</summary>
        public WorkerPool(int count, Action<int> work)
        {
            _work = work;
            _threads = new Thread[count];
            _start = new SemaphoreSlim[count];
            _done = new SemaphoreSlim[count];
            _finished = new int[count];
            _errors = new Exception?[count];
            for (int w = 1; w < count; w++)
            {
                _start[w] = new SemaphoreSlim(0, 1);
                _done[w] = new SemaphoreSlim(0, 1);
                int worker = w;
                _threads[w] = new Thread(() => Loop(worker)) { IsBackground = true, Name = "NnGen trainer " + w };
                _threads[w].Start();
            }
        }

        /// <summary>Runs every piece once; rethrows the first failure (by piece number) after all have finished.</summary>
        public void Run()
        {
            int job = Interlocked.Increment(ref _started);
            for (int w = 1; w < _threads.Length; w++)
            {
                _start[w].Release();
            }

            Exception? first = null;
            try
            {
                _work(0);
            }
            catch (Exception error)
            {
                first = error;
            }

            for (int w = 1; w < _threads.Length; w++)
            {
                SpinUntil(ref _finished[w], job);
                _done[w].Wait();
                first ??= _errors[w];
                _errors[w] = null;
            }

            if (first is not null)
            {
                ExceptionDispatchInfo.Capture(first).Throw();
            }
        }

        public void Dispose()
        {
            _stopping = true;
            Interlocked.Increment(ref _started);
            for (int w = 1; w < _threads.Length; w++)
            {
                _start[w].Release();
                _threads[w].Join();
                _start[w].Dispose();
                _done[w].Dispose();
            }
        }

        // Spins while the counter is below the target, for a bounded number of pauses.
        private static void SpinUntil(ref int counter, int target)
        {
            for (int i = 0; i < SpinIterations && Volatile.Read(ref counter) < target; i++)
            {
                Thread.SpinWait(8);
            }
        }

        private void Loop(int w)
        {
            for (int job = 1; ; job++)
            {
                SpinUntil(ref _started, job);
                _start[w].Wait();
                if (_stopping)
                {
                    return;
                }

                try
                {
                    _work(w);
                }
                catch (Exception error)
                {
                    _errors[w] = error;
                }

                Volatile.Write(ref _finished[w], job);
                _done[w].Release();
            }
        }
    }
}
