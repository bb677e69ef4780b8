using System;
using System.IO;
using System.Linq;
using NnGen;

// `App save PATH SEED` saves a network seeded with SEED to PATH; `App check PATH SEED` says whether PATH holds it. The
// package tests kill a save midway with a file size limit and check that the last good file is still there.
if (args.Length == 3 && args[0] is "save" or "check")
{
    var seeded = new SaveNet();
    seeded.InitializeParameters(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    if (args[0] == "save")
    {
        Console.WriteLine("saving");
        WeightsFile.Save(seeded, args[1]);
        Console.WriteLine("saved");
    }
    else
    {
        var fromFile = new SaveNet();
        WeightsFile.Load(fromFile, args[1]);
        Console.WriteLine($"weights of seed {args[2]}: {fromFile.Parameters.SequenceEqual(seeded.Parameters)}");
    }

    return;
}

// XOR, trained with the runtime's Trainer.
var xor = new Dataset<float>(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, new float[] { 0, 1, 1, 0 }, 2, 1);
var net = new XorNet();
net.InitializeParameters(seed: 3);
TrainingResult result = new Trainer<float>(net, new TrainerOptions { Epochs = 2000, BatchSize = 4, LearningRate = 0.5, Optimizer = Optimizer.Sgd() }).Train(xor);
Console.WriteLine($"xor accuracy: {Evaluation.Evaluate(net, xor).Accuracy}");

// Save, and load into a fresh instance.
string path = Path.Combine(Path.GetTempPath(), $"xor-{Guid.NewGuid():N}.nngw");
WeightsFile.Save(net, path);
var reloaded = new XorNet();
WeightsFile.Load(reloaded, path);
File.Delete(path);
Console.WriteLine($"reloaded weights match: {net.Parameters.SequenceEqual(reloaded.Parameters)}");

// Every network of the netstandard2.1 / C# 9 library.
var lines = UnityLike.Surface.Exercise();
foreach (string line in lines.Where(l => !l.EndsWith(": ok", StringComparison.Ordinal)))
{
    Console.WriteLine(line);
}

Console.WriteLine($"surface: {lines.Count(l => l.EndsWith(": ok", StringComparison.Ordinal))} of {lines.Count} ok");

// The baked network against the same file loaded at run time.
var baked = new UnityLike.BakedSeed();
var loaded = new SeedTwin();
WeightsFile.Load(loaded, args[0]);
float[] a = new float[2], b = new float[2];
bool same = true;
for (int i = 0; i < 100; i++)
{
    float[] x = { (i % 10) / 5f - 1, (i / 10) / 5f - 1 };
    baked.Forward(x, a);
    loaded.Forward(x, b);
    same &= BitConverter.SingleToInt32Bits(a[0]) == BitConverter.SingleToInt32Bits(b[0]) && BitConverter.SingleToInt32Bits(a[1]) == BitConverter.SingleToInt32Bits(b[1]);
}

Console.WriteLine($"baked equals loaded: {same}");

[Network(Inputs = 2, Cost = Cost.BinaryCrossEntropy)]
[Layer(4, Activation.Tanh)]
[Layer(1, Activation.Logistic)]
public partial class XorNet { }

[Network(Inputs = 2, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled)]
[Layer(3, Activation.Tanh)]
[Layer(4, Activation.Tanh)]
[Layer(2, Activation.Identity)]
public partial class SeedTwin { }

// 676 parameters: a 2.7 KB weights file, past a file size limit of 1 KB.
[Network(Inputs = 16, Cost = Cost.SquaredError)]
[Layer(32, Activation.Tanh)]
[Layer(4, Activation.Identity)]
public partial class SaveNet { }
