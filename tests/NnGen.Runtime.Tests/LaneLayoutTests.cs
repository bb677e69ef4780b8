using System;
using System.Linq;
using System.Runtime.Intrinsics;
using NnGen.CompilerServices;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// LaneLayout.Pack, which transposes the unrolled layers of baked networks and snapshots into groups of rows for
    /// the generated code (the outputs it gives are checked to the bit in NnGen.Tests, UnrolledLanesTests).
    /// </summary>
    public sealed class LaneLayoutTests
    {
        [Fact]
        public void Lanes_are_what_the_layout_says()
        {
            // 3 rows × 2 columns then b, as Parameters holds them; packed: per group of four rows, b, then column 0, then column 1.
            float[] parameters = { 1, 2, 3, 4, 5, 6, 10, 20, 30 };
            Vector128<float>[] packed = LaneLayout.Pack<float>(parameters, (0, 3, 2));
            Assert.Equal(3, packed.Length);
            Assert.Equal(Vector128.Create(10f, 20f, 30f, 0f), packed[0]);
            Assert.Equal(Vector128.Create(1f, 3f, 5f, 0f), packed[1]);
            Assert.Equal(Vector128.Create(2f, 4f, 6f, 0f), packed[2]);

            // Two layers one after another; five double rows make three groups of two.
            double[] two = Enumerable.Range(0, 4 + 15 + 5).Select(i => (double)i).ToArray();
            Vector128<double>[] both = LaneLayout.Pack<double>(two, (0, 2, 1), (4, 5, 3));
            Assert.Equal(2 * 1 + 3 * 4, both.Length);
            Assert.Equal(Vector128.Create(2d, 3d), both[0]);
            Assert.Equal(Vector128.Create(0d, 1d), both[1]);
            Assert.Equal(Vector128.Create(19d, 20d), both[2]); // b of rows 0, 1 of the second layer
            Assert.Equal(Vector128.Create(4d + 2, 4d + 5), both[2 + 3]); // W[0, 2], W[1, 2]
            Assert.Equal(Vector128.Create(23d, 0d), both[2 + 8]); // b of row 4, then padding
            Assert.Equal(Vector128.Create(4d + 12 + 1, 0d), both[2 + 8 + 2]); // W[4, 1]
        }

        [Fact]
        public void A_layer_outside_the_parameters_is_rejected()
        {
            float[] parameters = new float[8];
            Assert.Throws<ArgumentException>("layers", () => LaneLayout.Pack<float>(parameters, (0, 3, 2)));
            Assert.Throws<ArgumentException>("layers", () => LaneLayout.Pack<float>(parameters, (-1, 1, 1)));
            Assert.Throws<ArgumentException>("layers", () => LaneLayout.Pack<float>(parameters, (0, 0, 4)));
        }
    }
}
