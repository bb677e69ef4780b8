using System;
using System.Collections.Generic;

namespace NnGen
{
    /// <summary>
    /// A list that grows by whole chunks instead of by doubling one array: a data set read from a large file is held
    /// once while it is read (no copy of twice its size when an array grows), and every chunk stays below the
    /// large-object heap's 85,000 bytes. The first chunk starts small and doubles up to a chunk's length, so a small
    /// file allocates little.
    /// </summary>
    internal sealed class ChunkedList<T>
        where T : unmanaged
    {
        private const int ChunkLength = 8192;
        private const int FirstLength = 64;

        private readonly List<T[]> _chunks = new();
        private T[] _last = Array.Empty<T>();
        private int _inLast;

        public long Count => _chunks.Count == 0 ? 0 : ((long)(_chunks.Count - 1) * ChunkLength) + _inLast;

        // Chunk k holds the values k · ChunkLength onwards (the first may not have grown to its full length yet).
        public T this[long index] => _chunks[(int)(index / ChunkLength)][index % ChunkLength];

        public void Add(T value)
        {
            if (_inLast == _last.Length)
            {
                Grow();
            }

            _last[_inLast++] = value;
        }

        /// <summary>Copies every value, in order, to the start of <paramref name="destination"/>.</summary>
        public void CopyTo(Span<T> destination)
        {
            long count = Count;
            for (int k = 0; k < _chunks.Count; k++)
            {
                int length = (int)Math.Min(ChunkLength, count - ((long)k * ChunkLength));
                _chunks[k].AsSpan(0, length).CopyTo(destination.Slice(k * ChunkLength));
            }
        }

        private void Grow()
        {
            if (_chunks.Count == 0)
            {
                _last = new T[FirstLength];
                _chunks.Add(_last);
            }
            else if (_chunks.Count == 1 && _last.Length < ChunkLength)
            {
                Array.Resize(ref _last, Math.Min(2 * _last.Length, ChunkLength));
                _chunks[0] = _last;
            }
            else
            {
                _last = new T[ChunkLength];
                _chunks.Add(_last);
                _inLast = 0;
            }
        }
    }
}
