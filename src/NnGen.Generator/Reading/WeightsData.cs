using System;
using System.Collections.Generic;
using NnGen.Generator.Common;

namespace NnGen.Generator.Reading
{
    /// <summary>What a weights file holds, whatever its format: its layers in order, each with its values.</summary>
    /// <param name="Format">"NnGen weights file, float32", "safetensors, F64".</param>
    /// <param name="InputCount">N(0) as the file states it; safetensors has only the first layer's columns.</param>
    /// <param name="Layers">The linear layers, first to last.</param>
    internal sealed record WeightsData(string Format, int? InputCount, IReadOnlyList<FileLayer> Layers);

    /// <summary>
    /// One layer of a weights file: W (rows × columns, row by row) and b (rows). The activation and its
    /// parameters are known only for NnGen's own format.
    /// </summary>
    /// <param name="Name">The layer's name in the file ("layer 2", "fc1").</param>
    /// <param name="Rows">N(l).</param>
    /// <param name="Columns">N(l−1).</param>
    /// <param name="Record">The NnGen weights file's record of the layer: its activation and the activation's parameters.</param>
    /// <param name="Weights">W(l), row by row.</param>
    /// <param name="Biases">b(l).</param>
    internal sealed record FileLayer(string Name, int Rows, int Columns, LayerSpec? Record, double[] Weights, double[] Biases);

    /// <summary>A file that is not a valid weights file; the message says what is wrong, for NNG017.</summary>
    internal sealed class WeightsReadException : Exception
    {
        public WeightsReadException(string message)
            : base(message)
        {
        }
    }
}
