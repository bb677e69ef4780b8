using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NnGen.Generator.Emitting
{
    /// <summary>
    /// The file names of the generated sources. The compiler compares hint names without regard to case and
    /// accepts only some characters, while C# names are case-sensitive and may hold '@', '`' or '&lt;' (in
    /// metadata names): so <c>Net</c> and <c>NET</c>, <c>Net_1</c> and <c>Net&lt;T&gt;</c> would collide. Names are
    /// assigned over all networks of the compilation at once, and a clash gets a numbered suffix.
    /// </summary>
    internal static class HintNames
    {
        /// <summary>A unique, valid hint name for every distinct key, the same for the same set of keys.</summary>
        public static Dictionary<string, string> Assign(IEnumerable<string> keys)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string key in keys.Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
            {
                string stem = Sanitize(key);
                string name = stem;
                for (int n = 2; !taken.Add(name); n++)
                {
                    name = stem + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                names[key] = name + ".g.cs";
            }

            return names;
        }

        // Letters, digits, '_' and '.' from ASCII; anything else becomes '_' ('+' of nested types becomes '.').
        private static string Sanitize(string key)
        {
            var text = new StringBuilder(key.Length);
            foreach (char ch in key)
            {
                bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.';
                text.Append(plain ? ch : ch == '+' ? '.' : '_');
            }

            return text.Length == 0 ? "Network" : text.ToString();
        }
    }
}
