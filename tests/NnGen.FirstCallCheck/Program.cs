using System;
using System.Runtime.CompilerServices;
using FirstCallCheck.Networks;
using NnGen;

// Set-up first, which may run unoptimised: construction, snapshots, arrays. Then BeginCalls marks the point in the
// JIT's listing after which every NnGen method and every member of the networks below must be compiled optimised:
// what follows, up to EndCalls, is each member a game or a training loop calls per sample or per minibatch, once. Then
// trainers are made, and BeginTraining marks where they train: what a training run does once (Train's own body, the
// options, the threads' plan) may compile unoptimised there, what it does per minibatch or per epoch may not
// (FirstCallTests tells the two apart).
var seed = new SeedNet();
var digits = new Digits();
var mnist = new Mnist();
var mixed = new MixedDouble();
var unrolled = new UnrolledEluLogistic();
var logits = new Logits();
var baked = new BakedSeedNet();
var deep = new DeepNarrow();
var deeper = new DeepNarrower();
foreach (INetwork<float> net in new INetwork<float>[] { seed, digits, mnist, unrolled, logits, deep, deeper })
{
    net.InitializeParameters(3);
}

mixed.InitializeParameters(3);
SeedNet.Inference seedSnapshot = seed.ToInference();
Digits.Inference digitsSnapshot = digits.ToInference();
Mnist.Inference mnistSnapshot = mnist.ToInference();
MixedDouble.Inference mixedSnapshot = mixed.ToInference();
SeedNet.InferenceValue seedValue = seed.ToInferenceValue();
Digits.InferenceValue digitsValue = digits.ToInferenceValue();
var huber = new HuberLoss<float>();
var huberDouble = new HuberLoss<double>();
var softmaxLoss = new SoftmaxCrossEntropyLoss<float>();

// What runs once per type or per loss function runs here: static constructors (each network's Architecture), a loss
// function's check that it suits the network, and the size properties the calls below read for their arrays.
foreach (Type type in new[] { typeof(SeedNet), typeof(Digits), typeof(Mnist), typeof(MixedDouble), typeof(UnrolledEluLogistic), typeof(Logits), typeof(BakedSeedNet), typeof(DeepNarrow), typeof(DeepNarrower) })
{
    RuntimeHelpers.RunClassConstructor(type.TypeHandle);
}

foreach (INetwork<float> net in new INetwork<float>[] { seed, digits, mnist, unrolled, logits, deep, deeper })
{
    _ = (net.InputCount, net.OutputCount, net.Parameters.Length, huber.CheckArchitecture(net.Architecture), softmaxLoss.CheckArchitecture(net.Architecture));
}

INetwork<double> mixedNet = mixed;
_ = (mixedNet.InputCount, mixedNet.OutputCount, mixedNet.Parameters.Length, huberDouble.CheckArchitecture(MixedDouble.Architecture));
foreach (IInferenceNetwork<float> net in new IInferenceNetwork<float>[] { baked, seedSnapshot, digitsSnapshot, mnistSnapshot })
{
    _ = (net.InputCount, net.OutputCount);
}

_ = (((IInferenceNetwork<double>)mixedSnapshot).InputCount, ((IInferenceNetwork<double>)mixedSnapshot).OutputCount);

Console.WriteLine("set up");
BeginCalls();

Exercise(seed, huber);
Exercise(digits, huber);
Exercise(mnist, huber);
Exercise(unrolled, huber);
Exercise(logits, softmaxLoss);
Exercise(deep, huber);
Exercise(deeper, huber);
Exercise(mixed, huberDouble);
Infer(baked);
Infer(seedSnapshot);
Infer(digitsSnapshot);
Infer(mnistSnapshot);
Infer(mixedSnapshot);
InferValue(seedValue.Forward, SeedNet.InputCount, SeedNet.OutputCount);
InferValue(digitsValue.Forward, Digits.InputCount, Digits.OutputCount);
Console.WriteLine("called");
EndCalls();

