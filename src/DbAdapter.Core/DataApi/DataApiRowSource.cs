using DbAdapter.Core.Backup;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// The Data API as the source of a sync: each table's rows of the user, read page by page
/// (<see cref="DataApiRows"/>), go into the destination's stage as PostgreSQL text values, each
/// turned into text by the destination column's type exactly as a backup file's value is
/// (<see cref="JsonTableStager"/>: PostgREST's JSON is PostgreSQL's own rendering, which its input
/// reads back). One page is in memory at a time.
/// </summary>
/// <param name="rows">The reader, parents' keys remembered for their children.</param>
/// <param name="tables">The source's tables to copy, parents first.</param>
/// <param name="userId">Whose rows.</param>
/// <param name="progress">Told after each table: the table, its rows, rows copied in all, and 0 (the total is not known beforehand).</param>
internal sealed class DataApiRowSource(DataApiRows rows, IReadOnlyList<BackupTable> tables, string userId, Action<string, long, long, long>? progress) : IRowSource
{
    public async Task CopyToAsync(RowStage stage, CancellationToken ct)
    {
        long done = 0;
        foreach (var table in tables)
        {
            var copy = new JsonTableStager(stage, table.Key);
            long index = 0;
            var copied = await rows.ReadAsync(table, userId, (row, token) => copy.AddAsync(index++, row, token), ct).ConfigureAwait(false);
            await copy.CompleteAsync(ct).ConfigureAwait(false);
            done += copied;
            progress?.Invoke(table.Key, copied, done, 0);
        }
    }
}
