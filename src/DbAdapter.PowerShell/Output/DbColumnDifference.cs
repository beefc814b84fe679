namespace DbAdapter;

/// <summary>A column whose type, nullability or default differs from schema.sql.</summary>
public sealed class DbColumnDifference
{
    internal DbColumnDifference(string schema, string table, string column, string kind, string? expected, string? actual)
    {
        Schema = schema;
        Table = table;
        Column = column;
        Kind = kind;
        Expected = expected;
        Actual = actual;
    }

    public string Schema { get; }

    public string Table { get; }

    public string Column { get; }

    /// <summary>Type, Nullability or Default.</summary>
    public string Kind { get; }

    /// <summary>What schema.sql declares (canonical form).</summary>
    public string? Expected { get; }

    /// <summary>What the database has (canonical form).</summary>
    public string? Actual { get; }

    public override string ToString() => $"{Schema}.{Table}.{Column} {Kind}: expected {Expected ?? "(none)"}, actual {Actual ?? "(none)"}";
}
