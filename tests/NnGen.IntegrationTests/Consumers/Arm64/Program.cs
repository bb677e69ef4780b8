using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnGen;
using NnGen.CompilerServices;

// One line per network and form: the hash of every output bit for 16 inputs. Only forms whose bits are promised to be
// the same on every machine are printed; a trainable network's vectorised layers sum across lanes and are not.
Console.Error.WriteLine($"{RuntimeInformation.ProcessArchitecture}, Vector128 {Vector128.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}");

Print("16x16 identity", new Dense16(), 16, n => n.ToInference().Forward, n => n.ToInferenceValue().Forward);
Print("16x16 tanh", new Dense16Tanh(), 16, n => n.ToInference().Forward, n => n.ToInferenceValue().Forward);
Print("64x64", new Dense64(), 64, n => n.ToInference().Forward, null);
Print("2-3-4-2 tanh", new Small2342(), 2, n => n.ToInference().Forward, n => n.ToInferenceValue().Forward);
Print("64-32-10 softmax", new Digits(), 64, n => n.ToInference().Forward, null);
Print("40-136-10 softmax", new Wide136(), 40, n => n.ToInference().Forward, null);
Print("50-40 relu", new Relu50(), 50, n => n.ToInference().Forward, null);
Print("784-128-10 softmax", new Mnist(), 784, n => n.ToInference().Forward, null);
Print("20-24-12-10 logistic", new Logistic20(), 20, n => n.ToInference().Forward, null);
Print("5-7-3 unrolled elu logistic", new Unrolled573(), 5, n => n.Forward, null, "network");
PrintDouble("double 20-24-12-10 tanh logistic", new Double20(), 20, n => n.ToInference().Forward);
PrintDouble("double 3-5-2 unrolled", new DoubleUnrolled(), 3, n => n.Forward, "network");
PrintBatch("64-32-10 softmax ForwardBatch", new Digits(), 64, n => n.ToInference());
PrintBatch("40-136-10 softmax ForwardBatch", new Wide136(), 40, n => n.ToInference());
PrintTraining("5-7-3 unrolled elu logistic trained on 1 thread", threads: 1);
PrintTraining("5-7-3 unrolled elu logistic trained on 2 threads", threads: 2);
PrintMath();

// A snapshot's ForwardBatch of 40 samples (more than a chunk; on AVX-512 the 136-row layer runs the GEMM tiles): each
// sample's outputs are Forward's, on every machine.
static void PrintBatch<TNet>(string name, TNet net, int inputs, Func<TNet, IInferenceNetwork<float>> toInference)
    where TNet : INetwork<float>
{
    net.InitializeParameters(7);
    IInferenceNetwork<float> snapshot = toInference(net);
    var random = new Random(5);
    float[] x = new float[40 * inputs];
    for (int i = 0; i < x.Length; i++)
    {
        x[i] = (float)((random.NextDouble() * 4) - 2);
    }

    var y = new float[40 * net.OutputCount];
    snapshot.ForwardBatch(x, y);
    Console.WriteLine($"{name}, snapshot: {Hash(y)}");
}

// A forced-Unrolled network trained by the Trainer (Adam, minibatches of 16, shuffled): its weights are the same bits on
// every machine, with one thread and with two (whose pieces add into buffers of their own, with Accumulate's statements).
static void PrintTraining(string name, int threads)
{
    var random = new Random(11);
    float[] inputs = new float[96 * 5], targets = new float[96 * 3];
    for (int i = 0; i < inputs.Length; i++)
    {
        inputs[i] = (float)((random.NextDouble() * 4) - 2);
    }

    for (int s = 0; s < 96; s++)
    {
        for (int k = 0; k < 3; k++)
        {
            targets[(s * 3) + k] = inputs[(s * 5) + k] * inputs[(s * 5) + k + 2] > 0 ? 0.9f : 0.1f;
        }
    }

    var net = new Unrolled573();
    net.InitializeParameters(3);
    var options = new TrainerOptions { Epochs = 4, BatchSize = 16, LearningRate = 0.01, Optimizer = Optimizer.Adam(), Seed = 2, Threads = threads };
    new Trainer<float>(net, options).Train(new Dataset<float>(inputs, targets, 5, 3));
    Console.WriteLine($"{name}, network: {Hash(net.Parameters.ToArray())}");
}

