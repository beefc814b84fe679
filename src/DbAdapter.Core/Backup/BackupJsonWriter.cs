using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Writes a backup file in the format of DESIGN section 7 (version 1.1): one JSON object,
/// "metadata" first, then one array of row objects (every column) per table. Rows stream from the
/// server to the file through a <see cref="Utf8JsonWriter"/>, never held in memory; values whose CLR
/// form could lose precision or overflow (numeric, money, enums, intervals...) are cast to text on
/// the server. The file appears atomically: it is written under a temporary name beside the target
/// and renamed into place once complete, so a reader never sees half a backup, and a failed or
/// cancelled write leaves no file behind. A path ending in ".gz" is written gzip-compressed.
/// </summary>
public static class BackupJsonWriter
{
    internal const int FlushThreshold = 64 * 1024;
    private const int ProgressEvery = 5_000;

    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        // A backup file is data, not HTML: keep non-ASCII text readable instead of \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// Reads <paramref name="tables"/> over <paramref name="connection"/> and writes the backup to
    /// <paramref name="path"/>.
    /// </summary>
    /// <remarks>
    /// The counts in the metadata are read before the rows, so run this inside a transaction in which
    /// the rows cannot change (tables locked, or REPEATABLE READ); a count that differs from the rows
    /// read fails the backup instead of writing an inconsistent file.
    /// </remarks>
    /// <param name="connection">An open connection (possibly inside a transaction, which is used as is).</param>
    /// <param name="path">The backup file to create.</param>
    /// <param name="metadata">The metadata to write.</param>
    /// <param name="tables">The tables, in file order.</param>
    /// <param name="options">Overwrite and progress; null for <see cref="BackupWriteOptions.Default"/>.</param>
    /// <param name="ct">Cancels the reads and the write; the temporary file is removed.</param>
    /// <exception cref="IOException">The file exists already (without Overwrite) or cannot be written.</exception>
    /// <exception cref="InvalidOperationException">A table does not exist, or its rows changed while it was read.</exception>
    public static async Task<BackupWriteResult> WriteAsync(
        NpgsqlConnection connection,
        string path,
        BackupMetadata metadata,
        IReadOnlyList<BackupTableSource> tables,
        BackupWriteOptions? options,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tables);
        options ??= BackupWriteOptions.Default;

        // The catalog and the counts are read before the file is opened: a missing table writes nothing.
        // Columns a caller already read in this snapshot (a user backup's bound schema) are not read again.
        var unread = tables.Where(t => t.Columns is null).Select(t => t.Table).ToList();
        var loaded = await TableColumns.LoadAsync(connection, unread, ct).ConfigureAwait(false);
        var columns = new List<TableColumns>(tables.Count);
        var counts = new List<KeyValuePair<string, long>>();
        foreach (var table in tables)
        {
            columns.Add(table.Columns ?? loaded.GetValueOrDefault(table.Table) ?? throw new InvalidOperationException($"Table {table.Table} does not exist."));
            counts.Add(new(table.Key, table.Count ?? await CountAsync(connection, table, ct).ConfigureAwait(false)));
        }

