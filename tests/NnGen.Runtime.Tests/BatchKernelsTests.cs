using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.Intrinsics;
using NnGen.CompilerServices;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// The batch matrix products against plain triple loops in double, at every vector width this machine
    /// accelerates, for sizes that exercise every block and every tail (4-sample and 4-row blocks, 2-vector
    /// column blocks, the last partial vector of columns, rows narrower than one vector).
    /// </summary>
    public sealed class BatchKernelsTests
    {
        public static IEnumerable<object[]> Widths()
        {
            yield return new object[] { "public" };
            if (Vector512.IsHardwareAccelerated)
            {
                yield return new object[] { "512" };
            }

            if (Vector256.IsHardwareAccelerated)
            {
                yield return new object[] { "256" };
            }

            if (Vector128.IsHardwareAccelerated)
            {
                yield return new object[] { "128" };
            }
        }

        private static readonly (int Samples, int Rows, int Columns)[] Shapes =
        {
            (1, 1, 1), (3, 5, 7), (4, 4, 16), (5, 7, 33), (8, 2, 64), (9, 9, 65), (4, 1, 100), (13, 6, 31), (32, 10, 128), (7, 3, 2),
            (1, 17, 130), (2, 8, 64), (3, 9, 200), (1, 128, 784),
        };

        [Theory]
        [MemberData(nameof(Widths))]
        public void Forward_is_bias_plus_each_row_of_W_against_each_sample(string width)
        {
            foreach (var (n, m, k) in Shapes)
            {
                var random = new Random((n * 1000) + (m * 100) + k);
                double[] a = Values(random, n * k), w = Values(random, m * k), b = Values(random, m);
                var expected = new double[n * m];
                var magnitude = new double[n * m];
                for (int s = 0; s < n; s++)
                {
                    for (int i = 0; i < m; i++)
                    {
                        expected[(s * m) + i] = b[i];
                        magnitude[(s * m) + i] = Math.Abs(b[i]);
                        for (int j = 0; j < k; j++)
                        {
                            expected[(s * m) + i] += a[(s * k) + j] * w[(i * k) + j];
                            magnitude[(s * m) + i] += Math.Abs(a[(s * k) + j] * w[(i * k) + j]);
                        }
                    }
                }

                double[] zd = Filled(n * m);
                Run<double>(width, Kernel.Forward, a, w, b, zd, n, m, k);
                float[] zf = Array.ConvertAll(Filled(n * m), x => (float)x);
                Run<float>(width, Kernel.Forward, Single(a), Single(w), Single(b), zf, n, m, k);
                Check(expected, magnitude, zd, zf, $"Forward {n}×{m}×{k} at {width}");
            }
        }

        [Theory]
        [MemberData(nameof(Widths))]
        public void AccumulateGradient_adds_delta_transposed_times_A_and_the_delta_sums(string width)
        {
            foreach (var (n, m, k) in Shapes)
            {
                var random = new Random((n * 1000) + (m * 100) + k + 1);
                double[] delta = Values(random, n * m), a = Values(random, n * k), gw = Values(random, m * k), gb = Values(random, m);
                double[] expectedW = (double[])gw.Clone(), magnitudeW = Array.ConvertAll(gw, Math.Abs);
                double[] expectedB = (double[])gb.Clone(), magnitudeB = Array.ConvertAll(gb, Math.Abs);
                for (int s = 0; s < n; s++)
                {
                    for (int i = 0; i < m; i++)
                    {
                        expectedB[i] += delta[(s * m) + i];
                        magnitudeB[i] += Math.Abs(delta[(s * m) + i]);
                        for (int j = 0; j < k; j++)
                        {
                            expectedW[(i * k) + j] += delta[(s * m) + i] * a[(s * k) + j];
                            magnitudeW[(i * k) + j] += Math.Abs(delta[(s * m) + i] * a[(s * k) + j]);
                        }
                    }
                }

                double[] wd = (double[])gw.Clone(), bd = (double[])gb.Clone();
                Run<double>(width, Kernel.Gradient, delta, a, bd, wd, n, m, k);
                float[] wf = Single(gw), bf = Single(gb);
                Run<float>(width, Kernel.Gradient, Single(delta), Single(a), bf, wf, n, m, k);
                Check(expectedW, magnitudeW, wd, wf, $"∇W {n}×{m}×{k} at {width}");
                Check(expectedB, magnitudeB, bd, bf, $"∇b {n}×{m}×{k} at {width}");
            }
        }

        // Shapes for the bit tests: whole vectors of columns at every width, and columns past the last whole vector
        // (24 and 17 at 512 bits, 14 at 256, 7 and 130 at each), rows past the last whole vector for ∇b (21, 18, 9),
        // rows narrower than one vector (3, 7 at 512 bits), and the 4-row and 4-sample blocks with rows or samples left over.
        private static readonly (int Samples, int Rows, int Columns)[] BitShapes =
        {
            (5, 6, 208), (3, 8, 784), (2, 5, 64), (7, 4, 96), (4, 9, 48), (1, 4, 128), (6, 7, 16),
            (5, 6, 24), (32, 24, 24), (3, 7, 14), (4, 9, 17), (6, 21, 130), (9, 18, 33), (2, 5, 7), (8, 3, 3), (5, 17, 1),
        };

        [Theory]
        [MemberData(nameof(Widths))]
        public void AccumulateGradient_is_the_fused_sum_over_the_samples_in_order_bit_for_bit(string width)
        {
            // Each ∇W[i, j] starts from its stored value and takes one fused multiply-add per sample, in sample order,
            // in every tile: the 4-row × 4-vector blocks of 512-bit widths (64 floats, 32 doubles of columns), the
            // 4 × 2 and 4 × 1 blocks, the rows left over, and the columns past the last whole vector (the row's last
            // whole vector, the lanes already done kept). So the row split's blocks of rows and one thread give the
            // same bits. Only a row narrower than one vector runs scalar, and there each product is rounded.
            // ∇b[i] adds the samples in order onto its stored value, unfused, at every width: the same bits as a loop.
            if (!System.Runtime.Intrinsics.X86.Fma.IsSupported)
            {
                return;
            }

            foreach (var (n, m, k) in BitShapes)
            {
                var random = new Random((n * 1000) + (m * 100) + k + 5);
                double[] delta = Values(random, n * m), a = Values(random, n * k), gw = Values(random, m * k), gb = Values(random, m);
                AssertGradientIsSequentialFused(width, Single(delta), Single(a), Single(gw), Single(gb), n, m, k, (x, y, c) => MathF.FusedMultiplyAdd(x, y, c));
                AssertGradientIsSequentialFused(width, delta, a, gw, gb, n, m, k, Math.FusedMultiplyAdd);
            }
        }

        private static void AssertGradientIsSequentialFused<T>(string width, T[] delta, T[] a, T[] gw, T[] gb, int n, int m, int k, Func<T, T, T, T> fused)
            where T : unmanaged, INumber<T>
        {
            T[] w = (T[])gw.Clone(), b = (T[])gb.Clone();
            Run<T>(width, Kernel.Gradient, delta, a, b, w, n, m, k);
            bool inVectors = k >= LanesAt<T>(width, k);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    T expected = gw[(i * k) + j];
                    for (int s = 0; s < n; s++)
                    {
                        expected = inVectors ? fused(delta[(s * m) + i], a[(s * k) + j], expected) : expected + (delta[(s * m) + i] * a[(s * k) + j]);
                    }

                    Assert.True(expected.Equals(w[(i * k) + j]), $"{typeof(T).Name} {n}×{m}×{k} at {width}: ∇W[{i}, {j}] = {w[(i * k) + j]}, expected {expected}");
                }

                T bias = gb[i];
                for (int s = 0; s < n; s++)
                {
                    bias += delta[(s * m) + i];
                }

                Assert.True(bias.Equals(b[i]), $"{typeof(T).Name} {n}×{m}×{k} at {width}: ∇b[{i}] = {b[i]}, expected {bias}");
            }
        }

        [Theory]
        [MemberData(nameof(Widths))]
        public void Backpropagate_is_the_fused_sum_over_the_rows_in_order_bit_for_bit(string width)
        {
            // Each G[s, j] is zero, then one fused multiply-add per row in row order, in the 4-sample tiles, for the
            // samples left over, and in the columns past the last whole vector; only a row narrower than one vector
            // runs scalar, each product rounded. G starts dirty, so a lane kept where it should be written shows.
            if (!System.Runtime.Intrinsics.X86.Fma.IsSupported)
            {
                return;
            }

            foreach (var (n, m, k) in BitShapes)
            {
                var random = new Random((n * 1000) + (m * 100) + k + 6);
                double[] delta = Values(random, n * m), w = Values(random, m * k);
                AssertBackpropagateIsSequentialFused(width, Single(delta), Single(w), n, m, k, (x, y, c) => MathF.FusedMultiplyAdd(x, y, c));
                AssertBackpropagateIsSequentialFused(width, delta, w, n, m, k, Math.FusedMultiplyAdd);
            }
        }

        private static void AssertBackpropagateIsSequentialFused<T>(string width, T[] delta, T[] w, int n, int m, int k, Func<T, T, T, T> fused)
            where T : unmanaged, INumber<T>
        {
            var g = new T[n * k];
            Array.Fill(g, T.CreateChecked(12345));
            Run<T>(width, Kernel.Backpropagate, delta, w, Array.Empty<T>(), g, n, m, k);
            bool inVectors = k >= LanesAt<T>(width, k);
            for (int s = 0; s < n; s++)
            {
                for (int j = 0; j < k; j++)
                {
                    T expected = T.Zero;
                    for (int i = 0; i < m; i++)
                    {
                        expected = inVectors ? fused(delta[(s * m) + i], w[(i * k) + j], expected) : expected + (delta[(s * m) + i] * w[(i * k) + j]);
                    }

                    Assert.True(expected.Equals(g[(s * k) + j]), $"{typeof(T).Name} {n}×{m}×{k} at {width}: G[{s}, {j}] = {g[(s * k) + j]}, expected {expected}");
                }
            }
        }

        // The lanes of the vectors a kernel runs at this width for rows of `columns` (the public entry chooses as
        // BatchKernels.WidthFor does: the widest the machine accelerates that the columns fill, else 128 bits).
        private static int LanesAt<T>(string width, int columns)
            where T : unmanaged
        {
            switch (width)
            {
                case "512":
                    return Vector512<T>.Count;
                case "256":
                    return Vector256<T>.Count;
                case "128":
                    return Vector128<T>.Count;
                default:
                    if (Vector512.IsHardwareAccelerated && columns >= Vector512<T>.Count)
                    {
                        return Vector512<T>.Count;
                    }

                    return Vector256.IsHardwareAccelerated && columns >= Vector256<T>.Count ? Vector256<T>.Count : Vector128<T>.Count;
            }
        }

        [Theory]
        [MemberData(nameof(Widths))]
        public void Backpropagate_overwrites_G_with_delta_times_W(string width)
        {
            foreach (var (n, m, k) in Shapes)
            {
                var random = new Random((n * 1000) + (m * 100) + k + 2);
                double[] delta = Values(random, n * m), w = Values(random, m * k);
                var expected = new double[n * k];
                var magnitude = new double[n * k];
                for (int s = 0; s < n; s++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        for (int i = 0; i < m; i++)
                        {
                            expected[(s * k) + j] += delta[(s * m) + i] * w[(i * k) + j];
                            magnitude[(s * k) + j] += Math.Abs(delta[(s * m) + i] * w[(i * k) + j]);
                        }
                    }
                }

                // G starts dirty: the kernel must overwrite it, as the stack it lives on may hold anything.
                double[] gd = Filled(n * k);
                Run<double>(width, Kernel.Backpropagate, delta, w, Array.Empty<double>(), gd, n, m, k);
                float[] gf = Array.ConvertAll(Filled(n * k), x => (float)x);
                Run<float>(width, Kernel.Backpropagate, Single(delta), Single(w), Array.Empty<float>(), gf, n, m, k);
                Check(expected, magnitude, gd, gf, $"G {n}×{m}×{k} at {width}");
            }
        }

        [Theory]
        [MemberData(nameof(Widths))]
        public void A_sample_gets_the_same_bits_alone_as_inside_a_batch(string width)
        {
            // Forward and ForwardBatch (one sample, or tiles of four) must agree bit for bit, and the
            // per-sample backward pass must agree with the batched one. The shapes cover whole and partial
            // last chunks, odd rows (a row left over by the 2-row tiles) and a last pass of fewer than 8 rows.
            foreach (var (n, m, k) in new[] { (11, 19, 83), (9, 16, 64), (6, 5, 16), (5, 3, 17), (7, 33, 9) })
            {
                var random = new Random((n * 1000) + (m * 100) + k);
                double[] a = Values(random, n * k), w = Values(random, m * k), b = Values(random, m), delta = Values(random, n * m);
                SameBitsAloneAndInBatch(width, Single(a), Single(w), Single(b), Single(delta), n, m, k);
                SameBitsAloneAndInBatch(width, a, w, b, delta, n, m, k);
            }
        }

        [Theory]
        [MemberData(nameof(Widths))]
        public void An_infinite_weight_gives_an_infinite_output_wherever_the_last_chunk_overlaps_it(string width)
        {
            // A row's last partial chunk reloads lanes already counted and masks their products out; masking
            // the inputs instead would turn 0 · ∞ into NaN.
            foreach (int k in new[] { 17, 9, 5, 31 })
            {
                const int n = 5, m = 9;
                var random = new Random(k);
                float[] a = Single(Values(random, n * k)), w = Single(Values(random, m * k)), b = Single(Values(random, m));
                for (int s = 0; s < n; s++)
                {
                    a[s * k] = 1f;
                }

                for (int i = 0; i < m; i++)
                {
                    w[i * k] = float.PositiveInfinity;
                }

                var z = new float[n * m];
                Run<float>(width, Kernel.Forward, a, w, b, z, n, m, k);
                Assert.All(z, value => Assert.Equal(float.PositiveInfinity, value));
            }
        }

        private static void SameBitsAloneAndInBatch<T>(string width, T[] a, T[] w, T[] b, T[] delta, int n, int m, int k)
            where T : unmanaged, INumber<T>
        {
            var z = new T[n * m];
            var g = new T[n * k];
            Run<T>(width, Kernel.Forward, a, w, b, z, n, m, k);
            Run<T>(width, Kernel.Backpropagate, delta, w, Array.Empty<T>(), g, n, m, k);
            for (int s = 0; s < n; s++)
            {
                var zs = new T[m];
                var gs = new T[k];
                Run<T>(width, Kernel.Forward, a.AsSpan(s * k, k).ToArray(), w, b, zs, 1, m, k);
                Run<T>(width, Kernel.Backpropagate, delta.AsSpan(s * m, m).ToArray(), w, Array.Empty<T>(), gs, 1, m, k);
                Assert.True(z.AsSpan(s * m, m).SequenceEqual(zs), $"Forward {typeof(T).Name} {n}×{m}×{k}, sample {s}, at {width}");
                Assert.True(g.AsSpan(s * k, k).SequenceEqual(gs), $"Backpropagate {typeof(T).Name} {n}×{m}×{k}, sample {s}, at {width}");
            }
        }

        [Fact]
        public void Packed_forward_is_the_fused_sum_over_the_columns_in_order_bit_for_bit()
        {
            // Every z[s, i] of the packed tiles is b[i] then one fused multiply-add per column in order, whatever
            // the sample's place in the batch: partial panels (rows not a multiple of the panel), columns that are
            // not a multiple of the transpose, samples left over by the 4-sample tiles, panels left over by the
            // 3-panel and 4-panel tiles, which go 8 samples at a time and then 4 (16 × 10 × 128 is 784-128-10's
            // layer 2, 12 × 32 × 64 is 64-32's layer 1); floats in panels of 16, doubles in panels of 8.
            // The AVX2 kernels (PackedKernels256, 6-sample tiles) are held to the same sums, so a batch has the same bits
            // on an AVX2 machine as on an AVX-512 one; SkipLocalsInit's copy of the suite runs them on AVX-512 machines.
            foreach (var (n, m, k) in new[] { (7, 16, 16), (9, 17, 33), (5, 48, 20), (6, 50, 100), (4, 128, 784), (3, 3, 100), (5, 40, 7), (1, 80, 31), (13, 64, 5), (6, 8, 8), (5, 25, 9), (5, 112, 19), (4, 144, 6), (9, 96, 3), (16, 10, 128), (12, 32, 64), (21, 26, 7), (8, 80, 9), (19, 20, 17), (6, 4, 300) })
            {
                var random = new Random((n * 1000) + (m * 100) + k);
                double[] a = Values(random, n * k), w = Values(random, m * k), b = Values(random, m);
                if (PackedKernels.IsSupported)
                {
                    AssertPackedIsSequentialFused(Single(a), Single(w), Single(b), n, m, k, (x, y, c) => MathF.FusedMultiplyAdd(x, y, c), PackedKernels.Pack, PackedKernels.Forward);
                    AssertPackedIsSequentialFused(a, w, b, n, m, k, Math.FusedMultiplyAdd, PackedKernels.Pack, PackedKernels.Forward);
                }

                if (PackedKernels256.IsSupported)
                {
                    AssertPackedIsSequentialFused(Single(a), Single(w), Single(b), n, m, k, (x, y, c) => MathF.FusedMultiplyAdd(x, y, c), PackedKernels256.Pack, PackedKernels256.Forward);
                    AssertPackedIsSequentialFused(a, w, b, n, m, k, Math.FusedMultiplyAdd, PackedKernels256.Pack, PackedKernels256.Forward);
                }
            }
        }

        [Fact]
        public void The_AVX2_pack_writes_the_panel_layout()
        {
            if (!PackedKernels256.IsSupported)
            {
                return;
            }

            foreach (var (m, k) in new[] { (16, 16), (17, 33), (3, 100), (10, 128), (40, 7), (25, 9), (8, 8), (4, 3), (33, 24) })
            {
                var random = new Random((m * 100) + k);
                double[] w = Values(random, m * k), b = Values(random, m);
                AssertPacksLikePanelLayout(Single(w), Single(b), m, k);
                AssertPacksLikePanelLayout(w, b, m, k);
            }
        }

        private static void AssertPacksLikePanelLayout<T>(T[] w, T[] b, int m, int k)
            where T : unmanaged, INumber<T>
        {
            var packed = new T[PanelLayout.PackedLength<T>(m, k)];
            packed.AsSpan().Fill(T.One);
            PackedKernels256.Pack<T>(w, b, m, k, packed);
            T[] expected = PanelLayout.Pack<T>(w, b, m, k);
            Assert.True(PanelLayout.Locate<T>(expected, m, k).SequenceEqual(packed), $"{typeof(T).Name} {m}×{k}");
        }

        [Fact]
        public void Whole_panels_go_to_tiles_of_four_and_three_leaving_narrow_tiles_only_where_no_sum_fits()
        {
            for (int panels = 0; panels <= 200; panels++)
            {
                int fours = PanelLayout.FourPanelTiles(panels), rest = panels - (4 * fours);
                Assert.True(fours >= 0 && rest >= 0, $"{panels} panels: {fours} fours");
                if (panels is 1 or 2 or 5)
                {
                    Assert.Equal(panels / 4, fours);
                    Assert.Equal(4 * fours, PanelLayout.WholeTilePanels(panels));
                    continue;
                }

                Assert.Equal(panels, PanelLayout.WholeTilePanels(panels));

                // Every other count is fours and threes, with as many fours as that allows.
                Assert.True(rest % 3 == 0, $"{panels} panels: {fours} fours leave {rest}");
                Assert.True(rest < 12, $"{panels} panels: {fours} fours leave {rest}, four threes where three fours would do");
            }
        }

        private delegate void PackKernel<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> b, int rows, int columns, Span<T> packed);

        private delegate void ForwardKernel<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> packed, Span<T> z, int samples, int rows, int columns);

        private static void AssertPackedIsSequentialFused<T>(T[] a, T[] w, T[] b, int n, int m, int k, Func<T, T, T, T> fused, PackKernel<T> pack, ForwardKernel<T> forward)
            where T : unmanaged, INumber<T>
        {
            var packed = new T[PanelLayout.PackedLength<T>(m, k)];
            pack(w, b, m, k, packed);
            var z = new T[n * m];
            forward(a, packed, z, n, m, k);
            for (int s = 0; s < n; s++)
            {
                var alone = new T[m];
                forward(a.AsSpan(s * k, k), packed, alone, 1, m, k);
                for (int i = 0; i < m; i++)
                {
                    T expected = b[i];
                    for (int j = 0; j < k; j++)
                    {
                        expected = fused(a[(s * k) + j], w[(i * k) + j], expected);
                    }

                    Assert.True(expected.Equals(z[(s * m) + i]), $"{typeof(T).Name} {n}×{m}×{k}: z[{s}, {i}] = {z[(s * m) + i]}, expected {expected}");
                    Assert.True(alone[i].Equals(z[(s * m) + i]), $"{typeof(T).Name} {n}×{m}×{k}: sample {s} alone differs at {i}");
                }
            }
        }

        [Fact]
        public void Pack_packs_from_PackFrom_samples_with_AVX_512_or_AVX2_and_the_public_forward_uses_it()
        {
            const int m = 20, k = 30;
            var random = new Random(8);
            float[] w = Single(Values(random, m * k)), b = Single(Values(random, m));
            int from = PackedKernels.IsSupported ? BatchKernels.PackFrom : BatchKernels.PackFromWithoutAvx512;
            Assert.Null(BatchKernels.Pack(w, b, from - 1, m, k));
            double[]? packedDouble = BatchKernels.Pack(new double[m * k], new double[m], 1000, m, k);
            bool packs = PackedKernels.IsSupported || PackedKernels256.IsSupported;
            Assert.Equal(packs, packedDouble is not null);
            BatchKernels.Return(packedDouble);
            float[]? packed = BatchKernels.Pack(w, b, from, m, k);
            Assert.Equal(packs, packed is not null);

            const int n = 70;
            float[] a = Single(Values(random, n * k));
            var viaPacked = new float[n * m];
            var plain = new float[n * m];
            BatchKernels.Forward(a, w, packed, b, viaPacked, n, m, k);
            BatchKernels.Forward(a, w, b, plain, n, m, k);
            for (int i = 0; i < plain.Length; i++)
            {
                Assert.True(Math.Abs(plain[i] - viaPacked[i]) <= 1e-5f * Math.Max(1f, Math.Abs(plain[i])), $"z[{i}]: {viaPacked[i]:R} packed, {plain[i]:R} not");
            }

            BatchKernels.Return(packed);
            Assert.Throws<ArgumentException>(() => BatchKernels.Pack(w.AsSpan(1), b, 100, m, k));
            if (packed is not null)
            {
                Assert.Throws<ArgumentException>(() => BatchKernels.Forward(a.AsSpan(k), w, packed, b, viaPacked, n, m, k));
            }

            // After the first rent, packing and giving back allocate nothing.
            Assert.Equal(0, Allocations.Least(() => BatchKernels.Return(BatchKernels.Pack(w, b, BatchKernels.PackFromWithoutAvx512, m, k))));
        }

        [Fact]
        public void Spans_shorter_than_the_sizes_are_rejected_before_anything_is_written()
        {
            var z = new float[5];
            Assert.Throws<ArgumentException>(() => BatchKernels.Forward(new float[6], new float[6], new float[2], z, 3, 2, 3));
            Assert.All(z, x => Assert.Equal(0f, x));

            var gw = new double[6];
            Assert.Throws<ArgumentException>(() => BatchKernels.AccumulateGradient(new double[6], new double[9], gw, new double[1], 3, 2, 3));
            Assert.All(gw, x => Assert.Equal(0.0, x));

            var g = new float[9];
            Assert.Throws<ArgumentException>(() => BatchKernels.Backpropagate(new float[6], new float[5], g, 3, 2, 3));
            Assert.All(g, x => Assert.Equal(0f, x));
            Assert.Throws<ArgumentException>(() => BatchKernels.Backpropagate(new float[6], new float[6], g, -1, 2, 3));
        }

        [Fact]
        public void The_kernels_allocate_nothing()
        {
            var a = new float[32 * 784];
            var w = new float[128 * 784];
            var z = new float[32 * 128];
            var b = new float[128];
            BatchKernels.Forward(a, w, b, z, 32, 128, 784);
            BatchKernels.AccumulateGradient(z, a, w, b, 32, 128, 784);
            BatchKernels.Backpropagate(z, w, a, 32, 128, 784);
            Assert.Equal(0, Allocations.Least(() =>
            {
                BatchKernels.Forward(a, w, b, z, 32, 128, 784);
                BatchKernels.AccumulateGradient(z, a, w, b, 32, 128, 784);
                BatchKernels.Backpropagate(z, w, a, 32, 128, 784);
            }));
        }

        private enum Kernel
        {
            Forward,
            Gradient,
            Backpropagate,
        }

        // Forward(x, y, v, out) = (A, W, b, Z); Gradient = (Δ, A, ∇b, ∇W); Backpropagate = (Δ, W, -, G).
        private static void Run<T>(string width, Kernel kernel, T[] x, T[] y, T[] v, T[] output, int n, int m, int k)
            where T : unmanaged, INumber<T>
        {
            switch (width)
            {
                case "512":
                    Run<T, Vector512<T>, Simd512<T>>(kernel, x, y, v, output, n, m, k);
                    break;
                case "256":
                    Run<T, Vector256<T>, Simd256<T>>(kernel, x, y, v, output, n, m, k);
                    break;
                case "128":
                    Run<T, Vector128<T>, Simd128<T>>(kernel, x, y, v, output, n, m, k);
                    break;
                default:
                    RunPublic(kernel, x, y, v, output, n, m, k);
                    break;
            }
        }

        private static void Run<T, TVector, TWidth>(Kernel kernel, T[] x, T[] y, T[] v, T[] output, int n, int m, int k)
            where T : unmanaged, INumber<T>
            where TVector : struct
            where TWidth : ISimdWidth<T, TVector>
        {
            switch (kernel)
            {
                case Kernel.Forward:
                    MatrixKernels.Forward<T, TVector, TWidth>(x, y, v, output, n, m, k);
                    break;
                case Kernel.Gradient:
                    MatrixKernels.AccumulateGradient<T, TVector, TWidth>(x, y, output, v, n, m, k);
                    break;
                default:
                    MatrixKernels.Backpropagate<T, TVector, TWidth>(x, y, output, n, m, k);
                    break;
            }
        }

        private static void RunPublic<T>(Kernel kernel, T[] x, T[] y, T[] v, T[] output, int n, int m, int k)
        {
            if (x is double[] xd)
            {
                var (yd, vd, od) = ((double[])(object)y, (double[])(object)v, (double[])(object)output);
                switch (kernel)
                {
                    case Kernel.Forward: BatchKernels.Forward(xd, yd, vd, od, n, m, k); break;
                    case Kernel.Gradient: BatchKernels.AccumulateGradient(xd, yd, od, vd, n, m, k); break;
                    default: BatchKernels.Backpropagate(xd, yd, od, n, m, k); break;
                }
            }
            else
            {
                var (xf, yf, vf, of) = ((float[])(object)x!, (float[])(object)y!, (float[])(object)v!, (float[])(object)output!);
                switch (kernel)
                {
                    case Kernel.Forward: BatchKernels.Forward(xf, yf, vf, of, n, m, k); break;
                    case Kernel.Gradient: BatchKernels.AccumulateGradient(xf, yf, of, vf, n, m, k); break;
                    default: BatchKernels.Backpropagate(xf, yf, of, n, m, k); break;
                }
            }
        }

        // Tolerances relative to Σ|terms|: double 1e-14 per term is far above its rounding, far below any wrong term.
        private static void Check(double[] expected, double[] magnitude, double[] actualDouble, float[] actualSingle, string what)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                double scale = Math.Max(magnitude[i], 1e-300);
                Assert.True(Math.Abs(actualDouble[i] - expected[i]) <= 1e-13 * scale, $"{what}, double [{i}]: {actualDouble[i]:R}, expected {expected[i]:R}");
                Assert.True(Math.Abs(actualSingle[i] - expected[i]) <= 1e-5 * scale, $"{what}, float [{i}]: {actualSingle[i]:R}, expected {expected[i]:R}");
            }
        }

        private static double[] Values(Random random, int count)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }

            return values;
        }

        private static double[] Filled(int count)
        {
            var values = new double[count];
            Array.Fill(values, 12345.0);
            return values;
        }

        /// <summary>
        /// The batch products stay out of line. Dynamic PGO once inlined the packed product into a tiered-up generated
        /// caller without loops (IRowSplitTraining.ForwardRows) and the same call ran four times slower there; nothing
        /// but this attribute keeps it from happening again, and no timing test could show it reliably.
        /// </summary>
        [Theory]
        [InlineData(typeof(PackedKernels), nameof(PackedKernels.Forward))]
        [InlineData(typeof(PackedKernels), nameof(PackedKernels.Pack))]
        [InlineData(typeof(MatrixKernels), nameof(MatrixKernels.Forward))]
        [InlineData(typeof(MatrixKernels), nameof(MatrixKernels.AccumulateGradient))]
        [InlineData(typeof(MatrixKernels), nameof(MatrixKernels.Backpropagate))]
        public void Batch_products_are_never_inlined_into_their_callers(Type kernels, string name)
        {
            var method = kernels.GetMethod(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)!;
            Assert.True(method.MethodImplementationFlags.HasFlag(System.Reflection.MethodImplAttributes.NoInlining), $"{kernels.Name}.{name} may be inlined");
        }

        private static float[] Single(double[] values) => Array.ConvertAll(values, x => (float)x);
    }
}
