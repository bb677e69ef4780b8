using System;
using System.Collections.Generic;
using System.Threading;
using NnGen.CompilerServices;

namespace NnGen
{
    public sealed partial class Trainer<T>
    {
        /// <summary>
        /// TrainerOptions.Threads above 1 for a network whose first layer does most of the work (model parallelism).
        /// W(1)'s rows are cut into units of up to three panels (16 rows each, 8 in double: one tile of the packed
        /// kernels); each thread has a home range of units and keeps it from minibatch to minibatch, so it packs those
        /// rows, computes their Z(1) and A(1), adds their gradient rows and steps them with the rows in its own cache. Only A(1) and the small layers after it pass
        /// between threads. Splitting the samples instead makes every thread read all of W and write a gradient buffer
        /// as large, which the next minibatch must move between the cores again.
        /// </summary>
        /// <remarks>
        /// A gathered block of samples runs in two jobs of a <see cref="UnitTeam"/>. First every thread gathers the block
        /// into inputs of its own, and each unit's Z(1) and A(1) are computed and copied into the shared A(1). Then every thread runs layers 2..L on the whole of A(1) for its own G(1) (the calling thread
        /// alone adds their gradients and counts the cost; the others repeat the small computation rather than wait for
        /// it), and each unit adds its gradient rows. A thread held back by the OS is not waited for: the others take its
        /// units. Every sum keeps its terms and their order (see <see cref="IRowSplitTraining{T}"/>), whichever thread
        /// computes it, so training gives the bits of Threads = 1 on the same machine.
        /// </remarks>
        private sealed class RowSplitAccumulation : ThreadedAccumulation
        {
            // Panels per unit: the packed kernels' widest tile is 3 panels (PackedKernels), and a unit of fewer runs
            // narrower tiles that reuse each input less (one panel per unit measured 1.8 times slower per row).
            private const int TilePanels = 3;

            // Units per thread at most: enough for the others to take over a held-back thread's share.
            private const int UnitsPerThread = 16;

            private readonly INetwork<T> _network;
            private readonly IRowSplitTraining<T> _split;
            private readonly Workspace _space;
            private readonly int _inputCount;
            private readonly int _targetCount;
            private readonly int _layerRows;
            private readonly int _firstLayerEnd;
            private readonly double[] _largest;
            private readonly int[] _gatheredFor;
            private readonly UnitTeam _team;
            private Dataset<T>? _training;
            private int[]? _order;
            private int _from;
            private int _block;
            private double _loss;
            private double _restLargest;
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
                _largest = new double[space.Units];
                _gatheredFor = new int[space.Parts];
                _team = new UnitTeam(space.HomeStart, Prepare, RunUnit);
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
            /// of rows. Each thread's home is a contiguous run of panels, cut into units of whole tiles (the last panel may be
            /// short). The first thread gathers into the trainer's own buffers.
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

                // Each thread's home is a contiguous run of panels, cut into units of whole tiles from its front.
                int unitPanels = TilePanels * Math.Max(1, (((panels + parts - 1) / parts) + (TilePanels * UnitsPerThread) - 1) / (TilePanels * UnitsPerThread));
                var homeStart = new int[parts + 1];
                var unitStart = new List<int>();
                for (int w = 0; w < parts; w++)
                {
                    homeStart[w] = unitStart.Count;
                    for (int p = w * panels / parts, end = (w + 1) * panels / parts; p < end; p += unitPanels)
                    {
                        unitStart.Add(p * panel);
                    }
                }

                homeStart[parts] = unitStart.Count;
                unitStart.Add(rows);
                return new Workspace(homeStart, unitStart.ToArray(), gatheredInputs, gatheredTargets, gatheredInputs.Length / columns, rows);
            }

            public override double Accumulate(Dataset<T> training, int[] order, int from, int to)
            {
                (_training, _order, _from, _count) = (training, order, from, to - from);
                Volatile.Write(ref _block, _block + 1);
                _phase = Phase.Forward;
                _team.Run();
                _phase = Phase.Backward;
                _team.Run();
                return _loss;
            }

            public override double LargestGradient()
            {
                double largest = _restLargest;
                if (double.IsNaN(largest))
                {
                    return double.NaN;
                }

                foreach (double unit in _largest)
                {
                    if (double.IsNaN(unit))
                    {
                        return double.NaN;
                    }

                    largest = Math.Max(largest, unit);
                }

                return largest;
            }

            public override void Step(double learningRate, int samples)
            {
                (_learningRate, _samples) = (learningRate, samples);
                _phase = Phase.Step;
                _team.Run();
            }

            public override void EndRun()
            {
                // A thread late for the last job may still read these; it then fails in its preparation, which the
                // team ignores, as it takes no unit.
                _training = null;
                _order = null;
            }

