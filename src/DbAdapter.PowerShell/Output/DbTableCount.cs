namespace DbAdapter;

/// <summary>Exact row count of one table.</summary>
public sealed class DbTableCount
{
    internal DbTableCount(string schema, string table, long rows)
    {
        Schema = schema;
        Table = table;
        Rows = rows;
    }

    public string Schema { get; }

    public string Table { get; }

    public long Rows { get; }

    public override string ToString() => $"{Schema}.{Table}: {Rows}";
}
