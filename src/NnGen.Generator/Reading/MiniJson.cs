using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NnGen.Generator.Reading
{
    /// <summary>
    /// Just enough JSON for a safetensors header: objects become dictionaries (later keys win), arrays
    /// lists, strings strings, numbers <see cref="JsonNumber"/>, and true, false and null themselves.
    /// The generator cannot take System.Text.Json along into every compiler that loads it (Unity's and
    /// Godot's among them), and the header is small and machine-written.
    /// </summary>
    internal sealed class MiniJson
    {
        private const int MaxDepth = 64;
        private readonly string _text;
        private int _at;

        private MiniJson(string text) => _text = text;

        /// <summary>Parses a whole document; throws <see cref="FormatException"/> saying where it is malformed.</summary>
        public static object? Parse(string text)
        {
            var parser = new MiniJson(text);
            object? value = parser.ReadValue(0);
            parser.SkipWhitespace();
            if (parser._at != text.Length)
            {
                throw parser.Error("text after the end of the JSON value");
            }

            return value;
        }

        private object? ReadValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error("nesting too deep");
            }

            SkipWhitespace();
            if (_at >= _text.Length)
            {
                throw Error("unexpected end");
            }

            char c = _text[_at];
            switch (c)
            {
                case '{':
                    return ReadObject(depth);
                case '[':
                    return ReadArray(depth);
                case '"':
                    return ReadString();
                case 't':
                    Expect("true");
                    return true;
                case 'f':
                    Expect("false");
                    return false;
                case 'n':
                    Expect("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }

                    throw Error($"unexpected character '{c}'");
            }
        }

        private Dictionary<string, object?> ReadObject(int depth)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            _at++;
            SkipWhitespace();
            if (TryConsume('}'))
            {
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                if (_at >= _text.Length || _text[_at] != '"')
                {
                    throw Error("expected a property name");
                }

                string name = ReadString();
                SkipWhitespace();
                if (!TryConsume(':'))
                {
                    throw Error("expected ':'");
                }

                result[name] = ReadValue(depth + 1);
                SkipWhitespace();
                if (TryConsume('}'))
                {
                    return result;
                }

                if (!TryConsume(','))
                {
                    throw Error("expected ',' or '}'");
                }
            }
        }

        private List<object?> ReadArray(int depth)
        {
            var result = new List<object?>();
            _at++;
            SkipWhitespace();
            if (TryConsume(']'))
            {
                return result;
            }

            while (true)
            {
                result.Add(ReadValue(depth + 1));
                SkipWhitespace();
                if (TryConsume(']'))
                {
                    return result;
                }

                if (!TryConsume(','))
                {
                    throw Error("expected ',' or ']'");
                }
            }
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _at++;
            while (_at < _text.Length)
            {
                char c = _text[_at++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c < ' ')
                {
                    throw Error("a control character in a string");
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (_at >= _text.Length)
                {
                    break;
                }

                char escape = _text[_at++];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_at + 4 > _text.Length
                            || !int.TryParse(_text.Substring(_at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Error("a bad \\u escape");
                        }

                        builder.Append((char)code);
                        _at += 4;
                        break;
                    default:
                        throw Error($"a bad escape '\\{escape}'");
                }
            }

            throw Error("an unterminated string");
        }

        private JsonNumber ReadNumber()
        {
            int start = _at;
            while (_at < _text.Length && "+-0123456789.eE".IndexOf(_text[_at]) >= 0)
            {
                _at++;
            }

            string text = _text.Substring(start, _at - start);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                _at = start;
                throw Error($"a malformed number '{text}'");
            }

            return new JsonNumber(text);
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0)
            {
                throw Error($"expected '{word}'");
            }

            _at += word.Length;
        }

        private bool TryConsume(char c)
        {
            if (_at < _text.Length && _text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void SkipWhitespace()
        {
            while (_at < _text.Length && _text[_at] is ' ' or '\t' or '\n' or '\r')
            {
                _at++;
            }
        }

        private FormatException Error(string what) =>
            new($"{what} at character {_at.ToString(CultureInfo.InvariantCulture)} of the header");
    }

    /// <summary>A JSON number as written, so that integers read back exactly however large.</summary>
    internal sealed record JsonNumber(string Text)
    {
        /// <summary>The number as a long, or null when it is fractional or out of range.</summary>
        public long? AsInt64() =>
            long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;
    }
}
