using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NnGen.Runtime.Tests
{
    public sealed class CsvTests
    {
        private static Dataset<double> Read(string text, CsvOptions? options = null) =>
            Csv.Read<double>(new StringReader(text), options, "test.csv");

        [Fact]
        public void Label_column_becomes_one_hot_targets()
        {
            Dataset<double> data = Read("1.5,2,0\n3,4e-1,2\n-5,6,1\n");
            Assert.Equal(3, data.Count);
            Assert.Equal(2, data.InputCount);
            Assert.Equal(3, data.TargetCount);
            Assert.Equal(new[] { 3, 0.4 }, data.Input(1).ToArray());
            Assert.Equal(new[] { 0.0, 0, 1 }, data.Target(1).ToArray());
            Assert.Equal(new[] { 0.0, 1, 0 }, data.Target(2).ToArray());
        }

        [Fact]
        public void Header_is_skipped_and_label_column_and_class_count_can_be_given()
        {
            Dataset<float> iris = Csv.Read<float>(
                new StringReader("150,4,setosa,versicolor,virginica\n1,5.1,3.5\n0,4.9,3.0\n"),
                new CsvOptions { HasHeader = true, LabelColumn = 0, ClassCount = 3 });
            Assert.Equal(2, iris.Count);
            Assert.Equal(new[] { 5.1f, 3.5f }, iris.Input(0).ToArray());
            Assert.Equal(new[] { 0f, 1f, 0f }, iris.Target(0).ToArray());
        }

        [Fact]
        public void Trailing_columns_can_be_numeric_targets()
        {
            Dataset<double> data = Read("1,2,0.5,-0.5\n3,4,1.5,2.5\n", new CsvOptions { TargetColumnCount = 2 });
            Assert.Equal(2, data.InputCount);
            Assert.Equal(new[] { 1.5, 2.5 }, data.Target(1).ToArray());
        }

        [Fact]
        public void Blank_lines_are_skipped_but_counted()
        {
            var error = Assert.Throws<CsvFormatException>(() => Read("1,2,0\n\n1,x,1\n"));
            Assert.Equal(3, error.LineNumber);
        }

        [Theory]
        [InlineData("1,2,0\n3,4,1\n5,6\n", 3, "expected 3 columns")]
        [InlineData("1,2,0\n3,four,1\n", 2, "column 2 is 'four'")]
        [InlineData("1,2,0\n3,4,1.5\n", 2, "not a class index")]
        [InlineData("1,2,0\n3,4,-1\n", 2, "not a class index")]
        [InlineData("1,2,0\n3,NaN,1\n", 2, "not a finite number")]
        [InlineData("1,2,0\n3,4,1,\n", 2, "column 4 is ''")]
        public void Malformed_row_names_its_line(string text, int line, string problem)
        {
            var error = Assert.Throws<CsvFormatException>(() => Read(text));
            Assert.Equal(line, error.LineNumber);
            Assert.Contains($"test.csv, line {line}", error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("x1,x2,label\n1,2,0\n", ',', 1, "If the first line is a header, set CsvOptions.HasHeader = true.")]
        [InlineData("\n\nx1,x2,label\n1,2,0\n", ',', 3, "If the first line is a header, set CsvOptions.HasHeader = true.")]
        [InlineData("1,2,0\nx1,x2,label\n", ',', 2, "not a finite number.")]
        [InlineData("1,5;2;0\n", ';', 1, "Numbers are read with '.' as the decimal point, whatever the machine's culture.")]
        [InlineData("1.5,\"2\",0\n", ',', 1, "Quoted cells are not read: write the numbers without quotes.")]
        [InlineData("1,5;2;0\n", ',', 1, "The columns look separated by ';': set CsvOptions.Separator = ';'.")]
        [InlineData("1.5;2;0\n", ',', 1, "The columns look separated by ';': set CsvOptions.Separator = ';'.")]
        [InlineData("1.5\t2\t0\n", ',', 1, "The columns look separated by '\\t': set CsvOptions.Separator = '\\t'.")]
        [InlineData("x;y;label\n1;2;0\n", ',', 1, "If the first line is a header, set CsvOptions.HasHeader = true.")]
        [InlineData("x;y;label\n1;2;0\n", ',', 2, "The columns look separated by ';': set CsvOptions.Separator = ';'.", true)]
        [InlineData("1,2,0\n1;2,0\n", ',', 2, "not a finite number.")]
        public void A_cell_that_is_not_a_number_says_what_the_file_most_likely_needs(string text, char separator, int line, string hint, bool header = false)
        {
            // The commonest differences between a spreadsheet's or pandas' CSV and what is read here: a header (pandas
            // writes one by default), a decimal comma, quoted cells, semicolons (a spreadsheet where the decimal point is a
            // comma) or tabs between the columns.
            CsvFormatException error = Assert.Throws<CsvFormatException>(() => Read(text, new CsvOptions { Separator = separator, HasHeader = header }));
            Assert.Contains(FormattableString.Invariant($"line {line}:"), error.Message, StringComparison.Ordinal);
            Assert.EndsWith(hint, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Digit_only_cells_read_as_double_parse_reads_them()
        {
            // The fast path for cells of 1 to 15 digits, and what falls back to double.TryParse on either side of it.
            string[] cells = { "0", "7", "007", "255", "4096", "123456789012345", "999999999999999", "1234567890123456", "9007199254740993", "-0", "+5", " 42 ", "1e3", "0.5", "000000000000000" };
            string text = string.Join(",", cells) + ",0\n";
            Dataset<double> data = Read(text, new CsvOptions { ClassCount = 1 });
            double[] expected = cells.Select(c => double.Parse(c, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), data.Input(0).ToArray().Select(BitConverter.DoubleToInt64Bits));
        }

        [Fact]
        public void A_large_file_allocates_about_what_its_text_and_its_data_set_take()
        {
            // Each row used to be a double[] of its own and each cell a string (Split): about 40 bytes allocated per
            // cell, where the data set takes 4. MNIST as a 116 MB CSV allocated 2.4 GB; now 615 MB.
            var random = new Random(4);
            var text = new System.Text.StringBuilder();
            const int rows = 3000, columns = 100;
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    text.Append(random.Next(10) < 7 ? 0 : random.Next(256)).Append(',');
                }

                text.Append(r % 10).Append('\n');
            }

            string csv = text.ToString();
            Csv.Read<float>(new StringReader("1,0\n"));   // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            Dataset<float> data = Csv.Read<float>(new StringReader(csv));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            long lines = 2L * csv.Length;                           // the text of every line, as strings
            long dataSet = 4L * rows * (columns + 10);              // inputs and one-hot targets, in float
            Assert.Equal(rows, data.Count);
            Assert.True(allocated < lines + (3 * dataSet) + (256 * 1024), $"reading {csv.Length} characters into {dataSet} bytes allocated {allocated} bytes");
        }

        [Fact]
        public void Label_beyond_the_class_count_names_its_line()
        {
            var error = Assert.Throws<CsvFormatException>(() => Read("1,2,0\n3,4,1\n5,6,3\n", new CsvOptions { ClassCount = 3 }));
            Assert.Equal(3, error.LineNumber);
            Assert.Contains("outside the 3 classes", error.Message, StringComparison.Ordinal);
        }

        // Issue 9, section 6: the label set the one-hot width, so a 17-byte file allocated 256 MiB, and larger
        // labels threw OutOfMemoryException or OverflowException; 1e39 loaded as infinity into float.
        [Theory]
        [InlineData("0.5,0.5,2147483646\n", "2147483646")]
        [InlineData("0.5,0.5,67108863\n", "67108863")]
        [InlineData("0.5,0.5,1000000000\n", "1000000000")]
        [InlineData("0.5,0.5,4096\n", "4096")]
        public void A_label_past_the_inferred_class_limit_is_an_error_that_names_it(string text, string value)
        {
            foreach (Func<Exception> read in new Func<Exception>[]
            {
                () => Assert.Throws<CsvFormatException>(() => Csv.Read<float>(new StringReader(text), null, "test.csv")),
                () => Assert.Throws<CsvFormatException>(() => Read(text)),
            })
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Exception error = read();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

                Assert.Contains("test.csv, line 1", error.Message, StringComparison.Ordinal);
                Assert.Contains("column 3", error.Message, StringComparison.Ordinal);
                Assert.Contains(value, error.Message, StringComparison.Ordinal);
                Assert.Contains("MaxInferredClassCount", error.Message, StringComparison.Ordinal);
                Assert.True(allocated < 64 * 1024, $"reading a {text.Length}-byte file allocated {allocated} bytes");
            }
        }

        [Fact]
        public void The_largest_inferred_class_count_loads()
        {
            Dataset<double> data = Read("0.5,0.5," + (CsvOptions.MaxInferredClassCount - 1) + "\n");
            Assert.Equal(CsvOptions.MaxInferredClassCount, data.TargetCount);
        }

        [Fact]
        public void An_explicit_class_count_allows_more_classes()
        {
            Dataset<double> data = Read("0.5,0.5,5000\n", new CsvOptions { ClassCount = 5001 });
            Assert.Equal(5001, data.TargetCount);
        }

        [Theory]
        [InlineData("1e39,0.5,0\n", "column 1 is '1e39'")]
        [InlineData("0.5,-3.5e38,0\n", "column 2 is '-3.5e38'")]
        public void A_number_beyond_float_is_an_error_for_a_float_dataset(string text, string problem)
        {
            var error = Assert.Throws<CsvFormatException>(() => Csv.Read<float>(new StringReader(text), null, "test.csv"));
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.Contains("beyond the range of float", error.Message, StringComparison.Ordinal);

            Dataset<double> loaded = Read(text);
            Assert.Equal(1, loaded.Count);
        }

        [Fact]
        public void Empty_input_is_an_error()
        {
            Assert.Throws<CsvFormatException>(() => Read("\n\n"));
        }

        [Fact]
        public void Digits_file_loads_whole()
        {
            Dataset<float> digits = DigitsTests.LoadDigits();
            Assert.Equal(1797, digits.Count);
            float[] pixels = digits.Inputs.ToArray();
            Assert.InRange(pixels.Min(), 0f, 0f);
            Assert.InRange(pixels.Max(), 16f, 16f);
        }
    }
}
