using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// What two cores of the machine give at this moment, printed by <c>thread-scaling</c> beside its ratio: how far
    /// apart the cores are (a cache line's round trip between two threads), what a thread pays to write lines the other
    /// has read, whether one of them is slower than the other at work bound by its loads (a scan pinned to each), and
    /// how fast two threads train when they share nothing (twins: each its own 784-128-10 and its own minibatch,
    /// AccumulateBatch then Step, first each alone, then both at once running freely, then both at once in step, meeting
    /// after each call as the threads of TrainerOptions.Threads do).
    /// </summary>
    /// <remarks>
    /// The shared 2-vCPU VM has had stretches when two threads trained 1.4–1.9× faster than one and stretches when they
    /// gained 0.9–1.1×, with the same code, while FMA chains from registers scaled about 1.8× in both. The round trip
    /// tells them apart (108 ns against 424–505 ns on 2026-12-04: the host had moved the vCPUs apart). The twins in step
    /// are what a split of one minibatch over two threads could at best get at that moment, without the data the split
    /// passes between the threads (docs/benchmarks.md, "Two threads: what the cores give").
    /// </remarks>
    public static class TwoCoreCheck
    {
        /// <summary>Samples in each twin's minibatch, as thread-scaling's default.</summary>
        public const int Batch = 64;

        /// <summary>Nanoseconds for a cache line to go from one thread to the other and back: median of 5 rounds of 100,000.</summary>
        public static double RoundTripNanoseconds()
        {
            // The flag sits alone on its own 128 bytes.
            var flag = new int[64];
            const int At = 32;
            const int Trips = 100_000;
            var rounds = new double[5];
            for (int round = 0; round < rounds.Length; round++)
            {
                Volatile.Write(ref flag[At], 0);
                var other = new Thread(() =>
                {
                    for (int i = 0; i < Trips; i++)
                    {
                        while (Volatile.Read(ref flag[At]) != (2 * i) + 1)
                        {
                        }

                        Volatile.Write(ref flag[At], (2 * i) + 2);
                    }
                });
                other.Start();
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < Trips; i++)
                {
                    Volatile.Write(ref flag[At], (2 * i) + 1);
                    while (Volatile.Read(ref flag[At]) != (2 * i) + 2)
                    {
                    }
                }

                rounds[round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Trips;
                other.Join();
            }

            return ThreadScaling.Median(rounds);
        }

        /// <summary>
        /// Microseconds for one thread pinned to each of the first two CPUs in turn (Linux only; empty elsewhere) to find
        /// the largest |x| of 200 KB it has just written, four vectors at a time: a pass bound by the core's loads, not by
        /// latency, so a CPU whose core the host shares with other work shows it. Median of 2,000 passes.
        /// </summary>
        public static double[] ScanPerCpu()
        {
            if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
            {
                return Array.Empty<double>();
            }

            var result = new double[2];
            for (int cpu = 0; cpu < 2; cpu++)
            {
                int pinned = cpu;
                var thread = new Thread(() =>
                {
                    ulong mask = 1UL << pinned;
                    if (SchedSetAffinity(0, (IntPtr)sizeof(ulong), ref mask) != 0)
                    {
                        result[pinned] = double.NaN;
                        return;
                    }

                    var values = new float[51_200];
                    var passes = new double[2_000];
                    float sink = 0;
                    for (int pass = -200; pass < passes.Length; pass++)
                    {
                        values[(pass + 200) % values.Length] += 1;
                        long start = Stopwatch.GetTimestamp();
                        sink += LargestMagnitude(values);
                        if (pass >= 0)
                        {
                            passes[pass] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                        }
                    }

                    // The scans' results feed a value that is read, so that none of them can be optimised away (|x| is never
                    // negative, so this adds nothing).
                    result[pinned] = ThreadScaling.Median(passes) + (sink < 0 ? 1 : 0);
                });
                thread.Start();
                thread.Join();
            }

            return result;
        }

        /// <summary>
        /// Microseconds per minibatch of the twins, each alone, then at once freely and at once in step (the slower
        /// twin's time), medians of 5 rounds of 1,000 minibatches.
        /// </summary>
        public static (double Alone, double Free, double InStep) Twins(Dataset<float> data)
        {
            var nets = new[] { new Net784x128x10(), new Net784x128x10() };
            var inputs = new float[2][];
            var targets = new float[2][];
            for (int t = 0; t < 2; t++)
            {
                nets[t].InitializeParameters(t + 1);
                inputs[t] = data.Inputs.Slice(t * Batch * 784, Batch * 784).ToArray();
                targets[t] = data.Targets.Slice(t * Batch * 10, Batch * 10).ToArray();
            }

            double Train(int t, Meeting? meeting, int minibatches)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < minibatches; i++)
                {
                    nets[t].AccumulateBatch(inputs[t], targets[t]);
                    meeting?.Wait();

                    // A small step, so that 5,000 of them leave the weights about where they were.
                    nets[t].Step(1e-6f);
                    meeting?.Wait();
                }

                return Stopwatch.GetElapsedTime(start).TotalMicroseconds / minibatches;
            }

            double Together(Meeting? meeting)
            {
                double second = 0;
                var other = new Thread(() => second = Train(1, meeting, 1000));
                other.Start();
                double first = Train(0, meeting, 1000);
                other.Join();
                return Math.Max(first, second);
            }

            Train(0, null, 300);
            Train(1, null, 300);
            var alone = new double[5];
            var free = new double[5];
            var inStep = new double[5];
            for (int round = 0; round < 5; round++)
            {
                alone[round] = (Train(0, null, 1000) + Train(1, null, 1000)) / 2;
                free[round] = Together(null);
                inStep[round] = Together(new Meeting());
            }

            return (ThreadScaling.Median(alone), ThreadScaling.Median(free), ThreadScaling.Median(inStep));
        }

        /// <summary>
        /// Microseconds for one thread to overwrite 100 KB (half of a gathered minibatch of 64 samples of 784 floats, the
        /// share one of two threads gathers): lines only it has touched; lines the other thread has read since (shared
        /// by both caches, so each store must first take the other's copy away); lines the other thread wrote last.
        /// Medians of 2,000 writes each.
        /// </summary>
        /// <remarks>
        /// The second is what the row split does each minibatch: each thread gathers its share of the next block into a
        /// buffer that both threads read two minibatches before, and copies its rows of A(1) into the A(1) both read.
        /// </remarks>
        public static (double Own, double OtherRead, double OtherWrote) SharedWrites()
        {
            const int Rounds = 2000;
            var buffer = new float[Batch / 2 * 784];
            var times = new double[3][];
            var meeting = new Meeting();
            float sink = 0;
            var other = new Thread(() =>
            {
                for (int mode = 0; mode < 3; mode++)
                {
                    for (int r = 0; r < Rounds; r++)
                    {
                        meeting.Wait();
                        if (mode == 1)
                        {
                            sink += LargestMagnitude(buffer);
                        }
                        else if (mode == 2)
                        {
                            Fill(buffer, r);
                        }

                        meeting.Wait();
                        meeting.Wait();
                    }
                }
            });
            other.Start();
            for (int mode = 0; mode < 3; mode++)
            {
                times[mode] = new double[Rounds];
                for (int r = 0; r < Rounds; r++)
                {
                    meeting.Wait();
                    if (mode == 0)
                    {
                        sink += LargestMagnitude(buffer);
                    }

                    meeting.Wait();
                    long start = Stopwatch.GetTimestamp();
                    Fill(buffer, r);
                    times[mode][r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    meeting.Wait();
                }
            }

            other.Join();
            GC.KeepAlive(sink);
            return (ThreadScaling.Median(times[0]), ThreadScaling.Median(times[1]), ThreadScaling.Median(times[2]));
        }

        // Optimised from the first call: 2,200 passes take milliseconds, less than tiering takes to replace tier-0 code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static float LargestMagnitude(float[] values)
        {
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            Vector<float> m0 = Vector<float>.Zero, m1 = m0, m2 = m0, m3 = m0;
            for (int k = 0; k + 4 <= vectors.Length; k += 4)
            {
                m0 = Vector.Max(m0, Vector.Abs(vectors[k]));
                m1 = Vector.Max(m1, Vector.Abs(vectors[k + 1]));
                m2 = Vector.Max(m2, Vector.Abs(vectors[k + 2]));
                m3 = Vector.Max(m3, Vector.Abs(vectors[k + 3]));
            }

            Vector<float> m = Vector.Max(Vector.Max(m0, m1), Vector.Max(m2, m3));
            float largest = 0;
            for (int i = 0; i < Vector<float>.Count; i++)
            {
                largest = Math.Max(largest, m[i]);
            }

            return largest;
        }

        // Every element set to `value`, a vector at a time; optimised from the first call, as LargestMagnitude.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Fill(float[] values, int value)
        {
            Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values.AsSpan());
            var v = new Vector<float>(value);
            for (int k = 0; k < vectors.Length; k++)
            {
                vectors[k] = v;
            }
        }

        [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
        private static extern int SchedSetAffinity(int pid, IntPtr size, ref ulong mask);

        // Two threads meet: each waits, spinning, until the other has arrived.
        private sealed class Meeting
        {
            private int _arrived;
            private volatile int _round;

            public void Wait()
            {
                int round = _round;
                if (Interlocked.Increment(ref _arrived) == 2)
                {
                    _arrived = 0;
                    _round = round + 1;
                    return;
                }

                while (_round == round)
                {
                    Thread.SpinWait(4);
                }
            }
        }
    }
}
