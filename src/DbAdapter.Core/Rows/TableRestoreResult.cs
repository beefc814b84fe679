namespace DbAdapter.Core.Rows;

/// <summary>A row that could not be written.</summary>
/// <param name="Table">The table's key in the backup schema.</param>
/// <param name="RowIndex">0-based position of the row in its table's array in the source.</param>
/// <param name="Key">The row's key in the source, as text.</param>
/// <param name="Error">Why, in the server's words where the server refused it.</param>
public sealed record RowFailure(string Table, long RowIndex, string Key, string Error);

/// <summary>What happened to one table's rows.</summary>
/// <param name="Table">The table's key in the backup schema.</param>
/// <param name="Inserted">New rows written (with -WhatIf: that would be written).</param>
/// <param name="Updated">Matched rows overwritten (mode Overwrite).</param>
/// <param name="Skipped">Matched rows left alone (mode Skip).</param>
/// <param name="Failed">Rows that failed (with SkipFailedRows).</param>
/// <param name="Failures">Each failed row.</param>
public sealed record TableRestoreResult(string Table, long Inserted, long Updated, long Skipped, long Failed, IReadOnlyList<RowFailure> Failures);