            // What thread w does before it takes units. A thread late for a job may still run this after the job is
            // over, on buffers the calling thread is already rewriting, so it writes only thread w's own G(1).
            private void Prepare(int w)
            {
                int count = _count;
                switch (_phase)
                {
                    case Phase.Forward:
                        Gathered(w);
                        break;

                    case Phase.Backward:
                        Gathered(w);
                        double loss = Numbers.ToDouble(_split.AccumulateAfterRows(
                            _space.Activations.AsSpan(0, count * _layerRows),
                            _space.Targets[w].AsSpan(0, count * _targetCount),
                            _space.Upstream[w].AsSpan(0, count * _layerRows),
                            _network.Gradients,
                            accumulate: w == 0));
                        if (w == 0)
                        {
                            _loss = loss;
                            _restLargest = Numbers.MaxAbsOrNaN<T>(_network.Gradients.Slice(_firstLayerEnd));
                        }

                        break;

                    case Phase.Step when w == 0:
                        Numbers.Step(_network.Parameters.Slice(_firstLayerEnd), _network.Gradients.Slice(_firstLayerEnd), _learningRate, _samples);
                        break;
                }
            }

            // Unit u's rows of layer 1, on thread w, which only chooses whose copies of the inputs and of G(1) it reads.
            private void RunUnit(int w, int u)
            {
                int from = _space.UnitStart[u], rows = _space.UnitStart[u + 1] - from, count = _count;
                ReadOnlySpan<T> inputs = _space.Inputs[w].AsSpan(0, count * _inputCount);
                Span<T> z = _space.Z[u].AsSpan(0, count * rows), a = _space.A[u].AsSpan(0, count * rows);
                switch (_phase)
                {
                    case Phase.Forward:
                        _split.ForwardRows(inputs, from, rows, z, a);
                        for (int s = 0; s < count; s++)
                        {
                            a.Slice(s * rows, rows).CopyTo(_space.Activations.AsSpan((s * _layerRows) + from, rows));
                        }

                        break;

                    case Phase.Backward:
                        _split.AccumulateRows(
                            inputs, from, rows, z, a, _space.Upstream[w].AsSpan(0, count * _layerRows), _space.Delta[u].AsSpan(0, count * rows), _network.Gradients);

                        // Checked by the thread that wrote it, while it is still in its cache.
                        _largest[u] = Math.Max(Numbers.MaxAbsOrNaN<T>(Weights(_network.Gradients, from, rows)), Numbers.MaxAbsOrNaN<T>(Biases(_network.Gradients, from, rows)));
                        break;

                    default:
                        Span<T> parameters = _network.Parameters, gradients = _network.Gradients;
                        Numbers.Step(Weights(parameters, from, rows), Weights(gradients, from, rows), _learningRate, _samples);
                        Numbers.Step(Biases(parameters, from, rows), Biases(gradients, from, rows), _learningRate, _samples);
                        break;
                }
            }

            // Thread w's copy of the block's inputs and targets. Each thread gathers its own from the dataset, in
            // parallel, rather than read one thread's copy out of another core's cache. A thread that missed the
            // forward job (the others took its units) gathers before the backward one.
            private void Gathered(int w)
            {
                int block = Volatile.Read(ref _block);
                if (_gatheredFor[w] != block)
                {
                    Gather(_training!, _order.AsSpan(_from, _count), _space.Inputs[w], _space.Targets[w], 0);
                    _gatheredFor[w] = block;
                }
            }

            private Span<T> Weights(Span<T> flat, int from, int rows) => flat.Slice(from * _inputCount, rows * _inputCount);

            private Span<T> Biases(Span<T> flat, int from, int rows) => flat.Slice((_layerRows * _inputCount) + from, rows);

            /// <summary>
            /// The buffers of a row split, made once per trainer (a training run only starts threads): per thread its gathered
            /// inputs and targets (the first thread's are the trainer's) and its G(1), per unit its rows' Z(1), A(1) and δ(1),
            /// and the A(1) they share.
            /// </summary>
            internal sealed class Workspace
            {
                public Workspace(int[] homeStart, int[] unitStart, T[] gatheredInputs, T[] gatheredTargets, int samples, int layerRows)
                {
                    HomeStart = homeStart;
                    UnitStart = unitStart;
                    int parts = Parts;
                    Inputs = new T[parts][];
                    Targets = new T[parts][];
                    Upstream = new T[parts][];
                    for (int w = 0; w < parts; w++)
                    {
                        Inputs[w] = w == 0 ? gatheredInputs : new T[gatheredInputs.Length];
                        Targets[w] = w == 0 ? gatheredTargets : new T[gatheredTargets.Length];
                        Upstream[w] = new T[samples * layerRows];
                    }

                    int units = Units;
                    Z = new T[units][];
                    A = new T[units][];
                    Delta = new T[units][];
                    for (int u = 0; u < units; u++)
                    {
                        int rows = unitStart[u + 1] - unitStart[u];
                        Z[u] = new T[samples * rows];
                        A[u] = new T[samples * rows];
                        Delta[u] = new T[samples * rows];
                    }

                    Activations = new T[samples * layerRows];
                }

                public int Parts => HomeStart.Length - 1;

                public int Units => HomeStart[Parts];

                /// <summary>Thread w's home units are [HomeStart[w], HomeStart[w + 1]).</summary>
                public int[] HomeStart { get; }

                /// <summary>Unit u holds the rows [UnitStart[u], UnitStart[u + 1]) of layer 1.</summary>
                public int[] UnitStart { get; }

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
