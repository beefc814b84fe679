using System.Runtime.CompilerServices;
using System.Text.Json;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.Backup;

/// <summary>
/// A backup file as a source of rows for the restore engine: streamed once, checked by the
/// validator as it goes, each row's values turned into PostgreSQL text by the destination columns'
/// types (<see cref="BackupValueText"/>) and copied into the stage. A table's columns are its first
/// row's fields (the validator holds every other row to the same fields).
/// </summary>
internal sealed class BackupFileSource(BackupFileReader reader, BackupFileValidator validator, Action<long, long>? progress) : IRowSource, IBackupFileVisitor
{
    private RowStage? _stage;
    private string _key = string.Empty;
    private bool _begun;
    private StagedTableWriter? _writer;
    private Dictionary<string, int> _positions = [];
    private string[] _names = [];
    private int[] _stagedAt = [];
    private string?[] _values = [];

    public async Task CopyToAsync(RowStage stage, CancellationToken ct)
    {
        _stage = stage;
        await BackupFileScan.ScanAsync(reader, validator, this, progress, ct).ConfigureAwait(false);
    }

    public ValueTask TableStartAsync(string key, CancellationToken ct)
    {
        _key = key;
        _begun = false;
        _writer = null;
        return ValueTask.CompletedTask;
    }

    public async ValueTask RowAsync(long index, JsonElement row, CancellationToken ct)
    {
        if (!validator.IsValid)
        {
            // The restore will be refused: staging more rows would only cost time.
            return;
        }

        if (!_begun)
        {
            _begun = true;
            _names = row.EnumerateObject().Select(p => p.Name).ToArray();
            _writer = await _stage!.BeginTableAsync(_key, _names, ct).ConfigureAwait(false);
            if (_writer is not null)
            {
                _positions = _names.Select((n, i) => (n, i)).GroupBy(x => x.n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
                _stagedAt = Enumerable.Repeat(-1, _names.Length).ToArray();
                foreach (var column in _writer.Table.Columns)
                {
                    _stagedAt[column.SourcePosition] = column.Ordinal;
                }

                _values = new string?[_writer.Table.Columns.Count];
            }
        }

        if (_writer is null)
        {
            return;
        }

        var error = Convert(row, _writer.Table);
        await _writer.WriteAsync(index, error, _values, ct).ConfigureAwait(false);
    }

    /// <summary>Fills the row's text values; returns why a value could not be read, or null.</summary>
    /// <remarks>Runs once per row: compiled optimized from the first call, not after a slow warm-up.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? Convert(JsonElement row, StagedTable table)
    {
        Array.Clear(_values);
        string? error = null;
        var position = 0;
        foreach (var property in row.EnumerateObject())
        {
            // Rows of one table almost always list their fields in the same order: no lookup then.
            var source = position < _names.Length && property.NameEquals(_names[position])
                ? position
                : _positions.GetValueOrDefault(property.Name, -1);
            position++;
            var ordinal = source < 0 ? -1 : _stagedAt[source];
            if (ordinal < 0)
            {
                continue;
            }

            try
            {
                _values[ordinal] = BackupValueText.For(property.Value, table.Columns[ordinal].Column);
            }
            catch (FormatException ex)
            {
                error ??= ex.Message;
            }
        }

        return error;
    }

    public async ValueTask TableEndAsync(long rows, CancellationToken ct)
    {
        if (_writer is not null)
        {
            await _stage!.CompleteAsync(_writer, ct).ConfigureAwait(false);
            _writer = null;
        }
        else if (rows == 0)
        {
            _stage!.AddEmpty(_key);
        }
    }
}
