using System;
using System.Collections.Generic;
using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>What a weights file holds, whatever its format: its layers in order, each with its values.</summary>
    internal sealed class WeightsData
    {
        public WeightsData(string format, int? inputCount, IReadOnlyList<FileLayer> layers)
        {
            Format = format;
            InputCount = inputCount;
            Layers = layers;
        }

        /// <summary>"NnGen weights file, float32", "safetensors, F64".</summary>
        public string Format { get; }

        /// <summary>N(0) as the file states it; safetensors has only the first layer's columns.</summary>
        public int? InputCount { get; }

        public IReadOnlyList<FileLayer> Layers { get; }
    }

    /// <summary>
    /// One layer of a weights file: W (rows × columns, row by row) and b (rows). The activation and its
    /// parameters are known only for NnGen's own format.
    /// </summary>
    internal sealed class FileLayer
    {
        public FileLayer(string name, int rows, int columns, LayerSpec? record, double[] weights, double[] biases)
        {
            Name = name;
            Rows = rows;
            Columns = columns;
            Record = record;
            Weights = weights;
            Biases = biases;
        }

        public string Name { get; }

        public int Rows { get; }

        public int Columns { get; }

        /// <summary>The NnGen weights file's record of the layer: its activation and the activation's parameters.</summary>
        public LayerSpec? Record { get; }

        public double[] Weights { get; }

        public double[] Biases { get; }
    }

    /// <summary>A file that is not a valid weights file; the message says what is wrong, for NNG017.</summary>
    internal sealed class WeightsReadException : Exception
    {
        public WeightsReadException(string message)
            : base(message)
        {
        }
    }
}
