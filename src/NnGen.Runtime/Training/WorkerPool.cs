using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NnGen
{
    /// <summary>
    /// Threads that stay for one training run and each run a fixed piece of every minibatch: Run hands the
    /// calling thread piece 0 and worker w piece w, and returns when all are done. The hand-off is a pair of
    /// SemaphoreSlim per worker (they spin briefly before they block). Unlike ManualResetEventSlim, which
    /// allocates its lock the first time a wait blocks, they allocate nothing after construction, so no
    /// minibatch allocates, however the threads happen to be scheduled.
    /// </summary>
    internal sealed class WorkerPool : IDisposable
    {
        private readonly Action<int> _work;
        private readonly Thread[] _threads;
        private readonly SemaphoreSlim[] _start;
        private readonly SemaphoreSlim[] _done;
        private readonly Exception?[] _errors;
        private volatile bool _stopping;

        /// <summary><paramref name="work"/>(w) runs piece w; pieces 1..count−1 on threads of their own.</summary>
        public WorkerPool(int count, Action<int> work)
        {
            _work = work;
            _threads = new Thread[count];
            _start = new SemaphoreSlim[count];
            _done = new SemaphoreSlim[count];
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
            for (int w = 1; w < _threads.Length; w++)
            {
                _start[w].Release();
                _threads[w].Join();
                _start[w].Dispose();
                _done[w].Dispose();
            }
        }

        private void Loop(int w)
        {
            while (true)
            {
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

                _done[w].Release();
            }
        }
    }
}
