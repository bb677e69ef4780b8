using System;
using System.Threading;
using NnGen.Testing;
using Xunit;

namespace NnGen.Tests
{
    /// <summary>
    /// The threads behind TrainerOptions.Threads: every unit of a job runs exactly once, on whichever thread takes it;
    /// a thread held back before it starts does not hold the job; a thread late for a job never runs a unit of a later one.
    /// </summary>
    public sealed class UnitTeamTests
    {
        [Theory]
        [InlineData(2, 1)]
        [InlineData(3, 4)]
        [InlineData(4, 3)]
        public void Every_unit_runs_exactly_once_per_job(int threads, int unitsPerThread)
        {
            int[] homeStart = EvenHomes(threads, unitsPerThread);
            int units = homeStart[threads];
            var runs = new int[units];
            var random = new Random(3);
            var work = new int[units];
            using var team = new UnitTeam(homeStart, _ => { }, (_, u) =>
            {
                Interlocked.Increment(ref runs[u]);
                Thread.SpinWait(work[u]);
            });

            for (int job = 1; job <= 2000; job++)
            {
                // Uneven and changing work, so that units change hands now and then.
                for (int u = 0; u < units; u++)
                {
                    work[u] = random.Next(0, 400);
                }

                team.Run();
                for (int u = 0; u < units; u++)
                {
                    Assert.Equal(job, Volatile.Read(ref runs[u]));
                }

                if (job % 500 == 0)
                {
                    // Longer than the threads spin, so that they block and Run must wake them.
                    Thread.Sleep(30);
                }
            }
        }

        [Fact]
        public void A_thread_held_back_before_it_starts_does_not_hold_the_job_and_runs_no_unit_of_it_later()
        {
            using var gate = new ManualResetEventSlim(false);
            using var entered = new ManualResetEventSlim(false);
            int holdJob = 3, job = 0;
            var runs = new int[6];
            var ranBy = new int[6];
            bool enteredInTime = true;
            var prepared = new int[2];
            int mismatches = 0;
            using var team = new UnitTeam(new[] { 0, 3, 6 }, w =>
            {
                prepared[w] = Volatile.Read(ref job);
                if (prepared[w] != holdJob)
                {
                    return;
                }

                if (w == 1)
                {
                    entered.Set();
                    gate.Wait();
                }
                else
                {
                    // The calling thread starts on its units only once thread 1 is held.
                    enteredInTime = entered.Wait(TimeSpan.FromSeconds(30));
                }
            }, (w, u) =>
            {
                // A thread runs units only of the job it prepared for (its preparation may hold state for them).
                if (prepared[w] != Volatile.Read(ref job))
                {
                    Interlocked.Increment(ref mismatches);
                }

                if (Volatile.Read(ref job) == holdJob + 1)
                {
                    // Slow units in the next job, so that thread 1 wakes while it still has units to take.
                    Thread.Sleep(2);
                }

                Interlocked.Increment(ref runs[u]);
                ranBy[u] = w;
            });

            for (job = 1; job < holdJob; job++)
            {
                team.Run();
            }

            // Thread 1 blocks in its preparation for this job, wherever it is: the calling thread runs all six units.
            Volatile.Write(ref job, holdJob);
            Array.Clear(ranBy);
            team.Run();
            Assert.True(enteredInTime);
            Assert.All(runs, count => Assert.Equal(holdJob, count));
            Assert.All(ranBy, w => Assert.Equal(0, w));

            // Released during a later job, thread 1 finds the held job over and takes nothing of it.
            gate.Set();
            for (int more = 1; more <= 200; more++)
            {
                Volatile.Write(ref job, holdJob + more);
                team.Run();
                Assert.All(runs, count => Assert.Equal(holdJob + more, count));
            }

            Assert.Equal(0, mismatches);
        }

