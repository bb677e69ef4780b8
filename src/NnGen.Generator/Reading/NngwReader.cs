using System;
using System.Collections.Generic;
using System.Globalization;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// Reads NnGen's weights file through <see cref="NngwFormat"/>, the code WeightsFile.Load runs too, so
    /// a file that loads at run time bakes at compile time and one that fails fails for the same reason.
    /// </summary>
    internal static class NngwReader
    {
        public static WeightsData Read(ReadOnlySpan<byte> file)
        {
            NngwContents contents = NngwFormat.TryRead(file, out string? error)
                ?? throw new WeightsReadException("it " + error);

            var layers = new List<FileLayer>(contents.Layers.Length);
            int at = 0;
            int fanIn = contents.InputCount;
            for (int l = 0; l < contents.Layers.Length; l++)
            {
                LayerSpec record = contents.Layers[l];
                double[] weights = Read(file, contents, ref at, fanIn * record.Size);
                double[] biases = Read(file, contents, ref at, record.Size);
                layers.Add(new FileLayer("layer " + (l + 1).ToString(CultureInfo.InvariantCulture), record.Size, fanIn, record, weights, biases));
                fanIn = record.Size;
            }

            return new WeightsData(contents.Precision == 0 ? "NnGen weights file, float32" : "NnGen weights file, float64", contents.InputCount, layers);
        }

        private static double[] Read(ReadOnlySpan<byte> file, NngwContents contents, ref int at, int count)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = contents.Parameter(file, at++);
            }

            return values;
        }
    }
}