// Every way a trainer runs its minibatches: one thread and the threads' two splits (rows of layer 1, samples), plain
// SGD and the optimisers that keep state, the declared cost and a loss function, float and double, a test set with
// early stopping. The trainers and their data are made first, as a program makes them before it trains.
var trainings = new (Func<TrainingResult> Train, string What)[]
{
    Training(mnist, new TrainerOptions { Epochs = 2, BatchSize = 32, Threads = 2 }, null, "784-128-10, two threads (rows of layer 1), SGD"),
    Training(logits, new TrainerOptions { Epochs = 2, BatchSize = 32, Threads = 2, Optimizer = Optimizer.Adam() }, softmaxLoss, "12-40-4, two threads (rows), Adam, a loss function"),
    Training(seed, new TrainerOptions { Epochs = 2, BatchSize = 16, Threads = 2, Optimizer = Optimizer.Momentum() }, null, "2-3-4-2 unrolled, two threads (samples), momentum"),
    Training(digits, new TrainerOptions { Epochs = 3, BatchSize = 16, EarlyStopping = new EarlyStopping { Patience = 1 } }, null, "64-32-10, one thread, early stopping"),
    Training(mixed, new TrainerOptions { Epochs = 2, BatchSize = 16, Optimizer = Optimizer.Sgd(weightDecay: 1e-4) }, null, "double 20-24-6-3, one thread, weight decay"),
};

BeginTraining();
foreach ((Func<TrainingResult> train, string what) in trainings)
{
    TrainingResult result = train();
    Console.WriteLine($"trained {what}: {result.History.Count} epochs");
}

Console.WriteLine("trained");

[MethodImpl(MethodImplOptions.NoInlining)]
static void BeginCalls() => Console.WriteLine("calls begin");

[MethodImpl(MethodImplOptions.NoInlining)]
static void EndCalls() => Console.WriteLine("calls end");

[MethodImpl(MethodImplOptions.NoInlining)]
static void BeginTraining() => Console.WriteLine("training begins");

// A trainer of `net` with a training set of 96 samples and a test set of 16 (inputs as for Exercise, one-hot targets).
static (Func<TrainingResult> Train, string What) Training<T>(INetwork<T> net, TrainerOptions options, LossFunction<T>? loss, string what)
    where T : unmanaged
{
    Dataset<T> Data(int samples)
    {
        T[] targets = new T[net.OutputCount * samples];
        for (int s = 0; s < samples; s++)
        {
            targets[(s * net.OutputCount) + (s % net.OutputCount)] = Convert(default(T), 1);
        }

        return new Dataset<T>(Filled<T>(net.InputCount * samples, 0.25), targets, net.InputCount, net.OutputCount);
    }

    var trainer = new Trainer<T>(net, options, loss);
    Dataset<T> training = Data(96), test = Data(16);
    return (() => trainer.Train(training, test), what);
}

// Every member of INetwork<T> that runs per sample or per minibatch, in both of its overloads where it has two.
static void Exercise<T>(INetwork<T> net, LossFunction<T> loss)
    where T : unmanaged
{
    const int Samples = 3;
    T[] x = Filled<T>(net.InputCount * Samples, 0.25);
    T[] t = Targets<T>(net.OutputCount, Samples);
    T[] y = new T[net.OutputCount * Samples];
    T[] inputGradient = new T[net.InputCount];
    T[] gradients = new T[net.Parameters.Length];
    ReadOnlySpan<T> one = x.AsSpan(0, net.InputCount);
    ReadOnlySpan<T> target = t.AsSpan(0, net.OutputCount);

    net.Forward(one, y.AsSpan(0, net.OutputCount));
    net.ForwardBatch(x, y);
    net.Loss(one, target);
    net.Loss(one, target, y.AsSpan(0, net.OutputCount));
    net.Accumulate(one, target);
    net.Accumulate(one, target, inputGradient);
    net.Accumulate(one, target, loss);
    net.AccumulateGradient(one, target);
    net.AccumulateGradient(one, target, inputGradient);
    net.InputGradient(one, target, inputGradient);
    net.AccumulateBatch(x, t);
    net.AccumulateBatch(x, t, gradients);
    net.AccumulateBatch(x, t, loss);
    net.AccumulateBatch(x, t, gradients, loss);
    net.Step(Convert(default(T), 0.01));
    net.ClearGradients();
}

