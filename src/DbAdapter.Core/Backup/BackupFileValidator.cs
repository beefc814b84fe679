using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DbAdapter.Core.Configuration;

namespace DbAdapter.Core.Backup;

/// <summary>
/// The rules a backup file must follow, checked as the file streams past (one row at a time):
/// the Python tool's (metadata present with created_at, user_id, backup_type, version "1.1"; with a
/// backup schema, every row has its key, non-empty, and its natural-key field; orphans are warnings)
/// and more: tables are arrays of objects, every row of a table has the same fields, a table named
/// by a metadata count is present, counts agree with the rows, and (with <c>trackKeys</c>) keys and
/// natural keys do not repeat within a table. Findings name the table, the 0-based row index and
/// the field. Without a schema only what the file says about itself is checked.
/// </summary>
internal sealed class BackupFileValidator
{
    private const int MaxFindings = 100;
    private static readonly string[] RequiredMetadata = ["created_at", "user_id", "backup_type"];

    private readonly BackupSchema? _schema;
    private readonly bool _trackKeys;
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, TableState> _tables = new(StringComparer.Ordinal);
    private Dictionary<string, long>? _counts;
    private bool _sawMetadata;
    private int _droppedErrors;
    private int _droppedWarnings;
    private TableState? _current;

    /// <param name="schema">The backup schema, or null to check the file alone.</param>
    /// <param name="trackKeys">Remember keys to find repeated keys and orphans (memory grows with the rows:
    /// Test-DbBackup does it here, a restore does it on the server).</param>
    public BackupFileValidator(BackupSchema? schema, bool trackKeys)
    {
        _schema = schema;
        _trackKeys = trackKeys && schema is not null;
    }

    public IReadOnlyList<string> Errors => _droppedErrors == 0 ? _errors : [.. _errors, More(_droppedErrors, "error")];

    public IReadOnlyList<string> Warnings => _droppedWarnings == 0 ? _warnings : [.. _warnings, More(_droppedWarnings, "warning")];

    public bool IsValid => _errors.Count == 0;

    /// <summary>The metadata's user_id, when it has one.</summary>
    public string? UserId { get; private set; }

    /// <summary>The tables found in the file so far, in file order, with their row counts.</summary>
    public IEnumerable<(string Key, long Rows)> Tables => _tables.Values.OrderBy(t => t.Order).Select(t => (t.Key, t.Rows));

    public void Metadata(JsonElement metadata)
    {
        if (_sawMetadata)
        {
            Error("\"metadata\" appears twice.");
            return;
        }

        _sawMetadata = true;
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            Error($"\"metadata\" must be an object, found {JsonKinds.Describe(metadata.ValueKind)}.");
            return;
        }

        foreach (var key in RequiredMetadata.Where(k => !metadata.TryGetProperty(k, out _)))
        {
            Warning($"metadata has no \"{key}\".");
        }

        if (!metadata.TryGetProperty("version", out var version))
        {
            Error($"metadata has no \"version\"; this tool reads backup format {BackupMetadata.FormatVersion}.");
        }
        else if (version.ValueKind != JsonValueKind.String || version.GetString() != BackupMetadata.FormatVersion)
        {
            Error($"unsupported backup version {version.GetRawText()} (expected \"{BackupMetadata.FormatVersion}\").");
        }

        if (metadata.TryGetProperty("user_id", out var user) && user.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            UserId = user.ValueKind == JsonValueKind.String ? user.GetString() : user.GetRawText();
        }

