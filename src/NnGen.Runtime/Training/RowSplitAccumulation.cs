using System;
using NnGen.CompilerServices;

namespace NnGen
{
    public sealed partial class Trainer<T>
    {
        /// <summary>
        /// TrainerOptions.Threads above 1 for a network whose first layer does most of the work (model parallelism).
        /// Each thread owns a block of W(1)'s rows, whole panels of 16 (8 in double), for the whole run: it packs them,
        /// computes their Z(1) and A(1), adds their gradient rows and steps them. Only A(1) (one block per thread) and
        /// the small layers after it pass between threads. Splitting the samples instead makes every thread read all
        /// of W and write a gradient buffer as large, which the next minibatch must move between the cores again.
        /// </summary>
        /// <remarks>
        /// A gathered block of samples runs in two hand-offs. First every thread gathers the block into inputs of its
        /// own, computes its rows of Z(1) and A(1) and copies them into the shared A(1). Then every thread runs layers
        /// 2..L on the whole of A(1) for G(1) (thread 0 alone adds their gradients and counts the cost; the others
        /// repeat the small computation rather than wait for it) and adds the gradient of its rows. Every sum keeps
        /// its terms and their order (see <see cref="IRowSplitTraining{T}"/>), so training gives the bits of
        /// Threads = 1 on the same machine.
        /// </remarks>
        private sealed class RowSplitAccumulation : ThreadedAccumulation
        {
            private readonly INetwork<T> _network;
            private readonly IRowSplitTraining<T> _split;
            private readonly Workspace _space;
            private readonly int _inputCount;
            private readonly int _targetCount;
            private readonly int _layerRows;
            private readonly int _firstLayerEnd;
            private readonly double[] _losses;
            private readonly double[] _largest;
            private readonly WorkerPool _pool;
            private Dataset<T>? _training;
            private int[]? _order;
            private int _from;
            private int _count;
            private Phase _phase;
            private double _learningRate;
            private int _samples;

            /// <summary>Threads for one training run over buffers that <see cref="Plan"/> made for the trainer.</summary>
            public RowSplitAccumulation(INetwork<T> network, Workspace space)
            {
                _network = network;
                _split = (IRowSplitTraining<T>)network;
                _space = space;
                NetworkArchitecture architecture = network.Architecture;
                _inputCount = architecture.InputCount;
                _targetCount = architecture.OutputCount;
                _layerRows = architecture.Layers[0].Size;
                _firstLayerEnd = (_inputCount + 1) * _layerRows;
                _losses = new double[space.Parts];
                _largest = new double[space.Parts];
                _pool = new WorkerPool(space.Parts, Work);
            }

            private enum Phase
            {
                Forward,
                Backward,
                Step,
            }

            /// <summary>
            /// The row split for <paramref name="network"/> on <paramref name="threads"/> threads, with its buffers, or null
            /// where it does not apply or pay: the network must implement <see cref="IRowSplitTraining{T}"/>, layer 1 must
            /// hold at least half of the network's multiply-adds (the rest runs on every thread) and at least two panels
            /// of rows. Each thread gets whole panels (the last one may be short). The first thread gathers into the
            /// trainer's own buffers.
            /// </summary>
            public static Workspace? Plan(INetwork<T> network, int threads, T[] gatheredInputs, T[] gatheredTargets)
            {
                if (network is not IRowSplitTraining<T>)
                {
                    return null;
                }

                NetworkArchitecture architecture = network.Architecture;
                int rows = architecture.Layers[0].Size, columns = architecture.InputCount;
                long first = (long)rows * columns, all = 0;
                for (int l = 0; l < architecture.Layers.Count; l++)
                {
                    all += (long)architecture.Layers[l].Size * architecture.FanIn(l);
                }

                int panel = typeof(T) == typeof(float) ? 16 : 8;
                int panels = (rows + panel - 1) / panel;
                int parts = Math.Min(threads, panels);
                if (parts < 2 || 2 * first < all)
                {
                    return null;
                }

                var rowStart = new int[parts + 1];
                for (int w = 0; w <= parts; w++)
                {
                    rowStart[w] = Math.Min(rows, w * panels / parts * panel);
                }

                return new Workspace(rowStart, gatheredInputs, gatheredTargets, gatheredInputs.Length / columns, rows);
            }

            public override double Accumulate(Dataset<T> training, int[] order, int from, int to)
            {
                (_training, _order, _from, _count) = (training, order, from, to - from);
                _phase = Phase.Forward;
                _pool.Run();
                _phase = Phase.Backward;
                _pool.Run();
                _training = null;
                _order = null;
                return _losses[0];
            }

            public override double LargestGradient()
            {
                double largest = 0;
                foreach (double part in _largest)
                {
                    if (double.IsNaN(part))
                    {
                        return double.NaN;
                    }

                    largest = Math.Max(largest, part);
                }

                return largest;
            }

