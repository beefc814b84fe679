namespace DbAdapter.Core.Schema;

/// <summary>
/// What an expected column implies once the shorthands of schema.sql are spelled out: SERIAL is an
/// integer type, NOT NULL, with a nextval() default; PRIMARY KEY and identity imply NOT NULL;
/// DEFAULT NULL is no default.
/// </summary>
internal sealed record ExpectedColumn(
    string Type,
    bool IsSerial,
    bool NotNull,
    string? Default,
    string? Identity,
    string? Generated,
    bool DefaultProbed,
    (string Type, string? Default)? ProbeKey)
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
        if (string.IsNullOrEmpty(@default) || SqlFragment.Fold(@default) == "null" ||
            serialBase is not null || identity is not null || generated is not null)
        {
            @default = null;
        }

        // A fragment that could close the probe's statement is never sent: it is compared as text.
        (string, string?)? probe = null;
        var defaultProbed = false;
        if (IsSingleItem(type))
        {
            defaultProbed = @default is not null && IsSingleItem(@default);
            probe = (type, defaultProbed ? @default : null);
        }

        return new ExpectedColumn(type, serialBase is not null, notNull, @default, identity, generated, defaultProbed, probe);
    }

    private static string? NormalizeIdentity(string? identity) => identity?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "A" or "ALWAYS" => "a",
        _ => "d",
    };

    // The probe puts fragments in a column list: one that could end the statement, close the list
    // early or add a column (a top-level comma) would probe something else than the column.
    private static bool IsSingleItem(string text)
    {
        if (!SqlFragment.IsSelfContained(text))
        {
            return false;
        }

        var depth = 0;
        var quote = '\0';
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']' when --depth < 0:
                    return false;
                case ',' when depth == 0:
                    return false;
            }
        }

        return depth == 0;
    }
}