        return await WriteFileAsync(
            path,
            metadata,
            counts,
            async (i, writer, row, token) =>
            {
                var backupColumns = columns[i].Columns.Select(BackupColumn.From).ToList();
                var written = await WriteRowsAsync(connection, writer, tables[i], backupColumns, row, token).ConfigureAwait(false);
                if (written != counts[i].Value)
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The rows of {tables[i].Table} changed while the backup read them ({counts[i].Value} counted, {written} read). Take the backup inside a transaction that keeps them still."));
                }
            },
            options,
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a backup file whose tables' rows come from <paramref name="writeRows"/>: the one place
    /// that lays out the file (metadata, then one array per table), writes it under a temporary name
    /// and moves it into place once complete and flushed to disk. Every row source therefore yields
    /// the same bytes for the same values.
    /// </summary>
    /// <param name="path">The backup file to create.</param>
    /// <param name="metadata">The metadata to write.</param>
    /// <param name="counts">Each table's key and row count, in file order.</param>
    /// <param name="writeRows">Writes table i's row objects (the array is opened and closed around it), calling the action once per row.</param>
    /// <param name="options">Overwrite and progress; null for <see cref="BackupWriteOptions.Default"/>.</param>
    /// <param name="ct">Cancels the write; the temporary file is removed.</param>
    internal static async Task<BackupWriteResult> WriteFileAsync(
        string path,
        BackupMetadata metadata,
        IReadOnlyList<KeyValuePair<string, long>> counts,
        Func<int, Utf8JsonWriter, Action, CancellationToken, Task> writeRows,
        BackupWriteOptions? options,
        CancellationToken ct)
    {
        options ??= BackupWriteOptions.Default;
        var fullPath = Path.GetFullPath(path);
        if (!options.Overwrite && File.Exists(fullPath))
        {
            throw new IOException($"The backup file {fullPath} exists already; a backup never overwrites one. Choose another path.");
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var progress = new ProgressCounter(options.Progress, counts);
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                // The gzip stream leaves the file open: the file is flushed (and closed) last.
                var gzip = IsGzip(fullPath) ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : null;
                try
                {
                    var writer = new Utf8JsonWriter(gzip ?? (Stream)file, WriterOptions);
                    await using (writer.ConfigureAwait(false))
                    {
                        writer.WriteStartObject();
                        WriteMetadata(writer, metadata, counts);
                        for (var i = 0; i < counts.Count; i++)
                        {
                            progress.StartTable(i);
                            writer.WritePropertyName(counts[i].Key);
                            writer.WriteStartArray();
                            await writeRows(i, writer, progress.Row, ct).ConfigureAwait(false);
                            writer.WriteEndArray();
                            progress.EndTable();
                        }

                        writer.WriteEndObject();
                        await writer.FlushAsync(ct).ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (gzip is not null)
                    {
                        await gzip.DisposeAsync().ConfigureAwait(false);
                    }
                }

                await file.FlushAsync(ct).ConfigureAwait(false);

                // On disk before it takes its name: a backup often comes right before destructive work
                // (Invoke-DbFix writes one before it rewrites a table), and after a power cut the name
                // must not stand for a file whose content was still in the page cache (nor the content
                // be left under the temporary name: Publish syncs the folder after the rename). pg_dump
                // syncs its output too; plan and lock files are written the same way (UserFile).
                file.Flush(flushToDisk: true);
            }

            UserFile.Publish(temporary, fullPath, options.Overwrite);
            return new BackupWriteResult(fullPath, counts, new FileInfo(fullPath).Length);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>True when <paramref name="path"/> names a gzip file (".gz").</summary>
    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    private static void WriteMetadata(Utf8JsonWriter writer, BackupMetadata metadata, IReadOnlyList<KeyValuePair<string, long>> counts)
    {
        writer.WritePropertyName("metadata");
        writer.WriteStartObject();
        var created = metadata.CreatedAt.UtcDateTime;
        Span<char> fraction = stackalloc char[8];
        var digits = BackupValues.WriteFraction(fraction, created.Ticks);
        writer.WriteString("created_at", created.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + new string(fraction[..digits]) + "Z");
        if (metadata.UserId is null)
        {
            writer.WriteNull("user_id");
        }
        else
        {
            writer.WriteString("user_id", metadata.UserId);
        }

        writer.WriteString("backup_type", metadata.BackupType);
        writer.WriteString("version", BackupMetadata.FormatVersion);
        foreach (var (key, count) in counts)
        {
            writer.WriteNumber(key + "_count", count);
        }

        foreach (var (key, value) in metadata.Extra ?? [])
        {
            if (value is null)
            {
                writer.WriteNull(key);
            }
            else
            {
                writer.WriteString(key, value);
            }
        }

        writer.WriteEndObject();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, BackupTableSource table, CancellationToken ct)
    {
        var command = Command(connection, $"SELECT count(*) FROM {table.Table.Quoted}", table);
        await using (command.ConfigureAwait(false))
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    private static async Task<long> WriteRowsAsync(
        NpgsqlConnection connection, Utf8JsonWriter writer, BackupTableSource table, List<BackupColumn> columns, Action row, CancellationToken ct)
    {
        var select = string.Join(", ", columns.Select(c => c.SelectExpression));
        var command = Command(connection, $"SELECT {select} FROM {table.Table.Quoted}", table, table.OrderBy);
        long rows = 0;
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var names = columns.Select(c => JsonEncodedText.Encode(c.Name, WriterOptions.Encoder)).ToArray();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    WriteRow(writer, reader, columns, names);
                    rows++;
                    row();
                    if (writer.BytesPending > FlushThreshold)
                    {
                        await writer.FlushAsync(ct).ConfigureAwait(false);
                    }
                }
            }
        }

        return rows;
    }

    /// <summary>One row object; the whole row is in Npgsql's buffer (non-sequential reader), so no I/O here.</summary>
    /// <remarks>Runs once per row: compiled optimized from the first call, not after a slow warm-up.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteRow(Utf8JsonWriter writer, NpgsqlDataReader reader, List<BackupColumn> columns, JsonEncodedText[] names)
    {
        writer.WriteStartObject();
        for (var i = 0; i < columns.Count; i++)
        {
            writer.WritePropertyName(names[i]);
            if (reader.IsDBNull(i))
            {
                writer.WriteNullValue();
            }
            else
            {
                BackupValues.Write(writer, reader, i, columns[i]);
            }
        }

        writer.WriteEndObject();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, BackupTableSource table, string? orderBy = null)
    {
        var filtered = table.Where is null ? sql : $"{sql} WHERE {table.Where}";
        var command = new NpgsqlCommand(orderBy is null ? filtered : $"{filtered} ORDER BY {SqlIdentifier.Quote(orderBy)}", connection);
        ParameterBinder.AddPositional(command.Parameters, table.Parameters);

        return command;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless; the original error is what matters.
        }
    }

    /// <summary>Counts rows and reports every few thousand, so progress costs nothing per row.</summary>
    private sealed class ProgressCounter(Action<BackupProgress>? report, IReadOnlyList<KeyValuePair<string, long>> counts)
    {
        private readonly long _total = counts.Sum(c => c.Value);
        private int _table;
        private long _tableRows;
        private long _rows;

        public void StartTable(int index)
        {
            _table = index;
            _tableRows = 0;
            Report();
        }

        public void Row()
        {
            _tableRows++;
            _rows++;
            if (_tableRows % ProgressEvery == 0)
            {
                Report();
            }
        }

        public void EndTable() => Report();

        private void Report() =>
            report?.Invoke(new BackupProgress(counts[_table].Key, _table, _tableRows, counts[_table].Value, _rows, _total));
    }
}
