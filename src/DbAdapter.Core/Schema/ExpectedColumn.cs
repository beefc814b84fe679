using DbAdapter.Core.Sql;
namespace DbAdapter.Core.Schema;

/// <summary>
/// What an expected column implies once the shorthands of schema.sql are spelled out: SERIAL is an
/// integer type, NOT NULL, with a nextval() default; PRIMARY KEY and identity imply NOT NULL;
/// DEFAULT NULL (cast or not) is no default.
/// </summary>
internal sealed record ExpectedColumn(
    string Type,
    bool IsSerial,
    bool NotNull,
    string? Default,
    string? Identity,
    string? Generated,
    ProbeItem ProbeKey)
{
    public static ExpectedColumn From(TableModel table, ColumnModel column)
    {
        var written = column.Type.Trim();
        var serialBase = TypeText.SerialBase(written);
        var type = serialBase ?? written;
        var identity = NormalizeIdentity(column.Identity);
        var generated = string.IsNullOrWhiteSpace(column.Generated) ? null : column.Generated.Trim();
        var notNull = column.NotNull || column.IsPrimaryKey || serialBase is not null || identity is not null ||
            table.PrimaryKey.Contains(column.Name, StringComparer.Ordinal);

        var @default = column.Default?.Trim();
        if (string.IsNullOrEmpty(@default) || IsNullConstant(@default) ||
            serialBase is not null || identity is not null || generated is not null)
        {
            @default = null;
        }

        // The probe checks each fragment is one item before sending it (ServerProbe / SqlItem), and
        // resolves its names under the search_path the file wrote it under.
        return new ExpectedColumn(type, serialBase is not null, notNull, @default, identity, generated, new ProbeItem(type, @default, Path: column.SearchPath));
    }

    /// <summary>
    /// True for a default that is the null value: NULL, or NULL cast to a type ("NULL::character
    /// varying", which is how the server stores DEFAULT NULL of a varchar column). It means the same as
    /// no default at all.
    /// </summary>
    public static bool IsNullConstant(string? expression)
    {
        if (expression is null)
        {
            return false;
        }

        // Almost no default starts with NULL: answer those without tokenizing (the comparison asks for
        // every live column).
        var start = 0;
        while (start < expression.Length && (expression[start] == '(' || char.IsWhiteSpace(expression[start])))
        {
            start++;
        }

        if (!expression.AsSpan(start).StartsWith("null", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(expression);
        }
        catch (Diagnostics.DbAdapterException)
        {
            return false;
        }

        var first = 0;
        while (first < tokens.Count && tokens[first].IsSymbol("("))
        {
            first++;
        }

        if (first >= tokens.Count || !tokens[first].IsWord("null"))
        {
            return false;
        }

        // After NULL only casts may follow: "::" and type names, modifiers and closing parentheses.
        for (var i = first + 1; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var allowed = token.IsName || token.Kind == SqlTokenKind.Number || token.IsSymbol("::") || token.IsSymbol("(") ||
                token.IsSymbol(")") || token.IsSymbol("[") || token.IsSymbol("]") || token.IsSymbol(",") || token.IsSymbol(".");
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    private static string? NormalizeIdentity(string? identity) => identity?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "A" or "ALWAYS" => "a",
        _ => "d",
    };
}
