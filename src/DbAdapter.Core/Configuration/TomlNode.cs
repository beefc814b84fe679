using System.Globalization;
using System.Text.RegularExpressions;
using DbAdapter.Core.Diagnostics;
using Tomlyn;
using Tomlyn.Model;

namespace DbAdapter.Core.Configuration;

/// <summary>
/// One TOML table of db.toml seen through its key path and source position, with typed getters that
/// fail with ConfigInvalid naming file, line, column and key path, and that record unknown keys as
/// warnings. Values are never quoted in messages: a misplaced password must not leak through them.
/// </summary>
internal sealed partial class TomlNode
{
    private readonly TomlTable _table;
    private readonly TomlConfigContext _context;

    private TomlNode(TomlTable table, string path, string location, TomlConfigContext context)
    {
        _table = table;
        Path = path;
        Location = location;
        _context = context;
    }

    /// <summary>Key path of this table ("" for the document, "profiles.local", "backup.tables[0]").</summary>
    public string Path { get; }

    /// <summary>"file(line,col)" where this table is defined, or just the file.</summary>
    public string Location { get; }

    public IEnumerable<string> Keys => _table.Keys;

    public static TomlNode Root(TomlTable table, TomlConfigContext context) => new(table, string.Empty, context.FilePath, context);

    public string PathOf(string key) => JoinPath(Path, key);

    /// <summary>"file(line,col)" of <paramref name="key"/> in this table, or this table's location.</summary>
    public string LocationOf(string key)
    {
        if (_context.Metadata.TryGetProperties(_table, out var properties)
            && properties is not null
            && properties.TryGetProperty(key, out var property)
            && property is not null)
        {
            var start = property.Span.Start;
            return string.Create(CultureInfo.InvariantCulture, $"{_context.FilePath}({start.Line + 1},{start.Column + 1})");
        }

        return Location;
    }

    public DbAdapterException Invalid(string key, string what) =>
        _context.Invalid($"{LocationOf(key)}: {PathOf(key)}: {what}");

    /// <summary>Records a warning about <paramref name="key"/> of this table, with file and line.</summary>
    public void Warn(string key, string what) => _context.Warn($"{LocationOf(key)}: {PathOf(key)}: {what}");

    /// <summary>Records a warning for every key not in <paramref name="known"/>: typos must not silently change behaviour.</summary>
    public void WarnUnknownKeys(params string[] known)
    {
        foreach (var key in _table.Keys)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                _context.Warn($"{LocationOf(key)}: unknown key '{PathOf(key)}' ignored (known keys here: {string.Join(", ", known)}).");
            }
        }
    }

    public string? GetString(string key, bool allowEmpty = false)
    {
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is not string text)
        {
            throw Invalid(key, $"expected a string, found {Describe(value)}.");
        }

        if (!allowEmpty && text.Trim().Length == 0)
        {
            throw Invalid(key, "must not be empty.");
        }

        return text;
    }

    public string GetRequiredString(string key) =>
        GetString(key) ?? throw _context.Invalid($"{Location}: {Path}: the key '{key}' is required.");

    public bool? GetBoolean(string key)
    {
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        return value is bool flag ? flag : throw Invalid(key, $"expected a boolean (true or false), found {Describe(value)}.");
    }

    public IReadOnlyList<string>? GetStringList(string key)
    {
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is not TomlArray array)
        {
            throw Invalid(key, $"expected an array of strings, found {Describe(value)}.");
        }

        var items = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not string item || item.Trim().Length == 0)
            {
                throw Invalid(key, $"item {i} must be a non-empty string, found {Describe(array[i])}.");
            }

            items.Add(item);
        }

        return items;
    }

    /// <summary>A sub-table (a [section], a dotted key or an inline table), or null when absent.</summary>
    public TomlNode? GetTable(string key)
    {
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        return value is TomlTable table
            ? new TomlNode(table, PathOf(key), LocationOf(key), _context)
            : throw Invalid(key, $"expected a table, found {Describe(value)}.");
    }

    /// <summary>An array of tables, written either as [[key]] sections or as an inline array of inline tables.</summary>
    public IReadOnlyList<TomlNode>? GetTableList(string key)
    {
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        IReadOnlyList<object?> items = value switch
        {
            TomlTableArray tables => tables.Cast<object?>().ToList(),
            TomlArray array => array.ToList(),
            _ => throw Invalid(key, $"expected an array of tables, found {Describe(value)}."),
        };

        var nodes = new List<TomlNode>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not TomlTable table)
            {
                throw Invalid(key, $"item {i} must be a table, found {Describe(items[i])}.");
            }

            var path = string.Create(CultureInfo.InvariantCulture, $"{PathOf(key)}[{i}]");
            nodes.Add(new TomlNode(table, path, FirstKeyLocation(table) ?? LocationOf(key), _context));
        }

        return nodes;
    }

    /// <summary>Each entry of this table as a sub-table (for [profiles.NAME]).</summary>
    public IReadOnlyList<(string Name, TomlNode Node)> GetNamedTables()
    {
        var result = new List<(string, TomlNode)>();
        foreach (var key in _table.Keys)
        {
            var node = GetTable(key) ?? throw new InvalidOperationException("A key listed by the table vanished.");
            result.Add((key, node));
        }

        return result;
    }

    /// <summary>A path in db.toml, made absolute against the file's folder.</summary>
    public string? GetPath(string key)
    {
        var value = GetString(key);
        if (value is null)
        {
            return null;
        }

        try
        {
            return System.IO.Path.GetFullPath(value, _context.Directory);
        }
        catch (ArgumentException)
        {
            throw Invalid(key, "is not a valid path.");
        }
    }

    private static string JoinPath(string parent, string key)
    {
        var part = BareKey().IsMatch(key) ? key : "\"" + key.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        return parent.Length == 0 ? part : parent + "." + part;
    }

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string => "a string",
        bool => "a boolean",
        long or int => "an integer",
        double or float => "a float",
        TomlDateTime => "a date-time",
        TomlArray => "an array",
        TomlTableArray => "an array of tables",
        TomlTable => "a table",
        _ => "a " + value.GetType().Name,
    };

    // Array-of-tables entries have no key of their own: their first key is the best line to point at.
    private string? FirstKeyLocation(TomlTable table)
    {
        var first = table.Keys.FirstOrDefault();
        return first is null ? null : new TomlNode(table, string.Empty, _context.FilePath, _context).LocationOf(first);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex BareKey();
}
