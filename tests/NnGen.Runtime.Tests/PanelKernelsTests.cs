using System;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NnGen.CompilerServices;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// One sample through W packed in panels (baked networks, inference snapshots): every z_i is the expression the
    /// PanelKernels summary defines (chains of fused multiply-adds over the columns j ≡ k mod C, added pairwise),
    /// written out here row by row, and it is the same bits at every vector width and without SIMD.
    /// </summary>
    public sealed class PanelKernelsTests
    {
        // Rows: one partial panel, one whole, a panel and a bit, two and three panels (four chains; at 256 bits two
        // panels at a time, with columns left over for each pair of chains: 24 × 14, 32 × 6), four to seven panels
        // (two chains) and more (one chain): whole groups of four panels (eight strips at 256 bits), a group of four
        // strips after them (96, 100, 112), panels left over for the narrower vectors, a last strip of one row.
        // Columns: 1, fewer than the chains, odd, a multiple of the chains.
        public static TheoryData<int, int> Shapes => new()
        {
            { 1, 1 }, { 3, 2 }, { 10, 7 }, { 16, 16 }, { 17, 5 }, { 20, 20 }, { 24, 14 }, { 32, 6 }, { 33, 9 }, { 48, 64 }, { 49, 3 },
            { 64, 64 }, { 70, 33 }, { 81, 1 }, { 96, 50 }, { 100, 37 }, { 112, 2 }, { 128, 130 }, { 144, 20 }, { 200, 11 },
        };

        [Theory]
        [MemberData(nameof(Shapes))]
        public void Float_is_the_chain_expression_at_every_width(int rows, int columns) => Check<float>(rows, columns, rows * 31 + columns);

        [Theory]
        [MemberData(nameof(Shapes))]
        public void Double_is_the_chain_expression_at_every_width(int rows, int columns) => Check<double>(rows, columns, rows * 37 + columns);

        [Fact]
        public void A_packed_layer_of_another_shape_is_rejected()
        {
            float[] packed = BatchKernels.PackPanels(new float[12], new float[3], 3, 4);
            var e = Assert.Throws<ArgumentException>(() => BatchKernels.ForwardPacked(new float[5], packed, new float[3]));
            Assert.Equal("packed", e.ParamName);
            e = Assert.Throws<ArgumentException>(() => BatchKernels.ForwardPacked(new float[10], packed, new float[6], 2, 3, 5));
            Assert.Equal("packed", e.ParamName);
            Assert.Throws<ArgumentException>(() => BatchKernels.PackPanels(new float[11], new float[3], 3, 4));
        }

        [Theory]
        [InlineData(16f)]
        [InlineData(-1f)]
        [InlineData(2.5f)]
        [InlineData(float.NaN)]
        public void A_stored_layer_whose_start_is_damaged_is_rejected(float start)
        {
            float[] packed = BatchKernels.PackPanels(new float[12], new float[3], 3, 4);
            packed[^1] = start;
            var z = new float[] { 7f, 7f, 7f };
            var e = Assert.Throws<ArgumentException>(() => BatchKernels.ForwardPacked(new float[4], packed, z));
            Assert.Equal("packed", e.ParamName);
            Assert.Contains("where the layer starts", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => BatchKernels.ForwardPacked(new float[4], packed, z, 1, 3, 4));
            Assert.Equal(new[] { 7f, 7f, 7f }, z);
        }

        // The fused tanh of a packed float layer (one pass over registers for one panel) against the two calls it
        // replaces, to the bit: every shape, and in place.
        [Theory]
        [MemberData(nameof(Shapes))]
        public void Packed_tanh_is_the_product_then_the_tanh_kernel(int rows, int columns)
        {
            var random = new Random((rows * 7) + columns);
            float[] w = Values<float>(random, rows * columns), b = Values<float>(random, rows), x = Values<float>(random, columns);
            for (int i = 0; i < x.Length; i += 5)
            {
                x[i] *= 40; // saturating sums too
            }

            float[] packed = BatchKernels.PackPanels(w, b, rows, columns);
            var z = new float[rows];
            var expected = new float[rows];
            BatchKernels.ForwardPacked(x, packed, z);
            Kernels.Tanh(z, expected);
            var actual = new float[rows];
            BatchKernels.ForwardPackedTanh(x, packed, actual);
            Assert.Equal(Bits(expected), Bits(actual));

            float[] buffer = x.Concat(new float[Math.Max(0, rows - columns)]).ToArray();
            BatchKernels.ForwardPackedTanh(buffer.AsSpan(0, columns), packed, buffer.AsSpan(0, rows));
            Assert.Equal(Bits(expected), Bits(buffer.AsSpan(0, rows).ToArray()));
        }

        private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

        // A Forward in place: z is written into the span x is read from. Short inputs are copied to the stack, long
        // ones (over 1024 values) to a rented array; both packed and unpacked.
        [Theory]
        [InlineData(16, 16)]
        [InlineData(5, 9)]
        [InlineData(40, 70)]
        [InlineData(3, 1100)]
        public void Output_overlapping_the_input_gives_what_separate_spans_give(int rows, int columns)
        {
            var random = new Random(rows + columns);
            float[] w = Values<float>(random, rows * columns), b = Values<float>(random, rows), x = Values<float>(random, columns);
            float[] packed = BatchKernels.PackPanels(w, b, rows, columns);
            var packedAlone = new float[rows];
            var rowsAlone = new float[rows];
            BatchKernels.ForwardPacked(x, packed, packedAlone);
            BatchKernels.Forward(x, w, b, rowsAlone);
            foreach (int shift in new[] { -rows + 1, 0, 1, columns - 1 })
            {
                int inputAt = Math.Max(0, -shift), outputAt = Math.Max(0, shift);
                var buffer = new float[Math.Max(inputAt + columns, outputAt + rows)];
                x.CopyTo(buffer, inputAt);
                BatchKernels.ForwardPacked(new ReadOnlySpan<float>(buffer, inputAt, columns), packed, buffer.AsSpan(outputAt, rows));
                Assert.Equal(packedAlone, buffer.AsSpan(outputAt, rows).ToArray());
                x.CopyTo(buffer, inputAt);
                BatchKernels.Forward(new ReadOnlySpan<float>(buffer, inputAt, columns), w, b, buffer.AsSpan(outputAt, rows));
                Assert.Equal(rowsAlone, buffer.AsSpan(outputAt, rows).ToArray());
            }
        }

        [Fact]
        public void The_packed_layer_starts_on_a_64_byte_boundary()
        {
            for (int rows = 1; rows < 40; rows += 7)
            {
                float[] floats = BatchKernels.PackPanels(new float[rows * 5], new float[rows], rows, 5);
                double[] doubles = BatchKernels.PackPanels(new double[rows * 5], new double[rows], rows, 5);
                Assert.Equal(0, Address(PanelLayout.Locate<float>(floats, rows, 5)) % 64);
                Assert.Equal(0, Address(PanelLayout.Locate<double>(doubles, rows, 5)) % 64);
            }

            // The arrays are pinned, so a collection cannot move them off the boundary.
            float[] kept = BatchKernels.PackPanels(new float[16 * 16], new float[16], 16, 16);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Assert.Equal(0, Address(PanelLayout.Locate<float>(kept, 16, 16)) % 64);

            static long Address<T>(ReadOnlySpan<T> span) => Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref MemoryMarshal.GetReference(span));
        }

        [Fact]
        public void One_sample_allocates_nothing()
        {
            var x = new float[784];
            var z = new float[128];
            float[] packed = BatchKernels.PackPanels(new float[128 * 784], new float[128], 128, 784);
            BatchKernels.ForwardPacked(x, packed, z);
            Assert.Equal(0, Allocations.Least(() =>
            {
                BatchKernels.ForwardPacked(x, packed, z);
                BatchKernels.ForwardPacked(x, packed, z.AsSpan(0, 128), 1, 128, 784);
            }));
        }

        private static void Check<T>(int rows, int columns, int seed)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(seed);
            T[] w = Values<T>(random, rows * columns), b = Values<T>(random, rows), x = Values<T>(random, columns);
            T[] stored = PanelLayout.Pack<T>(w, b, rows, columns);
            T[] packed = PanelLayout.Locate<T>(stored, rows, columns).ToArray();
            T[] expected = Expected(w, b, x, rows, columns);

            Same(expected, Run(z => Public(x, stored, z)), "public entry");

            // Many samples in one call, as a snapshot's or a baked network's ForwardBatch and LossBatch make it: each
            // sample's z is the one-sample expression, wherever it sits in the batch and whatever kernel the width picks
            // (AVX-512's GEMM tiles sum each z in one chain, which only layers of eight panels or more use alone).
            const int Samples = 21;
            T[] inputs = Values<T>(random, Samples * columns);
            x.CopyTo(inputs, 7 * columns);
            var outputs = new T[Samples * rows];
            PublicMany(inputs, stored, outputs, Samples, rows, columns);
            for (int s = 0; s < Samples; s++)
            {
                T[] sample = inputs.AsSpan(s * columns, columns).ToArray();
                Same(Expected(w, b, sample, rows, columns), outputs.AsSpan(s * rows, rows).ToArray(), $"sample {s} of {Samples} in one call");
            }

            // The start is read from the array, not worked out from where it lies: a copy elsewhere (not pinned, and
            // most likely aligned otherwise) gives the same bits.
            Same(expected, Run(z => Public(x, (T[])stored.Clone(), z)), "a copy of the stored array");
            // The kernels below take x by reference, not as a span: NaN after its last value shows a read past it.
            T[] padded = x.Concat(Enumerable.Repeat(T.NaN, 8)).ToArray();
            Same(expected, Run(z => PanelKernels.RunScalar(ref padded[0], ref packed[0], ref z[0], rows, columns)), "scalar");
            if (Vector512.IsHardwareAccelerated)
            {
                Same(expected, Run(z => PanelKernels.Run<T, Vector512<T>, Simd512<T>>(ref padded[0], ref packed[0], ref z[0], rows, columns)), "512 bits");
            }

            if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
            {
                Same(expected, Run(z => PanelKernels.Run<T, Vector256<T>, Simd256<T>>(ref padded[0], ref packed[0], ref z[0], rows, columns)), "256 bits");
            }

            if (Vector128.IsHardwareAccelerated && (System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported))
            {
                Same(expected, Run(z => PanelKernels.Run<T, Vector128<T>, Simd128<T>>(ref padded[0], ref packed[0], ref z[0], rows, columns)), "128 bits");
            }

            // Without FMA3 (x64 NativeAOT's default, Rosetta 2): the same chains with the multiply-add rounded once in software.
            if (Vector128.IsHardwareAccelerated)
            {
                Same(expected, Run(z => PanelKernels.Run<T, Vector128<T>, Simd128SoftwareFma<T>>(ref padded[0], ref packed[0], ref z[0], rows, columns)), "128 bits, software fused multiply-add");
            }

            // And the value: within float (or double) rounding of the exact sum.
            for (int i = 0; i < rows; i++)
            {
                double exact = double.CreateChecked(b[i]), magnitude = Math.Abs(exact);
                for (int j = 0; j < columns; j++)
                {
                    double term = double.CreateChecked(w[(i * columns) + j]) * double.CreateChecked(x[j]);
                    exact += term;
                    magnitude += Math.Abs(term);
                }

                double epsilon = typeof(T) == typeof(float) ? 2e-6 : 4e-15;
                Assert.True(Math.Abs(double.CreateChecked(expected[i]) - exact) <= epsilon * magnitude, $"z[{i}] = {expected[i]}, exact {exact:R}");
            }

            T[] Run(Action<T[]> forward)
            {
                var z = new T[rows];
                forward(z);
                return z;
            }
        }

        private static void Public<T>(T[] x, T[] packed, T[] z)
        {
            if (x is float[] xf)
            {
                BatchKernels.ForwardPacked(xf, (float[])(object)packed, (float[])(object)z);
            }
            else
            {
                BatchKernels.ForwardPacked((double[])(object)x, (double[])(object)packed, (double[])(object)z);
            }
        }

        private static void PublicMany<T>(T[] inputs, T[] packed, T[] outputs, int samples, int rows, int columns)
        {
            if (inputs is float[] xf)
            {
                BatchKernels.ForwardPacked(xf, (float[])(object)packed, (float[])(object)outputs, samples, rows, columns);
            }
            else
            {
                BatchKernels.ForwardPacked((double[])(object)inputs, (double[])(object)packed, (double[])(object)outputs, samples, rows, columns);
            }
        }

        // The definition, row by row: C = 4 chains below four panels of rows, 2 below eight, else 1; chain 0 starts at b_i.
        private static T[] Expected<T>(T[] w, T[] b, T[] x, int rows, int columns)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int panel = typeof(T) == typeof(float) ? 16 : 8;
            int panels = (rows + panel - 1) / panel;
            int chains = panels < 4 ? 4 : panels < 8 ? 2 : 1;
            var z = new T[rows];
            for (int i = 0; i < rows; i++)
            {
                var c = new T[4];
                c[0] = b[i];
                for (int j = 0; j < columns; j++)
                {
                    c[j % chains] = T.FusedMultiplyAdd(x[j], w[(i * columns) + j], c[j % chains]);
                }

                z[i] = chains switch
                {
                    1 => c[0],
                    2 => c[0] + c[1],
                    _ => (c[0] + c[1]) + (c[2] + c[3]),
                };
            }

            return z;
        }

        private static void Same<T>(T[] expected, T[] actual, string what)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(expected[i].Equals(actual[i]), $"{what}: z[{i}] = {actual[i]}, the chain expression gives {expected[i]}");
            }
        }

        private static T[] Values<T>(Random random, int count)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var values = new T[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
            }

            return values;
        }
    }
}
