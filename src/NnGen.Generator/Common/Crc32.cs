using System;

namespace NnGen.Generator.Common
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as System.IO.Hashing.Crc32 computes it for
    /// the runtime's weights file. Written out because an analyzer should not ship extra assemblies into
    /// the compiler; a test checks it against System.IO.Hashing.
    /// </summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = CreateTable();

        public static uint Hash(ReadOnlySpan<byte> data)
        {
            uint crc = 0xFFFFFFFFu;
            foreach (byte b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return ~crc;
        }

        private static uint[] CreateTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
