using System.Text.Json;
using DbAdapter.Core.Client;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// The tables of one schema as PostgREST's OpenAPI (Swagger 2.0) description tells them: under
/// "definitions", each table's "properties", one per column, whose "format" is the PostgreSQL type
/// ("timestamp with time zone", "numeric", "text[]"; a domain over a built-in type shows that type).
/// The engine learns the column types of the Data API from it, as it learns them from pg_catalog on
/// a database, so the values of a backup are written the same way from either.
/// </summary>
internal static class DataApiDescription
{
    // format_type's spellings of the built-in types the backup writes in a form of their own; every
    // other type is written as its text (numeric, money, enums, intervals...), as from the database.
    private static readonly Dictionary<string, (string TypeName, char Category)> Types = new(StringComparer.Ordinal)
    {
        ["smallint"] = ("int2", 'N'),
        ["integer"] = ("int4", 'N'),
        ["bigint"] = ("int8", 'N'),
        ["real"] = ("float4", 'N'),
        ["double precision"] = ("float8", 'N'),
        ["numeric"] = ("numeric", 'N'),
        ["boolean"] = ("bool", 'B'),
        ["text"] = ("text", 'S'),
        ["character varying"] = ("varchar", 'S'),
        ["character"] = ("bpchar", 'S'),
        ["uuid"] = ("uuid", 'U'),
        ["json"] = ("json", 'U'),
        ["jsonb"] = ("jsonb", 'U'),
        ["bytea"] = ("bytea", 'U'),
        ["date"] = ("date", 'D'),
        ["timestamp with time zone"] = ("timestamptz", 'D'),
        ["timestamp without time zone"] = ("timestamp", 'D'),
        ["time without time zone"] = ("time", 'D'),
        ["time with time zone"] = ("timetz", 'D'),
        ["interval"] = ("interval", 'T'),
    };

    /// <summary>The tables of <paramref name="schema"/> that <paramref name="description"/> describes, by name.</summary>
    public static IReadOnlyDictionary<TableName, TableColumns> Tables(JsonElement description, string schema)
    {
        var tables = new Dictionary<TableName, TableColumns>();
        if (description.ValueKind != JsonValueKind.Object
            || !description.TryGetProperty("definitions", out var definitions)
            || definitions.ValueKind != JsonValueKind.Object)
        {
            return tables;
        }

        foreach (var definition in definitions.EnumerateObject())
        {
            if (definition.Value.ValueKind != JsonValueKind.Object
                || !definition.Value.TryGetProperty("properties", out var properties)
                || properties.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var name = new TableName(schema, definition.Name);
            tables[name] = TableColumns.Of(name, properties.EnumerateObject().Select(p => Column(p.Name, p.Value)).ToList());
        }

        return tables;
    }

    /// <summary>A column as its property describes it; the pg_catalog name of its type from "format".</summary>
    public static ColumnInfo Column(string name, JsonElement property)
    {
        var format = property.ValueKind == JsonValueKind.Object && property.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String
            ? f.GetString()!
            : string.Empty;
        if (format.EndsWith("[]", StringComparison.Ordinal))
        {
            var (element, elementCategory) = TypeOf(format[..^2]);
            return new ColumnInfo(name, "_" + element, 'A', element, elementCategory, format);
        }

        var (typeName, category) = TypeOf(format);
        return new ColumnInfo(name, typeName, category, null, null, format);
    }

    // A type the table above does not know (an enum, a domain over one, an extension's type) keeps its
    // own name: its values are written as text, which is what the database side writes for it too.
    private static (string TypeName, char Category) TypeOf(string format) =>
        Types.TryGetValue(format, out var known) ? known : (format, 'X');
}