        _counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var property in metadata.EnumerateObject().Where(p => p.Name.EndsWith("_count", StringComparison.Ordinal) && p.Name.Length > 6))
        {
            if (property.Value.TryGetInt64(out var count))
            {
                _counts[property.Name[..^6]] = count;
            }
            else
            {
                Warning($"metadata \"{property.Name}\" is not a whole number: {property.Value.GetRawText()}.");
            }
        }
    }

    public void TableStart(string key)
    {
        if (_tables.ContainsKey(key))
        {
            Error($"the table \"{key}\" appears twice in the file.");
        }

        var spec = _schema?.Tables.FirstOrDefault(t => string.Equals(t.Name, key, StringComparison.Ordinal));
        if (_schema is not null && spec is null)
        {
            Warning($"the table \"{key}\" is not in the backup schema {_schema.Source}: a restore leaves it out.");
        }

        _current = new TableState(key, spec, _tables.Count, _trackKeys && spec is not null);
        _tables[key] = _current;
    }

    public void Row(long index, JsonElement row)
    {
        var table = _current!;
        table.Rows = index + 1;
        if (table.Fields is null)
        {
            table.Order0 = row.EnumerateObject().Select(p => p.Name).ToArray();
            table.Fields = table.Order0.ToHashSet(StringComparer.Ordinal);
            if (table.Spec is { } first)
            {
                // One finding per table, not per row, when a field is missing from the first row.
                foreach (var (field, what) in RequiredFields(first).Where(f => !table.Fields.Contains(f.Field)))
                {
                    Error($"{table.Key}[{index}]: the field \"{field}\" ({what}) is missing.");
                }
            }
        }
        else
        {
            CheckSameFields(table, index, row);
        }

        if (table.Spec is not { } spec)
        {
            return;
        }

        if (row.TryGetProperty(spec.Pk, out var pk) && (pk.ValueKind == JsonValueKind.Null || (pk.ValueKind == JsonValueKind.String && pk.GetString()!.Length == 0)))
        {
            Error($"{table.Key}[{index}]: the key \"{spec.Pk}\" is empty.");
        }

        if (!_trackKeys)
        {
            return;
        }

        var key = pk.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : KeyText(pk);
        if (key is not null && table.Keys is { } keys && !keys.TryAdd(key, index))
        {
            Error($"{table.Key}[{index}]: the key \"{spec.Pk}\" {pk.GetRawText()} repeats {table.Key}[{keys[key]}].");
        }

        var slug = spec.SlugField.Length > 0 && row.TryGetProperty(spec.SlugField, out var found) ? found : default;
        if (table.NaturalKeys is { } naturalKeys && slug.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            var parentValue = spec.Parent is { } p && row.TryGetProperty(p.Field, out var pv) && pv.ValueKind != JsonValueKind.Null ? KeyText(pv) : string.Empty;
            var natural = KeyText(slug) + "\u0000" + parentValue;
            if (!naturalKeys.TryAdd(natural, index))
            {
                var under = spec.Parent is { } q ? $" under the same {q.Field}" : string.Empty;
                Error($"{table.Key}[{index}]: the natural key \"{spec.SlugField}\" {slug.GetRawText()}{under} repeats {table.Key}[{naturalKeys[natural]}]; a restore could not tell the two rows apart.");
            }
        }

        if (spec.Parent is { } parent && row.TryGetProperty(parent.Field, out var reference) && reference.ValueKind != JsonValueKind.Null)
        {
            table.References.Add((index, slug.ValueKind == JsonValueKind.Undefined ? null : slug.GetRawText(), KeyText(reference), reference.GetRawText()));
        }
    }

    public void NotARow(long index, JsonValueKind kind)
    {
        _current!.Rows = index + 1;
        Error($"{_current.Key}[{index}] is {JsonKinds.Describe(kind)}, not a row object.");
    }

    public void TableEnd(long rows)
    {
        _current!.Rows = rows;
        _current = null;
    }

    public void OtherValue(string key, JsonValueKind kind)
    {
        var isTable = _schema?.IndexOf(key) >= 0 || _counts?.ContainsKey(key) == true;
        if (isTable)
        {
            Error($"the table \"{key}\" must be an array of row objects, found {JsonKinds.Describe(kind)}.");
        }
        else
        {
            Warning($"the top-level key \"{key}\" is neither the metadata nor a table; it is ignored.");
        }
    }

    /// <summary>Checks what needs the whole file: metadata present, counts, tables of the schema, orphans.</summary>
    public void End()
    {
        if (!_sawMetadata)
        {
            Error("the file has no \"metadata\" object (required: created_at, user_id, backup_type, version).");
        }

        foreach (var (key, count) in _counts ?? [])
        {
            if (!_tables.TryGetValue(key, out var table))
            {
                if (_schema is null || _schema.IndexOf(key) >= 0)
                {
                    Error($"metadata says the backup holds {count} row(s) of \"{key}\", but the file has no \"{key}\" table.");
                }

                continue;
            }

            if (table.Rows != count)
            {
                Warning(string.Create(CultureInfo.InvariantCulture, $"metadata \"{key}_count\" says {count} row(s), the file holds {table.Rows}."));
            }
        }

        foreach (var table in _tables.Values.Where(t => _counts is not null && !_counts.ContainsKey(t.Key)))
        {
            Warning($"metadata has no \"{table.Key}_count\".");
        }

        foreach (var spec in _schema?.Tables.Where(t => !_tables.ContainsKey(t.Name)) ?? [])
        {
            if (_counts?.ContainsKey(spec.Name) != true)
            {
                Warning($"the table \"{spec.Name}\" of the backup schema is not in the file (a partial backup): a restore leaves it alone.");
            }
        }

        foreach (var table in _tables.Values.Where(t => t.Spec?.Parent is not null))
        {
            var parent = _tables.GetValueOrDefault(table.Spec!.Parent!.Table);
            foreach (var (index, slug, key, raw) in table.References)
            {
                if (parent?.Keys?.ContainsKey(key) != true)
                {
                    Warning($"orphaned {table.Key}[{index}]{(slug is null ? string.Empty : " " + slug)}: {table.Spec.Parent.Field} {raw} is not a key of {table.Spec.Parent.Table} in the backup; a restore fails this row.");
                }
            }
        }
    }

    /// <summary>The file is not JSON (or not one object): the only finding that stops the checks.</summary>
    public void Malformed(string problem) => Error(problem);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckSameFields(TableState table, long index, JsonElement row)
    {
        var seen = 0;
        foreach (var property in row.EnumerateObject())
        {
            // In the first row's order (the usual case) no name is allocated to compare it.
            if ((seen < table.Order0.Length && property.NameEquals(table.Order0[seen])) || table.Fields!.Contains(property.Name))
            {
                seen++;
            }
            else
            {
                Error($"{table.Key}[{index}]: the field \"{property.Name}\" is not in {table.Key}[0]; every row of a table must have the same fields.");
            }
        }

        if (seen < table.Fields!.Count)
        {
            foreach (var missing in table.Fields.Where(f => !row.TryGetProperty(f, out _)))
            {
                Error($"{table.Key}[{index}]: the field \"{missing}\" of {table.Key}[0] is missing; every row of a table must have the same fields.");
            }
        }
    }

    private static IEnumerable<(string Field, string What)> RequiredFields(BackupTableConfig spec)
    {
        yield return (spec.Pk, "the key");
        if (spec.SlugField.Length > 0)
        {
            yield return (spec.SlugField, "the natural key");
        }

        if (spec.Parent is { } parent)
        {
            yield return (parent.Field, "the reference to the parent " + parent.Table);
        }
    }

    /// <summary>A value as a key: strings by their text, other values by their JSON (so 1 and "1" stay apart).</summary>
    private static string KeyText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? "s" + value.GetString() : "j" + value.GetRawText();

    private void Error(string message)
    {
        if (_errors.Count < MaxFindings)
        {
            _errors.Add(message);
        }
        else
        {
            _droppedErrors++;
        }
    }

    private void Warning(string message)
    {
        if (_warnings.Count < MaxFindings)
        {
            _warnings.Add(message);
        }
        else
        {
            _droppedWarnings++;
        }
    }

    private static string More(int count, string what) => string.Create(CultureInfo.InvariantCulture, $"... and {count} more {what}(s).");

    private sealed class TableState(string key, BackupTableConfig? spec, int order, bool trackKeys)
    {
        public string Key { get; } = key;

        public BackupTableConfig? Spec { get; } = spec;

        public int Order { get; } = order;

        public long Rows { get; set; }

        public HashSet<string>? Fields { get; set; }

        /// <summary>The first row's fields in its order.</summary>
        public string[] Order0 { get; set; } = [];

        public Dictionary<string, long>? Keys { get; } = trackKeys ? new(StringComparer.Ordinal) : null;

        public Dictionary<string, long>? NaturalKeys { get; } = trackKeys ? new(StringComparer.Ordinal) : null;

        public List<(long Index, string? Slug, string Key, string Raw)> References { get; } = [];
    }
}
