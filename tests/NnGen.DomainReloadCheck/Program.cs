using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace NnGen
{
    // Runs inside the domain that is unloaded: a team that ran jobs and is now parked (idle), or whose jobs another thread
    // of the domain keeps running (busy: training while play mode is entered). A static field keeps it alive, as a
    // component holding its trainer would.
    public sealed class Probe : MarshalByRefObject
    {
        private static UnitTeam? s_team;
        private static long s_sum;

        public long Start(int parts, string mode)
        {
            var home = new int[parts + 1];
            for (int i = 0; i <= parts; i++)
            {
                home[i] = i * 8;
            }

            s_team = new UnitTeam(home, _ => { }, (w, u) => { Interlocked.Add(ref s_sum, u); Thread.SpinWait(200); });
            for (int j = 0; j < 1000; j++)
            {
                s_team.Run();
            }

            if (mode == "busy")
            {
                new Thread(() => { while (true) { s_team.Run(); } }) { IsBackground = true }.Start();
            }
            else if (mode == "stuck")
            {
                // The check's own check: Mono does not abort a finally block, so this thread keeps the domain from unloading.
                new Thread(() => { try { } finally { Thread.Sleep(Timeout.Infinite); } }) { IsBackground = true }.Start();
            }

            Thread.Sleep(100);
            return Interlocked.Read(ref s_sum);
        }
    }

    public static class Program
    {
        private static int OsThreads() => Directory.GetDirectories("/proc/self/task").Length;

        public static int Main(string[] args)
        {
            int parts = args.Length > 0 ? int.Parse(args[0]) : 2;
            string mode = args.Length > 1 ? args[1] : "idle";
            int start = OsThreads();
            Console.WriteLine($"{parts} parts, {mode}; {start} OS threads at the start");
            for (int reload = 0; reload < 5; reload++)
            {
                AppDomain domain = AppDomain.CreateDomain("reload " + reload, null, new AppDomainSetup { ApplicationBase = AppDomain.CurrentDomain.BaseDirectory });
                var probe = (Probe)domain.CreateInstanceAndUnwrap(typeof(Probe).Assembly.FullName, typeof(Probe).FullName!);
                long sum = probe.Start(parts, mode);
                int before = OsThreads();
                var clock = Stopwatch.StartNew();
                var unload = new Thread(() =>
                {
                    try
                    {
                        AppDomain.Unload(domain);
                    }
                    catch (CannotUnloadAppDomainException e)
                    {
                        Console.WriteLine("  " + e.Message);
                    }
                }) { IsBackground = true };
                unload.Start();
                if (!unload.Join(TimeSpan.FromSeconds(5)))
                {
                    Console.WriteLine($"FAILED: reload {reload} did not unload within 5 s");
                    return 1;
                }

                Console.WriteLine($"  reload {reload}: units summed to {sum}; {before} OS threads before the unload, which took {clock.ElapsedMilliseconds} ms");
            }

            Thread.Sleep(500);
            int end = OsThreads();
            Console.WriteLine($"{end} OS threads at the end");
            if (end > start)
            {
                Console.WriteLine("FAILED: threads were left behind");
                return 1;
            }

            return 0;
        }
    }
}
