using System.Text.Json;
using System.Text;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Column definitions that override schema.sql when a missing column is added, loaded from the Python
/// tool's column-defs JSON: <c>{"table.column": "SQL definition", "schema.table.column": "..."}</c>.
/// A two-part key means the default schema. A part may be double-quoted to hold a dot.
/// </summary>
public sealed class ColumnDefinitions
{
    private readonly Dictionary<(string Schema, string Table, string Column), string> _definitions = [];

    private ColumnDefinitions()
    {
    }

    /// <summary>No overrides.</summary>
    public static ColumnDefinitions Empty { get; } = new();

    /// <summary>Number of entries.</summary>
    public int Count => _definitions.Count;

    /// <summary>Absolute path of the file the definitions were loaded from, or null.</summary>
    public string? SourceFile { get; private set; }

    /// <summary>SHA-256 (lower-case hex) of that file's bytes, or null.</summary>
    public string? SourceSha256 { get; private set; }

    /// <summary>Loads a column-defs file.</summary>
    /// <param name="path">Path of the JSON file.</param>
    /// <param name="defaultSchema">Schema of two-part keys.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.ColumnDefinitionsInvalid"/>: the file is missing, unreadable, not JSON, or holds a
    /// value that is not a string or a key that is not "table.column" / "schema.table.column".
    /// </exception>
    public static async Task<ColumnDefinitions> LoadAsync(string path, string defaultSchema, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var bytes = await UserFile.ReadBytesAsync(fullPath, UserFileKind.ColumnDefinitions, ct).ConfigureAwait(false);
        var definitions = Parse(bytes, fullPath, defaultSchema);
        definitions.SourceFile = fullPath;
        definitions.SourceSha256 = ContentHash.Sha256(bytes);
        return definitions;
    }

    /// <summary>Parses column-defs JSON text.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceFile">File name for messages and as the error target.</param>
    /// <param name="defaultSchema">Schema of two-part keys.</param>
    /// <exception cref="DbAdapterException"><see cref="ErrorIds.ColumnDefinitionsInvalid"/>, naming the file, line and key.</exception>
    public static ColumnDefinitions Parse(string json, string? sourceFile = null, string defaultSchema = "public")
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), sourceFile, defaultSchema);
    }

    private static ColumnDefinitions Parse(byte[] bytes, string? sourceFile, string defaultSchema)
    {
        var source = sourceFile ?? "column definitions";
        var result = new ColumnDefinitions();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        DbAdapterException Invalid(long byteOffset, string problem) =>
            new(ErrorIds.ColumnDefinitionsInvalid, DbErrorKind.InvalidData, $"{source}: line {LineOf(bytes, byteOffset)}: {problem}", sourceFile);

        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(reader.TokenStartIndex, "expected a JSON object {\"table.column\": \"definition\", ...}.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var keyOffset = reader.TokenStartIndex;
                var key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    throw Invalid(keyOffset, $"the value of \"{key}\" is not a string; give the column's SQL definition, e.g. \"INTEGER DEFAULT 0\".");
                }

                var definition = reader.GetString()!;
                if (string.IsNullOrWhiteSpace(definition))
                {
                    throw Invalid(keyOffset, $"the definition of \"{key}\" is empty.");
                }

                var parts = SplitKey(key);
                (string Schema, string Table, string Column) address = parts switch
                {
                    [var table, var column] => (defaultSchema, table, column),
                    [var schema, var table, var column] => (schema, table, column),
                    _ => throw Invalid(keyOffset, $"the key \"{key}\" is not \"table.column\" or \"schema.table.column\"."),
                };

                // The definition becomes part of an ALTER TABLE ... ADD COLUMN: it must be one column
                // definition and nothing more (no second statement, no second ALTER action).
                try
                {
                    TableElementReader.ReadColumnText(address.Column, definition, new TableModel { Schema = address.Schema, Name = address.Table }, address.Schema);
                }
                catch (SqlReadException ex)
                {
                    throw Invalid(keyOffset, $"the definition of \"{key}\" is not exactly one column definition: {ex.Message}. Give one column's type, default and constraints, e.g. \"INTEGER DEFAULT 0\"; nothing was planned.");
                }

                // A repeated key would silently win over the first one; say so instead.
                if (!result._definitions.TryAdd(address, definition))
                {
                    throw Invalid(keyOffset, $"the key \"{key}\" appears twice.");
                }
            }
        }
        catch (JsonException ex)
        {
            throw new DbAdapterException(
                ErrorIds.ColumnDefinitionsInvalid,
                DbErrorKind.InvalidData,
                $"{source}: line {(ex.LineNumber ?? 0) + 1}: not valid JSON: {ex.Message}",
                sourceFile,
                ex);
        }

        return result;
    }

    /// <summary>
    /// The definition for a column, or null. Names match exactly first; a key written in another case
    /// matches too when it is the only such key (the Python tool compared names as given).
    /// </summary>
    public string? Find(string schema, string table, string column)
    {
        if (_definitions.TryGetValue((schema, table, column), out var exact))
        {
            return exact;
        }

        var matches = _definitions
            .Where(e => string.Equals(e.Key.Schema, schema, StringComparison.OrdinalIgnoreCase)
                        && string.Equals(e.Key.Table, table, StringComparison.OrdinalIgnoreCase)
                        && string.Equals(e.Key.Column, column, StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Value)
            .Take(2)
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static List<string> SplitKey(string key)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == '"' && quoted && i + 1 < key.Length && key[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '.' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts.Exists(p => p.Trim().Length == 0) || quoted ? [] : parts.ConvertAll(p => p.Trim());
    }

    private static int LineOf(byte[] bytes, long offset)
    {
        var line = 1;
        for (var i = 0; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
            }
        }

        return line;
    }
}
