using System.Globalization;

namespace NnGen.Generator.Planning
{
    /// <summary>
    /// Where the generated code keeps one vector of values (z(l), a(l), δ(l), ...): in one local per
    /// element (z1_0, z1_1, ...) for unrolled code, or in a stack-allocated span (z1[i]) for loops. The
    /// emitters write the same formulas for both and let the slot spell each element.
    /// </summary>
    internal sealed class Slot
    {
        private readonly string _separator;

        public Slot(string name, bool inSpan, string separator = "_")
        {
            Name = name;
            InSpan = inSpan;
            _separator = separator;
        }

        /// <summary>The span's name, or the prefix of the locals.</summary>
        public string Name { get; }

        public bool InSpan { get; }

        /// <summary>Element <paramref name="index"/>: "z1[i]" in a span, "z1_3" as a local (index must then be a number).</summary>
        public string this[string index] => InSpan ? $"{Name}[{index}]" : Name + _separator + index;

        public string this[int index] => this[index.ToString(CultureInfo.InvariantCulture)];
    }
}
