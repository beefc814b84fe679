namespace DbAdapter.Core.Schema;

/// <summary>One column of one table, names exactly as stored.</summary>
/// <param name="Schema">The table's schema.</param>
/// <param name="Table">The table.</param>
/// <param name="Column">The column.</param>
public sealed record ColumnRef(string Schema, string Table, string Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{Schema}.{Table}.{Column}";
}