        [Fact]
        public void A_failing_unit_is_rethrown_after_the_job_and_the_team_runs_on()
        {
            int failOn = -1;
            var runs = new int[8];
            using var team = new UnitTeam(new[] { 0, 4, 8 }, _ => { }, (_, u) =>
            {
                if (u == Volatile.Read(ref failOn))
                {
                    throw new InvalidOperationException("unit " + u);
                }

                Interlocked.Increment(ref runs[u]);
            });

            for (int u = 0; u < 8; u++)
            {
                Volatile.Write(ref failOn, u);
                var error = Assert.Throws<InvalidOperationException>(team.Run);
                Assert.Equal("unit " + u, error.Message);
            }

            Volatile.Write(ref failOn, -1);
            Array.Clear(runs);
            team.Run();
            Assert.All(runs, count => Assert.Equal(1, count));
        }

        [Fact]
        public void A_failing_preparation_of_the_calling_thread_is_rethrown_and_the_team_runs_on()
        {
            bool fail = true;
            var runs = new int[4];
            using var team = new UnitTeam(new[] { 0, 2, 4 }, w =>
            {
                if (w == 0 && Volatile.Read(ref fail))
                {
                    throw new InvalidOperationException("prepare");
                }
            }, (_, u) => Interlocked.Increment(ref runs[u]));

            Assert.Equal("prepare", Assert.Throws<InvalidOperationException>(team.Run).Message);
            Volatile.Write(ref fail, false);
            Array.Clear(runs);
            team.Run();
            Assert.All(runs, count => Assert.Equal(1, count));
        }

