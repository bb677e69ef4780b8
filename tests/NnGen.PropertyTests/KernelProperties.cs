using System;
using CsCheck;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.PropertyTests
{
    /// <summary>
    /// The runtime's matrix products over random shapes and values, through the public entry points the
    /// generated code calls, against plain loops written here: Z = A·Wᵀ ⊕ b one sample at a time, in a batch and
    /// from packed W; ∇W += Δᵀ·A; G = Δ·W. Besides the values, the invariants the generated code relies on: a
    /// sample gets the same bits alone as in a batch, and the packed tiles give exactly the fused sum over the
    /// columns in order. Fixed seeds.
    /// </summary>
    public sealed class KernelProperties
    {
        private static readonly Gen<(int Samples, int Rows, int Columns, int Seed)> Shapes =
            Gen.Select(Gen.Int[1, 40], Gen.Int[1, 70], Gen.Int[1, 130], Gen.Int[0, 1_000_000]);

        [Fact]
        public void Float_products_match_plain_loops_and_keep_their_bit_invariants()
        {
            Shapes.Sample(c => Check(c.Samples, c.Rows, c.Columns, c.Seed), cases: 300, stream: 21);
        }

        [Fact]
        public void Double_products_match_plain_loops_and_keep_their_bit_invariants()
        {
            Shapes.Sample(c => CheckDouble(c.Samples, c.Rows, c.Columns, c.Seed), cases: 150, stream: 22);
        }

        private static void Check(int n, int m, int k, int seed)
        {
            var random = new Random(seed);
            float[] a = Values(random, n * k), w = Values(random, m * k), b = Values(random, m), delta = Values(random, n * m);

            var z = new float[n * m];
            BatchKernels.Forward(a, w, b, z, n, m, k);
            var one = new float[m];
            for (int s = 0; s < n; s++)
            {
                BatchKernels.Forward(a.AsSpan(s * k, k), w, b, one);
                for (int i = 0; i < m; i++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(one[i]) == BitConverter.SingleToInt32Bits(z[(s * m) + i]), $"sample {s} row {i}: alone {one[i]:R}, in the batch {z[(s * m) + i]:R}");
                    (double exact, double magnitude) = Dot(b[i], a, s * k, w, i * k, k);
                    Assert.True(Math.Abs(z[(s * m) + i] - exact) <= (2e-6 * magnitude) + 1e-30, $"z[{s}, {i}] = {z[(s * m) + i]:R}, exact {exact:R}");
                }
            }

            float[]? packed = BatchKernels.Pack(w, b, Math.Max(n, BatchKernels.PackFromWithoutAvx512), m, k);
            if (packed is not null)
            {
                var zp = new float[n * m];
                BatchKernels.Forward(a, w, packed, b, zp, n, m, k);
                for (int s = 0; s < n; s++)
                {
                    for (int i = 0; i < m; i++)
                    {
                        float fused = b[i];
                        for (int j = 0; j < k; j++)
                        {
                            fused = MathF.FusedMultiplyAdd(a[(s * k) + j], w[(i * k) + j], fused);
                        }

                        Assert.True(BitConverter.SingleToInt32Bits(fused) == BitConverter.SingleToInt32Bits(zp[(s * m) + i]), $"packed z[{s}, {i}] = {zp[(s * m) + i]:R}, fused sum {fused:R}");
                    }
                }

                BatchKernels.Return(packed);
            }

            // ∇W += Δᵀ·A, ∇b += Σ δ, onto values already there; G = Δ·W, overwritten.
            float[] gw = Values(random, m * k), gb = Values(random, m);
            float[] gw0 = (float[])gw.Clone(), gb0 = (float[])gb.Clone();
            BatchKernels.AccumulateGradient(delta, a, gw, gb, n, m, k);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    double exact = gw0[(i * k) + j], magnitude = Math.Abs(exact);
                    for (int s = 0; s < n; s++)
                    {
                        exact += (double)delta[(s * m) + i] * a[(s * k) + j];
                        magnitude += Math.Abs((double)delta[(s * m) + i] * a[(s * k) + j]);
                    }

                    Assert.True(Math.Abs(gw[(i * k) + j] - exact) <= 2e-6 * magnitude, $"∇W[{i}, {j}] = {gw[(i * k) + j]:R}, exact {exact:R}");
                }

                double bias = gb0[i], biasMagnitude = Math.Abs(bias);
                for (int s = 0; s < n; s++)
                {
                    bias += delta[(s * m) + i];
                    biasMagnitude += Math.Abs(delta[(s * m) + i]);
                }

                Assert.True(Math.Abs(gb[i] - bias) <= 2e-6 * biasMagnitude, $"∇b[{i}] = {gb[i]:R}, exact {bias:R}");
            }

            float[] g = Values(random, n * k);
            BatchKernels.Backpropagate(delta, w, g, n, m, k);
            for (int s = 0; s < n; s++)
            {
                for (int j = 0; j < k; j++)
                {
                    double exact = 0, magnitude = 0;
                    for (int i = 0; i < m; i++)
                    {
                        exact += (double)delta[(s * m) + i] * w[(i * k) + j];
                        magnitude += Math.Abs((double)delta[(s * m) + i] * w[(i * k) + j]);
                    }

                    Assert.True(Math.Abs(g[(s * k) + j] - exact) <= (2e-6 * magnitude) + 1e-30, $"G[{s}, {j}] = {g[(s * k) + j]:R}, exact {exact:R}");
                }
            }
        }

        private static void CheckDouble(int n, int m, int k, int seed)
        {
            var random = new Random(seed);
            double[] a = Array.ConvertAll(Values(random, n * k), x => (double)x), w = Array.ConvertAll(Values(random, m * k), x => (double)x);
            double[] b = Array.ConvertAll(Values(random, m), x => (double)x);
            var z = new double[n * m];
            BatchKernels.Forward(a, w, b, z, n, m, k);
            var one = new double[m];
            double[]? packed = BatchKernels.Pack(w, b, Math.Max(n, BatchKernels.PackFromWithoutAvx512), m, k);
            var zp = new double[n * m];
            BatchKernels.Forward(a, w, packed, b, zp, n, m, k);
            for (int s = 0; s < n; s++)
            {
                BatchKernels.Forward(a.AsSpan(s * k, k), w, b, one);
                for (int i = 0; i < m; i++)
                {
                    Assert.True(BitConverter.DoubleToInt64Bits(one[i]) == BitConverter.DoubleToInt64Bits(z[(s * m) + i]), $"sample {s} row {i}: alone {one[i]:R}, in the batch {z[(s * m) + i]:R}");
                    double fused = b[i];
                    for (int j = 0; j < k; j++)
                    {
                        fused = Math.FusedMultiplyAdd(a[(s * k) + j], w[(i * k) + j], fused);
                    }

                    // Without AVX-512 Pack gives null and the same dot tiles run: compare values only then.
                    Assert.True(packed is null ? Math.Abs(zp[(s * m) + i] - fused) <= 1e-12 * (1 + Math.Abs(fused) + k) : fused.Equals(zp[(s * m) + i]), $"packed z[{s}, {i}] = {zp[(s * m) + i]:R}, fused sum {fused:R}");
                    Assert.True(Math.Abs(z[(s * m) + i] - fused) <= 1e-12 * (1 + k), $"z[{s}, {i}] = {z[(s * m) + i]:R}, fused sum {fused:R}");
                }
            }

            BatchKernels.Return(packed);
        }

        private static (double Exact, double Magnitude) Dot(float bias, float[] x, int xAt, float[] y, int yAt, int count)
        {
            double exact = bias, magnitude = Math.Abs(bias);
            for (int j = 0; j < count; j++)
            {
                double product = (double)x[xAt + j] * y[yAt + j];
                exact += product;
                magnitude += Math.Abs(product);
            }

            return (exact, magnitude);
        }

        private static float[] Values(Random random, int count)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }

            return values;
        }
    }
}
