using System;
using System.Linq;
using Xunit;

namespace NnGen.Runtime.Tests
{
    public sealed class DatasetTests
    {
        private static Dataset<double> Numbered(int count)
        {
            double[] inputs = Enumerable.Range(0, count * 2).Select(i => (double)i).ToArray();
            double[] targets = Enumerable.Range(0, count).Select(i => (double)i).ToArray();
            return new Dataset<double>(inputs, targets, 2, 1);
        }

        [Fact]
        public void Subset_takes_the_samples_at_the_indices_in_order()
        {
            Dataset<double> data = Numbered(5);
            Dataset<double> subset = data.Subset(new[] { 4, 1, 1 });
            Assert.Equal(new double[] { 4, 1, 1 }, subset.Targets.ToArray());
            Assert.Equal(new double[] { 8, 9, 2, 3, 2, 3 }, subset.Inputs.ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset(new[] { 5 }));
        }

        [Fact]
        public void Permutation_is_a_permutation_and_reproducible()
        {
            int[] a = Shuffling.Permutation(1000, seed: 5);
            int[] b = Shuffling.Permutation(1000, seed: 5);
            int[] c = Shuffling.Permutation(1000, seed: 6);

            Assert.Equal(Enumerable.Range(0, 1000), a.OrderBy(i => i));
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
            Assert.NotEqual(Enumerable.Range(0, 1000), a);
        }

        [Fact]
        public void Shuffle_moves_every_item_to_every_place_about_equally_often()
        {
            // 4 items, 24 000 shuffles: each item should land in each place about 6 000 times.
            var counts = new int[4, 4];
            var random = new SeededUniform(1);
            int[] items = new int[4];
            for (int trial = 0; trial < 24_000; trial++)
            {
                for (int i = 0; i < 4; i++)
                {
                    items[i] = i;
                }

                Shuffling.Shuffle(items, ref random);
                for (int place = 0; place < 4; place++)
                {
                    counts[items[place], place]++;
                }
            }

            foreach (int count in counts)
            {
                Assert.InRange(count, 5_700, 6_300);
            }
        }

        [Fact]
        public void Split_is_disjoint_complete_and_reproducible()
        {
            Dataset<double> data = Numbered(101);
            (Dataset<double> train, Dataset<double> test) = data.Split(0.8, seed: 3);
            (Dataset<double> again, _) = data.Split(0.8, seed: 3);

            Assert.Equal(81, train.Count);
            Assert.Equal(20, test.Count);
            double[] ids = train.Targets.ToArray().Concat(test.Targets.ToArray()).ToArray();
            Assert.Equal(Enumerable.Range(0, 101).Select(i => (double)i), ids.OrderBy(i => i));
            Assert.Equal(train.Targets.ToArray(), again.Targets.ToArray());

            // Inputs travel with their targets.
            for (int i = 0; i < train.Count; i++)
            {
                double id = train.Target(i)[0];
                Assert.Equal(new[] { 2 * id, (2 * id) + 1 }, train.Input(i).ToArray());
            }
        }

        [Fact]
        public void Scale_divides_inputs_only()
        {
            Dataset<double> data = Numbered(2);
            data.ScaleInputs(2);
            Assert.Equal(new[] { 0, 0.5, 1, 1.5 }, data.Inputs.ToArray());
            Assert.Equal(new[] { 0.0, 1 }, data.Targets.ToArray());
            Assert.Throws<ArgumentOutOfRangeException>(() => data.ScaleInputs(0));
        }

        [Fact]
        public void Standardizer_uses_training_statistics_for_both_parts()
        {
            var train = new Dataset<double>(new double[] { 1, 10, 3, 10, 5, 10 }, new double[] { 0, 0, 0 }, 2, 1);
            var test = new Dataset<double>(new double[] { 7, 4 }, new double[] { 0 }, 2, 1);

            var standardizer = Standardizer.Fit(train);
            standardizer.Apply(train);
            standardizer.Apply(test);

            double sd = Math.Sqrt(8.0 / 3);
            Assert.Equal(new[] { 3.0, 10 }, standardizer.Mean.ToArray());
            Assert.Equal(-2 / sd, train.Input(0)[0], 12);
            Assert.Equal(0.0, train.Input(1)[1], 12);   // constant column: centred, not divided by 0
            Assert.Equal(4 / sd, test.Input(0)[0], 12);
            Assert.Equal(-6.0, test.Input(0)[1], 12);
        }

        [Theory]
        [InlineData(0.1, 1000)]
        [InlineData(0.1, 7)]
        [InlineData(-3.3, 4097)]
        [InlineData(1e6 + 0.7, 333)]
        [InlineData(1e-30, 1000)]
        public void Standardizer_treats_a_column_constant_up_to_rounding_as_constant(double value, int samples)
        {
            // The mean of n copies of a double v, summed, misses v by a few ulp (n copies of a float are summed exactly
            // in double); the deviation is then not 0 but about 1e-17 |v|, and dividing by it once made a test input one
            // bit away from v about 1 (and one 1e-10 away about 1e7). sklearn's rule: a variance within the rounding of
            // the sums (n ε var + (n ε mean)²) is a constant input, which is only centred.
            double[] inputs = new double[samples * 2];
            for (int i = 0; i < samples; i++)
            {
                inputs[2 * i] = value;
                inputs[(2 * i) + 1] = i % 3;
            }

            var train = new Dataset<double>(inputs, new double[samples], 2, 1);
            var standardizer = Standardizer.Fit(train);
            Assert.Equal(1.0, standardizer.StandardDeviation[0]);

            double nearby = value * (1 + 1e-10);
            var test = new Dataset<double>(new[] { nearby, 1 }, new double[1], 2, 1);
            standardizer.Apply(test);
            Assert.True(Math.Abs(test.Input(0)[0]) <= 1e-9 * Math.Max(1, Math.Abs(value)), $"a constant input 1e-10 off became {test.Input(0)[0]}");

            // A column that truly varies, however little, is still scaled by its deviation.
            inputs[0] = nearby;
            Assert.True(Standardizer.Fit(new Dataset<double>(inputs, new double[samples], 2, 1)).StandardDeviation[0] < 1e-9 * Math.Max(1, Math.Abs(value)));
        }

        [Fact]
        public void Standardizer_refuses_an_empty_set_and_non_finite_inputs_instead_of_statistics_of_NaN()
        {
            // Before, both gave NaN means, and Apply then turned every input of every part into NaN without a word.
            var empty = new Dataset<float>(Array.Empty<float>(), Array.Empty<float>(), 3, 1);
            ArgumentException none = Assert.Throws<ArgumentException>(() => Standardizer.Fit(empty));
            Assert.Equal("training", none.ParamName);
            Assert.Contains("empty", none.Message, StringComparison.Ordinal);

            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                var inputs = new float[] { 1, 2, 3, 4, 5, bad };
                var data = new Dataset<float>(inputs, new float[] { 0, 1 }, 3, 1);
                ArgumentException error = Assert.Throws<ArgumentException>(() => Standardizer.Fit(data));
                Assert.Equal("training", error.ParamName);
                Assert.Contains("Input 2 of sample 1", error.Message, StringComparison.Ordinal);
                Assert.Equal(new float[] { 1, 2, 3, 4, 5, bad }, inputs);
            }
        }

        [Fact]
        public void Mismatched_arrays_are_rejected()
        {
            Assert.Throws<ArgumentException>(() => new Dataset<double>(new double[6], new double[2], 2, 1));
            Assert.Throws<ArgumentException>(() => new Dataset<double>(new double[5], new double[2], 2, 1));
        }
    }
}
