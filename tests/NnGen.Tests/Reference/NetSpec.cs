using System.Linq;

namespace NnGen.Tests.Reference
{
    /// <summary>A layer as the tests describe it, independently of the attributes.</summary>
    public sealed record RefLayer(int Size, Activation Activation, double Alpha = 1, double Max = 1, double Steepness = 1, double Midpoint = 0);

    /// <summary>A network as the tests describe it: what the reference MLP computes.</summary>
    public sealed record NetSpec(int Inputs, Cost Cost, RefLayer[] Layers)
    {
        public int Outputs => Layers[^1].Size;

        public int ParameterCount
        {
            get
            {
                int count = 0;
                int fanIn = Inputs;
                foreach (RefLayer layer in Layers)
                {
                    count += (fanIn + 1) * layer.Size;
                    fanIn = layer.Size;
                }

                return count;
            }
        }

        public int FanIn(int layerIndex) => layerIndex == 0 ? Inputs : Layers[layerIndex - 1].Size;

        public override string ToString() =>
            $"{Inputs} → {string.Join(" → ", Layers.Select(l => $"{l.Size} {l.Activation}"))}, {Cost}";
    }
}