// FastMath's own forms over a sweep of the float line, with whatever branch this machine takes in each: the SSE
// minimum and maximum on x64, the comparisons and selects on arm64, four scalar evaluations with no SIMD. The networks
// above feed them inputs in a narrow range; this covers the clamps, infinities, subnormals and NaN too.
static void PrintMath()
{
    float[] x = Sweep();
    var y = new float[x.Length];
    Console.WriteLine($"tanh of one float, math: {Hash(Each(x, y, v => FastMath.Tanh(v)))}");
    for (int i = 0; i < x.Length; i += 4)
    {
        (y[i], y[i + 1], y[i + 2], y[i + 3]) = FastMath.Tanh(x[i], x[i + 1], x[i + 2], x[i + 3]);
    }

    Console.WriteLine($"tanh of four floats, math: {Hash(y)}");
    for (int i = 0; i < x.Length; i += 4)
    {
        FastMath.Tanh(Vector128.Create(x, i)).CopyTo(y, i);
    }

    Console.WriteLine($"tanh of a Vector128, math: {Hash(y)}");
    for (int i = 0; i < x.Length; i += 8)
    {
        FastMath.Tanh(Vector256.Create(x, i)).CopyTo(y, i);
    }

    Console.WriteLine($"tanh of a Vector256, math: {Hash(y)}");
    for (int i = 0; i < x.Length; i += 16)
    {
        FastMath.Tanh(Vector512.Create(x, i)).CopyTo(y, i);
    }

    Console.WriteLine($"tanh of a Vector512, math: {Hash(y)}");
    Array.Clear(y);
    FastMath.Tanh(x, y);
    Console.WriteLine($"tanh of a span, math: {Hash(y)}");
    Console.WriteLine($"exp of one float, math: {Hash(Each(x, y, v => FastMath.Exp(v)))}");
    double[] wide = Array.ConvertAll(x, v => (double)v);
    var z = new double[wide.Length];
    Console.WriteLine($"double tanh, math: {Hash(Each(wide, z, v => FastMath.Tanh(v)))}");
    Array.Clear(z);
    FastMath.Tanh(wide, z);
    Console.WriteLine($"double tanh of a span, math: {Hash(z)}");
    Console.WriteLine($"double exp, math: {Hash(Each(wide, z, v => FastMath.Exp(v)))}");
}

// Every 16,381st bit pattern of float (a prime step, so every exponent and many mantissas, both signs, subnormals,
// infinities and NaN), then the edges by name; a multiple of 16 in all.
static float[] Sweep()
{
    var values = new List<float>();
    for (ulong bits = 0; bits <= uint.MaxValue; bits += 16381)
    {
        values.Add(BitConverter.UInt32BitsToSingle((uint)bits));
    }

    values.AddRange(new[] { 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1f, -1f, 9f, -9f, 88.72f, -103.97f, 89f, -104f });
    while (values.Count % 16 != 0)
    {
        values.Add(0.5f);
    }

    return values.ToArray();
}

static T[] Each<T>(T[] x, T[] y, Func<T, T> f)
{
    for (int i = 0; i < x.Length; i++)
    {
        y[i] = f(x[i]);
    }

    return y;
}

static void Print<TNet>(string name, TNet net, int inputs, Func<TNet, Forward<float>> snapshot, Func<TNet, Forward<float>>? value, string form = "snapshot")
    where TNet : INetwork<float>
{
    net.InitializeParameters(7);
    Console.WriteLine($"{name}, {form}: {Hash(Outputs(snapshot(net), inputs, net.OutputCount, v => (float)v))}");
    if (value is not null)
    {
        Console.WriteLine($"{name}, value: {Hash(Outputs(value(net), inputs, net.OutputCount, v => (float)v))}");
    }
}

