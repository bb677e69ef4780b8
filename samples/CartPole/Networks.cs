namespace NnGen.Samples.CartPole
{
    // π(a | s): the probabilities of pushing left and right. The cost is declared but not used: the policy is
    // trained through AccumulateGradient with the policy gradient.
    [Network(Inputs = 4, Cost = Cost.CrossEntropy)]
    [Layer(32, Activation.Tanh)]
    [Layer(2, Activation.Softmax)]
    public partial class PolicyNet { }

    // V(s): the expected discounted return from s (scaled by 1 / ReturnScale), the baseline.
    [Network(Inputs = 4, Cost = Cost.HalfSquaredError)]
    [Layer(32, Activation.Tanh)]
    [Layer(1, Activation.Identity)]
    public partial class ValueNet { }
}
