namespace DbAdapter;

/// <summary>A column, named by schema, table and column.</summary>
public sealed class DbColumnRef
{
    internal DbColumnRef(string schema, string table, string column)
    {
        Schema = schema;
        Table = table;
        Column = column;
    }

    public string Schema { get; }

    public string Table { get; }

    public string Column { get; }

    public override string ToString() => $"{Schema}.{Table}.{Column}";
}
