using System.Management.Automation;

namespace DbAdapter;

/// <summary>A column, named by schema, table and column.</summary>
public sealed class DbColumnRef
{
    internal DbColumnRef(string schema, string table, string column, string display)
    {
        Schema = schema;
        Table = table;
        Column = column;
        Display = display;
    }

    public string Schema { get; }

    public string Table { get; }

    public string Column { get; }

    /// <summary>"table.column", the table bare in the profile's first schema: how the views show it.</summary>
    [Hidden]
    public string Display { get; }

    public override string ToString() => $"{Schema}.{Table}.{Column}";
}
