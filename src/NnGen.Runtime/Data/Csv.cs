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

            var rows = new List<double[]>();
            var rowLines = new List<int>();
            int columns = -1;
            int lineNumber = 0;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if ((lineNumber == 1 && options.HasHeader) || line.Trim().Length == 0)
                {
                    continue;
                }

                double[] values = ParseRow(line, options.Separator, single, source, lineNumber, mayBeHeader: rows.Count == 0 && !options.HasHeader);
                if (columns < 0)
                {
                    columns = values.Length;
                }
                else if (values.Length != columns)
                {
                    throw new CsvFormatException(source, lineNumber, $"expected {columns} columns, as in the first row, but found {values.Length}.");
                }

                rows.Add(values);
                rowLines.Add(lineNumber);
            }

            if (rows.Count == 0)
            {
                throw new CsvFormatException(source, lineNumber, "no data rows.");
            }

            return options.TargetColumnCount > 0
                ? WithTargetColumns<T>(rows, columns, options.TargetColumnCount, source)
                : WithOneHotLabels<T>(rows, rowLines, columns, options, source);
        }

        // What a cell that is not a number most often means: the three commonest ways a file exported by a spreadsheet or
        // pandas differs from what is read here.
        private static string Hint(string cell, char separator, bool mayBeHeader)
        {
            if (cell.Length >= 2 && cell[0] == '"' && cell[cell.Length - 1] == '"'
                && double.TryParse(cell.Substring(1, cell.Length - 2), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return " Quoted cells are not read: write the numbers without quotes.";
            }

            if (separator != ',' && cell.IndexOf(',') >= 0
                && double.TryParse(cell.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return " Numbers are read with '.' as the decimal point, whatever the machine's culture.";
            }

            return mayBeHeader ? " If the first line is a header, set CsvOptions.HasHeader = true." : string.Empty;
        }

        private static double[] ParseRow(string line, char separator, bool single, string source, int lineNumber, bool mayBeHeader)
        {
            string[] cells = line.Split(separator);
            var values = new double[cells.Length];
            for (int c = 0; c < cells.Length; c++)
            {
                string cell = cells[c].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[c])
                    || double.IsNaN(values[c]) || double.IsInfinity(values[c]))
                {
                    throw new CsvFormatException(source, lineNumber, $"column {c + 1} is '{cell}', which is not a finite number.{Hint(cell, separator, mayBeHeader)}");
                }

                // 1e39 is finite as a double, but would load as infinity into float.
                if (single && NumericLimits.OverflowsSingle(values[c]))
                {
                    throw new CsvFormatException(source, lineNumber, $"column {c + 1} is '{cell}', which is beyond the range of float (±3.4028235E+38).");
                }
            }

            return values;
        }

        private static Dataset<T> WithTargetColumns<T>(List<double[]> rows, int columns, int targetCount, string source)
            where T : unmanaged
        {
            int inputCount = columns - targetCount;
            if (inputCount < 1)
            {
                throw new CsvFormatException(source, 1, $"{columns} columns leave no input beside {targetCount} target columns.");
            }

            var inputs = new T[rows.Count * inputCount];
            var targets = new T[rows.Count * targetCount];
            for (int r = 0; r < rows.Count; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    if (c < inputCount)
                    {
                        inputs[(r * inputCount) + c] = Numbers.FromDouble<T>(rows[r][c]);
                    }
                    else
                    {
                        targets[(r * targetCount) + c - inputCount] = Numbers.FromDouble<T>(rows[r][c]);
                    }
                }
            }

            return new Dataset<T>(inputs, targets, inputCount, targetCount);
        }

        private static Dataset<T> WithOneHotLabels<T>(List<double[]> rows, List<int> rowLines, int columns, CsvOptions options, string source)
            where T : unmanaged
        {
            int labelColumn = options.LabelColumn < 0 ? columns + options.LabelColumn : options.LabelColumn;
            if (labelColumn < 0 || labelColumn >= columns)
            {
                throw new CsvFormatException(source, rowLines[0], $"label column {options.LabelColumn} is outside the {columns} columns.");
            }

            if (columns < 2)
            {
                throw new CsvFormatException(source, rowLines[0], "a row needs at least one input column beside the label.");
            }

            // Every label is checked against the class count before anything is sized by it, so that a label
            // such as 2147483646 is an error naming it, not an OutOfMemoryException or OverflowException.
            int limit = options.ClassCount > 0 ? options.ClassCount : CsvOptions.MaxInferredClassCount;
            var labels = new int[rows.Count];
            int largest = 0;
            for (int r = 0; r < rows.Count; r++)
            {
                double label = rows[r][labelColumn];
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

                labels[r] = (int)label;
                largest = Math.Max(largest, labels[r]);
            }

            int classCount = options.ClassCount > 0 ? options.ClassCount : largest + 1;
            if ((long)rows.Count * classCount > NumericLimits.MaxArrayLength)
            {
                throw new CsvFormatException(source, rowLines[rows.Count - 1], $"{rows.Count} rows of {classCount} one-hot targets are more values than an array holds.");
            }

            int inputCount = columns - 1;
            var inputs = new T[rows.Count * inputCount];
            var targets = new T[rows.Count * classCount];
            for (int r = 0; r < rows.Count; r++)
            {
                int at = r * inputCount;
                for (int c = 0; c < columns; c++)
                {
                    if (c != labelColumn)
                    {
                        inputs[at++] = Numbers.FromDouble<T>(rows[r][c]);
                    }
                }

                targets[(r * classCount) + labels[r]] = Numbers.FromDouble<T>(1.0);
            }

            return new Dataset<T>(inputs, targets, inputCount, classCount);
        }

        // The start of a message about a bad label, written only when there is one.
        private static string LabelIs(int labelColumn, double label) =>
            $"the label in column {labelColumn + 1} is {label.ToString("R", CultureInfo.InvariantCulture)}";
    }
}
