// Trains the 2-3-4-2 tanh network of seed 001 on a small regression task and prints the loss falling.
//
// Task: from a point (x1, x2) in [-1, 1]², predict y1 = tanh(2·x1 − x2) and y2 = (x1² − x2) / 2.
// Plain minibatch SGD through the generated Accumulate and Step; no runtime trainer involved.

using System;
using System.Diagnostics;
using NnGen.Samples;

const int TrainCount = 512;
const int TestCount = 256;
const int BatchSize = 8;
const int Epochs = 200;
const float LearningRate = 0.05f;

var random = new Random(2024);
(float[] trainX, float[] trainY) = MakeData(TrainCount, random);
(float[] testX, float[] testY) = MakeData(TestCount, random);

var net = new SeedNet();
net.InitializeParameters(seed: 1);

Console.WriteLine($"SeedNet: {SeedNet.InputCount} → 3 tanh → 4 tanh → {SeedNet.OutputCount}, {SeedNet.ParameterCount} parameters, squared error.");
Console.WriteLine($"Training on {TrainCount} points, testing on {TestCount}; batch {BatchSize}, learning rate {LearningRate}.");
Console.WriteLine();
Console.WriteLine(" epoch   train loss    test loss");
Console.WriteLine($"{0,6}   {MeanLoss(net, trainX, trainY),10:F5}   {MeanLoss(net, testX, testY),10:F5}");

int[] order = new int[TrainCount];
for (int i = 0; i < order.Length; i++)
{
    order[i] = i;
}

var clock = Stopwatch.StartNew();
for (int epoch = 1; epoch <= Epochs; epoch++)
{
    Shuffle(order, random);
    float sum = 0;
    for (int start = 0; start < TrainCount; start += BatchSize)
    {
        for (int b = start; b < start + BatchSize; b++)
        {
            int i = order[b];
            sum += net.Accumulate(trainX.AsSpan(i * 2, 2), trainY.AsSpan(i * 2, 2));
        }

        net.Step(LearningRate);
    }

    if (epoch % 20 == 0)
    {
        Console.WriteLine($"{epoch,6}   {sum / TrainCount,10:F5}   {MeanLoss(net, testX, testY),10:F5}");
    }
}

clock.Stop();
Console.WriteLine();
Console.WriteLine($"{Epochs} epochs in {clock.Elapsed.TotalMilliseconds:F0} ms.");

Span<float> input = stackalloc float[SeedNet.InputCount];
Span<float> output = stackalloc float[SeedNet.OutputCount];
foreach ((float x1, float x2) in new[] { (0.5f, 0.5f), (-0.8f, 0.3f), (0.9f, -0.9f) })
{
    input[0] = x1;
    input[1] = x2;
    net.Forward(input, output);
    (float y1, float y2) = Target(x1, x2);
    Console.WriteLine($"f({x1,5:F2}, {x2,5:F2}) = ({output[0],6:F3}, {output[1],6:F3})   target ({y1,6:F3}, {y2,6:F3})");
}

static (float Y1, float Y2) Target(float x1, float x2) =>
    (MathF.Tanh(2 * x1 - x2), 0.5f * x1 * x1 - 0.5f * x2);

static (float[] X, float[] Y) MakeData(int count, Random random)
{
    var x = new float[count * 2];
    var y = new float[count * 2];
    for (int i = 0; i < count; i++)
    {
        float x1 = (float)(random.NextDouble() * 2 - 1);
        float x2 = (float)(random.NextDouble() * 2 - 1);
        (y[i * 2], y[i * 2 + 1]) = Target(x1, x2);
        (x[i * 2], x[i * 2 + 1]) = (x1, x2);
    }

    return (x, y);
}

static float MeanLoss(SeedNet net, float[] x, float[] y)
{
    float sum = 0;
    int count = x.Length / 2;
    for (int i = 0; i < count; i++)
    {
        sum += net.Loss(x.AsSpan(i * 2, 2), y.AsSpan(i * 2, 2));
    }

    return sum / count;
}

static void Shuffle(int[] order, Random random)
{
    for (int i = order.Length - 1; i > 0; i--)
    {
        int j = random.Next(i + 1);
        (order[i], order[j]) = (order[j], order[i]);
    }
}
