using System.Globalization;
using System.Text.Json;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Reads the Python tool's backup-schema JSON:
/// <c>{"tables":[{"name","pk":"id","slug_field":"slug","user_field":"user_id","parent":{"table","field"},"optional_refs":[{"table","field"}]}]}</c>,
/// with the Python tool's defaults. Malformed JSON and entries of the wrong shape are
/// BackupSchemaInvalid naming the file, the line and position, or the entry; unknown keys are warnings.
/// </summary>
public static class BackupSchemaReader
{
    private static readonly string[] EntryKeys = ["name", "pk", "slug_field", "user_field", "parent", "optional_refs"];
    private static readonly string[] RefKeys = ["table", "field"];

    /// <summary>Reads the backup schema file <paramref name="path"/>.</summary>
    public static async Task<BackupSchema> LoadAsync(string path, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var bytes = await UserFile.ReadBytesAsync(fullPath, UserFileKind.BackupSchema, ct).ConfigureAwait(false);
        return Parse(bytes, fullPath);
    }

    /// <summary>Parses backup-schema JSON read from <paramref name="source"/> (named in messages).</summary>
    public static BackupSchema Parse(ReadOnlyMemory<byte> json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw Invalid(source, string.Create(
                CultureInfo.InvariantCulture,
                $"line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: not valid JSON: {FirstSentence(ex.Message)}"), ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tables", out var tables) || tables.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(source, "expected an object with a \"tables\" array: {\"tables\": [{\"name\": \"categories\"}, ...]}.");
            }

            var warnings = new List<string>();
            foreach (var property in root.EnumerateObject().Where(p => p.Name != "tables"))
            {
                warnings.Add($"{source}: unknown key '{property.Name}' ignored (known keys here: tables).");
            }

            var entries = new List<BackupTableConfig>();
            var index = 0;
            foreach (var entry in tables.EnumerateArray())
            {
                entries.Add(ReadEntry(entry, source, index++, warnings));
            }

            return new BackupSchema(source, entries, warnings);
        }
    }

    private static BackupTableConfig ReadEntry(JsonElement entry, string source, int index, List<string> warnings)
    {
        var at = string.Create(CultureInfo.InvariantCulture, $"tables[{index}]");
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"{at}: expected an object such as {{\"name\": \"products\"}}, found {JsonKinds.Describe(entry.ValueKind)}.");
        }

        var name = String(entry, "name", source, at) ?? throw Invalid(source, $"{at}: the key \"name\" is required.");
        at = $"{at} ({name})";
        WarnUnknown(entry, EntryKeys, source, at, warnings);
        var refs = new List<TableFieldRef>();
        if (entry.TryGetProperty("optional_refs", out var optional) && optional.ValueKind != JsonValueKind.Null)
        {
            if (optional.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(source, $"{at}: \"optional_refs\" must be an array of {{\"table\", \"field\"}} objects, found {JsonKinds.Describe(optional.ValueKind)}.");
            }

            var i = 0;
            foreach (var reference in optional.EnumerateArray())
            {
                refs.Add(Ref(reference, source, string.Create(CultureInfo.InvariantCulture, $"{at}: optional_refs[{i++}]"), warnings));
            }
        }

        return new BackupTableConfig
        {
            Name = name,
            Pk = String(entry, "pk", source, at) ?? "id",
            SlugField = String(entry, "slug_field", source, at, allowEmpty: true) ?? "slug",
            UserField = String(entry, "user_field", source, at) ?? "user_id",
            Parent = entry.TryGetProperty("parent", out var parent) && parent.ValueKind != JsonValueKind.Null ? Ref(parent, source, $"{at}: parent", warnings) : null,
            OptionalRefs = refs,
            Origin = $"{source}: {at}",
        };
    }

    private static TableFieldRef Ref(JsonElement element, string source, string at, List<string> warnings)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"{at}: expected {{\"table\": ..., \"field\": ...}}, found {JsonKinds.Describe(element.ValueKind)}.");
        }

        WarnUnknown(element, RefKeys, source, at, warnings);
        return new TableFieldRef(
            String(element, "table", source, at) ?? throw Invalid(source, $"{at}: the key \"table\" is required."),
            String(element, "field", source, at) ?? throw Invalid(source, $"{at}: the key \"field\" is required."));
    }

    private static string? String(JsonElement element, string key, string source, string at, bool allowEmpty = false)
    {
        if (!element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(source, $"{at}: \"{key}\" must be a string, found {JsonKinds.Describe(value.ValueKind)}.");
        }

        var text = value.GetString()!;
        return text.Length > 0 || allowEmpty ? text : throw Invalid(source, $"{at}: \"{key}\" is empty.");
    }

    private static void WarnUnknown(JsonElement element, string[] known, string source, string at, List<string> warnings)
    {
        foreach (var property in element.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
        {
            warnings.Add($"{source}: {at}: unknown key '{property.Name}' ignored (known keys here: {string.Join(", ", known)}).");
        }
    }

    /// <summary>The reader's message without the positions it appends (the message gives them 1-based).</summary>
    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path: ", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd();
    }

    private static DbAdapterException Invalid(string source, string problem, Exception? inner = null) =>
        new(ErrorIds.BackupSchemaInvalid, DbErrorKind.InvalidData, $"Backup schema {source}: {problem}", source, inner);
}
