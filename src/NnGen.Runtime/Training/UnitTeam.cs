using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using NnGen.CompilerServices;

namespace NnGen
{
    /// <summary>
    /// Threads that share each job of a training run as numbered units of work. Every thread has a home range of
    /// units: for each job it first runs its own preparation, then takes its home units from the front, then units of
    /// the other ranges from their far ends, where their owner has not started or has more than one left.
    /// <see cref="Run()"/> (on the calling thread, thread 0) returns when every unit is done. It never waits for a thread
    /// that has not started the job, only for units under way and the last unit of a thread under way.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With a fixed share per thread, a thread the OS holds back (a busy machine, a virtual CPU stalled by its host,
    /// more threads than cores) held back every job it had a share in. Here it delays a job by at most the unit it is
    /// in the middle of and its last one: the others take the rest. While no thread is held back each unit stays with
    /// its home thread from job to job, so the data a unit touches (rows of W and of the gradient) stays in that
    /// core's cache; a unit taken from a thread that is merely a little behind would move it there and back.
    /// </para>
    /// <para>
    /// A unit is claimed by a compare-and-swap on one word per range that holds the job's number with the range's
    /// front and back, so a thread late for a job cannot take a unit of a later one: its claims fail and it waits for
    /// the next job. What a unit computes must not depend on the thread that runs it; a preparation must only write
    /// what belongs to its thread, since a late thread may still be preparing a job that is over.
    /// </para>
    /// <para>
    /// Waiting threads spin for a bounded while on the job number, then block on a semaphore; the calling thread
    /// releases only a thread that said it sleeps, so no wake-up is lost or doubled. A thread that no job woke for
    /// <see cref="IdleTimeout"/> ends, and the next job starts it again: a team kept for a trainer's lifetime holds no
    /// thread while it is not training. Nothing allocates after construction but such a restart.
    /// </para>
    /// <para>
    /// The threads hold the team's shared state (<see cref="Crew"/>) but its work, the delegates and through them the
    /// trainer, the network and its buffers, only weakly, and only while they run a job. A team that nobody holds is
    /// collected, and its finalizer ends its threads at once: a program that makes a trainer for every short training
    /// run (a level, an episode, a frame) held one thread and the trainer's buffers for IdleTimeout per trainer before
    /// (600 trainers of 784-128-10 and 8-16-2 in 3 s: 600 threads and 94 MB still held after a full collection).
    /// </para>
    /// </remarks>
    internal sealed class UnitTeam : IDisposable
    {
        /// <summary>The most units one job can have: a range packs its unit numbers into 16 bits each.</summary>
        public const int MostUnitsPerJob = ushort.MaxValue;

        /// <summary>How long a thread waits for a job before it ends (the thread pool's own threads wait 20 s).</summary>
        public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

        private readonly Crew _crew;

        // The only strong reference to the jobs' code outside a running job.
        private readonly Work _work;

        // Ends the threads when the team is collected without Dispose.
        private readonly Finalizer _finalizer;

        /// <summary>
        /// A team of <paramref name="homeStart"/>.Length − 1 threads (the caller of Run and one new thread for each other):
        /// thread w's home units are [homeStart[w], homeStart[w + 1]). <paramref name="prepare"/>(w) runs on thread w
        /// before it takes any unit of a job; <paramref name="unit"/>(w, u) runs unit u on thread w.
        /// </summary>
        public UnitTeam(int[] homeStart, Action<int> prepare, Action<int, int> unit, TimeSpan? idleTimeout = null)
        {
            if (homeStart[homeStart.Length - 1] > MostUnitsPerJob)
            {
                throw new ArgumentOutOfRangeException(nameof(homeStart), homeStart[homeStart.Length - 1], "A team shares at most 65,535 units per job.");
            }

            _work = new Work(prepare, unit);
            _crew = new Crew(homeStart, new WeakReference<Work>(_work), idleTimeout ?? IdleTimeout);
            _finalizer = new Finalizer(_crew);
        }

        /// <summary>The team's other threads (thread 0 is the caller of Run), as last started.</summary>
        internal Thread[] Threads => _crew.Threads;

