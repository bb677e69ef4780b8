using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NnGen
{
    /// <summary>
    /// Strict JSON (RFC 8259) for a safetensors header: objects become dictionaries, arrays lists, strings
    /// strings, numbers <see cref="JsonNumber"/>, and true, false and null themselves. A duplicate key, a
    /// number like 08 or 1., a lone surrogate in an escape or nesting past 64 levels is an error, never a
    /// guess. Compiled into both the generator (which cannot take System.Text.Json into every compiler that
    /// loads it, Unity's and Godot's among them) and the runtime, so both give one verdict on every header.
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

                int nameAt = _at;
                string name = ReadString();
                SkipWhitespace();
                if (!TryConsume(':'))
                {
                    throw Error("expected ':'");
                }

                if (result.ContainsKey(name))
                {
                    _at = nameAt;
                    throw Error($"the key \"{name}\" a second time");
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
                        char unit = ReadHex4();
                        if (char.IsHighSurrogate(unit))
                        {
                            // A high surrogate must be followed by an escaped low one: "\uD83D\uDE00".
                            if (_at + 2 > _text.Length || _text[_at] != '\\' || _text[_at + 1] != 'u')
                            {
                                throw Error("a lone surrogate in a \\u escape");
                            }

                            _at += 2;
                            char low = ReadHex4();
                            if (!char.IsLowSurrogate(low))
                            {
                                throw Error("a lone surrogate in a \\u escape");
                            }

                            builder.Append(unit).Append(low);
                        }
                        else if (char.IsLowSurrogate(unit))
                        {
                            throw Error("a lone surrogate in a \\u escape");
                        }
                        else
                        {
                            builder.Append(unit);
                        }

                        break;
                    default:
                        throw Error($"a bad escape '\\{escape}'");
                }
            }

            throw Error("an unterminated string");
        }

        private char ReadHex4()
        {
            int code = 0;
            for (int i = 0; i < 4; i++)
            {
                char h = _at < _text.Length ? _text[_at] : '\0';
                int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (digit < 0)
                {
                    throw Error("a bad \\u escape");
                }

                code = (code * 16) + digit;
                _at++;
            }

            return (char)code;
        }

        // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, exactly: "08", "1.", ".5", "+1" and "1e" are not JSON.
        private JsonNumber ReadNumber()
        {
            int start = _at;
            TryConsume('-');
            if (TryConsume('0'))
            {
                if (_at < _text.Length && IsDigit(_text[_at]))
                {
                    throw Error("a number with a leading zero");
                }
            }
            else if (!ConsumeDigits())
            {
                throw Error("a malformed number");
            }

            if (TryConsume('.') && !ConsumeDigits())
            {
                throw Error("a malformed number");
            }

            if (TryConsume('e') || TryConsume('E'))
            {
                _ = TryConsume('+') || TryConsume('-');
                if (!ConsumeDigits())
                {
                    throw Error("a malformed number");
                }
            }

            return new JsonNumber(_text.Substring(start, _at - start));
        }

        private bool ConsumeDigits()
        {
            int start = _at;
            while (_at < _text.Length && IsDigit(_text[_at]))
            {
                _at++;
            }

            return _at > start;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

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
