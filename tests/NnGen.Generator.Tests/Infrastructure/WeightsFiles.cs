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

        /// <summary>
        /// A float NNGW file whose parameter <paramref name="index"/> is <paramref name="value"/>, NaN or infinite included,
        /// with a valid checksum: the runtime refuses to write such a file, but another tool (or an older NnGen) may have.
        /// </summary>
        public static byte[] NngwWith(NetworkArchitecture architecture, float[] parameters, int index, float value)
        {
            byte[] file = Nngw(architecture, parameters);
            int at = file.Length - 4 - (parameters.Length * 4) + (index * 4);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), BitConverter.SingleToInt32Bits(value));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(file.AsSpan(0, file.Length - 4)));
            return file;
        }

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

            public void LossBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> outputs, Span<T> losses) => throw new NotSupportedException();
        }
    }
}
