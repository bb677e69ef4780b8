using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// Thread scaling measured the way a shared machine allows: one-thread and multi-thread trainers of 784-128-10 train
    /// alternate epochs in one process, so that a slow stretch of the host weighs on both alike, and the ratio of their
    /// median epochs is reported. BenchmarkDotNet's rounds measure one case after the other, minutes apart, and on the
    /// shared 2-vCPU VM their ratios moved by more than the changes they were meant to show.
    /// </summary>
    /// <remarks>
    /// <c>dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- thread-scaling [batch=64] [threads=2] [samples=2048] [epochs=60] [busy=0] [huber=0]</c>;
    /// huber=1 trains with <c>HuberLoss</c> as a loss function in place of the declared cost. With two threads it ends with
    /// <see cref="TwoCoreCheck"/>: how far apart the two cores are, whether one is slower, and what two threads that
    /// share nothing get.
    /// </remarks>
    public static class ThreadScaling
    {
        public static void Run(string[] args)
        {
            int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
            int batch = Arg(0, 64), threads = Arg(1, 2), count = Arg(2, 2048), epochs = Arg(3, 60), busy = Arg(4, 0);
            HuberLoss<float>? huber = Arg(5, 0) == 1 ? new HuberLoss<float>() : null;
            int evaluated = Arg(6, 0) == 1 ? int.MaxValue : 0;

            Dataset<float> data = TrainerBenchmarks.RandomSet(count);
            Trainer<float> Make(int t) => new(
                new Net784x128x10(),
                new TrainerOptions { Epochs = 1, BatchSize = batch, LearningRate = 0.001, Threads = t, TrainingEvaluationSamples = evaluated },
                huber);

            Trainer<float> one = Make(1), many = Make(threads);
            using var stop = new CancellationTokenSource();
            var busyThreads = new List<Thread>();
            for (int b = 0; b < busy; b++)
            {
                busyThreads.Add(TrainerBenchmarks.StartBusy(() => stop.IsCancellationRequested));
            }

            double fmaBefore = FmaScaling(threads);

            (List<double> timesOne, List<double> timesMany, List<double> ratios) = Alternate(one, many, data, batch, epochs);

            double fmaAfter = FmaScaling(threads);
            double roundTrip = threads == 2 ? TwoCoreCheck.RoundTripNanoseconds() : double.NaN;
            (double ownLines, double readLines, double wroteLines) = threads == 2 ? TwoCoreCheck.SharedWrites() : (double.NaN, double.NaN, double.NaN);
            (double alone, double free, double inStep) = threads == 2 ? TwoCoreCheck.Twins(data) : (double.NaN, double.NaN, double.NaN);
            double[] scans = threads == 2 ? TwoCoreCheck.ScanPerCpu() : Array.Empty<double>();
            stop.Cancel();
            foreach (Thread thread in busyThreads)
            {
                thread.Join();
            }

            Console.WriteLine(FormattableString.Invariant(
                $"784-128-10{(huber is null ? string.Empty : " with HuberLoss")}{(evaluated == 0 ? string.Empty : ", every training sample evaluated per epoch")}, batch {batch}, {count} samples, {epochs} epoch pairs, {busy} busy thread(s): µs per minibatch (median, 10th-90th percentile)"));
            Console.WriteLine(FormattableString.Invariant($"  Threads = 1: {Median(timesOne):F1} ({Percentile(timesOne, 0.1):F1}-{Percentile(timesOne, 0.9):F1})"));
            Console.WriteLine(FormattableString.Invariant($"  Threads = {threads}: {Median(timesMany):F1} ({Percentile(timesMany, 0.1):F1}-{Percentile(timesMany, 0.9):F1})"));
            Console.WriteLine(FormattableString.Invariant(
                $"  scaling, median of the pairs' ratios: {Median(ratios):F2}x ({Percentile(ratios, 0.1):F2}-{Percentile(ratios, 0.9):F2}x)"));

            // Code that is still tier-0 (or a cache still cold) shows in the first pairs: their medians against the last half's.
            int early = Math.Min(10, epochs / 4), half = epochs / 2;
            if (early > 0)
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"  the first {early} pairs against the last {epochs - half}: Threads = 1 {Median(timesOne.GetRange(0, early)):F1} / {Median(timesOne.GetRange(half, epochs - half)):F1}, Threads = {threads} {Median(timesMany.GetRange(0, early)):F1} / {Median(timesMany.GetRange(half, epochs - half)):F1}"));
            }
            Console.WriteLine(double.IsNaN(fmaBefore)
                ? "  the machine meanwhile: not measured (PeakFma needs x86 FMA)"
                : FormattableString.Invariant(
                    $"  the machine meanwhile: {threads} threads of FMA chains from registers ran {fmaBefore:F2}x (before) and {fmaAfter:F2}x (after) one thread's"));
            if (threads == 2)
            {
                Console.WriteLine(FormattableString.Invariant($"  a cache line's round trip between two threads: {roundTrip:F0} ns"));
                Console.WriteLine(FormattableString.Invariant(
                    $"  writing 100 KB: lines only this thread touched {ownLines:F1} µs, lines the other thread read since {readLines:F1} µs, lines it wrote {wroteLines:F1} µs"));
                if (scans.Length == 2)
                {
                    Console.WriteLine(FormattableString.Invariant(
                        $"  a load-bound scan of 200 KB by a thread pinned to CPU 0: {scans[0]:F2} µs, to CPU 1: {scans[1]:F2} µs"));
                }

                Console.WriteLine(FormattableString.Invariant(
                    $"  twins sharing nothing (AccumulateBatch + Step of {TwoCoreCheck.Batch} samples each, µs per minibatch): alone {alone:F1}, at once {free:F1} ({2 * alone / free:F2}x), at once in step {inStep:F1} ({2 * alone / inStep:F2}x)"));
            }
        }

        // How many times one thread's work `threads` threads of BatchBenchmarks.PeakFma (independent FMA chains from
        // registers, no memory; five calls each) get done in the same time: what the cores themselves give at this moment, with no
        // data shared. Best of five rounds each.
        private static double FmaScaling(int threads)
        {
            if (!System.Runtime.Intrinsics.X86.Fma.IsSupported)
            {
                return double.NaN;
            }

            var peak = new BatchBenchmarks();
            double alone = double.MaxValue, together = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                long start = Stopwatch.GetTimestamp();
                Chains(peak);
                alone = Math.Min(alone, Stopwatch.GetElapsedTime(start).TotalMicroseconds);

                using var go = new Barrier(threads);
                var others = new Thread[threads - 1];
                for (int t = 0; t < others.Length; t++)
                {
                    others[t] = new Thread(() =>
                    {
                        go.SignalAndWait();
                        Chains(peak);
                    });
                    others[t].Start();
                }

                go.SignalAndWait();
                start = Stopwatch.GetTimestamp();
                Chains(peak);
                foreach (Thread other in others)
                {
                    other.Join();
                }

                together = Math.Min(together, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            return threads * alone / together;
        }

        // About a millisecond of chains, so that starting and joining a thread weighs little against it.
        private static void Chains(BatchBenchmarks peak)
        {
            for (int i = 0; i < 5; i++)
            {
                peak.PeakFma();
            }
        }

        /// <summary>
        /// Warms both trainers up (tier-up of every path, the threads and buffers), then trains them alternate epochs of
        /// <paramref name="data"/>: µs per minibatch of each, and the ratio one / many, per epoch pair.
        /// </summary>
        internal static (List<double> One, List<double> Many, List<double> Ratios) Alternate(
            Trainer<float> one, Trainer<float> many, Dataset<float> data, int batch, int epochs)
        {
            for (int i = 0; i < 10; i++)
            {
                one.Train(data);
                many.Train(data);
            }

            int batches = (data.Count + batch - 1) / batch;
            var timesOne = new List<double>();
            var timesMany = new List<double>();
            var ratios = new List<double>();
            for (int e = 0; e < epochs; e++)
            {
                // Alternate which goes first, so neither always follows the other.
                Trainer<float> first = e % 2 == 0 ? one : many, second = e % 2 == 0 ? many : one;
                double a = Time(first, data, batches), b = Time(second, data, batches);
                (double o, double m) = e % 2 == 0 ? (a, b) : (b, a);
                timesOne.Add(o);
                timesMany.Add(m);
                ratios.Add(o / m);
            }

            return (timesOne, timesMany, ratios);
        }

        private static double Time(Trainer<float> trainer, Dataset<float> data, int batches)
        {
            long start = Stopwatch.GetTimestamp();
            trainer.Train(data);
            return Stopwatch.GetElapsedTime(start).TotalMicroseconds / batches;
        }

        /// <summary>The median of <paramref name="values"/> (the upper one of an even count), which are left unsorted.</summary>
        internal static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

        private static double Percentile(IReadOnlyList<double> values, double p)
        {
            var sorted = new List<double>(values);
            sorted.Sort();
            return sorted[(int)Math.Round(p * (sorted.Count - 1))];
        }
    }
}
