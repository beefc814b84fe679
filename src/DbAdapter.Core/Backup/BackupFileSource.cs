using System.Text.Json;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.Backup;

/// <summary>
/// A backup file as a source of rows for the restore engine: streamed once, checked by the
/// validator as it goes, each table's rows staged by a <see cref="JsonTableStager"/> (the validator
/// holds every row of a table to its first row's fields).
/// </summary>
internal sealed class BackupFileSource(BackupFileReader reader, BackupFileValidator validator, Action<long, long>? progress) : IRowSource, IBackupFileVisitor
{
    private RowStage? _stage;
    private JsonTableStager? _table;

    public async Task CopyToAsync(RowStage stage, CancellationToken ct)
    {
        _stage = stage;
        await BackupFileScan.ScanAsync(reader, validator, this, progress, ct).ConfigureAwait(false);
    }

    public ValueTask TableStartAsync(string key, CancellationToken ct)
    {
        _table = new JsonTableStager(_stage!, key);
        return ValueTask.CompletedTask;
    }

    // Once the file has an error the restore will be refused: staging more rows would only cost time.
    public ValueTask RowAsync(long index, JsonElement row, CancellationToken ct) =>
        validator.IsValid ? _table!.AddAsync(index, row, ct) : ValueTask.CompletedTask;

    public async ValueTask TableEndAsync(long rows, CancellationToken ct)
    {
        await _table!.CompleteAsync(ct).ConfigureAwait(false);
        _table = null;
    }
}
