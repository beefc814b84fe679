using System.Text.Json;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// The Data API as the source of a sync: each table's rows of the user, read page by page
/// (<see cref="DataApiRows"/>), go into the destination's stage as PostgreSQL text values, each
/// turned into text by the destination column's type exactly as a backup file's value is
/// (<see cref="BackupValueText"/>: PostgREST's JSON is PostgreSQL's own rendering, which its input
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
            var copy = new TableCopy(stage, table.Key);
            await rows.ReadAsync(table, userId, copy.AddAsync, ct).ConfigureAwait(false);
            await copy.CompleteAsync(ct).ConfigureAwait(false);
            done += copy.Rows;
            progress?.Invoke(table.Key, copy.Rows, done, 0);
        }
    }

    /// <summary>One table into the stage: begun at its first row (whose fields name the columns).</summary>
    private sealed class TableCopy(RowStage stage, string key)
    {
        private bool _begun;
        private StagedTableWriter? _writer;
        private Dictionary<string, int> _ordinals = [];
        private string?[] _values = [];

        public long Rows { get; private set; }

        public async ValueTask AddAsync(JsonElement row, CancellationToken ct)
        {
            if (!_begun)
            {
                _begun = true;
                _writer = await stage.BeginTableAsync(key, row.EnumerateObject().Select(p => p.Name).ToList(), ct).ConfigureAwait(false);
                if (_writer is not null)
                {
                    _ordinals = _writer.Table.Columns.ToDictionary(c => c.Column.Name, c => c.Ordinal, StringComparer.Ordinal);
                    _values = new string?[_writer.Table.Columns.Count];
                }
            }

            if (_writer is null)
            {
                return;
            }

            Array.Clear(_values);
            string? error = null;
            foreach (var field in row.EnumerateObject())
            {
                if (!_ordinals.TryGetValue(field.Name, out var ordinal))
                {
                    continue;
                }

                try
                {
                    _values[ordinal] = BackupValueText.For(field.Value, _writer.Table.Columns[ordinal].Column);
                }
                catch (FormatException ex)
                {
                    error ??= ex.Message;
                }
            }

            await _writer.WriteAsync(Rows++, error, _values, ct).ConfigureAwait(false);
        }

        public async Task CompleteAsync(CancellationToken ct)
        {
            if (_writer is not null)
            {
                await stage.CompleteAsync(_writer, ct).ConfigureAwait(false);
            }
            else if (!_begun)
            {
                stage.AddEmpty(key);
            }
        }
    }
}
