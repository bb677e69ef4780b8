using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NnGen
{
    /// <summary>Reads datasets from CSV: numbers in the invariant culture, one sample per line.</summary>
    public static class Csv
    {
        /// <summary>Reads the file at <paramref name="path"/>.</summary>
        /// <exception cref="CsvFormatException">A row is malformed; the message gives the file and line.</exception>
        public static Dataset<T> Load<T>(string path, CsvOptions? options = null)
            where T : unmanaged
        {
            using var reader = new StreamReader(path);
            return Read<T>(reader, options, Path.GetFileName(path));
        }

        /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
        /// <exception cref="CsvFormatException">A row is malformed; the message gives the line.</exception>
        public static Dataset<T> Read<T>(TextReader reader, CsvOptions? options = null, string source = "CSV")
            where T : unmanaged
        {
            if (reader is null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            options ??= new CsvOptions();
            if (options.TargetColumnCount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.TargetColumnCount, "TargetColumnCount cannot be negative.");
            }

            if (options.ClassCount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.ClassCount, "ClassCount cannot be negative.");
            }

            bool single = typeof(T) == typeof(float);

            // Cells go straight into T, in chunks, and a class label (the one cell that must stay a double to be checked
            // as an index) into its own list: a row as a double[] of its own took twice a float dataset's memory and an
            // object per line (MNIST as a 116 MB CSV: 2.4 GB allocated, a 631 MB peak).
            var cells = new ChunkedList<T>();
            var labels = new List<double>();
            var rowLines = new List<int>();
            double[] row = new double[16];
            int columns = -1;
            int labelColumn = -1;
            int lineNumber = 0;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if ((lineNumber == 1 && options.HasHeader) || string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                int count = ParseRow(line, ref row, options.Separator, single, source, lineNumber, firstRow: rowLines.Count == 0, mayBeHeader: rowLines.Count == 0 && !options.HasHeader);
                if (columns < 0)
                {
                    columns = count;

                    // A label column outside the row is reported once every row has been read, as before; meanwhile
                    // every cell is kept.
                    int label = options.LabelColumn < 0 ? columns + options.LabelColumn : options.LabelColumn;
                    labelColumn = options.TargetColumnCount == 0 && label >= 0 && label < columns ? label : -1;
                }
                else if (count != columns)
                {
                    throw new CsvFormatException(source, lineNumber, $"expected {columns} columns, as in the first row, but found {count}.");
                }

                for (int c = 0; c < count; c++)
                {
                    if (c == labelColumn)
                    {
                        labels.Add(row[c]);
                    }
                    else
                    {
                        cells.Add(Numbers.FromDouble<T>(row[c]));
                    }
                }

                rowLines.Add(lineNumber);
            }

            if (rowLines.Count == 0)
            {
                throw new CsvFormatException(source, lineNumber, "no data rows.");
            }

            return options.TargetColumnCount > 0
                ? WithTargetColumns(cells, rowLines.Count, columns, options.TargetColumnCount, source)
                : WithOneHotLabels(cells, labels, labelColumn, rowLines, columns, options, source);
        }

        // What a cell that is not a number most often means: the commonest ways a file exported by a spreadsheet or pandas
        // differs from what is read here.
        private static string Hint(string cell, char separator, bool firstRow, bool mayBeHeader)
        {
            if (cell.Length >= 2 && cell[0] == '"' && cell[cell.Length - 1] == '"'
                && double.TryParse(cell.Substring(1, cell.Length - 2), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return " Quoted cells are not read: write the numbers without quotes.";
            }

            if (separator != ',' && cell.IndexOf(',') >= 0 && IsNumber(cell))
            {
                return " Numbers are read with '.' as the decimal point, whatever the machine's culture.";
            }

            // A semicolon-separated file (a spreadsheet saved where the decimal point is a comma) or a tab-separated one,
            // which fails on its first row; further down, a stray ';' in one cell is no sign of it.
            if (firstRow)
            {
                foreach (char other in OtherSeparators)
                {
                    if (other != separator && cell.IndexOf(other) >= 0 && Array.TrueForAll(cell.Split(other), IsNumber))
                    {
                        string name = other == '\t' ? "'\\t'" : $"'{other}'";
                        return $" The columns look separated by {name}: set CsvOptions.Separator = {name}.";
                    }
                }
            }

            return mayBeHeader ? " If the first line is a header, set CsvOptions.HasHeader = true." : string.Empty;
        }

        private static readonly char[] OtherSeparators = { ';', '\t' };

        // A number in either decimal form: this only chooses a hint.
        private static bool IsNumber(string text) =>
            double.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

        // The cells of one line into row (grown as needed), each checked: a finite number, and within float's range for
        // a float dataset. Returns how many cells the line has.
        private static int ParseRow(string line, ref double[] row, char separator, bool single, string source, int lineNumber, bool firstRow, bool mayBeHeader)
        {
            ReadOnlySpan<char> rest = line.AsSpan();
            int c = 0;
            while (true)
            {
                int end = rest.IndexOf(separator);
                ReadOnlySpan<char> cell = (end < 0 ? rest : rest.Slice(0, end)).Trim();
                if (c == row.Length)
                {
                    Array.Resize(ref row, 2 * row.Length);
                }

                if (!TryParseDigits(cell, out double value)
                    && (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || double.IsNaN(value) || double.IsInfinity(value)))
                {
                    string text = cell.ToString();
                    throw new CsvFormatException(source, lineNumber, $"column {c + 1} is '{text}', which is not a finite number.{Hint(text, separator, firstRow, mayBeHeader)}");
                }

                // 1e39 is finite as a double, but would load as infinity into float.
                if (single && NumericLimits.OverflowsSingle(value))
                {
                    throw new CsvFormatException(source, lineNumber, $"column {c + 1} is '{cell.ToString()}', which is beyond the range of float (±3.4028235E+38).");
                }

                row[c++] = value;
                if (end < 0)
                {
                    return c;
                }

                rest = rest.Slice(end + 1);
            }
        }

        // A cell of 1 to 15 decimal digits and nothing else (pixel values, labels, counts): exactly the double that
        // double.TryParse gives, since every such integer is one, about ten times faster than it.
        private static bool TryParseDigits(ReadOnlySpan<char> cell, out double value)
        {
            value = 0;
            if (cell.Length == 0 || cell.Length > 15)
            {
                return false;
            }

            long number = 0;
            foreach (char digit in cell)
            {
                if (digit < '0' || digit > '9')
                {
                    return false;
                }

                number = (number * 10) + (digit - '0');
            }

            value = number;
            return true;
        }

        private static Dataset<T> WithTargetColumns<T>(ChunkedList<T> cells, int rows, int columns, int targetCount, string source)
            where T : unmanaged
        {
            int inputCount = columns - targetCount;
            if (inputCount < 1)
            {
                throw new CsvFormatException(source, 1, $"{columns} columns leave no input beside {targetCount} target columns.");
            }

            var inputs = new T[rows * inputCount];
            var targets = new T[rows * targetCount];
            long at = 0;
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++, at++)
                {
                    if (c < inputCount)
                    {
                        inputs[(r * inputCount) + c] = cells[at];
                    }
                    else
                    {
                        targets[(r * targetCount) + c - inputCount] = cells[at];
                    }
                }
            }

            return new Dataset<T>(inputs, targets, inputCount, targetCount);
        }

        private static Dataset<T> WithOneHotLabels<T>(ChunkedList<T> cells, List<double> labels, int labelColumn, List<int> rowLines, int columns, CsvOptions options, string source)
            where T : unmanaged
        {
            if (labelColumn < 0)
            {
                throw new CsvFormatException(source, rowLines[0], $"label column {options.LabelColumn} is outside the {columns} columns.");
            }

            if (columns < 2)
            {
                throw new CsvFormatException(source, rowLines[0], "a row needs at least one input column beside the label.");
            }

            // Every label is checked against the class count before anything is sized by it, so that a label
            // such as 2147483646 is an error naming it, not an OutOfMemoryException or OverflowException.
            int rows = rowLines.Count;
            int limit = options.ClassCount > 0 ? options.ClassCount : CsvOptions.MaxInferredClassCount;
            var classes = new int[rows];
            int largest = 0;
            for (int r = 0; r < rows; r++)
            {
                double label = labels[r];
                if (label < 0 || label != Math.Floor(label))
                {
                    throw new CsvFormatException(source, rowLines[r], LabelIs(labelColumn, label) + ", which is not a class index 0, 1, 2, ...");
                }

                if (label >= limit)
                {
                    throw new CsvFormatException(
                        source,
                        rowLines[r],
                        options.ClassCount > 0
                            ? $"{LabelIs(labelColumn, label)}, outside the {limit} classes 0..{limit - 1} of CsvOptions.ClassCount."
                            : $"{LabelIs(labelColumn, label)}, beyond the {limit} classes NnGen infers at most (CsvOptions.MaxInferredClassCount); set CsvOptions.ClassCount if the data really has that many classes.");
                }

                classes[r] = (int)label;
                largest = Math.Max(largest, classes[r]);
            }

            int classCount = options.ClassCount > 0 ? options.ClassCount : largest + 1;
            if ((long)rows * classCount > NumericLimits.MaxArrayLength)
            {
                throw new CsvFormatException(source, rowLines[rows - 1], $"{rows} rows of {classCount} one-hot targets are more values than an array holds.");
            }

            int inputCount = columns - 1;
            var inputs = new T[rows * inputCount];
            cells.CopyTo(inputs);
            var targets = new T[rows * classCount];
            for (int r = 0; r < rows; r++)
            {
                targets[(r * classCount) + classes[r]] = Numbers.FromDouble<T>(1.0);
            }

            return new Dataset<T>(inputs, targets, inputCount, classCount);
        }

        // The start of a message about a bad label, written only when there is one.
        private static string LabelIs(int labelColumn, double label) =>
            $"the label in column {labelColumn + 1} is {label.ToString("R", CultureInfo.InvariantCulture)}";
    }
}
