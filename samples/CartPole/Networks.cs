namespace NnGen.Samples.CartPole
{
    // The logits z of pushing left and right: π(a | s) = softmax(z)_a. Logits, not a softmax output, so that the
    // policy gradient with respect to z stays finite where a probability rounds to 0. The cost is declared but not
    // used: the policy is trained through AccumulateGradient with the policy gradient.
    [Network(Inputs = 4, Cost = Cost.HalfSquaredError)]
    [Layer(32, Activation.Tanh)]
    [Layer(2, Activation.Identity)]
    public partial class PolicyNet { }

    // V(s): the expected discounted return from s (scaled by 1 / ReturnScale), the baseline.
    [Network(Inputs = 4, Cost = Cost.HalfSquaredError)]
    [Layer(32, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    public partial class ValueNet { }
}
