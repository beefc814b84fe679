using System.Globalization;
using System.Text;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Rows;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Sync;

/// <summary>
/// Another database as a source of rows for the row engine: each table's rows of the user, read in
/// the source's snapshot, ordered by key, every column cast to text by the source server, stream
/// row by row from the source's reader into the destination's stage (binary COPY): no file, no table
/// in memory. The engine then converts the text by the destination's column types, as it does a
/// backup file's values. The text is the server's own output of each type, with the settings that
/// change that output fixed for the snapshot (ISO dates, postgres intervals, exact floats, hex
/// bytea), so the destination reads back the same values whatever either server's defaults are.
/// A failure of the source comes out as <see cref="SourceReadException"/>.
/// </summary>
/// <param name="connection">The source connection, inside its read-only snapshot.</param>
/// <param name="tables">Per table to copy (parents first): the source's table and its user's rows, counted.</param>
/// <param name="progress">Told the table, rows copied of it, rows copied in all and rows in all, every few thousand rows.</param>
internal sealed class DatabaseRowSource(NpgsqlConnection connection, IReadOnlyList<(BackupTable Table, BackupTableSource Rows)> tables, Action<string, long, long, long>? progress) : IRowSource
{
    private const int ProgressEvery = 5_000;

    private static readonly string[] OutputSettings =
    [
        "SET LOCAL datestyle = 'ISO, YMD'",
        "SET LOCAL intervalstyle = 'postgres'",
        "SET LOCAL extra_float_digits = 3",
        "SET LOCAL bytea_output = 'hex'",
    ];

    public async Task CopyToAsync(RowStage stage, CancellationToken ct)
    {
        await SourceReadException.GuardAsync(SetOutputAsync, ct).ConfigureAwait(false);
        var total = tables.Sum(t => t.Rows.Count ?? 0);
        long done = 0;
        foreach (var (table, rows) in tables)
        {
            if (rows.Count == 0)
            {
                stage.AddEmpty(table.Key);
                continue;
            }

            var columns = table.Columns.Columns.Where(c => !c.IsGenerated).Select(c => c.Name).ToList();
            var writer = await stage.BeginTableAsync(table.Key, columns, ct).ConfigureAwait(false);
            if (writer is null)
            {
                continue;
            }

            var copied = await CopyAsync(table, rows, columns, writer, total, done, ct).ConfigureAwait(false);
            await stage.CompleteAsync(writer, ct).ConfigureAwait(false);
            if (copied != rows.Count)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The rows of {table.Name} changed while they were read ({rows.Count} counted, {copied} read), though one snapshot should keep them still."));
            }

            done += copied;
        }
    }

    private async Task<long> CopyAsync(BackupTable table, BackupTableSource rows, List<string> columns, StagedTableWriter writer, long total, long done, CancellationToken ct)
    {
        var from = table.Name.Quoted;
        var select = new StringBuilder("SELECT ");
        select.AppendJoin(", ", writer.Table.Columns.Select(c => $"CAST({from}.{SqlIdentifier.Quote(columns[c.SourcePosition])} AS text)"));
        select.Append(" FROM ").Append(from).Append(" WHERE ").Append(rows.Where)
            .Append(" ORDER BY ").Append(from).Append('.').Append(SqlIdentifier.Quote(table.Pk.Name));
        var command = new NpgsqlCommand(select.ToString(), connection);
        await using (command.ConfigureAwait(false))
        {
            ParameterBinder.AddPositional(command.Parameters, rows.Parameters);

            var reader = await SourceReadException.GuardAsync(token => command.ExecuteReaderAsync(token), ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                try
                {
                    var values = new string?[writer.Table.Columns.Count];
                    long ord = 0;
                    while (await SourceReadException.GuardAsync(reader.ReadAsync, ct).ConfigureAwait(false))
                    {
                        for (var i = 0; i < values.Length; i++)
                        {
                            values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
                        }

                        await writer.WriteAsync(ord, null, values, ct).ConfigureAwait(false);
                        if (++ord % ProgressEvery == 0)
                        {
                            progress?.Invoke(table.Key, ord, done + ord, total);
                        }
                    }

                    progress?.Invoke(table.Key, ord, done + ord, total);
                    return ord;
                }
                catch (Exception ex) when (ex is not SourceReadException)
                {
                    // The destination failed (or Ctrl+C came while writing): without a cancel, disposing
                    // the reader would first take in every row the source has still to send.
                    command.Cancel();
                    throw;
                }
            }
        }
    }

    private async Task SetOutputAsync(CancellationToken ct)
    {
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var setting in OutputSettings)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
            }

            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
