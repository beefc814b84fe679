namespace DbAdapter.Core.Client;

/// <summary>Exact row count of one table.</summary>
public sealed record TableRowCount(string Schema, string Table, long Rows);
