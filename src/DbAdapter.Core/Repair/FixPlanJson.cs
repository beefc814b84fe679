using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// A plan file as readable JSON: <c>{"format", "version", "plan": {...}, "sha256"}</c>, keys always in
/// one order. The SHA-256 is taken over the plan written compactly, the same way when the file is
/// written and when it is read back (from what was read, not from the file's bytes), so reformatting
/// the file changes nothing while any change to its content makes it refused. Unknown keys are
/// refused too: a file says exactly what runs, nothing is ignored. Steps are stored by operation
/// name, statements and hazards, so a new kind of step needs no new format version.
/// </summary>
public static class FixPlanJson
{
    /// <summary>The value of "format".</summary>
    public const string FormatName = "dbadapter-fix-plan";

    /// <summary>The version of the format this module writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Text for people to read in a pull request: non-ASCII stays as written, not \u-escaped.
    private static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>The file's bytes (UTF-8 without BOM, ending with a newline).</summary>
    public static byte[] Write(FixPlanDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var hash = Hash(document);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteNumber("version", FormatVersion);
            writer.WritePropertyName("plan");
            WritePlan(writer, document);
            writer.WriteString("sha256", hash);
            writer.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>
    /// Reads a plan file. <paramref name="file"/> names it in messages. Throws FixPlanInvalid (InvalidData)
    /// naming the file and the key for anything that is not a plan file of this format exactly as written.
    /// </summary>
    public static FixPlanDocument Read(byte[] bytes, string file)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw Invalid(file, string.Create(CultureInfo.InvariantCulture, $"line {(ex.LineNumber ?? 0) + 1}: not valid JSON ({ex.Message.Split(" Path:")[0].TrimEnd('.')}). A plan file is read exactly as it was exported."));
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String
                || format.GetString() != FormatName)
            {
                throw Invalid(file, $"this is not a DbAdapter fix plan file (it has no \"format\": \"{FormatName}\").");
            }

            var root = new Fields(json.RootElement, string.Empty, file);
            root.String("format");

            var version = root.Int("version");
            if (version != FormatVersion)
            {
                throw Invalid(file, string.Create(CultureInfo.InvariantCulture, $"it is a plan file of format version {version}, and this DbAdapter reads version {FormatVersion}. Use the DbAdapter version that exported it, or export the plan again."));
            }

            var document = ReadPlan(root.Object("plan"));
            var recorded = root.String("sha256");
            root.End();
            var actual = Hash(document);
            if (!string.Equals(recorded, actual, StringComparison.Ordinal))
            {
                throw Invalid(file, $"its content does not match its sha256 ({recorded}; the content hashes to {actual}): the file was changed after it was exported. Export the plan again and review that file.");
            }

