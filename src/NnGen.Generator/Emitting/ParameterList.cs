using System.Collections.Generic;
using System.Linq;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// A generated member's parameters, kept as types and names apart: the member declares them, and a local function of
    /// a split member (<see cref="StraightLinePass"/>) declares them again and is called with the names. Reading the names
    /// back out of a declaration would break on a type with a comma or a space in it (a tuple, a generic of two).
    /// </summary>
    internal sealed class ParameterList
    {
        private readonly List<(string Type, string Name)> _items = new();

        /// <summary>Adds a parameter of type <paramref name="type"/> named <paramref name="name"/>.</summary>
        public ParameterList Add(string type, string name)
        {
            _items.Add((type, name));
            return this;
        }

        /// <summary>Adds the parameter only when <paramref name="condition"/> holds.</summary>
        public ParameterList AddIf(bool condition, string type, string name) => condition ? Add(type, name) : this;

        /// <summary>The declaration, "type name, type name".</summary>
        public string Declaration => string.Join(", ", _items.Select(p => p.Type + " " + p.Name));

        /// <summary>The names alone, as the arguments of a call that passes each parameter on.</summary>
        public string Arguments => string.Join(", ", _items.Select(p => p.Name));
    }
}