static void Infer<T>(IInferenceNetwork<T> net)
    where T : unmanaged
{
    const int Samples = 3;
    T[] x = Filled<T>(net.InputCount * Samples, 0.25);
    T[] t = Targets<T>(net.OutputCount, 1);
    T[] y = new T[net.OutputCount * Samples];
    ReadOnlySpan<T> one = x.AsSpan(0, net.InputCount);
    net.Forward(one, y.AsSpan(0, net.OutputCount));
    net.ForwardBatch(x, y);
    net.Loss(one, t);
    net.Loss(one, t, y.AsSpan(0, net.OutputCount));
}

static void InferValue(Forward forward, int inputs, int outputs) => forward(Filled<float>(inputs, 0.25), new float[outputs]);

static T[] Filled<T>(int count, double value)
    where T : unmanaged
{
    var values = new T[count];
    for (int i = 0; i < count; i++)
    {
        values[i] = Convert(default(T), value * ((i % 7) - 3));
    }

    return values;
}

// Every output 1 / outputs: a probability distribution, which every cost and loss here can read.
static T[] Targets<T>(int outputs, int samples)
    where T : unmanaged
{
    var values = new T[outputs * samples];
    Array.Fill(values, Convert(default(T), 1.0 / outputs));
    return values;
}

static T Convert<T>(T _, double value)
    where T : unmanaged =>
    typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;

internal delegate void Forward(ReadOnlySpan<float> input, Span<float> output);

namespace FirstCallCheck.Networks
{
    // Unrolled (every layer small), with a snapshot and a value.
    [Network(Inputs = 2, Cost = Cost.SquaredError)]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    internal partial class SeedNet { }

    // Auto's vectorised layers with the matrix kernels; the snapshot's are packed in panels.
    [Network(Inputs = 64, Cost = Cost.CrossEntropy)]
    [Layer(32, Activation.Tanh)]
    [Layer(10, Activation.Softmax)]
    internal partial class Digits { }

    [Network(Inputs = 784, Cost = Cost.CrossEntropy)]
    [Layer(128, Activation.Relu)]
    [Layer(10, Activation.Softmax)]
    internal partial class Mnist { }

    // Double, a vectorised layer before unrolled ones, logistic and Elu.
    [Network(Inputs = 20, Cost = Cost.CrossEntropy, Precision = Precision.Double)]
    [Layer(24, Activation.Elu)]
    [Layer(6, Activation.Logistic)]
    [Layer(3, Activation.Softmax)]
    internal partial class MixedDouble { }

    [Network(Inputs = 5, Cost = Cost.HalfSquaredError, CodeShape = CodeShape.Unrolled)]
    [Layer(7, Activation.Elu)]
    [Layer(3, Activation.Logistic)]
    internal partial class UnrolledEluLogistic { }

    // Logits for a loss function of the caller's.
    [Network(Inputs = 12, Cost = Cost.HalfSquaredError)]
    [Layer(40, Activation.Relu)]
    [Layer(4, Activation.Identity)]
    internal partial class Logits { }

    // Every layer small enough to unroll, 768 multiply-adds in all, but many neurons: unrolled whole, the members that
    // return an input gradient passed the JIT's 20,000-instruction limit and ran unoptimised for good. Auto now
    // vectorises a layer to stay below it (JitMethodSize).
    [Network(Inputs = 12, Cost = Cost.SquaredError)]
    [Layer(12, Activation.Tanh)]
    [Layer(12, Activation.Tanh)]
    [Layer(12, Activation.Tanh)]
    [Layer(12, Activation.Tanh)]
    [Layer(12, Activation.Tanh)]
    [Layer(4, Activation.Identity)]
    internal partial class DeepNarrow { }

    // Layers too narrow to vectorise with profit (Auto leaves them unrolled), 22 deep: in one method, Accumulate and the
    // members that return an input gradient passed the JIT's limit and ran unoptimised for good. They are now split
    // between layers into local functions (MemberSplit), each optimised.
    [Network(Inputs = 1, Cost = Cost.MeanSquaredError)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    internal partial class DeepNarrower { }

    // Weights compiled in.
    [Network(Inputs = 2, Cost = Cost.SquaredError, CodeShape = CodeShape.Unrolled, Weights = "seed-f.nngw")]
    [Layer(3, Activation.Tanh)]
    [Layer(4, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    internal partial class BakedSeedNet { }
}
