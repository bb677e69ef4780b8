using System;
using System.IO;

namespace NnGen
{
    /// <summary>
    /// Reads a stream to its end, but never much past a length that the caller knows no valid file can exceed: a wrong
    /// file (a data set, a video) or a stream that never ends is rejected after a bounded read, instead of being read
    /// whole into memory first.
    /// </summary>
    internal static class BoundedRead
    {
        // What a stream longer than the limit is judged by, where it can say how long it is: enough for the header of a
        // weights file of some 1,600 layers.
        private const int PrefixLength = 64 * 1024;

        // The longest array of bytes .NET allocates.
        private const int MaxArrayLength = 0x7FFFFFC7;

        /// <summary>
        /// The bytes from the stream's position to its end, where there are at most <paramref name="limit"/>; otherwise
        /// <paramref name="longer"/> and a prefix of them (at most limit + 1 bytes, and at most 64 KiB where the stream can
        /// seek), from which the caller may describe what it got.
        /// </summary>
        public static byte[] ReadAtMost(Stream stream, long limit, out bool longer)
        {
            limit = Math.Min(limit, MaxArrayLength - 1);
            int capacity = 4096;
            if (stream.CanSeek)
            {
                long left = Math.Max(0, stream.Length - stream.Position);
                if (left > limit)
                {
                    longer = true;
                    return ReadPrefix(stream, (int)Math.Min(PrefixLength, left));
                }

                capacity = (int)left;
            }

            byte[] buffer = ReadUpTo(stream, limit + 1, capacity);
            longer = buffer.Length > limit;
            return buffer;
        }

        /// <summary>
        /// The bytes from the stream's position until <paramref name="max"/> have come or the stream ends, in an array that
        /// starts at <paramref name="capacity"/> bytes and grows with what arrives: a stream that claims more than it holds
        /// allocates about what it holds.
        /// </summary>
        public static byte[] ReadUpTo(Stream stream, long max, int capacity)
        {
            var buffer = new byte[Math.Min(capacity, max)];
            int count = 0;
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                if (count == buffer.Length)
                {
                    // Full: one byte more tells the end from a longer stream without a larger array.
                    if (count >= max || stream.Read(probe) == 0)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, (int)Math.Min(Math.Max(2L * buffer.Length, 4096), max));
                    buffer[count++] = probe[0];
                    continue;
                }

                int read = stream.Read(buffer, count, buffer.Length - count);
                if (read == 0)
                {
                    break;
                }

                count += read;
            }

            if (count != buffer.Length)
            {
                Array.Resize(ref buffer, count);
            }

            return buffer;
        }

        /// <summary>Reads into buffer[offset..offset + count) until it is full or the stream ends; returns how many bytes came.</summary>
        public static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
        {
            int done = 0, read;
            while (done < count && (read = stream.Read(buffer, offset + done, count - done)) > 0)
            {
                done += read;
            }

            return done;
        }

        // The next `length` bytes, or fewer where the stream ends sooner than it said.
        private static byte[] ReadPrefix(Stream stream, int length)
        {
            var prefix = new byte[length];
            int count = ReadFully(stream, prefix, 0, length);
            if (count != length)
            {
                Array.Resize(ref prefix, count);
            }

            return prefix;
        }
    }
}