static void PrintDouble<TNet>(string name, TNet net, int inputs, Func<TNet, Forward<double>> snapshot, string form = "snapshot")
    where TNet : INetwork<double>
{
    net.InitializeParameters(7);
    Console.WriteLine($"{name}, {form}: {Hash(Outputs(snapshot(net), inputs, net.OutputCount, v => v))}");
}

// Inputs in [−2, 2) from a fixed generator, so that tanh, logistic and softmax see saturated and linear values.
static T[] Outputs<T>(Forward<T> forward, int inputs, int outputs, Func<double, T> convert)
{
    var random = new Random(3);
    var all = new T[16 * outputs];
    var x = new T[inputs];
    for (int k = 0; k < 16; k++)
    {
        for (int i = 0; i < inputs; i++)
        {
            x[i] = convert((random.NextDouble() * 4) - 2);
        }

        forward(x, all.AsSpan(k * outputs, outputs));
    }

    return all;
}

// NaN is hashed as one value: a NaN an operation makes is negative on x64 and positive on arm64, and no output of NnGen
// promises which NaN it is.
static string Hash<T>(T[] values)
    where T : unmanaged
{
    T[] canonical = Array.ConvertAll(values, v => v is float f && float.IsNaN(f) ? (T)(object)float.NaN : v is double d && double.IsNaN(d) ? (T)(object)double.NaN : v);
    ulong hash = 14695981039346656037UL;
    foreach (byte b in MemoryMarshal.AsBytes(canonical.AsSpan()))
    {
        hash = (hash ^ b) * 1099511628211UL;
    }

    return hash.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
}

internal delegate void Forward<T>(ReadOnlySpan<T> input, Span<T> output);

[Network(Inputs = 16, Cost = Cost.HalfSquaredError)]
[Layer(16, Activation.Identity)]
internal partial class Dense16 { }

[Network(Inputs = 16, Cost = Cost.HalfSquaredError)]
[Layer(16, Activation.Tanh)]
internal partial class Dense16Tanh { }

[Network(Inputs = 64, Cost = Cost.HalfSquaredError)]
[Layer(64, Activation.Identity)]
internal partial class Dense64 { }

[Network(Inputs = 2, Cost = Cost.HalfSquaredError)]
[Layer(3, Activation.Tanh)]
[Layer(4, Activation.Tanh)]
[Layer(2, Activation.Identity)]
internal partial class Small2342 { }

[Network(Inputs = 64, Cost = Cost.CrossEntropy)]
[Layer(32, Activation.Tanh)]
[Layer(10, Activation.Softmax)]
internal partial class Digits { }

[Network(Inputs = 40, Cost = Cost.CrossEntropy)]
[Layer(136, Activation.Tanh)]
[Layer(10, Activation.Softmax)]
internal partial class Wide136 { }

[Network(Inputs = 50, Cost = Cost.HalfSquaredError)]
[Layer(40, Activation.Relu)]
internal partial class Relu50 { }

[Network(Inputs = 784, Cost = Cost.CrossEntropy)]
[Layer(128, Activation.Relu)]
[Layer(10, Activation.Softmax)]
internal partial class Mnist { }

[Network(Inputs = 20, Cost = Cost.CrossEntropy, CodeShape = CodeShape.Vectorized)]
[Layer(24, Activation.Logistic)]
[Layer(12, Activation.Logistic, Max = 2, Steepness = 0.5)]
[Layer(10, Activation.Softmax)]
internal partial class Logistic20 { }

[Network(Inputs = 5, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
[Layer(7, Activation.Elu)]
[Layer(3, Activation.Logistic)]
internal partial class Unrolled573 { }

[Network(Inputs = 20, Cost = Cost.CrossEntropy, Precision = Precision.Double, CodeShape = CodeShape.Vectorized)]
[Layer(24, Activation.Tanh)]
[Layer(12, Activation.Logistic)]
[Layer(10, Activation.Softmax)]
internal partial class Double20 { }

[Network(Inputs = 3, Cost = Cost.HalfSquaredError, Precision = Precision.Double, CodeShape = CodeShape.Unrolled)]
[Layer(5, Activation.Tanh)]
[Layer(2, Activation.Logistic)]
internal partial class DoubleUnrolled { }
