using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NativeAotConsumer;
using NnGen;
using NnGen.Samples.DigitsBaked;

// What a shipped NativeAOT program does with NnGen: run baked networks, train, save, load, export and import. Each
// line "NAME, bits: HASH" hashes every bit of what NAME computed and is promised to be the same under the JIT and under
// NativeAOT; "NAME: N of M" lines count right answers on the digits test split.

Dataset<float> digits = Csv.Load<float>(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"));
(Dataset<float> train, Dataset<float> test) = digits.Split(0.8, 5);   // the split the baked weights were trained on
train.ScaleInputs(16);
test.ScaleInputs(16);
string folder = Path.Combine(Path.GetTempPath(), "nngen-aot-consumer-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    // The DigitsBaked sample's networks: unrolled, the whole test split in one ForwardBatch; packed, one image at a time.
    float[] outputs = new float[test.Count * 10];
    new DigitsClassifier().ForwardBatch(test.Inputs, outputs);
    Report("baked unrolled digits", outputs);
    var packed = new PackedDigitsClassifier();
    for (int i = 0; i < test.Count; i++)
    {
        packed.Forward(test.Input(i), outputs.AsSpan(i * 10, 10));
    }

    Report("baked packed digits", outputs);

    // The same weights file loaded at run time into a trainable network, then frozen into a snapshot (packed layers).
    var loaded = new AutoDigits();
    WeightsFile.Load(loaded, Path.Combine(AppContext.BaseDirectory, "digits.nngw"));
    AutoDigits.Inference snapshot = loaded.ToInference();
    snapshot.ForwardBatch(test.Inputs, outputs);
    Report("snapshot of the loaded weights", outputs);

    // Training: Adam, one thread and two; the built-in cost and a loss function of the runtime; float and double.
    var unrolled = new UnrolledDigits();
    Train(unrolled, null, 1);
    ReportTrained("unrolled 64-8-10 trained on 1 thread", unrolled);
    Train(unrolled, null, 2);
    ReportTrained("unrolled 64-8-10 trained on 2 threads", unrolled);

    var logits = new LogitDigits();
    Train(logits, new SoftmaxCrossEntropyLoss<float>(labelSmoothing: 0.05), 2);
    ReportTrained("Elu-identity 64-8-10 trained with SoftmaxCrossEntropyLoss", logits);

    Dataset<double> trainDouble = Csv.Load<double>(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv")).Split(0.8, 5).Train;
    trainDouble.ScaleInputs(16);
    var inDouble = new DoubleDigits();
    inDouble.InitializeParameters(seed: 3);
    new Trainer<double>(inDouble, new TrainerOptions { Epochs = 4, LearningRate = 0.5, Seed = 3 }).Train(trainDouble);
    Console.WriteLine($"double logistic 64-8-10 trained with SGD, bits: {Hash(inDouble.Parameters)}");

    // The vectorised network: its accuracy only (above).
    var auto = new AutoDigits();
    Train(auto, null, 2);
    Console.WriteLine($"auto 64-32-10 trained on 2 threads: {Correct(auto)} of {test.Count}");

    // Files: the weights format and safetensors, each saved, loaded into a fresh network and compared bit for bit.
    string weights = Path.Combine(folder, "unrolled.nngw");
    WeightsFile.Save(unrolled, weights);
    var fromWeights = new UnrolledDigits();
    WeightsFile.Load(fromWeights, weights);
    string tensors = Path.Combine(folder, "unrolled.safetensors");
    Safetensors.Export(unrolled, tensors);
    var fromTensors = new UnrolledDigits();
    Safetensors.Import(fromTensors, tensors);
    Console.WriteLine($"weights file round trip: {fromWeights.Parameters.SequenceEqual(unrolled.Parameters)}, safetensors round trip: {fromTensors.Parameters.SequenceEqual(unrolled.Parameters)}");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

void Train(INetwork<float> net, LossFunction<float>? loss, int threads)
{
    net.InitializeParameters(seed: 1);
    var options = new TrainerOptions { Epochs = 6, BatchSize = 32, LearningRate = 0.01, Optimizer = Optimizer.Adam(), Seed = 1, Threads = threads };
    new Trainer<float>(net, options, loss).Train(train, test);
}

void Report(string name, ReadOnlySpan<float> outputs)
{
    Console.WriteLine($"{name}: {CountCorrect(outputs)} of {test.Count}");
    Console.WriteLine($"{name}, bits: {Hash(outputs)}");
}

// A trained network: its right answers on the test split, and the bits of its parameters.
void ReportTrained(string name, INetwork<float> net)
{
    Console.WriteLine($"{name}: {Correct(net)} of {test.Count}");
    Console.WriteLine($"{name}, bits: {Hash(net.Parameters)}");
}

// Right answers from each test image's Forward alone.
int Correct(IInferenceNetwork<float> net)
{
    float[] all = new float[test.Count * 10];
    for (int i = 0; i < test.Count; i++)
    {
        net.Forward(test.Input(i), all.AsSpan(i * 10, 10));
    }

    return CountCorrect(all);
}

// Right answers among the test split's outputs, ten per image.
int CountCorrect(ReadOnlySpan<float> outputs)
{
    int correct = 0;
    for (int i = 0; i < test.Count; i++)
    {
        correct += Evaluation.IsCorrect(outputs.Slice(i * 10, 10), test.Target(i)) ? 1 : 0;
    }

    return correct;
}

// FNV-1a over the bits of every value.
static string Hash<T>(ReadOnlySpan<T> values) where T : unmanaged
{
    ulong hash = 14695981039346656037UL;
    foreach (byte b in System.Runtime.InteropServices.MemoryMarshal.AsBytes(values))
    {
        hash = (hash ^ b) * 1099511628211UL;
    }

    return hash.ToString("X16", CultureInfo.InvariantCulture);
}
