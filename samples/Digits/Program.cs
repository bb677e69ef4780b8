// Trains the 64-32-10 digits classifier (tanh hidden layer, softmax output, cross-entropy) on the UCI
// handwritten digits with the reference settings: inputs / 16, plain minibatch SGD, learning rate 0.1,
// batch 32, 30 epochs, a seeded 80/20 split. It does so for five seeds, prints every epoch, reports
// the mean test accuracy, saves the weights of the last run and checks that they load back.
//
//   dotnet run --project samples/Digits [-- --seeds 5 --epochs 30 --out digits.nngw]

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NnGen;
using NnGen.Samples.Digits;

int seeds = Option(args, "--seeds", 5);
int epochs = Option(args, "--epochs", 30);
string weightsPath = OptionText(args, "--out", Path.Combine(AppContext.BaseDirectory, "digits.nngw"));

Dataset<float> digits = Csv.Load<float>(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"));
Console.WriteLine($"Digits: {digits.Count} images of {digits.InputCount} pixels, {digits.TargetCount} classes.");
Console.WriteLine($"Network: {DigitsNet.Architecture} ({DigitsNet.ParameterCount} parameters).");
Console.WriteLine($"Training: SGD, learning rate 0.1, batch 32, {epochs} epochs, 80/20 split; {seeds} seeds.");

var accuracies = new List<double>();
var epochTimes = new List<double>();
DigitsNet? net = null;
Dataset<float>? lastTest = null;
for (int seed = 1; seed <= seeds; seed++)
{
    (Dataset<float> train, Dataset<float> test) = digits.Split(0.8, seed);
    train.ScaleInputs(16);
    test.ScaleInputs(16);

    net = new DigitsNet();
    net.InitializeParameters(seed);
    var trainer = new Trainer<float>(net, new TrainerOptions
    {
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 0.1,
        Seed = seed,
        Progress = new ConsoleProgress(),
    });

    Console.WriteLine();
    Console.WriteLine($"Seed {seed}: {train.Count} training images, {test.Count} test images.");
    TrainingResult result = trainer.Train(train, test);
    accuracies.Add(result.Last.Test!.Value.Accuracy);
    epochTimes.AddRange(result.History.Select(r => r.Duration.TotalMilliseconds));
    lastTest = test;
}

Console.WriteLine();
Console.WriteLine("Test accuracy by seed: " + string.Join(", ", accuracies.Select(a => a.ToString("P2", CultureInfo.InvariantCulture))));
Console.WriteLine($"Mean test accuracy over {seeds} seeds: {accuracies.Average().ToString("P2", CultureInfo.InvariantCulture)}");
Console.WriteLine($"Mean time per epoch: {epochTimes.Average().ToString("F1", CultureInfo.InvariantCulture)} ms");

WeightsFile.Save(net!, weightsPath);
var reloaded = new DigitsNet();
WeightsFile.Load(reloaded, weightsPath);
Metrics check = Evaluation.Evaluate(reloaded, lastTest!);
Console.WriteLine($"Saved the weights of seed {seeds} to {weightsPath} ({new FileInfo(weightsPath).Length} bytes); reloaded: test {check}.");

static int Option(string[] args, string name, int fallback) =>
    int.TryParse(OptionText(args, name, string.Empty), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

static string OptionText(string[] args, string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

/// <summary>Writes each epoch's report as it arrives (System.Progress would post it to the thread pool, out of order).</summary>
internal sealed class ConsoleProgress : IProgress<EpochReport>
{
    public void Report(EpochReport value) => Console.WriteLine("  " + value);
}
