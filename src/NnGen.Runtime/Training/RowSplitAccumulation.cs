using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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
        /// A gathered block of samples runs in two jobs of a <see cref="UnitTeam"/>. First each unit's Z(1) and A(1) are
        /// computed and copied into the shared A(1). Then every thread runs layers 2..L on the whole of A(1) for its own
        /// G(1) (the calling thread alone adds their gradients and counts the cost; the others repeat the small computation
        /// rather than wait for it), and each unit adds its gradient rows; after its units each thread copies its share of
        /// the next block's samples into the other of two shared buffers. Only the first block of an epoch is gathered by
        /// a job of its own. The step of a minibatch that another of the epoch follows is the first part of that
        /// minibatch's forward job: each unit steps its rows of W(1) and b(1) just before it reads them, and thread 0 steps
        /// layers 2..L in its preparation, so a minibatch takes two jobs instead of three (the trainer reads no parameter in
        /// between; a run that ends there takes the step in <see cref="EndRun"/>). A thread held back by the OS is not
        /// waited for: the others take its units and shares. Every
        /// sum keeps its terms and their order (see <see cref="IRowSplitTraining{T}"/>), whichever thread computes it, so
        /// training gives the bits of Threads = 1 on the same machine.
        /// <para>
        /// Each thread used to gather the whole block for itself before its forward units: with two threads on two cores
        /// that copy, made twice at once, took 20–30 µs of a 64-sample minibatch of 784-128-10 (about 160 µs).
        /// </para>
        /// </remarks>
        private sealed class RowSplitAccumulation : ThreadedAccumulation
        {
            // Tiles per thread at most before several make one unit: enough units for the others to take over a
            // held-back thread's share.
            private const int UnitsPerThread = 16;

            private readonly INetwork<T> _network;
            private readonly IRowSplitTraining<T> _split;
            private readonly LossFunction<T>? _lossFunction;
            private readonly Workspace _space;
            private readonly int _inputCount;
            private readonly int _targetCount;
            private readonly int _layerRows;
            private readonly int _firstLayerEnd;
            private readonly double[] _largest;
            private readonly UnitTeam _team;

            // The jobs' units: Jobs.Gather's are shares of a block's samples, Jobs.BackwardAndGather's are each thread's
            // home units followed by its shares of the next block (see Jobs).
            private readonly Jobs _jobs;

            // The block the last call gathered ahead, into the buffer that is not _buffer: its dataset and sample numbers.
            // Only the very next call may use it, and only if it asks for the same samples of the same dataset; any
            // other call gathers anew, so a dataset changed between calls (between epochs, or runs) is read again.
            private readonly int[] _aheadSamples;
            private Dataset<T>? _aheadFrom;
            private int _aheadCount;
            private Dataset<T>? _training;
            private int[]? _order;
            private int _buffer;
            private int _gatherBuffer;
            private int _gatherFrom;
            private int _gatherCount;
            private int[]? _units;
            private double _loss;
            private double _restLargest;
            private int _count;
            private Phase _phase;
            private double _learningRate;
            private int _samples;

            // A step left by Step to the next forward job (each unit steps its rows before it reads them), or to EndRun.
            private bool _stepPending;

            /// <summary>
            /// Threads for one training run over buffers that <see cref="Plan"/> made for the trainer; with
            /// <paramref name="lossFunction"/> in place of the declared cost, which every thread then evaluates at once.
            /// </summary>
            public RowSplitAccumulation(INetwork<T> network, Workspace space, LossFunction<T>? lossFunction)
            {
                _network = network;
                _split = (IRowSplitTraining<T>)network;
                _space = space;
                _lossFunction = lossFunction;
                NetworkArchitecture architecture = network.Architecture;
                _inputCount = architecture.InputCount;
                _targetCount = lossFunction is null ? architecture.OutputCount : CompilerServices.SpanGuard.TargetCount(lossFunction, architecture.OutputCount);
                _layerRows = architecture.Layers[0].Size;
                _firstLayerEnd = (_inputCount + 1) * _layerRows;
                _largest = new double[space.Units];
                _aheadSamples = new int[space.Samples];
                _jobs = new Jobs(space.HomeStart);
                _team = new UnitTeam(space.HomeStart, Prepare, RunUnit);
            }

            private enum Phase
            {
                Gather,
                Forward,
                Backward,
                Step,
                Evaluate,
            }

            /// <summary>
            /// The row split for <paramref name="network"/> on <paramref name="threads"/> threads, with its buffers, or null
            /// where it does not apply or pay: the network must implement <see cref="IRowSplitTraining{T}"/>, layer 1 must
            /// hold at least half of the network's multiply-adds (the rest runs on every thread) and at least two panels
            /// of rows. Each thread's home is a contiguous run of panels, cut into units of whole tiles (the last panel may be
            /// short). The first of the two shared buffers of gathered samples is the trainer's own. Where
            /// <paramref name="ownGradients"/> (plain SGD, whose step the threads take themselves), each thread's home rows of
            /// ∇W(1) and ∇b(1) are summed in a gradient buffer of that thread's, not in the network's Gradients.
            /// </summary>
            public static Workspace? Plan(INetwork<T> network, int threads, T[] gatheredInputs, T[] gatheredTargets, bool ownGradients)
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

                // Each thread's home is a contiguous run of panels, cut from its front into units of whole tiles of the
                // packed kernels: fours, then threes, as the kernels would tile the home in one call, then the one or two
                // panels left. A unit of fewer panels runs narrower tiles that reuse each input less (a one-panel unit
                // measured 1.8 times slower per row), so 784-128-10's halves of 4 panels are one 4-panel unit each rather
                // than 3 + 1. Where a home has more than UnitsPerThread tiles, consecutive tiles make one unit.
                var homeStart = new int[parts + 1];
                var unitStart = new List<int>();
                var tiles = new List<int>();
                for (int w = 0; w < parts; w++)
                {
                    homeStart[w] = unitStart.Count;
                    int p = w * panels / parts, home = ((w + 1) * panels / parts) - p;
                    int fours = PanelLayout.FourPanelTiles(home), whole = PanelLayout.WholeTilePanels(home);
                    int threes = (whole - (4 * fours)) / 3, rest = home - whole;
                    tiles.Clear();
                    for (int t = 0; t < fours + threes; t++)
                    {
                        tiles.Add(t < fours ? 4 : 3);
                    }

                    if (rest > 0)
                    {
                        tiles.Add(rest);
                    }

                    int perUnit = (tiles.Count + UnitsPerThread - 1) / UnitsPerThread;
                    for (int t = 0; t < tiles.Count; t++)
                    {
                        if (t % perUnit == 0)
                        {
                            unitStart.Add(p * panel);
                        }

                        p += tiles[t];
                    }
                }

                homeStart[parts] = unitStart.Count;
                unitStart.Add(rows);
                return new Workspace(
                    homeStart, unitStart.ToArray(), gatheredInputs, gatheredTargets, gatheredInputs.Length / columns, rows, ownGradients ? network.ParameterCount : 0);
            }

            [MethodImpl(CompileOptions.Optimized)]
            public override double Accumulate(Dataset<T> training, int[] order, int from, int to, int nextTo)
            {
                (_training, _order, _count) = (training, order, to - from);
                if (GatheredAhead(training, order.AsSpan(from, to - from)))
                {
                    _buffer = 1 - _buffer;
                }
                else
                {
                    // Not gathered ahead (the first block of an epoch): the threads gather it in shares first.
                    Run(Phase.Gather, _jobs.Gather, _jobs.GatherUnits, gatherInto: _buffer, from, to - from);
                }

                try
                {
                    Run(Phase.Forward, _space.HomeStart);
                }
                finally
                {
                    // After a failed job too: a unit that ran has stepped its rows, and EndRun must not step them again.
                    _stepPending = false;
                }

                // The next block, if any, is gathered into the other buffer by the backward job: each thread copies a share
                // after its own units, so no thread copies all of it, and no job waits for a copy.
                if (nextTo > to)
                {
                    Run(Phase.Backward, _jobs.BackwardAndGather, _jobs.BackwardAndGatherUnits, gatherInto: 1 - _buffer, to, nextTo - to);
                    (_aheadFrom, _aheadCount) = (training, nextTo - to);
                    order.AsSpan(to, nextTo - to).CopyTo(_aheadSamples);
                }
                else
                {
                    Run(Phase.Backward, _space.HomeStart);
                }

                return _loss;
            }

            [MethodImpl(CompileOptions.Optimized)]
            public override double LargestGradient() => LargestOrNaN(_restLargest, _largest);

            [MethodImpl(CompileOptions.Optimized)]
            public override void Step(double learningRate, int samples, bool beforeNextAccumulate)
            {
                (_learningRate, _samples) = (learningRate, samples);
                if (beforeNextAccumulate)
                {
                    _stepPending = true;
                    return;
                }

                Run(Phase.Step, _space.HomeStart);
            }

            protected override int Threads => _space.Parts;

            [MethodImpl(CompileOptions.Optimized)]
            protected override void RunEvaluation(int[] homeStart) => Run(Phase.Evaluate, homeStart);

            [MethodImpl(CompileOptions.Optimized)]
            public override void EndRun()
            {
                if (_stepPending)
                {
                    _stepPending = false;
                    Run(Phase.Step, _space.HomeStart);
                }

                // A run that ended inside a minibatch (a diverged gradient, a loss function that threw) leaves its partial
                // sums here, where the network's ClearGradients does not reach; the next run must start from zero.
                _space.ClearOwnGradients();

                // A thread late for the last job may still read these; it then fails in its preparation, which the
                // team ignores, as it takes no unit.
                _training = null;
                _order = null;
                _aheadFrom = null;
            }

            // One job of the team over the units of `homeStart` (what each stands for in `units`, where it is not the
            // team's own), gathering order[gatherFrom..) into buffer gatherInto where that is not −1.
            [MethodImpl(CompileOptions.Optimized)]
            private void Run(Phase phase, int[] homeStart, int[]? units = null, int gatherInto = -1, int gatherFrom = 0, int gatherCount = 0)
            {
                _phase = phase;
                _units = units;
                (_gatherBuffer, _gatherFrom, _gatherCount) = (gatherInto, gatherFrom, gatherCount);
                _team.Run(homeStart);
            }

            // Whether the last call gathered these samples of this dataset ahead; it holds for this call only.
            [MethodImpl(CompileOptions.Optimized)]
            private bool GatheredAhead(Dataset<T> training, ReadOnlySpan<int> samples)
            {
                bool ahead = _aheadFrom == training && _aheadCount == samples.Length && samples.SequenceEqual(_aheadSamples.AsSpan(0, samples.Length));
                _aheadFrom = null;
                return ahead;
            }

            // What thread w does before it takes units. A thread late for a job may still run this after the job is
            // over, on buffers the calling thread is already rewriting, so it writes only thread w's own G(1).
            [MethodImpl(CompileOptions.Optimized)]
            private void Prepare(int w)
            {
                int count = _count;
                switch (_phase)
                {
                    case Phase.Backward:
                        ReadOnlySpan<T> activations = _space.Activations.AsSpan(0, count * _layerRows);
                        ReadOnlySpan<T> targets = _space.Targets[_buffer].AsSpan(0, count * _targetCount);
                        Span<T> upstream = _space.Upstream[w].AsSpan(0, count * _layerRows);
                        double loss = Numbers.ToDouble(_lossFunction is null
                            ? _split.AccumulateAfterRows(activations, targets, upstream, _network.Gradients, accumulate: w == 0)
                            : _split.AccumulateAfterRows(activations, targets, upstream, _network.Gradients, accumulate: w == 0, _lossFunction));
                        if (w == 0)
                        {
                            _loss = loss;
                            _restLargest = Numbers.MaxAbsOrNaN<T>(_network.Gradients.Slice(_firstLayerEnd));
                        }

                        break;

                    case Phase.Step when w == 0:
                    case Phase.Forward when w == 0 && _stepPending:
                        Numbers.Step(_network.Parameters.Slice(_firstLayerEnd), _network.Gradients.Slice(_firstLayerEnd), _learningRate, _samples);
                        break;
                }
            }

            // Unit u of the job on thread w, which only chooses whose copy of G(1) it reads: a share of samples to
            // gather, or a unit of layer 1's rows.
            [MethodImpl(CompileOptions.Optimized)]
            private void RunUnit(int w, int u)
            {
                if (_phase == Phase.Evaluate)
                {
                    EvaluationUnit(w, u);
                    return;
                }

                if (_units is not null && _units[u] < 0)
                {
                    // A share of the block being gathered, copied into its place in the buffer.
                    int share = ~_units[u], shares = _jobs.Shares;
                    int at = share * _gatherCount / shares, end = (share + 1) * _gatherCount / shares;
                    Gather(_training!, _order.AsSpan(_gatherFrom + at, end - at), _space.Inputs[_gatherBuffer], _space.Targets[_gatherBuffer], at);
                    return;
                }

                u = _units?[u] ?? u;

                int from = _space.UnitStart[u], rows = _space.UnitStart[u + 1] - from, count = _count;
                ReadOnlySpan<T> inputs = _space.Inputs[_buffer].AsSpan(0, count * _inputCount);
                Span<T> z = _space.Z[u].AsSpan(0, count * rows), a = _space.A[u].AsSpan(0, count * rows);
                switch (_phase)
                {
                    case Phase.Forward:
                        if (_stepPending)
                        {
                            StepRows(u, from, rows);
                        }

                        _split.ForwardRows(inputs, from, rows, z, a);
                        for (int s = 0; s < count; s++)
                        {
                            a.Slice(s * rows, rows).CopyTo(_space.Activations.AsSpan((s * _layerRows) + from, rows));
                        }

                        break;

                    case Phase.Backward:
                        Span<T> gradients = Gradients(u);
                        _split.AccumulateRows(
                            inputs, from, rows, z, a, _space.Upstream[w].AsSpan(0, count * _layerRows), _space.Delta[u].AsSpan(0, count * rows), gradients);

                        // Checked by the thread that wrote it, while it is still in its cache.
                        _largest[u] = Math.Max(Numbers.MaxAbsOrNaN<T>(Weights(gradients, from, rows)), Numbers.MaxAbsOrNaN<T>(Biases(gradients, from, rows)));
                        break;

                    default:
                        StepRows(u, from, rows);
                        break;
                }
            }

            // Where unit u's rows of ∇W(1) and ∇b(1) are summed: its home thread's own buffer, else the network's Gradients.
            [MethodImpl(CompileOptions.Optimized)]
            private Span<T> Gradients(int u)
            {
                Span<T> own = _space.OwnGradients(u);
                return own.IsEmpty ? _network.Gradients : own;
            }

            [MethodImpl(CompileOptions.Optimized)]
            private void StepRows(int u, int from, int rows)
            {
                Span<T> parameters = _network.Parameters, gradients = Gradients(u);
                Numbers.Step(Weights(parameters, from, rows), Weights(gradients, from, rows), _learningRate, _samples);
                Numbers.Step(Biases(parameters, from, rows), Biases(gradients, from, rows), _learningRate, _samples);
            }

            [MethodImpl(CompileOptions.Optimized)]
            private Span<T> Weights(Span<T> flat, int from, int rows) => flat.Slice(from * _inputCount, rows * _inputCount);

            [MethodImpl(CompileOptions.Optimized)]
            private Span<T> Biases(Span<T> flat, int from, int rows) => flat.Slice((_layerRows * _inputCount) + from, rows);

            /// <summary>
            /// The units of the jobs that gather. A block's samples are cut into two shares per thread (so that another
            /// thread can take half of a held-back thread's copying). In the gathering backward job each thread's home
            /// range holds its units of layer 1's rows and then its two shares; a unit number maps to the unit of rows
            /// u (≥ 0) or to the share ~u.
            /// </summary>
            private sealed class Jobs
            {
                public Jobs(int[] homeStart)
                {
                    int parts = homeStart.Length - 1;
                    Shares = 2 * parts;
                    Gather = new int[parts + 1];
                    GatherUnits = new int[Shares];
                    BackwardAndGather = new int[parts + 1];
                    BackwardAndGatherUnits = new int[homeStart[parts] + Shares];
                    for (int w = 0, next = 0; w < parts; w++)
                    {
                        Gather[w + 1] = 2 * (w + 1);
                        BackwardAndGather[w] = next;
                        for (int u = homeStart[w]; u < homeStart[w + 1]; u++)
                        {
                            BackwardAndGatherUnits[next++] = u;
                        }

                        for (int share = 2 * w; share < 2 * (w + 1); share++)
                        {
                            GatherUnits[share] = ~share;
                            BackwardAndGatherUnits[next++] = ~share;
                        }

                        BackwardAndGather[w + 1] = next;
                    }
                }

                public int Shares { get; }

                public int[] Gather { get; }

                public int[] GatherUnits { get; }

                public int[] BackwardAndGather { get; }

                public int[] BackwardAndGatherUnits { get; }
            }

            /// <summary>
            /// The buffers of a row split, made once per trainer (a training run only starts threads): two buffers of gathered
            /// inputs and targets that every thread reads (the first is the trainer's own), per thread its G(1) and, for plain
            /// SGD, a gradient buffer of its own, per unit its rows' Z(1), A(1) and δ(1), and the A(1) they share.
            /// </summary>
            /// <remarks>
            /// Each thread sums its rows of ∇W(1) into a buffer of its own, apart from the other threads' rows, because rows
            /// that two threads write next to each other in one array cost both of them: on the 2-vCPU Zen 5 host of
            /// docs/benchmarks.md, with the vCPUs far apart, two threads that each trained a network of their own (784-64-10,
            /// nothing shared) got 0.9–1.2× in step when the second network's arrays followed the first's in memory, and
            /// about 1.85× with 1 MB between them; the row split went from about 1.0× to 1.1–1.3× with its gradient rows
            /// apart. So each buffer is preceded by <see cref="OwnGradientSpacing"/> bytes that nothing writes.
            /// </remarks>
            internal sealed class Workspace
            {
                /// <summary>Bytes left unwritten before each thread's own gradient buffer.</summary>
                public const int OwnGradientSpacing = 1 << 20;

                private readonly T[][]? _ownGradients;
                private readonly int[] _homeOf;
                private readonly int _spacing;

                public Workspace(int[] homeStart, int[] unitStart, T[] gatheredInputs, T[] gatheredTargets, int samples, int layerRows, int ownGradientLength)
                {
                    HomeStart = homeStart;
                    UnitStart = unitStart;
                    Samples = samples;
                    Inputs = new[] { gatheredInputs, new T[gatheredInputs.Length] };
                    Targets = new[] { gatheredTargets, new T[gatheredTargets.Length] };
                    int parts = Parts;
                    Upstream = new T[parts][];
                    for (int w = 0; w < parts; w++)
                    {
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

                    _homeOf = new int[units];
                    for (int w = 0; w < parts; w++)
                    {
                        for (int u = homeStart[w]; u < homeStart[w + 1]; u++)
                        {
                            _homeOf[u] = w;
                        }
                    }

                    if (ownGradientLength > 0)
                    {
                        _spacing = OwnGradientSpacing / (typeof(T) == typeof(float) ? sizeof(float) : sizeof(double));
                        _ownGradients = new T[parts][];
                        for (int w = 0; w < parts; w++)
                        {
                            _ownGradients[w] = new T[checked(_spacing + ownGradientLength)];
                        }
                    }
                }

                /// <summary>
                /// Where unit u's rows of ∇W(1) and ∇b(1) are summed, laid out like the network's Gradients (only its home
                /// thread's rows of layer 1 are ever written): that thread's own buffer; empty without own buffers.
                /// </summary>
                [MethodImpl(CompileOptions.Optimized)]
                public Span<T> OwnGradients(int u) =>
                    _ownGradients is null ? Span<T>.Empty : _ownGradients[_homeOf[u]].AsSpan(_spacing);

                /// <summary>Zeroes every thread's own gradient buffer.</summary>
                [MethodImpl(CompileOptions.Optimized)]
                public void ClearOwnGradients()
                {
                    if (_ownGradients is not null)
                    {
                        foreach (T[] own in _ownGradients)
                        {
                            own.AsSpan(_spacing).Clear();
                        }
                    }
                }

                public int Parts => HomeStart.Length - 1;

                /// <summary>The most samples a block holds.</summary>
                public int Samples { get; }

                public int Units => HomeStart[Parts];

                /// <summary>Thread w's home units are [HomeStart[w], HomeStart[w + 1]).</summary>
                public int[] HomeStart { get; }

                /// <summary>Unit u holds the rows [UnitStart[u], UnitStart[u + 1]) of layer 1.</summary>
                public int[] UnitStart { get; }

                /// <summary>Two buffers of gathered inputs (the first is the trainer's own): one block's and the next one's.</summary>
                public T[][] Inputs { get; }

                /// <summary>The targets of the blocks in <see cref="Inputs"/>.</summary>
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
