using System.Text;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Sql;

/// <summary>
/// Splits PostgreSQL SQL into tokens the way the server's lexer does (scan.l), so that nothing inside
/// a comment, a string, a quoted identifier or a dollar-quoted body is ever mistaken for SQL.
/// </summary>
public sealed class SqlTokenizer
{
    // Characters PostgreSQL allows in operators; kept in one place because the trailing +/- rule needs them.
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";
    private const string NonArithmeticOperatorChars = "~!@#%^&|`?";

    // Tokens longer than this (long strings, function bodies) are rarely repeated: not worth a table entry.
    private const int MaxSharedLength = 64;

    private readonly string _sql;
    private readonly string _sourceName;
    private readonly List<SqlToken> _tokens;

    // A schema file repeats a small vocabulary (key words, type names, column names, punctuation) over
    // and over: each distinct token text gets its Text and Value strings once per file, not once per
    // token, which is most of what tokenizing used to allocate.
    private readonly SharedTokenStrings _shared;
    private int _pos;

    // Lines are counted forward as tokens are added (tokens come in source order), not looked up per token.
    private int _line = 1;
    private int _lineCountedTo;

    private SqlTokenizer(string sql, string sourceName)
    {
        _sql = sql;
        _sourceName = sourceName;
        _shared = new SharedTokenStrings(sql.Length);

        // Typical DDL has a token every 4-5 characters; reserving that up front spares the list's
        // regrowth copies (each one a large-object allocation) for the usual schema file.
        _tokens = new List<SqlToken>(Math.Min(sql.Length / 4, 1 << 20));
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

    // Only for error messages; tokens get their line from the forward count in Add.
    private int LineAt(int offset) => _sql.AsSpan(0, offset).Count('\n') + 1;

    private void Add(SqlTokenKind kind, int start, int length)
    {
        _line += _sql.AsSpan(_lineCountedTo, start - _lineCountedTo).Count('\n');
        _lineCountedTo = start;

        string text;
        string value;
        if (length > MaxSharedLength)
        {
            text = _sql.Substring(start, length);
            value = ValueOf(kind, text);
        }
        else
        {
            // The text decides the kind (a quote, a digit, a letter...), so equal texts have equal values.
            (text, value) = _shared.GetOrAdd(_sql.AsSpan(start, length), kind, ValueOfDelegate);
        }

        _tokens.Add(new SqlToken(kind, text, value, _line, start));
        _pos = start + length;
    }

    // Cached once: a method group converted at each call would allocate a delegate per token.
    private static readonly Func<SqlTokenKind, string, string> ValueOfDelegate = ValueOf;

    /// <summary>
    /// The token's <see cref="SqlToken.Value"/>, taken from its text only, so equal texts share one
    /// value: folded identifiers, the content of strings and quoted identifiers, dollar-quoted bodies.
    /// </summary>
    private static string ValueOf(SqlTokenKind kind, string text)
    {
        switch (kind)
        {
            case SqlTokenKind.Identifier:
                return Truncate(FoldIdentifier(text));
            case SqlTokenKind.QuotedIdentifier:
            {
                // Any prefix (U&) comes before the opening quote; the closing quote is the last character.
                var quote = text.IndexOf('"', StringComparison.Ordinal);
                return Truncate(text[(quote + 1)..^1].Replace("\"\"", "\"", StringComparison.Ordinal));
            }

            case SqlTokenKind.String:
            {
                var quote = text.IndexOf('\'', StringComparison.Ordinal);
                return DecodeString(text.AsSpan(quote + 1, text.Length - quote - 2), backslashEscapes: quote == 1 && text[0] is 'e' or 'E');
            }

            case SqlTokenKind.DollarString:
            {
                // "$tag$body$tag$": the tag is everything up to the second '$'.
                var tagLength = text.IndexOf('$', 1) + 1;
                return text[tagLength..^tagLength];
            }

            default:
                return text;
        }
    }

    /// <summary>The content between the quotes of a string constant, unescaped as <see cref="ReadString"/> scanned it.</summary>
    private static string DecodeString(ReadOnlySpan<char> inside, bool backslashEscapes)
    {
        if (inside.IndexOfAny('\'', '\\') < 0)
        {
            return inside.ToString();
        }

        var value = new StringBuilder(inside.Length);
        var i = 0;
        while (i < inside.Length)
        {
            var c = inside[i];
            if (c == '\'' && i + 1 < inside.Length && inside[i + 1] == '\'')
            {
                value.Append('\'');
                i += 2;
            }
            else if (c == '\\' && backslashEscapes && i + 1 < inside.Length)
            {
                value.Append(Unescape(inside[i + 1]));
                i += 2;
            }
            else
            {
                value.Append(c);
                i++;
            }
        }

        return value.ToString();
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
        // Only finds the end here; the value is decoded from the text (DecodeString), once per distinct text.
        var i = quote + 1;
        while (i < _sql.Length)
        {
            var c = _sql[i];
            if (c == '\'' && At(i + 1) == '\'')
            {
                i += 2;
            }
            else if (c == '\'')
            {
                Add(SqlTokenKind.String, tokenStart, i + 1 - tokenStart);
                return;
            }
            else if (c == '\\' && backslashEscapes && i + 1 < _sql.Length)
            {
                i += 2;
            }
            else
            {
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
        var i = quote + 1;
        while (i < _sql.Length)
        {
            if (_sql[i] == '"' && At(i + 1) == '"')
            {
                i += 2;
            }
            else if (_sql[i] == '"')
            {
                Add(SqlTokenKind.QuotedIdentifier, tokenStart, i + 1 - tokenStart);
                return;
            }
            else
            {
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

        var tag = _sql.AsSpan(start, tagEnd + 1 - start);
        var close = _sql.AsSpan(tagEnd + 1).IndexOf(tag, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Unterminated($"dollar-quoted string {tag}", start);
        }

        Add(SqlTokenKind.DollarString, start, tagEnd + 1 + close + tag.Length - start);
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

        Add(SqlTokenKind.Identifier, start, end - start);
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

    /// <summary>
    /// A name cut to 63 bytes, as the server cuts every identifier longer than that (NAMEDATALEN),
    /// never inside a character: a longer name in a file means the cut one.
    /// </summary>
    private static string Truncate(string name)
    {
        // 21 characters are at most 63 bytes: almost every name needs no counting.
        if (name.Length <= 21 || Encoding.UTF8.GetByteCount(name) <= 63)
        {
            return name;
        }

        var length = name.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(name.AsSpan(0, length)) > 63)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(name[length - 1]))
        {
            length--;
        }

        return name[..length];
    }

    // Most identifiers in a file are already lower case: those keep their text as their value.
    private static string FoldIdentifier(string name) =>
        name.AsSpan().IndexOfAnyInRange('A', 'Z') < 0 ? name : FoldIdentifier(name.AsSpan());

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
