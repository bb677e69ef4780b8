using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NnGen.Generator.Common;
using NnGen.Generator.Planning;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The layers of a straight-line member (Forward, Loss, Accumulate, the shared backward pass of a given gradient),
    /// from a(0) to what the member does at the output (<see cref="Tail"/>) and, for training, back down to δ(1). Where the
    /// member fits one method, that is all. Where it would pass the JIT's limit, it is written in runs of layers
    /// (<see cref="MemberSplit"/>): the member computes the first run and calls a local function with a(l) for the rest;
    /// that function computes the next run and calls the next, and each hands δ of its first layer back through out
    /// arguments. The statements are the ones a single method would have, in the same order, so the bits are too. Local
    /// functions, not methods of the class, so that their names clash with nothing of the user's; each repeats the member's
    /// parameters, which shadow the member's own, so none captures anything.
    /// </summary>
    internal sealed class StraightLinePass
    {
        private readonly string _name;
        private readonly string _returns;
        private readonly ParameterList _parameters;
        private readonly bool _training;
        private readonly string? _accumulateIf;
        private readonly Action<EmitContext> _tail;

        /// <param name="name">The member's name, which the local functions' names start with.</param>
        /// <param name="returns">"void", or the number type where the member returns its cost (a local named loss).</param>
        /// <param name="parameters">The member's parameter list, which every local function repeats.</param>
        /// <param name="training">Whether a backward pass follows the output (and the runs are the training members').</param>
        /// <param name="accumulateIf">Where the gradient sums are added only when this holds at run time.</param>
        /// <param name="tail">What the member does at the output layer: the cost, δ(L), or a(L) into the caller's span.</param>
        public StraightLinePass(string name, string returns, ParameterList parameters, bool training, string? accumulateIf, Action<EmitContext> tail)
        {
            _name = name;
            _returns = returns;
            _parameters = parameters;
            _training = training;
            _accumulateIf = accumulateIf;
            _tail = tail;
        }

        private bool Returns => _returns != "void";

        /// <summary>
        /// The spans the layers read, then the first run of layers, from a(0), and either the tail and the backward pass
        /// (one run) or the call of the next run and the backward pass from there. The member's checks come before; its own
        /// ending after, then <see cref="EmitOtherRuns"/>.
        /// </summary>
        public void EmitFirstRun(EmitContext c)
        {
            PassEmitter.EmitSpans(c, _training);
            c.Writer.Line();
            EmitRun(c, c.Runs(_training), 0);
        }

        /// <summary>The local functions of the runs after the first, if any: at the end of the member's body.</summary>
        public void EmitOtherRuns(EmitContext c)
        {
            IReadOnlyList<LayerRun> runs = c.Runs(_training);
            CodeWriter w = c.Writer;
            for (int k = 1; k < runs.Count; k++)
            {
                LayerRun run = runs[k];
                LayerPlan first = c.Plan.Layers[run.First];
                LayerPlan before = c.Plan.Layers[run.First - 1];
                w.Line();
                w.Comment(_training
                    ? $"Layers {Range(c, run)}, forward and back to δ({first.Number}), which it returns through the out arguments: a method of its own,"
                    : $"Layers {Range(c, run)}: a method of its own,");
                w.Comment(c.LanesField is null
                    ? $"since in one method this member would pass the {JitMethodSize.InstructionLimit.ToString("N0", CultureInfo.InvariantCulture)} IL instructions past which .NET's JIT does not optimise."
                    : $"since in one method this member's Vector128 code would near the {JitMethodSize.IlByteLimit.ToString("N0", CultureInfo.InvariantCulture)} bytes of IL past which .NET's JIT does not optimise.");
                w.Comment($"It takes the member's parameters again, so that its statements read as they would in one method, and a({before.Number}).");
                if (c.Plan.AllowsLocalFunctionAttributes)
                {
                    c.OptimizedFromFirstCall();
                }
                else
                {
                    w.Comment("The project compiles C# 8, which allows no attribute on a local function: this one starts as the JIT's tier-0 code.");
                }

                var parameters = new List<string> { _parameters.Declaration };
                parameters.AddRange(LaneEmitter.ValuesOfA(c, before).Select(a => $"{a.Type} {a.Name}"));
                if (_training)
                {
                    parameters.AddRange(Enumerable.Range(0, first.Size).Select(i => $"out {c.T} {OutName(first, i)}"));
                }

                using (w.Block($"{_returns} {FunctionName(first)}({string.Join(", ", parameters)})"))
                {
                    PassEmitter.EmitSpans(c, _training);
                    w.Line();
                    EmitRun(c, runs, k);
                    if (_training)
                    {
                        w.Line();
                        for (int i = 0; i < first.Size; i++)
                        {
                            w.Line($"{OutName(first, i)} = {first.Delta[i]};");
                        }
                    }

                    if (Returns)
                    {
                        w.Line("return loss;");
                    }
                }
            }
        }

        private void EmitRun(EmitContext c, IReadOnlyList<LayerRun> runs, int k)
        {
            CodeWriter w = c.Writer;
            LayerRun run = runs[k];
            ForwardEmitter.Emit(c, run.First, run.Last);
            w.Line();
            if (k == runs.Count - 1)
            {
                _tail(c);
                if (_training)
                {
                    PassEmitter.EmitBackward(c, _accumulateIf, run.First, run.Last);
                }

                return;
            }

            LayerPlan last = c.Plan.Layers[run.Last];
            LayerPlan next = c.Plan.Layers[run.Last + 1];
            var arguments = new List<string> { _parameters.Arguments };
            arguments.AddRange(LaneEmitter.ValuesOfA(c, last).Select(a => a.Name));
            if (_training)
            {
                arguments.AddRange(Enumerable.Range(0, next.Size).Select(i => $"out {c.T} {next.Delta[i]}"));
            }

            w.Comment(_training
                ? $"Layers {Range(c, runs[k + 1])} in the local function below, from a({last.Number}); it gives back δ({next.Number})"
                : $"Layers {Range(c, runs[k + 1])} in the local function below, from a({last.Number})");
            string call = $"{FunctionName(next)}({string.Join(", ", arguments)})";
            w.Line(Returns ? $"{_returns} loss = {call};" : call + ";");
            if (_training)
            {
                PassEmitter.EmitBackward(c, _accumulateIf, run.First, run.Last);
            }
        }

        private string FunctionName(LayerPlan first) => $"{_name}FromLayer{first.Number.ToString(CultureInfo.InvariantCulture)}";

        // The out parameter that carries δ_i of a run's first layer back; its own local δ_i keeps the name the statements use.
        private static string OutName(LayerPlan layer, int i) => $"delta{layer.Number.ToString(CultureInfo.InvariantCulture)}_{i.ToString(CultureInfo.InvariantCulture)}";

        private static string Range(EmitContext c, LayerRun run) =>
            $"{c.Plan.Layers[run.First].Number.ToString(CultureInfo.InvariantCulture)} to {c.Plan.Layers[run.Last].Number.ToString(CultureInfo.InvariantCulture)}";
    }
}
