using System.Collections;
using System.Diagnostics.CodeAnalysis;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Client;

/// <summary>
/// The column names of one result, shared by all its rows so a large result does not carry one
/// dictionary per row. Names are compared ordinally: quoted PostgreSQL identifiers are case-sensitive.
/// </summary>
internal sealed class RowShape
{
    public RowShape(string[] names)
    {
        Names = names;
        Index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (!Index.TryAdd(names[i], i))
            {
                // A row is keyed by name: silently keeping one of two "id" columns would lose data.
                throw new DbAdapterException(
                    ErrorIds.InvalidQuery,
                    DbErrorKind.InvalidArgument,
                    $"The query returns more than one column named \"{names[i]}\". Give the columns distinct aliases so each row can be keyed by name.",
                    names[i]);
            }
        }
    }

    public string[] Names { get; }

    public Dictionary<string, int> Index { get; }
}

/// <summary>One result row: read-only, keyed by column name, enumerated in column order.</summary>
internal sealed class DbRow : IReadOnlyDictionary<string, object?>
{
    private readonly RowShape _shape;
    private readonly object?[] _values;

    public DbRow(RowShape shape, object?[] values)
    {
        _shape = shape;
        _values = values;
    }

    public int Count => _values.Length;

    public IEnumerable<string> Keys => _shape.Names;

    public IEnumerable<object?> Values => _values;

    public object? this[string key] =>
        _shape.Index.TryGetValue(key, out var i) ? _values[i] : throw new KeyNotFoundException($"The row has no column \"{key}\".");

    public bool ContainsKey(string key) => _shape.Index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_shape.Index.TryGetValue(key, out var i))
        {
            value = _values[i];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return new KeyValuePair<string, object?>(_shape.Names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
