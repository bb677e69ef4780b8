using System;
using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace NnGen.Generator.Emitting
{
    /// <summary>An indenting writer with "\n" line ends on every OS, so generated text is deterministic.</summary>
    internal sealed class CodeWriter
    {
        private const int PreferredWidth = 110;

        private readonly StringWriter _text = new(CultureInfo.InvariantCulture) { NewLine = "\n" };
        private readonly IndentedTextWriter _writer;

        public CodeWriter()
        {
            _writer = new IndentedTextWriter(_text, "    ");
        }

        public void Line(string line)
        {
            _writer.WriteLine(line);
        }

        public void Line()
        {
            _writer.WriteLineNoTabs(string.Empty);
        }

        /// <summary>
        /// [GeneratedCode("NnGen", version)] on the member that follows, as the .NET generators mark theirs: tools
        /// that skip generated code (coverage, analyzers) skip it, and a reader sees which NnGen wrote it.
        /// </summary>
        public void GeneratedCode()
        {
            _writer.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"NnGen\", \"{GeneratorVersion}\")]");
        }

        /// <summary>
        /// [MethodImpl(AggressiveOptimization)] on a member that runs per sample or per minibatch (with AggressiveInlining
        /// too, where <paramref name="inline"/>). Without it the JIT's first version of the method is unoptimised (tier 0),
        /// 5 to 20 times slower, and the optimised one replaces it only after some 30 calls and a quiet 100 ms, often much
        /// later in a busy game: the first frames or steps would run at a fraction of the speed the rest do. With it the
        /// first call compiles the optimised code, once, and every call after runs it. Ahead-of-time compilers (NativeAOT,
        /// IL2CPP) have no tiers to skip.
        /// </summary>
        /// <param name="named">Whether the project's MethodImplOptions names AggressiveOptimization; where it does not
        /// (netstandard2.1), the flag is written as its value, 512.</param>
        /// <param name="inline">Whether the member is also marked AggressiveInlining.</param>
        public void OptimizedFromFirstCall(bool named, bool inline = false)
        {
            const string Options = "global::System.Runtime.CompilerServices.MethodImplOptions";
            string optimize = named ? $"{Options}.AggressiveOptimization" : $"({Options})512";
            string options = inline ? $"{Options}.AggressiveInlining | {optimize}" : optimize;
            _writer.WriteLine($"[global::System.Runtime.CompilerServices.MethodImpl({options})]{(named ? string.Empty : "   // 512: AggressiveOptimization")}");
        }

        /// <summary>The generator's version, major.minor.patch.</summary>
        public static readonly string GeneratorVersion =
            typeof(CodeWriter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        /// <summary>
        /// A documentation summary: one line as "/// &lt;summary&gt;text&lt;/summary&gt;", more as a block, so
        /// emitters state what a member does without spelling out the XML around it.
        /// </summary>
        public void Summary(params string[] lines)
        {
            if (lines.Length == 1)
            {
                _writer.WriteLine("/// <summary>" + lines[0] + "</summary>");
            }
            else
            {
                SummaryBlock(lines);
            }
        }

        /// <summary>A documentation summary with its tags on lines of their own, however short the text.</summary>
        public void SummaryBlock(params string[] lines)
        {
            _writer.WriteLine("/// <summary>");
            foreach (string line in lines)
            {
                _writer.WriteLine("/// " + line);
            }

            _writer.WriteLine("/// </summary>");
        }

        public void Comment(string comment)
        {
            _writer.WriteLine("// " + comment);
        }

        /// <summary>Writes "header {", indents, and writes <paramref name="close"/> ("}", or "};" after an initializer) when disposed.</summary>
        public IDisposable Block(string header, string close = "}")
        {
            _writer.WriteLine(header);
            _writer.WriteLine("{");
            _writer.Indent++;
            return new BlockCloser(this, close);
        }

        /// <summary>
        /// Writes "<paramref name="head"/> term0 + term1 + ...;" and wraps long sums, so that a
        /// 64-term dot product reads as a few lines instead of one very long one.
        /// </summary>
        public void Sum(string head, IReadOnlyList<string> terms, string separator = " + ", string tail = ";")
        {
            var line = new StringBuilder(head);
            int indent = _writer.Indent * 4;
            for (int i = 0; i < terms.Count; i++)
            {
                string piece = i == 0 ? terms[i] : separator + terms[i];
                if (i > 0 && indent + line.Length + piece.Length > PreferredWidth)
                {
                    _writer.WriteLine(line.ToString());
                    line.Clear().Append("    ").Append(separator.TrimStart()).Append(terms[i]);
                }
                else
                {
                    line.Append(piece);
                }
            }

            _writer.WriteLine(line.Append(tail).ToString());
        }

        public override string ToString() => _text.ToString();

        private sealed class BlockCloser : IDisposable
        {
            private readonly CodeWriter _owner;
            private readonly string _close;

            public BlockCloser(CodeWriter owner, string close)
            {
                _owner = owner;
                _close = close;
            }

            public void Dispose()
            {
                _owner._writer.Indent--;
                _owner._writer.WriteLine(_close);
            }
        }
    }
}