            public override void Step(double learningRate, int samples)
            {
                (_learningRate, _samples) = (learningRate, samples);
                _phase = Phase.Step;
                _pool.Run();
            }

            public override void Dispose() => _pool.Dispose();

            private void Work(int w)
            {
                int from = _space.RowStart[w], rows = _space.RowStart[w + 1] - from, count = _count;
                ReadOnlySpan<T> inputs = _space.Inputs[w].AsSpan(0, count * _inputCount);
                Span<T> z = _space.Z[w].AsSpan(0, count * rows), a = _space.A[w].AsSpan(0, count * rows);
                switch (_phase)
                {
                    case Phase.Forward:
                        Gather(_training!, _order.AsSpan(_from, count), _space.Inputs[w], _space.Targets[w], 0);
                        _split.ForwardRows(inputs, from, rows, z, a);
                        for (int s = 0; s < count; s++)
                        {
                            a.Slice(s * rows, rows).CopyTo(_space.Activations.AsSpan((s * _layerRows) + from, rows));
                        }

                        break;

                    case Phase.Backward:
                        Span<T> upstream = _space.Upstream[w].AsSpan(0, count * _layerRows);
                        _losses[w] = Numbers.ToDouble(_split.AccumulateAfterRows(
                            _space.Activations.AsSpan(0, count * _layerRows), _space.Targets[w].AsSpan(0, count * _targetCount), upstream, _network.Gradients, accumulate: w == 0));
                        _split.AccumulateRows(inputs, from, rows, z, a, upstream, _space.Delta[w].AsSpan(0, count * rows), _network.Gradients);

                        // Each thread checks the gradient it wrote, while it is still in its cache.
                        _largest[w] = Math.Max(Numbers.MaxAbsOrNaN<T>(Weights(_network.Gradients, from, rows)), Numbers.MaxAbsOrNaN<T>(Biases(_network.Gradients, from, rows)));
                        if (w == 0)
                        {
                            _largest[w] = Math.Max(_largest[w], Numbers.MaxAbsOrNaN<T>(_network.Gradients.Slice(_firstLayerEnd)));
                        }

                        break;

                    default:
                        Span<T> parameters = _network.Parameters, gradients = _network.Gradients;
                        Numbers.Step(Weights(parameters, from, rows), Weights(gradients, from, rows), _learningRate, _samples);
                        Numbers.Step(Biases(parameters, from, rows), Biases(gradients, from, rows), _learningRate, _samples);
                        if (w == 0)
                        {
                            Numbers.Step(parameters.Slice(_firstLayerEnd), gradients.Slice(_firstLayerEnd), _learningRate, _samples);
                        }

                        break;
                }
            }

            private Span<T> Weights(Span<T> flat, int from, int rows) => flat.Slice(from * _inputCount, rows * _inputCount);

            private Span<T> Biases(Span<T> flat, int from, int rows) => flat.Slice((_layerRows * _inputCount) + from, rows);

            /// <summary>
            /// The buffers of a row split, made once per trainer (a training run only starts threads): per thread its
            /// gathered inputs and targets (the first thread's are the trainer's), its rows' Z(1), A(1) and δ(1), and G(1);
            /// and the A(1) they share.
            /// </summary>
            internal sealed class Workspace
            {
                public Workspace(int[] rowStart, T[] gatheredInputs, T[] gatheredTargets, int samples, int layerRows)
                {
                    RowStart = rowStart;
                    int parts = rowStart.Length - 1;
                    Inputs = new T[parts][];
                    Targets = new T[parts][];
                    Z = new T[parts][];
                    A = new T[parts][];
                    Delta = new T[parts][];
                    Upstream = new T[parts][];
                    for (int w = 0; w < parts; w++)
                    {
                        int rows = rowStart[w + 1] - rowStart[w];
                        Inputs[w] = w == 0 ? gatheredInputs : new T[gatheredInputs.Length];
                        Targets[w] = w == 0 ? gatheredTargets : new T[gatheredTargets.Length];
                        Z[w] = new T[samples * rows];
                        A[w] = new T[samples * rows];
                        Delta[w] = new T[samples * rows];
                        Upstream[w] = new T[samples * layerRows];
                    }

                    Activations = new T[samples * layerRows];
                }

                public int Parts => RowStart.Length - 1;

                /// <summary>Thread w owns the rows [RowStart[w], RowStart[w + 1]) of layer 1.</summary>
                public int[] RowStart { get; }

                public T[][] Inputs { get; }

                public T[][] Targets { get; }

                public T[][] Z { get; }

                public T[][] A { get; }

                public T[][] Delta { get; }

                public T[][] Upstream { get; }

                public T[] Activations { get; }
            }
        }
    }
}
