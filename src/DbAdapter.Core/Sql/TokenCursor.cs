namespace DbAdapter.Core.Sql;

/// <summary>
/// A read position over a slice of tokens, with the small vocabulary recursive descent needs.
/// Every failure is a <see cref="SqlReadException"/> carrying the line of the offending token.
/// </summary>
internal sealed class TokenCursor
{
    private readonly IReadOnlyList<SqlToken> _tokens;
    private readonly int _end;

    public TokenCursor(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        _tokens = tokens;
        Position = start;
        _end = end;
    }

    public TokenCursor(IReadOnlyList<SqlToken> tokens)
        : this(tokens, 0, tokens.Count)
    {
    }

    public IReadOnlyList<SqlToken> Tokens => _tokens;

    public int Position { get; set; }

    public int End => _end;

    public bool AtEnd => Position >= _end;

    public SqlToken Current => AtEnd ? throw Error("unexpected end of statement") : _tokens[Position];

    /// <summary>Line of the current token, or of the last one at the end (for messages).</summary>
    public int Line => _tokens.Count == 0 ? 0 : _tokens[Math.Min(Position, _end - 1 < 0 ? 0 : _end - 1)].Line;

    public SqlToken? Peek(int ahead = 0) => Position + ahead < _end ? _tokens[Position + ahead] : null;

    public bool IsWord(string word, int ahead = 0) => Peek(ahead) is { } t && t.IsWord(word);

    public bool IsSymbol(string symbol, int ahead = 0) => Peek(ahead) is { } t && t.IsSymbol(symbol);

    /// <summary>True when the next tokens are exactly these unquoted words.</summary>
    public bool AreWords(params ReadOnlySpan<string> words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (!IsWord(words[i], i))
            {
                return false;
            }
        }

        return true;
    }

    public SqlToken Next()
    {
        var token = Current;
        Position++;
        return token;
    }

    public bool AcceptWord(string word)
    {
        if (!IsWord(word))
        {
            return false;
        }

        Position++;
        return true;
    }

    public bool AcceptWords(params ReadOnlySpan<string> words)
    {
        if (!AreWords(words))
        {
            return false;
        }

        Position += words.Length;
        return true;
    }

    public bool AcceptSymbol(string symbol)
    {
        if (!IsSymbol(symbol))
        {
            return false;
        }

        Position++;
        return true;
    }

    public void ExpectWord(string word)
    {
        if (!AcceptWord(word))
        {
            throw Unexpected(word.ToUpperInvariant());
        }
    }

    public void ExpectSymbol(string symbol)
    {
        if (!AcceptSymbol(symbol))
        {
            throw Unexpected($"'{symbol}'");
        }
    }

    /// <summary>Reads a name: an unquoted identifier (folded) or a quoted one (case kept).</summary>
    public string ReadName(string what = "a name")
    {
        if (Peek() is { IsName: true } token)
        {
            Position++;
            return token.Value;
        }

        throw Unexpected(what);
    }

    /// <summary>Reads <c>name</c> or <c>schema.name</c> (a leading database part is dropped).</summary>
    public (string Schema, string Name) ReadQualifiedName(string defaultSchema, string what = "a table name")
    {
        var parts = new List<string> { ReadName(what) };
        while (IsSymbol(".") && Peek(1) is { IsName: true })
        {
            Position++;
            parts.Add(ReadName(what));
        }

        return parts.Count == 1 ? (defaultSchema, parts[0]) : (parts[^2], parts[^1]);
    }

    /// <summary>
    /// Reads a parenthesised group and returns the positions of its inside (exclusive of the parentheses).
    /// </summary>
    public (int Start, int End) ReadParenthesized()
    {
        var open = Position;
        ExpectSymbol("(");
        var depth = 1;
        while (!AtEnd)
        {
            var token = _tokens[Position++];
            if (token.IsSymbol("(") || token.IsSymbol("["))
            {
                depth++;
            }
            else if (token.IsSymbol(")") || token.IsSymbol("]"))
            {
                depth--;
                if (depth == 0)
                {
                    return (open + 1, Position - 1);
                }
            }
        }

        throw new SqlReadException(_tokens[open].Line, $"the '(' on line {_tokens[open].Line} is never closed");
    }

    /// <summary>Skips one token, or a whole parenthesised group when it starts one.</summary>
    public void SkipItem()
    {
        if (AtEnd)
        {
            throw Unexpected("more of the statement");
        }

        if (IsSymbol("(") || IsSymbol("["))
        {
            SkipBalanced();
        }
        else
        {
            Position++;
        }
    }

    private void SkipBalanced()
    {
        var open = Position;
        var depth = 0;
        while (!AtEnd)
        {
            var token = _tokens[Position++];
            if (token.IsSymbol("(") || token.IsSymbol("["))
            {
                depth++;
            }
            else if ((token.IsSymbol(")") || token.IsSymbol("]")) && --depth == 0)
            {
                return;
            }
        }

        throw new SqlReadException(_tokens[open].Line, $"the '{_tokens[open].Text}' on line {_tokens[open].Line} is never closed");
    }

    /// <summary>Splits [start, end) on commas outside parentheses and brackets.</summary>
    public static List<(int Start, int End)> SplitTopLevel(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var parts = new List<(int, int)>();
        var depth = 0;
        var partStart = start;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.IsSymbol("(") || token.IsSymbol("["))
            {
                depth++;
            }
            else if (token.IsSymbol(")") || token.IsSymbol("]"))
            {
                depth--;
            }
            else if (depth == 0 && token.IsSymbol(","))
            {
                parts.Add((partStart, i));
                partStart = i + 1;
            }
        }

        parts.Add((partStart, end));
        return parts;
    }

    public string Render(int from, int to) => SqlText.Render(_tokens, from, to);

    public SqlReadException Error(string message) => new(Line, message);

    public SqlReadException Unexpected(string expected) =>
        AtEnd
            ? new SqlReadException(Line, $"expected {expected} but the statement ends")
            : new SqlReadException(Current.Line, $"expected {expected} but found '{Current.Text}'");
}
