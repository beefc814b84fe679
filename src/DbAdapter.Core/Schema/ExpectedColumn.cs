
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
    (string Type, string? Default) ProbeKey)
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
        if (string.IsNullOrEmpty(@default) || @default.Equals("null", StringComparison.OrdinalIgnoreCase) ||
            serialBase is not null || identity is not null || generated is not null)
        {
            @default = null;
        }

        // The probe checks each fragment is one item before sending it (ServerProbe / SqlItem).
        return new ExpectedColumn(type, serialBase is not null, notNull, @default, identity, generated, (type, @default));
    }

    private static string? NormalizeIdentity(string? identity) => identity?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "A" or "ALWAYS" => "a",
        _ => "d",
    };
}