        /// <summary>
        /// Runs one job: every unit once, on whichever thread takes it. Rethrows the first failure (thread 0's, then by
        /// thread number) after every unit taken has finished; after a failure the units left are taken but not run.
        /// </summary>
        public void Run() => Run(_crew.HomeStart);

        /// <summary>
        /// Runs one job whose units are numbered by <paramref name="homeStart"/> instead of the team's own ranges: thread
        /// w's home units are [homeStart[w], homeStart[w + 1]). A job can so carry units of another kind after a thread's
        /// usual ones.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public void Run(int[] homeStart)
        {
            _crew.Run(homeStart, _work);

            // The team, and with it the weak reference's target, lives until every unit of the job has finished.
            GC.KeepAlive(this);
        }

        public void Dispose()
        {
            GC.SuppressFinalize(_finalizer);
            _crew.Stop(join: true);
        }

        private sealed class Work
        {
            public Work(Action<int> prepare, Action<int, int> unit) => (Prepare, Unit) = (prepare, unit);

            public Action<int> Prepare { get; }

            public Action<int, int> Unit { get; }
        }

        private sealed class Finalizer
        {
            private readonly Crew _crew;

            public Finalizer(Crew crew) => _crew = crew;

            // Runs on the finalizer thread: wakes the threads to end, and waits for none of them.
            ~Finalizer() => _crew.Stop(join: false);
        }

        /// <summary>What the threads share: the job number, the ranges, the counts, the semaphores and the threads.</summary>
        private sealed class Crew
        {
            // About 50–100 µs of pause instructions before a thread gives up its core.
            private const int SpinIterations = 2000;

            // Words written by different threads sit 128 bytes apart (two cache lines: adjacent-line prefetch).
            private const int Stride = 16;

            // States of a thread in _sleeping.
            private const int Awake = 0;
            private const int Sleeping = 1;
            private const int Ended = 2;

            private readonly WeakReference<Work> _owner;
            private readonly int _parts;
            private readonly int[] _homeStart;
            private readonly int _spinIterations;
            private readonly Thread[] _threads;
            private readonly SemaphoreSlim[] _wake;
            private readonly Exception?[] _errors;

            // Per range: (job << 32) | (front << 16) | back.
            private readonly long[] _ranges;

            // Per thread: units finished since the team started; the job of the last error.
            private readonly long[] _finished;
            private readonly int[] _errorJob;

            // Per thread: Sleeping while it blocks (or is about to) for the next job, Ended once it has given up waiting.
            private readonly int[] _sleeping;
            private readonly TimeSpan _idleTimeout;

            private readonly int[] _job = new int[Stride];

            // The home ranges of the newest job. A thread late for a job may read a later job's here; it only steers which
            // unit it tries to take, and its claim then fails on the job number.
            private int[] _jobHome;
            private long _target;
            private volatile bool _stopping;

            public Crew(int[] homeStart, WeakReference<Work> owner, TimeSpan idleTimeout)
            {
                _idleTimeout = idleTimeout;
                _parts = homeStart.Length - 1;
                _homeStart = homeStart;
                _jobHome = homeStart;
                _owner = owner;

                // More threads than cores: a spinning thread would only take a core from one with work.
                _spinIterations = _parts > Environment.ProcessorCount ? 0 : SpinIterations;
                _ranges = new long[_parts * Stride];
                _finished = new long[_parts * Stride];
                _errorJob = new int[_parts * Stride];
                _sleeping = new int[_parts * Stride];
                _errors = new Exception?[_parts];
                _threads = new Thread[_parts];
                _wake = new SemaphoreSlim[_parts];
                for (int w = 1; w < _parts; w++)
                {
                    _wake[w] = new SemaphoreSlim(0, 1);
                    Start(w, 0);
                }
            }

            public int[] HomeStart => _homeStart;

            public Thread[] Threads
            {
                get
                {
                    var threads = new Thread[_parts - 1];
                    Array.Copy(_threads, 1, threads, 0, threads.Length);
                    return threads;
                }
            }

