using System;
using System.Buffers.Binary;

namespace NnGen
{
    /// <summary>Little-endian floating-point reads for the weights formats, on netstandard2.0 (the generator) as well.</summary>
    internal static class LittleEndian
    {
        public static ulong ReadUInt64(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64LittleEndian(source);

        public static ushort ReadUInt16(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt16LittleEndian(source);

        public static double ReadDouble(ReadOnlySpan<byte> source) =>
            BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(source));

        public static float ReadSingle(ReadOnlySpan<byte> source)
        {
            int bits = BinaryPrimitives.ReadInt32LittleEndian(source);
#if NETSTANDARD2_0
            return BitConverter.ToSingle(BitConverter.GetBytes(bits), 0);
#else
            return BitConverter.Int32BitsToSingle(bits);
#endif
        }
    }
}
