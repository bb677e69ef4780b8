using System;

namespace NnGen
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as System.IO.Hashing.Crc32 computes it: the
    /// weights file's checksum. Written out and compiled into both the generator and the runtime, because
    /// an analyzer should not ship extra assemblies into the compiler and a Unity project should not need
    /// them either; tests check it against System.IO.Hashing.
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
