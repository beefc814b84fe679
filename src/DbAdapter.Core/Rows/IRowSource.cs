namespace DbAdapter.Core.Rows;

/// <summary>
/// Where restored rows come from: a backup file today, another database for sync. A source writes
/// each of its tables into the stage as PostgreSQL text values, table by table; the engine then
/// converts, matches, remaps and writes them by the destination's column types. A source never
/// holds a table in memory.
/// </summary>
internal interface IRowSource
{
    /// <summary>Writes every table the source holds into <paramref name="stage"/>.</summary>
    Task CopyToAsync(RowStage stage, CancellationToken ct);
}
