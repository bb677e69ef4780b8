using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// The layout of a layer packed once for a class whose parameters never change afterwards (baked networks,
    /// inference snapshots), on every target: panels of P rows, P = 16 floats or 8 doubles (one 64-byte vector),
    /// column by column, so column j of a panel is P contiguous weights; then the biases, P per panel. Rows past the
    /// last are zero. It is the layout of the AVX-512 GEMM tiles (PackedKernels) too, so a batch reads the same array.
    /// </summary>
    internal static class PanelLayout
    {
        /// <summary>
        /// Rows in a panel: 64 bytes of T, one Vector512 (the AVX-512 tiles load a panel's column as one vector).
        /// A constant to the JIT; T is float or double.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int Panel<T>()
            where T : unmanaged => typeof(T) == typeof(double) ? 8 : 16;

        /// <summary>Values in a packed W and b of rows × columns: whole panels, the last padded with zero rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static long PackedLength<T>(int rows, int columns)
            where T : unmanaged => (long)Panels<T>(rows) * Panel<T>() * (columns + 1L);

        /// <summary>
        /// Chains per row of the one-sample product: 4 for a layer of fewer than four panels, 2 for one of four to
        /// seven, else 1. A function of the shape alone, so that every machine adds the same terms in the same order
        /// (see PanelKernels).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static int Chains<T>(int rows)
            where T : unmanaged => Panels<T>(rows) switch
            {
                < 4 => 4,
                < 8 => 2,
                _ => 1,
            };

        /// <summary>
        /// Values in the array <see cref="Pack"/> returns: the packed layer and one panel more, so that the layer can
        /// start on a 64-byte boundary wherever the array lies (see <see cref="Locate"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static long StoredLength<T>(int rows, int columns)
            where T : unmanaged => PackedLength<T>(rows, columns) + Panel<T>();

        /// <summary>
        /// W and b packed in a new array of <see cref="StoredLength"/> values: packed[s + (p · columns + j) · P + r] =
        /// W[Pp + r, j], then b[i] at s + panels · P · columns + i, where s, the start, is kept in the bits of the array's
        /// last value (always padding). On .NET 8 and later the array is pinned (it never moves) and s puts the layer on a
        /// 64-byte boundary, so that no vector of a column straddles two cache lines (measured on 16 × 16: 9.2 ns
        /// straddling, 6.7 ns aligned); elsewhere s is 0.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static T[] Pack<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, int rows, int columns)
            where T : unmanaged
        {
            int size = Panel<T>();
            int stored = checked((int)StoredLength<T>(rows, columns));
#if NET8_0_OR_GREATER
            T[] packed = GC.AllocateArray<T>(stored, pinned: true);
            nint address = Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref packed[0]);
            int start = (int)((-address) & 63) / Unsafe.SizeOf<T>();
#else
            var packed = new T[stored];
            int start = 0;
#endif
            int biases = start + (Panels<T>(rows) * size * columns);
            for (int i = 0; i < rows; i++)
            {
                int first = start + ((i / size) * size * columns) + (i % size);
                ReadOnlySpan<T> row = w.Slice(i * columns, columns);
                for (int j = 0; j < columns; j++)
                {
                    packed[first + (j * size)] = row[j];
                }

                packed[biases + i] = b[i];
            }

            SetStart<T>(packed, start);
            return packed;
        }

        /// <summary>
        /// The packed layer inside an array from <see cref="Pack"/>: <see cref="PackedLength"/> values from the start
        /// kept in its last value. The start is read, not worked out from the address, so the result is right even
        /// for an array that is not pinned (it is then only slower). Throws if the array cannot be one of this shape.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static ReadOnlySpan<T> Locate<T>(ReadOnlySpan<T> stored, int rows, int columns)
            where T : unmanaged
        {
            long length = PackedLength<T>(rows, columns);
            if (stored.Length != length + Panel<T>())
            {
                throw LengthMismatch(rows, columns, length + Panel<T>(), stored.Length);
            }

            int start = GetStart(stored);
            if ((uint)start >= (uint)Panel<T>())
            {
                throw DamagedStart(Panel<T>());
            }

            return stored.Slice(start, (int)length);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ArgumentException DamagedStart(int panel) =>
            new($"The bits of a packed layer's last value say where the layer starts, a whole number below {panel}; this one's do not (the array is not as PackPanels left it).", "packed");

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ArgumentException LengthMismatch(int rows, int columns, long needed, int length) =>
            new($"A packed layer of {rows} rows of {columns} columns is stored in {needed} values (from PackPanels); this one holds {length}.", "packed");

        // The start as the raw bits of the array's last value (always padding): a tiny denormal that no kernel reads.
        // Bits rather than a number so that reading it back is one integer load and compare, with no conversion in
        // front of every load of W (a float-to-integer conversion and its checks cost several cycles per call).
        [MethodImpl(CompileOptions.Optimized)]
        private static void SetStart<T>(Span<T> stored, int start)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                MemoryMarshal.Cast<T, int>(stored)[stored.Length - 1] = start;
            }
            else
            {
                MemoryMarshal.Cast<T, long>(stored)[stored.Length - 1] = start;
            }
        }

        // Anything but a whole number below one panel in the last value's bits (a NaN, any ordinary number, a negative
        // one) gives -1 or more than a panel, which Locate rejects.
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        private static int GetStart<T>(ReadOnlySpan<T> stored)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                return MemoryMarshal.Cast<T, int>(stored)[stored.Length - 1];
            }

            long bits = MemoryMarshal.Cast<T, long>(stored)[stored.Length - 1];
            return (ulong)bits < (ulong)Panel<T>() ? (int)bits : -1;
        }

        /// <summary>
        /// How many tiles of four panels the packed kernels run before tiles of three, for <paramref name="panels"/> whole
        /// panels: as many as leave a multiple of three, so that no whole panel goes to the narrow one-panel tile (every
        /// count from six on is a sum of fours and threes); where none does (1, 2, 5), as many as fit. The row split
        /// cuts its units the same way.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int FourPanelTiles(int panels)
        {
            for (int fours = panels / 4; fours >= 0; fours--)
            {
                if ((panels - (4 * fours)) % 3 == 0)
                {
                    return fours;
                }
            }

            return panels / 4;
        }

        /// <summary>
        /// How many of <paramref name="panels"/> whole panels the tiles of four and three cover (<see cref="FourPanelTiles"/>
        /// of four, then as many of three as fit); the rest, at most two, go to one-panel tiles.
        /// </summary>
        [MethodImpl(CompileOptions.Optimized)]
        public static int WholeTilePanels(int panels)
        {
            int fours = FourPanelTiles(panels);
            return (4 * fours) + (3 * ((panels - (4 * fours)) / 3));
        }

        /// <summary>Panels for this many rows, the last partly padding.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static int Panels<T>(int rows)
            where T : unmanaged => (rows + Panel<T>() - 1) / Panel<T>();

