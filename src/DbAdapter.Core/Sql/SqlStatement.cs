namespace DbAdapter.Core.Sql;

/// <summary>
/// One statement of a SQL file: the tokens [<see cref="Start"/>, <see cref="End"/>) of
/// <see cref="Tokens"/> (without the closing <c>;</c>) and its text as written. Usually a range of the
/// file's one token list, so splitting copies neither tokens nor text.
/// </summary>
internal sealed class SqlStatement
{
    private readonly string _sql;
    private string? _text;

    public SqlStatement(IReadOnlyList<SqlToken> tokens, int start, int end, string sql)
    {
        Tokens = tokens;
        Start = start;
        End = end;
        _sql = sql;
    }

    public IReadOnlyList<SqlToken> Tokens { get; }

    public int Start { get; }

    public int End { get; }

    /// <summary>
    /// The source text from the first to the last token, comments inside included. Cut from the file
    /// only when asked for (CREATE TABLE, CREATE INDEX and ALTER TABLE keep it; most statements never do).
    /// </summary>
    public string Text => _text ??= _sql[Tokens[Start].Start..Tokens[End - 1].End];

    public SqlToken First => Tokens[Start];

    public int Line => Tokens[Start].Line;

    /// <summary>A cursor over exactly this statement's tokens.</summary>
    public TokenCursor Cursor() => new(Tokens, Start, End);
}
