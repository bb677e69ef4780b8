using System;
using System.Collections.Generic;

namespace NnGen
{
    /// <summary>Orders "layer2" before "layer10": runs of digits compare as numbers.</summary>
    /// <remarks>
    /// Compiled into both the runtime (Safetensors.Import) and the generator (baked safetensors), so that
    /// a file's layers are taken in the same order at run time and at compile time.
    /// </remarks>
    internal sealed class NaturalOrder : IComparer<string>
    {
        public static readonly NaturalOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            x ??= string.Empty;
            y ??= string.Empty;
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsDigit(x[i]) && char.IsDigit(y[j]))
                {
                    int startI = i, startJ = j;
                    while (i < x.Length && char.IsDigit(x[i]))
                    {
                        i++;
                    }

                    while (j < y.Length && char.IsDigit(y[j]))
                    {
                        j++;
                    }

                    string a = x.Substring(startI, i - startI).TrimStart('0');
                    string b = y.Substring(startJ, j - startJ).TrimStart('0');
                    int byLength = a.Length.CompareTo(b.Length);
                    int byDigits = byLength != 0 ? byLength : string.CompareOrdinal(a, b);
                    if (byDigits != 0)
                    {
                        return byDigits;
                    }
                }
                else
                {
                    if (x[i] != y[j])
                    {
                        return x[i].CompareTo(y[j]);
                    }

                    i++;
                    j++;
                }
            }

            return (x.Length - i).CompareTo(y.Length - j);
        }
    }
}