#if !NET8_0_OR_GREATER
        // netstandard2.1 has no fused multiply-add: the chains of PanelKernels with a rounded product. Written
        // for float and for double: netstandard2.1 has no generic arithmetic.
        public static void ForwardUnfused<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, Span<T> z)
            where T : unmanaged
        {
            if (typeof(T) == typeof(float))
            {
                ForwardUnfused(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(packed), MemoryMarshal.Cast<T, float>(z));
            }
            else
            {
                ForwardUnfused(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(packed), MemoryMarshal.Cast<T, double>(z));
            }
        }

        private static void ForwardUnfused(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, Span<float> z)
        {
            int rows = z.Length, columns = x.Length, size = Panel<float>(), chains = Chains<float>(rows);
            int biases = Panels<float>(rows) * size * columns;
            Span<float> c = stackalloc float[4];
            for (int i = 0; i < rows; i++)
            {
                int start = ((i / size) * size * columns) + (i % size);
                c.Clear();
                c[0] = packed[biases + i];
                for (int j = 0; j < columns; j++)
                {
                    c[j % chains] += x[j] * packed[start + (j * size)];
                }

                z[i] = chains == 1 ? c[0] : chains == 2 ? c[0] + c[1] : (c[0] + c[1]) + (c[2] + c[3]);
            }
        }

        private static void ForwardUnfused(ReadOnlySpan<double> x, ReadOnlySpan<double> packed, Span<double> z)
        {
            int rows = z.Length, columns = x.Length, size = Panel<double>(), chains = Chains<double>(rows);
            int biases = Panels<double>(rows) * size * columns;
            Span<double> c = stackalloc double[4];
            for (int i = 0; i < rows; i++)
            {
                int start = ((i / size) * size * columns) + (i % size);
                c.Clear();
                c[0] = packed[biases + i];
                for (int j = 0; j < columns; j++)
                {
                    c[j % chains] += x[j] * packed[start + (j * size)];
                }

                z[i] = chains == 1 ? c[0] : chains == 2 ? c[0] + c[1] : (c[0] + c[1]) + (c[2] + c[3]);
            }
        }
#endif
    }
}
