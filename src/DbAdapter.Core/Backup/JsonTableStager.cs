using System.Runtime.CompilerServices;
using System.Text.Json;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.Backup;

/// <summary>
/// One source table of JSON row objects (a backup file's, the Data API's) going into the
/// destination's stage: begun at its first row, whose fields name the columns (every other row is
/// held to the same fields by its source), each row's values turned into PostgreSQL text by the
/// destination columns' types (<see cref="BackupValueText"/>).
/// </summary>
internal sealed class JsonTableStager(RowStage stage, string key)
{
    private bool _begun;
    private StagedTableWriter? _writer;
    private Dictionary<string, int> _positions = [];
    private string[] _names = [];
    private int[] _stagedAt = [];
    private string?[] _values = [];

    /// <summary>Stages row <paramref name="index"/> (its place in the source, for messages); skipped when the stage does not take the table.</summary>
    public async ValueTask AddAsync(long index, JsonElement row, CancellationToken ct)
    {
        if (!_begun)
        {
            _begun = true;
            _names = row.EnumerateObject().Select(p => p.Name).ToArray();
            _writer = await stage.BeginTableAsync(key, _names, ct).ConfigureAwait(false);
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

    /// <summary>Ends the table: its COPY completed, or, when no row began it, the table recorded as empty.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_writer is not null)
        {
            await stage.CompleteAsync(_writer, ct).ConfigureAwait(false);
            _writer = null;
        }
        else if (!_begun)
        {
            stage.AddEmpty(key);
        }
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
}
