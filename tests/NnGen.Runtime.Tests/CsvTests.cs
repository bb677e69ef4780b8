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

        [Fact]
        public void Label_beyond_the_class_count_names_its_line()
        {
            var error = Assert.Throws<CsvFormatException>(() => Read("1,2,0\n3,4,1\n5,6,3\n", new CsvOptions { ClassCount = 3 }));
            Assert.Equal(3, error.LineNumber);
            Assert.Contains("outside the 3 classes", error.Message, StringComparison.Ordinal);
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
