// Classifies the digits sample's test images with weights compiled into the code: no file to load.
// The test split is the one the weights were trained against (seed 5 of samples/Digits). Prints the
// accuracy, the class probabilities of the first images, and a hash of every output bit, so that a
// JIT run and a NativeAOT run can be compared line for line; then the same for the same weights baked
// into packed layers (fused multiply-adds, which NativeAOT's default x64 target computes in software).
//
//   dotnet run --project samples/DigitsBaked
//   dotnet publish samples/DigitsBaked -c Release -r linux-x64 && samples/DigitsBaked/bin/Release/net10.0/linux-x64/publish/DigitsBaked

using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NnGen;
using NnGen.Samples.DigitsBaked;

const int TrainedSeed = 5;

// FNV-1a over the bits of every output value, so that two runs can be compared to the last bit.
const ulong HashStart = 14695981039346656037UL;
static ulong Hash(ulong hash, ReadOnlySpan<float> values)
{
    foreach (float value in values)
    {
        hash = (hash ^ (uint)BitConverter.SingleToInt32Bits(value)) * 1099511628211UL;
    }

    return hash;
}

Dataset<float> digits = Csv.Load<float>(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"));
(_, Dataset<float> test) = digits.Split(0.8, TrainedSeed);
test.ScaleInputs(16);

var net = new DigitsClassifier();
Console.WriteLine($"Network: {DigitsClassifier.Architecture}, {DigitsClassifier.ParameterCount} parameters baked in.");

// All test images in one call.
float[] outputs = new float[test.Count * DigitsClassifier.OutputCount];
net.ForwardBatch(test.Inputs, outputs);

int correct = 0;
ulong hash = HashStart;
for (int i = 0; i < test.Count; i++)
{
    ReadOnlySpan<float> output = outputs.AsSpan(i * DigitsClassifier.OutputCount, DigitsClassifier.OutputCount);
    if (Evaluation.IsCorrect(output, test.Target(i)))
    {
        correct++;
    }

    hash = Hash(hash, output);
}

Console.WriteLine($"Test accuracy: {correct} of {test.Count} = {((double)correct / test.Count).ToString("P2", CultureInfo.InvariantCulture)}");
for (int i = 0; i < 3; i++)
{
    float[] p = outputs.Skip(i * 10).Take(10).ToArray();
    int predicted = Array.IndexOf(p, p.Max());
    Console.WriteLine($"Image {i}: predicted {predicted}, p = [{string.Join(", ", p.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]");
}

Console.WriteLine($"Output hash: {hash:X16}");

// The same weights baked into vectorised layers, packed in panels, one image at a time.
var packed = new PackedDigitsClassifier();
float[] probabilities = new float[PackedDigitsClassifier.OutputCount];
int packedCorrect = 0;
ulong packedHash = HashStart;
for (int i = 0; i < test.Count; i++)
{
    packed.Forward(test.Input(i), probabilities);
    if (Evaluation.IsCorrect(probabilities, test.Target(i)))
    {
        packedCorrect++;
    }

    packedHash = Hash(packedHash, probabilities);
}

Console.WriteLine($"Packed layers: {packedCorrect} of {test.Count} correct, output hash {packedHash:X16}");
