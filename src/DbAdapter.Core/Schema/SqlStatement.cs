namespace DbAdapter.Core.Schema;

/// <summary>One statement of a SQL file: its tokens (without the closing <c>;</c>) and its text as written.</summary>
internal sealed class SqlStatement(IReadOnlyList<SqlToken> tokens, string text)
{
    public IReadOnlyList<SqlToken> Tokens { get; } = tokens;

    /// <summary>The source text from the first to the last token, comments inside included.</summary>
    public string Text { get; } = text;

    public int Line => Tokens[0].Line;
}