        [Fact]
        public void A_job_allocates_nothing_on_the_calling_thread()
        {
            var sums = new double[6];
            using var team = new UnitTeam(new[] { 0, 3, 6 }, _ => { }, (_, u) => sums[u] += u);
            for (int i = 0; i < 1000; i++)
            {
                team.Run();
            }

            Assert.Equal(0, Allocations.Least(() =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    team.Run();
                }
            }));
        }

        [Fact]
        public void Threads_that_waited_too_long_end_and_the_next_job_starts_them_again()
        {
            var runs = new int[6];
            using var arrived = new CountdownEvent(2);
            bool allArrived = true;
            using var team = new UnitTeam(new[] { 0, 2, 4, 6 }, w =>
            {
                if (w > 0)
                {
                    arrived.Signal();
                }
                else
                {
                    // The calling thread goes on only once both other threads prepared for this job: they must be running.
                    allArrived &= arrived.Wait(TimeSpan.FromSeconds(30));
                }
            }, (_, u) => Interlocked.Increment(ref runs[u]), idleTimeout: TimeSpan.FromMilliseconds(10));

            for (int round = 1; round <= 5; round++)
            {
                arrived.Reset();
                team.Run();
                Assert.True(allArrived, $"round {round}: a thread did not start");
                Assert.All(runs, count => Assert.Equal(round, count));

                // Long enough for every thread to spin, block and end.
                Thread.Sleep(150);
            }
        }

        [Fact]
        public void A_team_that_nobody_holds_ends_its_threads_when_it_is_collected()
        {
            // An idle timeout far past the test's wait, so that only the collection can end them. Before, the threads held
            // the team (and through its delegates a trainer, its network and buffers) until IdleTimeout.
            (WeakReference team, WeakReference payload, Thread[] threads) = RunAndDrop(TimeSpan.FromMinutes(10));

            for (int attempt = 0; attempt < 50 && (team.IsAlive || payload.IsAlive || !AllEnded(threads)); attempt++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(20);
            }

            Assert.False(team.IsAlive, "the team outlived every reference to it");
            Assert.False(payload.IsAlive, "what the team's work holds outlived the team");
            Assert.True(AllEnded(threads), "a thread of a collected team still runs");
        }

        [Fact]
        public void A_team_whose_threads_wait_is_not_collected_while_its_owner_holds_it()
        {
            var runs = new int[4];
            var team = new UnitTeam(new[] { 0, 2, 4 }, _ => { }, (_, u) => Interlocked.Increment(ref runs[u]), idleTimeout: TimeSpan.FromMinutes(10));
            try
            {
                for (int job = 1; job <= 20; job++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    team.Run();
                    Assert.All(runs, count => Assert.Equal(job, count));
                    Assert.All(team.Threads, thread => Assert.True(thread.IsAlive));
                }
            }
            finally
            {
                team.Dispose();
            }

            Assert.True(AllEnded(team.Threads));
        }

        // A team whose work holds a large array, run once and then dropped: weak references to both, and its threads.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static (WeakReference Team, WeakReference Payload, Thread[] Threads) RunAndDrop(TimeSpan idleTimeout)
        {
            var payload = new float[1 << 20];
            var team = new UnitTeam(new[] { 0, 2, 4 }, _ => { }, (_, u) => payload[u]++, idleTimeout);
            team.Run();
            team.Run();
            Assert.Equal(2f, payload[3]);

            // Checked here, while the team is held: once this returns, any collection (another test's, in parallel) may
            // end them, which is what the caller waits for. Checked after the return, this failed once in CI.
            Assert.All(team.Threads, thread => Assert.True(thread.IsAlive));
            return (new WeakReference(team), new WeakReference(payload), team.Threads);
        }

        private static bool AllEnded(Thread[] threads) => Array.TrueForAll(threads, thread => thread.Join(TimeSpan.FromMilliseconds(100)));

        [Fact]
        public void More_threads_than_cores_still_run_every_unit_once()
        {
            int threads = Environment.ProcessorCount + 2;
            int[] homeStart = EvenHomes(threads, 2);
            var runs = new int[2 * threads];
            using var team = new UnitTeam(homeStart, _ => { }, (_, u) => Interlocked.Increment(ref runs[u]));
            for (int job = 1; job <= 300; job++)
            {
                team.Run();
                Assert.All(runs, count => Assert.Equal(job, count));
            }
        }

        [Fact]
        public void Jobs_with_their_own_home_ranges_run_each_of_their_units_once()
        {
            // The row split's jobs: the team's ranges, ranges with two more units per thread (the shares of the next
            // block after each thread's rows), and ranges of the shares alone; one empty range among them.
            int[][] jobs = { new[] { 0, 3, 5, 8 }, new[] { 0, 5, 9, 14 }, new[] { 0, 2, 4, 6 }, new[] { 0, 0, 4, 6 } };
            var runs = new int[14];
            int current = 0, job = 0;
            using var team = new UnitTeam(jobs[0], _ => { }, (_, u) =>
            {
                Assert.True(u < jobs[Volatile.Read(ref current)][3], $"unit {u} is not one of job {current}'s");
                Interlocked.Increment(ref runs[u]);
                // Uneven and changing work, so that units change hands now and then.
                Thread.SpinWait(((u * 37) + (Volatile.Read(ref job) * 11)) % 200);
            });

            for (; job < 2000; job++)
            {
                Volatile.Write(ref current, job % jobs.Length);
                int[] homeStart = jobs[current];
                Array.Clear(runs);
                if (current == 0)
                {
                    team.Run();
                }
                else
                {
                    team.Run(homeStart);
                }

                for (int u = 0; u < runs.Length; u++)
                {
                    Assert.Equal(u < homeStart[3] ? 1 : 0, Volatile.Read(ref runs[u]));
                }
            }
        }

        [Fact]
        public void Home_ranges_that_do_not_fit_the_team_are_rejected()
        {
            var runs = new int[4];
            using var team = new UnitTeam(new[] { 0, 2, 4 }, _ => { }, (_, u) => runs[u]++);
            Assert.Throws<ArgumentException>("homeStart", () => team.Run(new[] { 0, 2, 4, 6 }));
            Assert.Throws<ArgumentException>("homeStart", () => team.Run(new[] { 1, 2, 4 }));
            Assert.Throws<ArgumentException>("homeStart", () => team.Run(new[] { 0, 3, 2 }));
            Assert.Throws<ArgumentException>("homeStart", () => team.Run(new[] { 0, 2, 70000 }));
            Assert.All(runs, count => Assert.Equal(0, count));
            team.Run();
            Assert.All(runs, count => Assert.Equal(1, count));
        }

        // unitsPerThread home units for each of `threads` threads, one range after another.
        private static int[] EvenHomes(int threads, int unitsPerThread)
        {
            var homeStart = new int[threads + 1];
            for (int w = 0; w <= threads; w++)
            {
                homeStart[w] = w * unitsPerThread;
            }

            return homeStart;
        }
    }
}
