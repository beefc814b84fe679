using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Writes a backup file in the format of DESIGN section 7 (version 1.1): one JSON object,
/// "metadata" first, then one array of row objects (every column) per table. Rows stream from the
/// server to the file through a <see cref="Utf8JsonWriter"/>, never held in memory; values whose CLR
/// form could lose precision or overflow (numeric, money, enums, intervals...) are cast to text on
/// the server. The file appears atomically: it is written under a temporary name beside the target
/// and renamed into place once complete, so a reader never sees half a backup.
/// </summary>
public static class BackupJsonWriter
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // A backup file is data, not HTML: keep non-ASCII text readable instead of \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// Reads <paramref name="tables"/> over <paramref name="connection"/> and writes the backup to
    /// <paramref name="path"/>, which must not exist yet.
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
    /// <param name="ct">Cancels the reads and the write; the temporary file is removed.</param>
    /// <exception cref="IOException">The file exists already or cannot be written.</exception>
    /// <exception cref="InvalidOperationException">A table's rows changed while it was read.</exception>
    public static async Task<BackupWriteResult> WriteAsync(
        NpgsqlConnection connection,
        string path,
        BackupMetadata metadata,
        IReadOnlyList<BackupTableSource> tables,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tables);

        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            throw new IOException($"The backup file {fullPath} exists already; a backup never overwrites one. Choose another path.");
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var counts = new List<KeyValuePair<string, long>>();
            foreach (var table in tables)
            {
                counts.Add(new(table.Key, await CountAsync(connection, table, ct).ConfigureAwait(false)));
            }

            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new Utf8JsonWriter(stream, WriterOptions);
                await using (writer.ConfigureAwait(false))
                {
                    writer.WriteStartObject();
                    WriteMetadata(writer, metadata, counts);
                    for (var i = 0; i < tables.Count; i++)
                    {
                        writer.WritePropertyName(tables[i].Key);
                        var written = await WriteRowsAsync(connection, writer, tables[i], ct).ConfigureAwait(false);
                        if (written != counts[i].Value)
                        {
                            throw new InvalidOperationException(string.Create(
                                CultureInfo.InvariantCulture,
                                $"The rows of {tables[i].Table} changed while the backup read them ({counts[i].Value} counted, {written} read). Take the backup inside a transaction that keeps them still."));
                        }
                    }

                    writer.WriteEndObject();
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }

                await stream.FlushAsync(ct).ConfigureAwait(false);
            }

            File.Move(temporary, fullPath, overwrite: false);
            return new BackupWriteResult(fullPath, counts, new FileInfo(fullPath).Length);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>ISO-8601 as the Python tool's isoformat() writes it: microseconds only when not zero.</summary>
    internal static string IsoTimestamp(DateTime value, bool withOffset)
    {
        if (value == DateTime.MaxValue)
        {
            return "infinity";
        }

        if (value == DateTime.MinValue)
        {
            return "-infinity";
        }

        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(value.Ticks);
        return withOffset ? text + "+00:00" : text;
    }

    private static string Fraction(long ticks)
    {
        var micros = ticks % TimeSpan.TicksPerSecond / 10;
        return micros == 0 ? string.Empty : "." + micros.ToString("D6", CultureInfo.InvariantCulture);
    }

    private static void WriteMetadata(Utf8JsonWriter writer, BackupMetadata metadata, List<KeyValuePair<string, long>> counts)
    {
        writer.WritePropertyName("metadata");
        writer.WriteStartObject();
        writer.WriteString("created_at", IsoTimestamp(metadata.CreatedAt.UtcDateTime, withOffset: true));
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

    private static async Task<long> WriteRowsAsync(NpgsqlConnection connection, Utf8JsonWriter writer, BackupTableSource table, CancellationToken ct)
    {
        var columns = await BackupColumns.ReadAsync(connection, table.Table, ct).ConfigureAwait(false);
        var select = string.Join(", ", columns.Select(c => c.SelectExpression));
        var command = Command(connection, $"SELECT {select} FROM {table.Table.Quoted}", table);
        long rows = 0;
        writer.WriteStartArray();
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    writer.WriteStartObject();
                    for (var i = 0; i < columns.Count; i++)
                    {
                        writer.WritePropertyName(columns[i].Name);
                        if (await reader.IsDBNullAsync(i, ct).ConfigureAwait(false))
                        {
                            writer.WriteNullValue();
                        }
                        else
                        {
                            BackupValues.Write(writer, reader, i, columns[i]);
                        }
                    }

                    writer.WriteEndObject();
                    rows++;
                    if (writer.BytesPending > FlushThreshold)
                    {
                        await writer.FlushAsync(ct).ConfigureAwait(false);
                    }
                }
            }
        }

        writer.WriteEndArray();
        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, BackupTableSource table)
    {
        var command = new NpgsqlCommand(table.Where is null ? sql : $"{sql} WHERE {table.Where}", connection);
        foreach (var value in table.Parameters ?? [])
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

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
}
