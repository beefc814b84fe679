using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;

namespace DbAdapter.Core.DataApi;

/// <summary>How a column's values go into the spool: as the backup writes them, by the pg_type name of its (element) type.</summary>
/// <param name="Backup">How the backup writes the column.</param>
/// <param name="TypeName">The (element) type's pg_type name.</param>
internal sealed record SpooledColumn(BackupColumn Backup, string TypeName)
{
    public static SpooledColumn From(ColumnInfo column) =>
        new(BackupColumn.From(column), (column.IsArray ? column.ElementTypeName : column.TypeName) ?? string.Empty);
}

/// <summary>
/// Rows already written in the backup's JSON, kept in a temporary file until every table is read:
/// the file's metadata (the counts) comes before the rows, and the Data API gives no snapshot in
/// which to count first. Each row is its length and its bytes; the file sits beside the backup
/// (the same disk, the same permissions) and is deleted when closed, whatever happens.
/// </summary>
internal sealed class RowSpool : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _row = new();
    private readonly Utf8JsonWriter _writer;
    private readonly List<(long Start, long Rows)> _tables = [];

    public RowSpool(string backupPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(backupPath))!;
        Directory.CreateDirectory(directory);
        _file = new FileStream(
            Path.Combine(directory, $".{Path.GetFileName(backupPath)}.{Guid.NewGuid():N}.rows.tmp"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        _writer = new Utf8JsonWriter(_row, BackupJsonWriter.WriterOptions);
    }

    /// <summary>Rows of each table so far, in the order the tables were begun.</summary>
    public IReadOnlyList<long> Counts => _tables.Select(t => t.Rows).ToList();

    public void BeginTable() => _tables.Add((_file.Position, 0));

    /// <summary>Adds one row of the current table, its values written as a backup writes them.</summary>
    /// <exception cref="FormatException">A value does not fit its column (the message names the column).</exception>
    public async ValueTask AddAsync(JsonElement row, IReadOnlyDictionary<string, SpooledColumn> columns, CancellationToken ct)
    {
        _row.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();

        // The row's own field order is the table's column order (PostgREST renders rows as the table).
        foreach (var field in row.EnumerateObject())
        {
            var column = columns.GetValueOrDefault(field.Name) ?? throw new FormatException($"the column \"{field.Name}\" is not in the Data API's description of the table");
            _writer.WritePropertyName(field.Name);
            try
            {
                DataApiValues.Write(_writer, field.Value, column.Backup, column.TypeName);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException)
            {
                throw new FormatException($"the value of \"{field.Name}\" cannot be read: {ex.Message}", ex);
            }
        }

        _writer.WriteEndObject();
        _writer.Flush();
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, _row.WrittenCount);
        await _file.WriteAsync(length, ct).ConfigureAwait(false);
        await _file.WriteAsync(_row.WrittenMemory, ct).ConfigureAwait(false);
        _tables[^1] = (_tables[^1].Start, _tables[^1].Rows + 1);
    }

    /// <summary>Writes table <paramref name="index"/>'s rows into the backup, each as the raw row object it was spooled as.</summary>
    public async Task CopyTableAsync(int index, Utf8JsonWriter writer, Action row, CancellationToken ct)
    {
        var (start, rows) = _tables[index];
        _file.Position = start;
        var length = new byte[4];
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            for (long i = 0; i < rows; i++)
            {
                await _file.ReadExactlyAsync(length, ct).ConfigureAwait(false);
                var size = BinaryPrimitives.ReadInt32LittleEndian(length);
                if (buffer.Length < size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(size);
                }

                await _file.ReadExactlyAsync(buffer.AsMemory(0, size), ct).ConfigureAwait(false);
                writer.WriteRawValue(buffer.AsSpan(0, size), skipInputValidation: true);
                row();
                if (writer.BytesPending > BackupJsonWriter.FlushThreshold)
                {
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