            [MethodImpl(CompileOptions.Optimized)]
            public void Run(int[] homeStart, Work work)
            {
                bool ascending = homeStart.Length == _parts + 1 && homeStart[0] == 0 && homeStart[_parts] <= MostUnitsPerJob;
                for (int r = 0; ascending && r < _parts; r++)
                {
                    ascending = homeStart[r] <= homeStart[r + 1];
                }

                if (!ascending)
                {
                    throw new ArgumentException($"A job's home ranges are {_parts + 1} ascending unit numbers from 0 to at most 65,535.", nameof(homeStart));
                }

                int job = unchecked(_job[0] + 1);
                Volatile.Write(ref _jobHome, homeStart);
                for (int r = 0; r < _parts; r++)
                {
                    Volatile.Write(ref _ranges[r * Stride], Pack(job, homeStart[r], homeStart[r + 1]));
                }

                // Publishes the ranges with the job (a full fence), then wakes the threads that sleep and starts again those
                // that ended.
                Interlocked.Exchange(ref _job[0], job);
                for (int w = 1; w < _parts; w++)
                {
                    if (Wake(w) == Ended)
                    {
                        Volatile.Write(ref _sleeping[w * Stride], Awake);
                        Start(w, unchecked(job - 1));
                    }
                }

                _target += homeStart[_parts];
                Exception? error = Run(0, job, work);
                WaitForUnits();
                for (int w = 1; w < _parts && error is null; w++)
                {
                    if (Volatile.Read(ref _errorJob[w * Stride]) == job)
                    {
                        error = _errors[w];
                    }
                }

                if (error is not null)
                {
                    ExceptionDispatchInfo.Capture(error).Throw();
                }
            }

            // Ends every thread: each wakes, sees _stopping and returns. With join, waits for them and frees the semaphores.
            public void Stop(bool join)
            {
                _stopping = true;
                Interlocked.Increment(ref _job[0]);
                for (int w = 1; w < _parts; w++)
                {
                    Wake(w);
                }

                for (int w = 1; w < _parts && join; w++)
                {
                    _threads[w].Join();
                    _wake[w].Dispose();
                }
            }

            // Releases thread w if it said it sleeps, once: WaitForJob's other half. Returns the state it found.
            [MethodImpl(CompileOptions.Optimized)]
            private int Wake(int w)
            {
                int state = Interlocked.CompareExchange(ref _sleeping[w * Stride], Awake, Sleeping);
                if (state == Sleeping)
                {
                    _wake[w].Release();
                }

                return state;
            }

            [MethodImpl(CompileOptions.Optimized)]
            private static long Pack(int job, int front, int back) => ((long)job << 32) | ((long)front << 16) | (uint)back;

            // Thread w's part of a job: its preparation, then units until none is left. A failure stops the running,
            // not the taking, so that no unit is left to a thread that comes late. Returns the first failure.
            [MethodImpl(CompileOptions.Optimized)]
            private Exception? Run(int w, int job, Work work)
            {
                Exception? error = null;
                try
                {
                    work.Prepare(w);
                }
                catch (Exception failure)
                {
                    error = failure;
                }

                while (TryTake(w, job, out int unit))
                {
                    if (error is null)
                    {
                        try
                        {
                            work.Unit(w, unit);
                        }
                        catch (Exception failure)
                        {
                            error = failure;
                        }
                    }

                    if (error is not null && w > 0)
                    {
                        _errors[w] = error;
                        Volatile.Write(ref _errorJob[w * Stride], job);
                    }

                    // Publishes what the unit wrote (and the error) to the thread that waits for the count.
                    Interlocked.Increment(ref _finished[w * Stride]);
                }

                return error;
            }

