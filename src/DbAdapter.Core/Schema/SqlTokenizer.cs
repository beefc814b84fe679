using System.Text;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Splits PostgreSQL SQL into tokens the way the server's lexer does (scan.l), so that nothing inside
/// a comment, a string, a quoted identifier or a dollar-quoted body is ever mistaken for SQL.
/// </summary>
public sealed class SqlTokenizer
{
    // Characters PostgreSQL allows in operators; kept in one place because the trailing +/- rule needs them.
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";
    private const string NonArithmeticOperatorChars = "~!@#%^&|`?";

    private readonly string _sql;
    private readonly string _sourceName;
    private readonly List<int> _lineStarts = [0];
    private readonly List<SqlToken> _tokens = [];
    private int _pos;

    private SqlTokenizer(string sql, string sourceName)
    {
        _sql = sql;
        _sourceName = sourceName;
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>
    /// Tokenizes <paramref name="sql"/>. Comments and whitespace are dropped; every token keeps its
    /// line and source offsets.
    /// </summary>
    /// <param name="sql">The SQL text.</param>
    /// <param name="sourceName">File name used in error messages; defaults to "SQL text".</param>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.SchemaFileInvalid"/> for an unterminated string, quoted identifier, comment
    /// or dollar quote, naming the source and the line where it starts.
    /// </exception>
    public static IReadOnlyList<SqlToken> Tokenize(string sql, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokenizer = new SqlTokenizer(sql, sourceName ?? "SQL text");
        tokenizer.Run();
        return tokenizer._tokens;
    }

    private void Run()
    {
        while (_pos < _sql.Length)
        {
            var c = _sql[_pos];
            var next = _pos + 1 < _sql.Length ? _sql[_pos + 1] : '\0';
            if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '-' && next == '-')
            {
                SkipLineComment();
            }
            else if (c == '/' && next == '*')
            {
                SkipBlockComment();
            }
            else if (c == '\'')
            {
                ReadString(_pos, _pos, backslashEscapes: false);
            }
            else if (c == '"')
            {
                ReadQuotedIdentifier(_pos, _pos);
            }
            else if (c == '$')
            {
                ReadDollar();
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next)))
            {
                ReadNumber();
            }
            else if (IsIdentifierStart(c))
            {
                ReadWordOrPrefixedString();
            }
            else if (c == '\\')
            {
                ReadMetaCommand();
            }
            else if (c == ':' && next == ':')
            {
                Add(SqlTokenKind.Punctuation, _pos, 2);
            }
            else if ("()[],;.:".Contains(c, StringComparison.Ordinal))
            {
                Add(SqlTokenKind.Punctuation, _pos, 1);
            }
            else if (OperatorChars.Contains(c, StringComparison.Ordinal))
            {
                ReadOperator();
            }
            else
            {
                // The server would reject it; keeping it as a token lets the statement reader say where.
                Add(SqlTokenKind.Operator, _pos, 1);
            }
        }
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    private int LineAt(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        return index >= 0 ? index + 1 : ~index;
    }

    private void Add(SqlTokenKind kind, int start, int length, string? value = null)
    {
        var text = _sql.Substring(start, length);
        _tokens.Add(new SqlToken(kind, text, value ?? text, LineAt(start), start));
        _pos = start + length;
    }

    private DbAdapterException Unterminated(string what, int start) =>
        new(
            ErrorIds.SchemaFileInvalid,
            DbErrorKind.InvalidData,
            $"{_sourceName}: line {LineAt(start)}: unterminated {what}; it is never closed before the end of the file. Close it and read the file again.",
            _sourceName);

    private char At(int index) => index < _sql.Length ? _sql[index] : '\0';

    private void SkipLineComment()
    {
        var end = _sql.IndexOf('\n', _pos);
        _pos = end < 0 ? _sql.Length : end + 1;
    }

    private void SkipBlockComment()
    {
        // PostgreSQL nests block comments, unlike the SQL standard and most other databases.
        var start = _pos;
        var depth = 0;
        while (_pos < _sql.Length)
        {
            if (_sql[_pos] == '/' && At(_pos + 1) == '*')
            {
                depth++;
                _pos += 2;
            }
            else if (_sql[_pos] == '*' && At(_pos + 1) == '/')
            {
                depth--;
                _pos += 2;
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                _pos++;
            }
        }

        throw Unterminated("comment /* ... */", start);
    }

    /// <param name="tokenStart">Where the token starts (the prefix, if any).</param>
    /// <param name="quote">Offset of the opening quote.</param>
    /// <param name="backslashEscapes">E'' strings: a backslash escapes the next character.</param>
    private void ReadString(int tokenStart, int quote, bool backslashEscapes)
    {
        var value = new StringBuilder();
        var i = quote + 1;
        while (i < _sql.Length)
        {
            var c = _sql[i];
            if (c == '\'' && At(i + 1) == '\'')
            {
                value.Append('\'');
                i += 2;
            }
            else if (c == '\'')
            {
                Add(SqlTokenKind.String, tokenStart, i + 1 - tokenStart, value.ToString());
                return;
            }
            else if (c == '\\' && backslashEscapes && i + 1 < _sql.Length)
            {
                value.Append(Unescape(_sql[i + 1]));
                i += 2;
            }
            else
            {
                value.Append(c);
                i++;
            }
        }

        throw Unterminated("string literal", tokenStart);
    }

    // Only the common escapes are decoded: the value is informative, the token text is what SQL keeps.
    private static char Unescape(char c) => c switch
    {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\b',
        'f' => '\f',
        _ => c,
    };

    private void ReadQuotedIdentifier(int tokenStart, int quote)
    {
        var value = new StringBuilder();
        var i = quote + 1;
        while (i < _sql.Length)
        {
            if (_sql[i] == '"' && At(i + 1) == '"')
            {
                value.Append('"');
                i += 2;
            }
            else if (_sql[i] == '"')
            {
                Add(SqlTokenKind.QuotedIdentifier, tokenStart, i + 1 - tokenStart, value.ToString());
                return;
            }
            else
            {
                value.Append(_sql[i]);
                i++;
            }
        }

        throw Unterminated("quoted identifier", tokenStart);
    }

    private void ReadDollar()
    {
        var start = _pos;
        if (char.IsAsciiDigit(At(start + 1)))
        {
            var end = start + 1;
            while (char.IsAsciiDigit(At(end)))
            {
                end++;
            }

            Add(SqlTokenKind.Parameter, start, end - start);
            return;
        }

        // A tag is an identifier without '$'; "$$" is the empty tag.
        var tagEnd = start + 1;
        if (IsIdentifierStart(At(tagEnd)))
        {
            tagEnd++;
            while (IsIdentifierStart(At(tagEnd)) || char.IsAsciiDigit(At(tagEnd)))
            {
                tagEnd++;
            }
        }

        if (At(tagEnd) != '$')
        {
            Add(SqlTokenKind.Operator, start, 1);
            return;
        }

        var tag = _sql.Substring(start, tagEnd + 1 - start);
        var close = _sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Unterminated($"dollar-quoted string {tag}", start);
        }

        var body = _sql.Substring(tagEnd + 1, close - tagEnd - 1);
        Add(SqlTokenKind.DollarString, start, close + tag.Length - start, body);
    }

    private void ReadNumber()
    {
        var start = _pos;
        var i = _pos;
        if (_sql[i] == '0' && "xXoObB".Contains(At(i + 1), StringComparison.Ordinal) && char.IsAsciiHexDigit(At(i + 2)))
        {
            i += 2;
            while (char.IsAsciiHexDigit(At(i)) || At(i) == '_')
            {
                i++;
            }

            Add(SqlTokenKind.Number, start, i - start);
            return;
        }

        while (char.IsAsciiDigit(At(i)) || (At(i) == '_' && char.IsAsciiDigit(At(i + 1))))
        {
            i++;
        }

        // "1..2" is not SQL, but "a[1:2]" and "1.5" are; only take a dot followed by a digit or ending the number.
        if (At(i) == '.' && At(i + 1) != '.')
        {
            i++;
            while (char.IsAsciiDigit(At(i)) || (At(i) == '_' && char.IsAsciiDigit(At(i + 1))))
            {
                i++;
            }
        }

        if ((At(i) == 'e' || At(i) == 'E')
            && (char.IsAsciiDigit(At(i + 1)) || ((At(i + 1) == '+' || At(i + 1) == '-') && char.IsAsciiDigit(At(i + 2)))))
        {
            i += 2;
            while (char.IsAsciiDigit(At(i)))
            {
                i++;
            }
        }

        Add(SqlTokenKind.Number, start, i - start);
    }

    private void ReadWordOrPrefixedString()
    {
        var start = _pos;
        var c = _sql[start];
        var next = At(start + 1);

        // A one-letter prefix glued to a quote makes a special string constant, as in the server's lexer.
        if ((c is 'e' or 'E') && next == '\'')
        {
            ReadString(start, start + 1, backslashEscapes: true);
            return;
        }

        if ((c is 'b' or 'B' or 'x' or 'X' or 'n' or 'N') && next == '\'')
        {
            ReadString(start, start + 1, backslashEscapes: false);
            return;
        }

        if ((c is 'u' or 'U') && next == '&' && At(start + 2) == '\'')
        {
            ReadString(start, start + 2, backslashEscapes: false);
            return;
        }

        if ((c is 'u' or 'U') && next == '&' && At(start + 2) == '"')
        {
            ReadQuotedIdentifier(start, start + 2);
            return;
        }

        var end = start + 1;
        while (end < _sql.Length && IsIdentifierPart(_sql[end]))
        {
            end++;
        }

        Add(SqlTokenKind.Identifier, start, end - start, FoldIdentifier(_sql.AsSpan(start, end - start)));
    }

    /// <summary>Folds an unquoted identifier the way PostgreSQL does with UTF-8: ASCII letters only.</summary>
    public static string FoldIdentifier(ReadOnlySpan<char> name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterUpper(c) ? (char)(c + ('a' - 'A')) : c);
        }

        return builder.ToString();
    }

    private void ReadMetaCommand()
    {
        var end = _sql.IndexOf('\n', _pos);
        var length = (end < 0 ? _sql.Length : end) - _pos;
        Add(SqlTokenKind.MetaCommand, _pos, _sql.AsSpan(_pos, length).TrimEnd().Length);
    }

    private void ReadOperator()
    {
        var start = _pos;
        var end = start;
        while (end < _sql.Length && OperatorChars.Contains(_sql[end], StringComparison.Ordinal))
        {
            // A comment start ends the operator: "a=--x" is "a =" followed by a comment.
            if (end > start && ((_sql[end] == '-' && At(end + 1) == '-') || (_sql[end] == '/' && At(end + 1) == '*')))
            {
                break;
            }

            end++;
        }

        // The server's rule: a multi-character operator may end in + or - only if it also holds a
        // character that is not arithmetic, so "=-1" is "=" then "-1".
        var length = end - start;
        if (length > 1 && _sql.AsSpan(start, length).IndexOfAny(NonArithmeticOperatorChars) < 0)
        {
            while (length > 1 && (_sql[start + length - 1] == '+' || _sql[start + length - 1] == '-'))
            {
                length--;
            }
        }

        Add(SqlTokenKind.Operator, start, length);
    }
}
