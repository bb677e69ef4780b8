using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace NnGen.Benchmarks
{
    /// <summary>
    /// How fast a network's first calls in a fresh process run: what a game sees in the first frames that use it, or an
    /// agent in its first steps. BenchmarkDotNet measures the steady state after warm-up and cannot show this, so this
    /// mode starts one process per case, and in it times each of the first N calls right after the network is made
    /// (Stopwatch, one timestamp per call). Each case runs twice: as .NET runs by default (tiered compilation), and with
    /// DOTNET_TieredCompilation=0, where everything is compiled optimised at once, which is the speed to reach.
    /// </summary>
    /// <remarks>
    /// dotnet run -c Release --project benchmarks/NnGen.Benchmarks -- first-calls [calls]
    /// </remarks>
    public static class FirstCalls
    {
        private static readonly string[] Cases =
        {
            "2-3-4-2 Forward", "2-3-4-2 snapshot", "64-32-10 Forward", "64-32-10 snapshot", "784-128-10 Forward",
            "784-128-10 snapshot", "64-32-10 forced Unrolled Forward", "64-32-10 Accumulate + Step", "784-128-10 AccumulateBatch(32) + Step",
            "784-128-10 Train, 4 minibatches of 64", "784-128-10 Train, 4 minibatches of 64, Threads = 2",
        };

        public static void Run(string[] args)
        {
            int calls = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 3000;
            if (calls <= 1000)
            {
                // The last range, calls 1,001 to N, is the one the others are read against.
                Console.Error.WriteLine($"first-calls [calls]: calls must be more than 1,000 (3,000 if not given), not {args[0]}.");
                Environment.ExitCode = 2;
                return;
            }

            if (args.Length > 1)
            {
                Measure(args[1], calls);
                return;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First {calls:N0} calls in a fresh process, µs per call: medians over the calls in each range (the first call includes"));
            Console.WriteLine("compiling it); total: all the calls; lost: the calls after the first, less as many at the all-optimised run's last median.");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| case | compilation | 1st call | 2–10 | 11–100 | 101–1,000 | 1,001–{calls:N0} | total | lost |"));
            Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (string name in Cases)
            {
                string[] optimised = Child(name, calls, tiered: false);
                string[] tiered = Child(name, calls, tiered: true);
                double steady = double.Parse(optimised[4], CultureInfo.InvariantCulture);
                foreach ((string label, string[] cells) in new[] { ("tiered (default)", tiered), ("all optimised", optimised) })
                {
                    double total = double.Parse(cells[5], CultureInfo.InvariantCulture);
                    double first = double.Parse(cells[0], CultureInfo.InvariantCulture);
                    double lost = total - (first / 1000) - ((calls - 1) * steady / 1000);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {label} | {string.Join(" | ", cells.Take(5).Select(c => Format(double.Parse(c, CultureInfo.InvariantCulture))))} | {total:F1} ms | {lost:F1} ms |"));
                }
            }
        }

        // One case in a process of its own; "all optimised" is DOTNET_TieredCompilation=0. Returns the six numbers it printed.
        private static string[] Child(string name, int calls, bool tiered)
        {
            // This program again: through the dotnet host that runs it, or as its own executable (dotnet run starts that).
            string program = Environment.ProcessPath!;
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
            if (System.IO.Path.GetFileNameWithoutExtension(program) == "dotnet")
            {
                start.ArgumentList.Add(typeof(FirstCalls).Assembly.Location);
            }

            start.ArgumentList.Add("first-calls");
            start.ArgumentList.Add(calls.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add(name);
            if (!tiered)
            {
                start.Environment["DOTNET_TieredCompilation"] = "0";
            }

            using Process process = Process.Start(start)!;
            string line = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            string[] numbers = line.Split(' ');
            return process.ExitCode == 0 && numbers.Length == 6
                ? numbers
                : throw new InvalidOperationException($"the process for {name} exited with {process.ExitCode} and printed: {line}");
        }

        private static void Measure(string name, int calls)
        {
            Action call = Create(name);
            long[] stamps = new long[calls + 1];
            stamps[0] = Stopwatch.GetTimestamp();
            for (int i = 1; i <= calls; i++)
            {
                call();
                stamps[i] = Stopwatch.GetTimestamp();
            }

            double[] micros = new double[calls];
            for (int i = 0; i < calls; i++)
            {
                micros[i] = (stamps[i + 1] - stamps[i]) * 1e6 / Stopwatch.Frequency;
            }

            double total = (stamps[calls] - stamps[0]) * 1e3 / Stopwatch.Frequency;
            Console.WriteLine(string.Join(' ', new[] { micros[0], Median(micros, 1, 10), Median(micros, 10, 100), Median(micros, 100, 1000), Median(micros, 1000, calls), total }
                .Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        // The network is made, initialised and snapshot here, outside the timed calls, as a game would at loading.
        private static Action Create(string name)
        {
            switch (name)
            {
                case "2-3-4-2 Forward": return Forward(new Net2342(), 2, 2);
                case "2-3-4-2 snapshot": return Forward(Initialised(new Net2342()).ToInference(), 2, 2);
                case "64-32-10 Forward": return Forward(new Net64x32x10(), 64, 10);
                case "64-32-10 snapshot": return Forward(Initialised(new Net64x32x10()).ToInference(), 64, 10);
                case "784-128-10 Forward": return Forward(new Net784x128x10(), 784, 10);
                case "784-128-10 snapshot": return Forward(Initialised(new Net784x128x10()).ToInference(), 784, 10);
                case "64-32-10 forced Unrolled Forward": return Forward(new Net64x32x10Unrolled(), 64, 10);
                case "64-32-10 Accumulate + Step":
                {
                    var net = Initialised(new Net64x32x10());
                    float[] x = Inputs(64, 1), t = Target(10, 1);
                    return () =>
                    {
                        net.Accumulate(x, t);
                        net.Step(0.01f);
                    };
                }

                case "784-128-10 AccumulateBatch(32) + Step":
                {
                    var net = Initialised(new Net784x128x10());
                    float[] x = Inputs(784, 32), t = Target(10, 32);
                    return () =>
                    {
                        net.AccumulateBatch(x, t);
                        net.Step(0.01f);
                    };
                }

                // One epoch of 256 samples per call: what a program that trains in short bursts (a level, an episode) sees.
                case "784-128-10 Train, 4 minibatches of 64": return Train(1);
                case "784-128-10 Train, 4 minibatches of 64, Threads = 2": return Train(2);

                default: throw new ArgumentException("no case " + name, nameof(name));
            }
        }

        private static Action Train(int threads)
        {
            var trainer = new Trainer<float>(
                Initialised(new Net784x128x10()),
                new TrainerOptions { Epochs = 1, BatchSize = 64, LearningRate = 0.001, Threads = threads, TrainingEvaluationSamples = 0 });
            Dataset<float> data = TrainerBenchmarks.RandomSet(256);
            return () => trainer.Train(data);
        }

        private static TNet Initialised<TNet>(TNet net)
            where TNet : INetwork<float>
        {
            net.InitializeParameters(1);
            return net;
        }

        private static Action Forward(IInferenceNetwork<float> net, int inputs, int outputs)
        {
            float[] x = Inputs(inputs, 1), y = new float[outputs];
            return () => net.Forward(x, y);
        }

        private static float[] Inputs(int count, int samples)
        {
            var random = new Random(1);
            return Enumerable.Range(0, count * samples).Select(_ => (float)random.NextDouble()).ToArray();
        }

        private static float[] Target(int outputs, int samples)
        {
            var t = new float[outputs * samples];
            for (int s = 0; s < samples; s++)
            {
                t[(s * outputs) + (s % outputs)] = 1;
            }

            return t;
        }

        private static double Median(IReadOnlyList<double> values, int from, int to)
        {
            double[] range = values.Skip(from).Take(to - from).OrderBy(v => v).ToArray();
            return range[range.Length / 2];
        }

        private static string Format(double micros) =>
            micros >= 100 ? micros.ToString("N0", CultureInfo.InvariantCulture) : micros.ToString(micros >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);
    }
}