            // The next unit for thread w: from the front of its home range, else from the back of another's.
            [MethodImpl(CompileOptions.Optimized)]
            private bool TryTake(int w, int job, out int unit)
            {
                int[] homeStart = Volatile.Read(ref _jobHome);
                for (int k = 0; k < _parts; k++)
                {
                    int r = (w + k) % _parts;
                    ref long range = ref _ranges[r * Stride];
                    while (true)
                    {
                        long seen = Volatile.Read(ref range);
                        int front = (int)((seen >> 16) & 0xFFFF), back = (int)(seen & 0xFFFF);
                        if ((int)(seen >> 32) != job)
                        {
                            // The job is over (a later one has started): nothing here is this job's.
                            unit = -1;
                            return false;
                        }

                        bool home = k == 0;
                        if (front >= back || (!home && back - front < 2 && front > homeStart[r]))
                        {
                            // Nothing left, or only the unit its owner takes next: moving a unit moves its rows of W and
                            // of the gradient to another core, and back again on the next job, so a unit is only taken
                            // from an owner that has not started or has more than one left.
                            break;
                        }

                        long next = home ? Pack(job, front + 1, back) : Pack(job, front, back - 1);
                        if (Interlocked.CompareExchange(ref range, next, seen) == seen)
                        {
                            unit = home ? front : back - 1;
                            return true;
                        }
                    }
                }

                unit = -1;
                return false;
            }

            // Until every unit of the job has finished, whichever thread took it.
            [MethodImpl(CompileOptions.Optimized)]
            private void WaitForUnits()
            {
                for (int spins = 0; ; spins++)
                {
                    long finished = 0;
                    for (int w = 0; w < _parts; w++)
                    {
                        finished += Volatile.Read(ref _finished[w * Stride]);
                    }

                    if (finished == _target)
                    {
                        return;
                    }

                    // The unit under way may belong to a thread without a core: let it run.
                    if (spins < 64 && _spinIterations > 0)
                    {
                        Thread.SpinWait(8);
                    }
                    else
                    {
                        Thread.Yield();
                    }
                }
            }

            private void Start(int w, int seen)
            {
                _threads[w] = new Thread(() => Loop(w, seen)) { IsBackground = true, Name = "NnGen trainer " + w };
                _threads[w].Start();
            }

            [MethodImpl(CompileOptions.Optimized)]
            private void Loop(int w, int seen)
            {
                while (WaitForJob(w, seen, out int job) && !_stopping && RunForOwner(w, job))
                {
                    seen = job;
                }
            }

            // The job's work, taken from the team for the job only: outside this frame the thread holds nothing of the
            // team's owner while it waits. False where the team is gone (its finalizer is about to stop the crew).
            [MethodImpl(MethodImplOptions.NoInlining | CompileOptions.Optimized)]
            private bool RunForOwner(int w, int job)
            {
                if (!_owner.TryGetTarget(out Work? work))
                {
                    return false;
                }

                Run(w, job, work);
                return true;
            }

            // The number of the newest job once it differs from `seen`; false where the thread waited IdleTimeout and ended.
            [MethodImpl(CompileOptions.Optimized)]
            private bool WaitForJob(int w, int seen, out int job)
            {
                ref int sleeping = ref _sleeping[w * Stride];
                for (int spins = 0; ; spins++)
                {
                    job = Volatile.Read(ref _job[0]);
                    if (job != seen)
                    {
                        return true;
                    }

                    if (spins < _spinIterations)
                    {
                        Thread.SpinWait(8);
                        continue;
                    }

                    // Say it sleeps (a full fence), then look once more: Run bumps the job before it looks at `sleeping`,
                    // so one of the two sees the other's write.
                    Interlocked.Exchange(ref sleeping, Sleeping);
                    if (Volatile.Read(ref _job[0]) != seen && Interlocked.Exchange(ref sleeping, Awake) == Sleeping)
                    {
                        // Nobody will release it: take the job.
                        job = Volatile.Read(ref _job[0]);
                        return true;
                    }

                    // Run (or Dispose) cleared `sleeping` and releases it once; or nobody comes, and it ends unless Run
                    // clears `sleeping` just now, in which case it takes that release.
                    if (!_wake[w].Wait(_idleTimeout))
                    {
                        if (Interlocked.CompareExchange(ref sleeping, Ended, Sleeping) == Sleeping)
                        {
                            return false;
                        }

                        _wake[w].Wait();
                    }

                    spins = 0;
                }
            }
        }
    }
}
