using System;
using System.Collections.Generic;
using System.Linq;
using NnGen.Testing;

namespace NnGen.Generator.Tests.Infrastructure
{
    /// <summary>Weights files for the baking tests: NNGW written by the runtime itself, safetensors by hand.</summary>
    internal static class WeightsFiles
    {
        /// <summary>The runtime's own bytes (WeightsFile.Serialize) for <paramref name="architecture"/> and parameters.</summary>
        public static byte[] Nngw<T>(NetworkArchitecture architecture, T[] parameters)
            where T : unmanaged =>
            WeightsFile.Serialize(new FixedNetwork<T>(architecture, parameters));

        /// <summary>Parameters 0.01·(i+1)·(−1)^i: distinct, signed, and not all representable in few digits.</summary>
        public static double[] Pattern(int count) =>
            Enumerable.Range(0, count).Select(i => 0.01 * (i + 1) * (i % 2 == 0 ? 1 : -1) / 3.0).ToArray();

        /// <summary>A safetensors file: tensors in the given order, each (name, dtype "F32"/"F64", shape, values).</summary>
        public static byte[] Safetensors(params (string Name, string DType, long[] Shape, double[] Values)[] tensors) =>
            SafetensorsWriter.Write(tensors.Select(t => new SafetensorsTensor(t.Name, t.DType, t.Shape, t.Values)).ToArray());

        private sealed class FixedNetwork<T> : IInferenceNetwork<T>
            where T : unmanaged
        {
            private readonly T[] _parameters;

            public FixedNetwork(NetworkArchitecture architecture, T[] parameters)
            {
                Architecture = architecture;
                _parameters = parameters;
            }

            public NetworkArchitecture Architecture { get; }

            public int InputCount => Architecture.InputCount;

            public int OutputCount => Architecture.OutputCount;

            public int ParameterCount => Architecture.ParameterCount;

            public ReadOnlySpan<T> Parameters => _parameters;

            public void Forward(ReadOnlySpan<T> input, Span<T> output) => throw new NotSupportedException();

            public void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs) => throw new NotSupportedException();

            public T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target) => throw new NotSupportedException();

            public T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> output) => throw new NotSupportedException();
        }
    }
}
