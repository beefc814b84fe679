using System.Text;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Rows;

/// <summary>
/// The destination's scratch space for one restore: a raw table of text values per source table,
/// filled by binary COPY as the source streams (nothing is held in memory). Temporary tables are
/// created ON COMMIT DROP inside the restore's one transaction, so a transaction-mode pooler
/// (PgBouncer, Supabase) is fine and nothing outlives the transaction.
/// </summary>
internal sealed class RowStage : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly Dictionary<BackupTable, StagedTable> _staged = [];
    private StagedTableWriter? _open;

    public RowStage(NpgsqlConnection connection, BackupTableSet tables, string destination)
    {
        _connection = connection;
        Tables = tables;
        Destination = destination;
    }

    public BackupTableSet Tables { get; }

    /// <summary>The destination's display name, for messages.</summary>
    public string Destination { get; }

    /// <summary>The staged tables in backup-schema order (parents first), whatever the source's order.</summary>
    public IReadOnlyList<StagedTable> Staged => Tables.Tables.Where(_staged.ContainsKey).Select(t => _staged[t]).ToList();

    /// <summary>
    /// Starts staging the source table <paramref name="key"/> whose rows have <paramref name="columns"/>;
    /// null when the table is not in the backup schema or was staged already (the caller skips its rows).
    /// </summary>
    /// <exception cref="DbAdapterException">RestoreFailed: a source column the destination table lacks.</exception>
    public async Task<StagedTableWriter?> BeginTableAsync(string key, IReadOnlyList<string> columns, CancellationToken ct)
    {
        var table = Tables.Find(key);
        if (table is null || _staged.ContainsKey(table))
        {
            return null;
        }

        var unknown = columns.Where(c => !table.Columns.Contains(c)).ToList();
        if (unknown.Count > 0)
        {
            throw new DbAdapterException(
                ErrorIds.RestoreFailed,
                DbErrorKind.InvalidData,
                $"The {key} rows of the backup have column(s) {string.Join(", ", unknown)}, which {table.Name} of '{Destination}' lacks: nothing was restored, so no value is lost. Add the column(s) to the table first, or restore into a database with the backup's schema.",
                key);
        }

        var staged = new List<StagedColumn>();
        for (var position = 0; position < columns.Count; position++)
        {
            var column = table.Columns.Find(columns[position])!;

            // The owner is set to the restoring user; a generated column computes itself.
            if (!column.IsGenerated && !ReferenceEquals(column, table.User))
            {
                staged.Add(new StagedColumn(position, column, staged.Count));
            }
        }

        if (_staged.Count == 0)
        {
            if (_connection.PostgreSqlVersion.Major >= 11)
            {
                // The set-based statements that follow look costly to the planner at 100,000 rows, so
                // PostgreSQL's JIT would compile them first: 340 ms of a 100k restore's 650 ms statement
                // went to compiling, which the execution never earned back. Off for this transaction only
                // (the setting exists from PostgreSQL 11 on).
                await ExecuteAsync("SET LOCAL jit = off", ct).ConfigureAwait(false);
            }

            // The ANALYZE after each COPY (CompleteAsync) is there for the scratch table's row count; a
            // sample of 300 rows gives that as well as the default 30,000 (100,000 rows: 38 -> 2 ms).
            // Only this transaction's ANALYZEs of its own scratch tables read the setting.
            await ExecuteAsync("SET LOCAL default_statistics_target = 1", ct).ConfigureAwait(false);
        }

        var stagedTable = new StagedTable(table, staged);
        _staged[table] = stagedTable;
        var create = new StringBuilder($"CREATE TEMP TABLE {stagedTable.Raw} (ord int8 NOT NULL, err text");
        foreach (var column in staged)
        {
            create.Append(", ").Append(column.Raw).Append(" text");
        }

        await ExecuteAsync(create.Append(") ON COMMIT DROP").ToString(), ct).ConfigureAwait(false);
        var copy = $"COPY {stagedTable.Raw} (ord, err{string.Concat(staged.Select(c => ", " + c.Raw))}) FROM STDIN (FORMAT BINARY)";
        var importer = await _connection.BeginBinaryImportAsync(copy, ct).ConfigureAwait(false);
        _open = new StagedTableWriter(stagedTable, importer);
        return _open;
    }

    /// <summary>Records a source table without rows (it is reported, with nothing to do).</summary>
    public void AddEmpty(string key)
    {
        if (Tables.Find(key) is { } table && !_staged.ContainsKey(table))
        {
            _staged[table] = new StagedTable(table, []);
        }
    }

    /// <summary>Ends the COPY of <paramref name="writer"/>'s table.</summary>
    public async Task CompleteAsync(StagedTableWriter writer, CancellationToken ct)
    {
        await writer.CompleteAsync(ct).ConfigureAwait(false);
        _open = null;

        // A table filled by COPY in this transaction has no statistics: the planner takes it for a few
        // dozen rows and joins it to the parents' rows by nested loop (10,000 rows x 100 parents: 1M
        // comparisons, 97 of a 10k restore's 130 ms in that statement). Its row count alone makes that a
        // hash join; ANALYZE of one column sets it without the cost of statistics of every text value
        // (33 ms for all columns of 10,000 products, their JSON among them). It reads only this
        // temporary table and runs inside the transaction (safe behind a transaction-mode pooler).
        await ExecuteAsync($"ANALYZE {writer.Table.Raw} (ord)", ct).ConfigureAwait(false);
    }

    /// <summary>Abandons an unfinished COPY (the transaction is then rolled back by its owner).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_open is not null)
        {
            await _open.DisposeAsync().ConfigureAwait(false);
            _open = null;
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        var command = new NpgsqlCommand(sql, _connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}

/// <summary>Writes one staged table's rows into its raw table (binary COPY of text values).</summary>
internal sealed class StagedTableWriter(StagedTable table, NpgsqlBinaryImporter importer) : IAsyncDisposable
{
    private long _rows;

    public StagedTable Table { get; } = table;

    /// <summary>
    /// Writes a row: <paramref name="values"/> holds one PostgreSQL text value per staged column (null
    /// for NULL), or <paramref name="error"/> says why the row's values could not be read.
    /// </summary>
    public async ValueTask WriteAsync(long ord, string? error, string?[] values, CancellationToken ct)
    {
        await importer.StartRowAsync(ct).ConfigureAwait(false);
        await importer.WriteAsync(ord, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await WriteTextAsync(error, ct).ConfigureAwait(false);
        foreach (var value in values)
        {
            await WriteTextAsync(error is null ? value : null, ct).ConfigureAwait(false);
        }

        _rows = Math.Max(_rows, ord + 1);
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        await importer.CompleteAsync(ct).ConfigureAwait(false);
        await importer.DisposeAsync().ConfigureAwait(false);
        Table.Rows = _rows;
    }

    public ValueTask DisposeAsync() => importer.DisposeAsync();

    private ValueTask WriteTextAsync(string? value, CancellationToken ct) =>
        value is null ? new ValueTask(importer.WriteNullAsync(ct)) : new ValueTask(importer.WriteAsync(value, NpgsqlDbType.Text, ct));
}
