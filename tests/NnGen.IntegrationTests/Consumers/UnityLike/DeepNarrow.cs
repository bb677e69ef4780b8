// 22 narrow layers: Accumulate and the members that return an input gradient would pass the JIT's limit in one
// method, so they are written in runs of layers, local functions with [MethodImpl] (an attribute on a local function is
// C# 9) that pass δ back through out arguments. Compiled here as Unity compiles it: Roslyn 4.3, C# 9, netstandard 2.1.
using NnGen;

namespace UnityLike
{
    [Network(Inputs = 1, Cost = Cost.HalfSquaredError)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)] [Layer(6, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    public partial class DeepNarrowSplit { }
}