            return document;
        }
    }

    /// <summary>SHA-256 of the plan written compactly: what the file's "sha256" records.</summary>
    public static string Hash(FixPlanDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            WritePlan(writer, document);
        }

        return ContentHash.Sha256(buffer.WrittenSpan);
    }

    private static void WritePlan(Utf8JsonWriter writer, FixPlanDocument document)
    {
        writer.WriteStartObject();
        WriteNullable(writer, "profile", document.Profile);
        writer.WriteString("created_at", document.CreatedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        writer.WriteStartObject("schema_file");
        writer.WriteString("path", document.SchemaFile);
        writer.WriteString("sha256", document.SchemaSha256);
        writer.WriteEndObject();
        WriteStrings(writer, "schemas", document.Schemas);
        writer.WriteStartObject("options");
        if (document.ColumnDefinitionsFile is null)
        {
            writer.WriteNull("column_definitions");
        }
        else
        {
            writer.WriteStartObject("column_definitions");
            writer.WriteString("path", document.ColumnDefinitionsFile);
            WriteNullable(writer, "sha256", document.ColumnDefinitionsSha256);
            writer.WriteEndObject();
        }

        WriteStrings(writer, "recreate_tables", document.RecreateTables);
        writer.WriteStartObject("expected_schema");
        writer.WriteString("from", document.ExpectedFrom == ExpectedFrom.Shadow ? "shadow" : "reader");
        WriteNullable(writer, "shadow_database", document.ShadowDatabase);
        writer.WriteBoolean("shadow_by_connection_string", document.ShadowByConnectionString);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("steps");
        foreach (var step in document.Steps)
        {
            writer.WriteStartObject();
            writer.WriteNumber("order", step.Order);
            writer.WriteString("operation", step.Operation.ToString());
            writer.WriteString("schema", step.Schema);
            writer.WriteString("table", step.Table);
            WriteNullable(writer, "column", step.Column);
            writer.WriteString("description", step.Description);
            WriteStrings(writer, "statements", step.Statements);
            writer.WriteStartArray("hazards");
            foreach (var hazard in step.Hazards)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", hazard.Kind);
                writer.WriteBoolean("blocking", hazard.Blocking);
                writer.WriteString("message", hazard.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteStrings(writer, "warnings", document.Warnings);
        writer.WriteStartObject("fingerprint");
        writer.WriteString("sha256", document.Fingerprint.Sha256);
        writer.WriteStartArray("tables");
        foreach (var table in document.Fingerprint.Tables)
        {
            writer.WriteStartObject();
            writer.WriteString("schema", table.Table.Schema);
            writer.WriteString("table", table.Table.Name);
            writer.WriteBoolean("exists", table.Exists);
            WriteItems(writer, "columns", table.Columns);
            WriteItems(writer, "constraints", table.Constraints);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static FixPlanDocument ReadPlan(Fields plan)
    {
        var profile = plan.OptionalString("profile");
        var createdText = plan.String("created_at");
        if (!DateTimeOffset.TryParseExact(createdText, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            throw plan.Problem("created_at", "expected a UTC time such as 2026-01-31T12:00:00Z.");
        }

        var schemaFile = plan.Object("schema_file");
        var schemaPath = schemaFile.String("path");
        var schemaHash = schemaFile.Sha256("sha256");
        schemaFile.End();
        var schemas = plan.Strings("schemas");
        if (schemas.Count == 0)
        {
            throw plan.Problem("schemas", "must list at least one schema.");
        }

        var options = plan.Object("options");
        string? definitionsPath = null;
        string? definitionsHash = null;
        if (options.OptionalObject("column_definitions") is { } definitions)
        {
            definitionsPath = definitions.String("path");
            definitionsHash = definitions.OptionalString("sha256");
            definitions.End();
        }

        var recreate = options.Strings("recreate_tables");
        var from = ExpectedFrom.Reader;
        string? shadowDatabase = null;
        var shadowByConnectionString = false;
        if (options.OptionalObject("expected_schema") is { } expectedSchema)
        {
            from = expectedSchema.String("from") switch
            {
                "reader" => ExpectedFrom.Reader,
                "shadow" => ExpectedFrom.Shadow,
                var other => throw expectedSchema.Problem("from", $"'{other}' is neither \"reader\" nor \"shadow\"."),
            };
            shadowDatabase = expectedSchema.OptionalString("shadow_database");
            shadowByConnectionString = expectedSchema.Bool("shadow_by_connection_string");
            expectedSchema.End();
        }

        options.End();

        var steps = new List<FixStep>();
        foreach (var step in plan.Objects("steps"))
        {
            var operationName = step.String("operation");
            if (!Enum.TryParse<FixOperation>(operationName, ignoreCase: false, out var operation) || !Enum.IsDefined(operation) || operationName != operation.ToString())
            {
                throw step.Problem("operation", $"'{operationName}' is not a kind of step this DbAdapter knows ({string.Join(", ", Enum.GetNames<FixOperation>())}): the plan was made by a newer version. Apply it with that version.");
            }

            var statements = step.Strings("statements");
            if (statements.Count == 0 || statements.Any(string.IsNullOrWhiteSpace))
            {
                throw step.Problem("statements", "must list the step's statements, none of them empty.");
            }

            var hazards = new List<FixHazard>();
            foreach (var hazard in step.Objects("hazards"))
            {
                hazards.Add(new FixHazard(hazard.String("kind"), hazard.Bool("blocking"), hazard.String("message")));
                hazard.End();
            }

            steps.Add(new FixStep
            {
                Order = step.Int("order"),
                Operation = operation,
                Schema = step.String("schema"),
                Table = step.String("table"),
                Column = step.OptionalString("column"),
                Description = step.String("description"),
                Statements = statements,
                Hazards = hazards,
            });
            step.End();
        }

        if (!steps.Select(s => s.Order).SequenceEqual(Enumerable.Range(1, steps.Count)))
        {
            throw plan.Problem("steps", "the steps must be numbered 1, 2, 3... in the order they run.");
        }

        var warnings = plan.Strings("warnings");
        var fingerprint = ReadFingerprint(plan.Object("fingerprint"));
        plan.End();
        return new FixPlanDocument(profile, created, schemaPath, schemaHash, schemas, definitionsPath, definitionsHash, recreate, steps, warnings, fingerprint, from, shadowDatabase, shadowByConnectionString);
    }

    private static CatalogFingerprint ReadFingerprint(Fields node)
    {
        var recorded = node.Sha256("sha256");
        var tables = new List<TableFingerprint>();
        foreach (var table in node.Objects("tables"))
        {
            var name = new TableName(table.String("schema"), table.String("table"));
            var exists = table.Bool("exists");
            var columns = ReadItems(table, "columns");
            var constraints = ReadItems(table, "constraints");
            table.End();
            tables.Add(new TableFingerprint(name, exists, columns, constraints));
        }

        node.End();
        var fingerprint = new CatalogFingerprint(tables);
        if (!string.Equals(fingerprint.Sha256, recorded, StringComparison.Ordinal))
        {
            throw node.Problem("sha256", "does not match the tables listed with it: the file was changed after it was exported.");
        }

        return fingerprint;
    }

    private static List<CatalogItem> ReadItems(Fields table, string key)
    {
        var items = new List<CatalogItem>();
        foreach (var item in table.Objects(key))
        {
            items.Add(new CatalogItem(item.String("name"), item.String("definition")));
            item.End();
        }

        return items;
    }

    private static void WriteNullable(Utf8JsonWriter writer, string key, string? value)
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

    private static void WriteStrings(Utf8JsonWriter writer, string key, IEnumerable<string> values)
    {
        writer.WriteStartArray(key);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteItems(Utf8JsonWriter writer, string key, IEnumerable<CatalogItem> items)
    {
        writer.WriteStartArray(key);
        foreach (var item in items)
        {
            writer.WriteStartObject();
            writer.WriteString("name", item.Name);
            writer.WriteString("definition", item.Definition);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static DbAdapterException Invalid(string file, string problem) =>
        new(ErrorIds.FixPlanInvalid, DbErrorKind.InvalidData, $"Plan file {file}: {problem}", file);

    /// <summary>One JSON object being read: typed getters that name the key path, and a check that no key was left unread.</summary>
    private sealed class Fields
    {
        private readonly JsonElement _element;
        private readonly string _path;
        private readonly string _file;
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public Fields(JsonElement element, string path, string file)
        {
            _path = path;
            _file = file;
            _element = element.ValueKind == JsonValueKind.Object
                ? element
                : throw Invalid(file, $"{(path.Length == 0 ? "the file" : path)} must be a JSON object.");
        }

        public DbAdapterException Problem(string key, string what) => Invalid(_file, $"{PathOf(key)}: {what}");

        public string String(string key) =>
            OptionalString(key) ?? throw Problem(key, "a string is required.");

        public string? OptionalString(string key) => Get(key) switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { ValueKind: JsonValueKind.Null } => null,
            _ => throw Problem(key, "expected a string."),
        };

        public string Sha256(string key)
        {
            var value = String(key);
            return value.Length == 64 && value.All(char.IsAsciiHexDigitLower) ? value : throw Problem(key, "expected a SHA-256 in lower-case hex.");
        }

        public int Int(string key) =>
            Get(key) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : throw Problem(key, "expected a whole number.");

        public bool Bool(string key) => Get(key).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Problem(key, "expected true or false."),
        };

        public Fields Object(string key) => OptionalObject(key) ?? throw Problem(key, "an object is required.");

        public Fields? OptionalObject(string key) => Get(key) switch
        {
            { ValueKind: JsonValueKind.Object } value => new Fields(value, PathOf(key), _file),
            { ValueKind: JsonValueKind.Null } => null,
            _ => throw Problem(key, "expected an object."),
        };

        public IReadOnlyList<string> Strings(string key) =>
            Array(key).Select((item, i) => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid(_file, string.Create(CultureInfo.InvariantCulture, $"{PathOf(key)}[{i}]: expected a string."))).ToList();

        public IReadOnlyList<Fields> Objects(string key) =>
            Array(key).Select((item, i) => new Fields(item, string.Create(CultureInfo.InvariantCulture, $"{PathOf(key)}[{i}]"), _file)).ToList();

        /// <summary>Refuses keys nobody read: a plan file carries nothing that is silently ignored.</summary>
        public void End()
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in _element.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    // A reviewer would read one of the two and the reader might use the other.
                    throw Invalid(_file, $"{PathOf(property.Name)}: the key appears twice.");
                }

                if (!_read.Contains(property.Name))
                {
                    throw Invalid(_file, $"{PathOf(property.Name)}: unknown key; a plan file holds exactly what was exported.");
                }
            }
        }

        private JsonElement[] Array(string key) =>
            Get(key) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray().ToArray() : throw Problem(key, "expected an array.");

        private JsonElement Get(string key)
        {
            _read.Add(key);
            return _element.TryGetProperty(key, out var value) ? value : throw Problem(key, "is missing.");
        }

        private string PathOf(string key) => _path.Length == 0 ? key : $"{_path}.{key}";
    }
}
