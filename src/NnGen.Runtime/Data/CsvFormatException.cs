using System;

namespace NnGen
{
    /// <summary>A CSV file that does not hold the samples it should; says where.</summary>
    public sealed class CsvFormatException : FormatException
    {
        /// <summary>Creates the exception.</summary>
        public CsvFormatException(string source, int lineNumber, string problem)
            : base($"{source}, line {lineNumber}: {problem}")
        {
            Source = source;
            LineNumber = lineNumber;
        }

        /// <summary>The 1-based line number of the offending row, counting the header.</summary>
        public int LineNumber { get; }
    }
}
