#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NnGen.CompilerServices
{
    /// <summary>
    /// W and b of a small unrolled layer, transposed into groups of rows that fill one 128-bit vector (four floats, two
    /// doubles), for baked networks and inference snapshots. Group g holds rows gV … gV + V − 1 (V = Vector128&lt;T&gt;.Count):
    /// first its biases, then column j of W for every j. The generated code then computes V neurons at once with the
    /// very operations, in the very order, of each neuron's unrolled sum, lane by lane, so every z is bit for bit what
    /// the unrolled code gives. Rows past the last are zero and their lanes are discarded.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class LaneLayout
    {
        /// <summary>Vectors a layer of rows × columns takes in lanes: (columns + 1) per group of rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining | CompileOptions.Optimized)]
        public static int Length<T>(int rows, int columns)
            where T : unmanaged
        {
            int lanes = Vector128<T>.Count;
            return checked(((rows + lanes - 1) / lanes) * (columns + 1));
        }

        /// <summary>
        /// The layers of a flat parameter array (W(l) row by row, then b(l), as Parameters holds them) in lanes, one
        /// after another in one array: for each layer, group g of its rows at (columns + 1) · g from the layer's
        /// start, its biases (b[gV], …, b[gV + V − 1]) first, then column j of W at 1 + j: (W[gV, j], …, W[gV + V − 1, j]).
        /// </summary>
        /// <param name="parameters">Every parameter of the network, flat.</param>
        /// <param name="layers">Each layer to pack: where its W starts in <paramref name="parameters"/> (b follows it), its rows and its columns.</param>
        /// <exception cref="ArgumentException">A layer does not lie inside <paramref name="parameters"/>.</exception>
        [MethodImpl(CompileOptions.Optimized)]
        public static Vector128<T>[] Pack<T>(ReadOnlySpan<T> parameters, params (int WeightOffset, int Rows, int Columns)[] layers)
            where T : unmanaged
        {
            int total = 0;
            foreach ((int offset, int rows, int columns) in layers)
            {
                if (rows < 1 || columns < 1 || offset < 0 || offset + ((rows * (long)columns) + rows) > parameters.Length)
                {
                    throw new ArgumentException($"A layer of {rows} × {columns} at {offset} does not lie inside the {parameters.Length} parameters.", nameof(layers));
                }

                total = checked(total + Length<T>(rows, columns));
            }

            int lanes = Vector128<T>.Count;
            var packed = new Vector128<T>[total];
            Span<T> group = stackalloc T[lanes];
            int at = 0;
            foreach ((int offset, int rows, int columns) in layers)
            {
                ReadOnlySpan<T> w = parameters.Slice(offset, rows * columns);
                ReadOnlySpan<T> b = parameters.Slice(offset + (rows * columns), rows);
                for (int first = 0; first < rows; first += lanes, at += columns + 1)
                {
                    for (int j = -1; j < columns; j++)
                    {
                        for (int r = 0; r < lanes; r++)
                        {
                            int row = first + r;
                            group[r] = row >= rows ? default : j < 0 ? b[row] : w[(row * columns) + j];
                        }

                        packed[at + 1 + j] = Vector128.Create<T>(group);
                    }
                }
            }

            return packed;
        }

        /// <summary>
        /// One vectorised layer of at most one panel (16 float rows, 8 double) as <paramref name="packed"/> holds it after
        /// BatchKernels.PackPanels: one Vector512 per column of W (rows past the last zero), then the biases. These are the
        /// fields of an InferenceValue, taken from the very array the snapshot's kernel reads, so they hold exactly that.
        /// </summary>
        /// <exception cref="ArgumentException">The layer has more rows than a panel, or <paramref name="packed"/> is not as PackPanels left it.</exception>
        [MethodImpl(CompileOptions.Optimized)]
        public static Vector512<T>[] Panel<T>(T[] packed, int rows, int columns)
            where T : unmanaged
        {
            if (rows < 1 || rows > Vector512<T>.Count)
            {
                throw new ArgumentException($"A layer of {rows} rows is not one panel of {Vector512<T>.Count}.", nameof(rows));
            }

            return MemoryMarshal.Cast<T, Vector512<T>>(PanelLayout.Locate<T>(packed, rows, columns)).ToArray();
        }
    }
}
#endif
