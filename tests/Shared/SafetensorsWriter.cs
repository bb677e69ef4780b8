using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NnGen.Testing
{
    /// <summary>
    /// One tensor of a safetensors file: dtype "F64", "F32", "F16" (each value rounded by System.Half), "BF16" (rounded to
    /// nearest, ties to even, from float), "I64" (each value truncated to an integer), or another of 4 bytes a value.
    /// </summary>
    internal sealed record SafetensorsTensor(string Name, string DType, long[] Shape, double[] Values);

    /// <summary>
    /// Writes safetensors files by hand from the format's definition, for the tests of every project that
    /// reads them: a little-endian u64 header length, a JSON header naming each tensor's dtype, shape and
    /// byte range (after a "__metadata__" entry, as PyTorch writes), then the raw little-endian data.
    /// </summary>
    internal static class SafetensorsWriter
    {
        public static byte[] Write(params SafetensorsTensor[] tensors)
        {
            var data = new MemoryStream();
            var entries = new List<string> { "\"__metadata__\":{\"format\":\"pt\"}" };
            foreach (SafetensorsTensor t in tensors)
            {
                long begin = data.Length;
                foreach (double v in t.Values)
                {
                    data.Write(Bytes(t.DType, v));
                }

                entries.Add($"\"{t.Name}\":{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{begin},{data.Length}]}}");
            }

            byte[] header = Encoding.UTF8.GetBytes("{" + string.Join(",", entries) + "}");
            var file = new MemoryStream();
            file.Write(BitConverter.GetBytes((ulong)header.Length));
            file.Write(header);
            file.Write(data.ToArray());
            return file.ToArray();
        }

        /// <summary>
        /// Writes the file at <paramref name="path"/>; a tensor given no values but a shape is a hole of zeros (the file is
        /// sparse: a checkpoint of gigabytes takes no disk).
        /// </summary>
        public static void WriteFile(string path, params SafetensorsTensor[] tensors)
        {
            var entries = new List<string> { "\"__metadata__\":{\"format\":\"pt\"}" };
            long end = 0;
            foreach (SafetensorsTensor t in tensors)
            {
                long begin = end;
                end += ByteLength(t);
                entries.Add($"\"{t.Name}\":{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{begin},{end}]}}");
            }

            byte[] header = Encoding.UTF8.GetBytes("{" + string.Join(",", entries) + "}");
            using var file = new FileStream(path, FileMode.Create);
            file.Write(BitConverter.GetBytes((ulong)header.Length));
            file.Write(header);
            long dataStart = file.Position;
            end = 0;
            foreach (SafetensorsTensor t in tensors)
            {
                end += ByteLength(t);
                foreach (double v in t.Values)
                {
                    file.Write(Bytes(t.DType, v));
                }

                file.Position = dataStart + end;
            }

            file.SetLength(dataStart + end);
        }

        private static long ByteLength(SafetensorsTensor t)
        {
            long count = 1;
            foreach (long d in t.Shape)
            {
                count *= d;
            }

            return count * Bytes(t.DType, 0).Length;
        }

        private static byte[] Bytes(string dtype, double value) => dtype switch
        {
            "F64" => BitConverter.GetBytes(value),
            "I64" => BitConverter.GetBytes((long)value),
            "F16" => BitConverter.GetBytes((Half)value),
            "BF16" => BitConverter.GetBytes(BFloat16Bits((float)value)),
            _ => BitConverter.GetBytes((float)value),
        };

        /// <summary>The bfloat16 nearest <paramref name="value"/> (ties to even), as PyTorch's <c>tensor.bfloat16()</c> rounds; NaN stays NaN.</summary>
        public static ushort BFloat16Bits(float value)
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            if (float.IsNaN(value))
            {
                return (ushort)((bits >> 16) | 0x40);
            }

            return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
        }

        /// <summary>The float a bfloat16 holds: its 16 bits are the top half of the float's.</summary>
        public static float FromBFloat16Bits(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
    }
}
