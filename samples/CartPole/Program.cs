using System;
using System.Diagnostics;
using System.Globalization;
using NnGen.Samples.CartPole;

// Trains an agent to balance the pole, for five seeds. The task counts as solved when the mean return over
// 100 consecutive episodes reaches 475 (of 500), within 2,000 episodes.
//   dotnet run -c Release --project samples/CartPole [-- --seeds 5 --episodes 2000]
int seeds = Option("--seeds", 5);
int maxEpisodes = Option("--episodes", 2000);
var total = Stopwatch.StartNew();
int solvedSeeds = 0;
for (int seed = 1; seed <= seeds; seed++)
{
    var watch = Stopwatch.StartNew();
    var agent = new Agent(seed);
    var window = new int[100];
    int windowSum = 0;
    int solvedAt = -1;
    for (int episode = 1; episode <= maxEpisodes && solvedAt < 0; episode++)
    {
        int reward = agent.RunEpisode();
        windowSum += reward - window[episode % 100];
        window[episode % 100] = reward;
        double mean = windowSum / (double)Math.Min(episode, 100);
        if (episode >= 100 && mean >= 475)
        {
            solvedAt = episode;
        }

        if (episode % 100 == 0 || solvedAt > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}, episode {episode,4}: mean return of the last 100 episodes {mean,6:F1}"));
        }
    }

    if (solvedAt > 0)
    {
        solvedSeeds++;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"seed {seed}: {(solvedAt > 0 ? $"solved at episode {solvedAt}" : $"not solved in {maxEpisodes} episodes")} ({watch.Elapsed.TotalSeconds:F1} s)"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"solved for {solvedSeeds} of {seeds} seeds in {total.Elapsed.TotalSeconds:F1} s"));

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
