namespace DbAdapter.Core.Sql;

/// <summary>One token of PostgreSQL SQL, located in its source text.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Text">The token exactly as written in the source.</param>
/// <param name="Value">
/// Identifiers: the name as PostgreSQL stores it (unquoted folded to lower case, quoted undoubled);
/// strings: the content with quoting removed; everything else: <paramref name="Text"/>.
/// </param>
/// <param name="Line">1-based line where the token starts.</param>
/// <param name="Start">Offset of the first character in the source text.</param>
public readonly record struct SqlToken(SqlTokenKind Kind, string Text, string Value, int Line, int Start)
{
    /// <summary>Offset just past the last character in the source text.</summary>
    public int End => Start + Text.Length;

    /// <summary>
    /// True for the unquoted word <paramref name="lowerWord"/> (given in lower case). A quoted
    /// identifier is never a key word, which is what lets <c>"check"</c> be a column name.
    /// </summary>
    public bool IsWord(string lowerWord) =>
        Kind == SqlTokenKind.Identifier && string.Equals(Value, lowerWord, StringComparison.Ordinal);

    /// <summary>True for the punctuation or operator <paramref name="symbol"/>.</summary>
    public bool IsSymbol(string symbol) =>
        Kind is SqlTokenKind.Punctuation or SqlTokenKind.Operator && string.Equals(Text, symbol, StringComparison.Ordinal);

    /// <summary>True for a name: an unquoted or a quoted identifier.</summary>
    public bool IsName => Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier;

    public override string ToString() => $"{Kind} {Text} (line {Line})";
}
