using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Client;

/// <summary>
/// Turns a CLR value into a parameter, guided by the type of the column it is meant for. Without
/// that guidance Npgsql would send a C# list to a jsonb column as a PostgreSQL array, refuse a
/// dictionary, and send a string for a uuid column as text (which PostgreSQL does not cast).
/// </summary>
internal static class ParameterBinder
{
    /// <summary>A parameter for a value that goes to (or is compared with) <paramref name="column"/>.</summary>
    public static NpgsqlParameter ForColumn(object? value, ColumnInfo column)
    {
        if (column.IsJson)
        {
            // Sent as JSON text with the column's own type: the server parses it, so any JSON value
            // (array, object, scalar) lands as itself.
            return new NpgsqlParameter
            {
                NpgsqlDbType = column.TypeName == "jsonb" ? NpgsqlDbType.Jsonb : NpgsqlDbType.Json,
                Value = value is null or DBNull ? DBNull.Value : ToJsonText(value),
            };
        }

        if (value is null or DBNull)
        {
            return new NpgsqlParameter { Value = DBNull.Value };
        }

        if (column.IsArray)
        {
            return ForArrayColumn(value, column);
        }

        if (value is string text && !column.IsString)
        {
            // Untyped text lets the server parse it as the column's type (uuid, date, numeric, enum,
            // inet...), which is what a string from a file or a PowerShell script usually means.
            return Unknown(text);
        }

        return new NpgsqlParameter { Value = value };
    }

    /// <summary>A positional parameter of raw SQL: Npgsql infers the type from the CLR value.</summary>
    public static NpgsqlParameter Positional(object? value) => new() { Value = value ?? DBNull.Value };

    /// <summary>
    /// Binds <paramref name="values"/> ($1, $2, ...) to a command: a parameter object (typed for its
    /// column) is cloned, since one instance cannot serve two commands; any other value is positional.
    /// </summary>
    public static void AddPositional(NpgsqlParameterCollection target, IReadOnlyList<object?>? values)
    {
        foreach (var value in values ?? [])
        {
            target.Add(value is NpgsqlParameter typed ? typed.Clone() : Positional(value));
        }
    }

    /// <summary>
    /// JSON text of a value bound for a json/jsonb column. A string is taken as JSON text already
    /// (that is what a string read from a json column or a file holds); everything else is serialised.
    /// </summary>
    public static string ToJsonText(object value) => value switch
    {
        string s => s,
        JsonElement element => element.GetRawText(),
        JsonDocument document => document.RootElement.GetRawText(),
        JsonNode node => node.ToJsonString(),
        _ => JsonSerializer.Serialize(value, value.GetType()),
    };

    private static NpgsqlParameter ForArrayColumn(object value, ColumnInfo column)
    {
        if (value is string literal)
        {
            // An array literal such as {a,b}: the server parses it.
            return Unknown(literal);
        }

        if (value is not IEnumerable items || value is byte[])
        {
            return new NpgsqlParameter { Value = value };
        }

        var elements = items.Cast<object?>().Select(e => e is DBNull ? null : e).ToList();
        var nonNull = elements.Where(e => e is not null).ToList();
        if (nonNull.Count == 0 || (!column.ElementIsString && nonNull.All(e => e is string)))
        {
            // Empty lists have no element type to infer, and strings meant for uuid[] / date[]
            // must be parsed by the server: both go as an untyped array literal.
            return Unknown(ArrayLiteral(elements));
        }

        var elementType = nonNull[0]!.GetType();
        if (nonNull.Any(e => e!.GetType() != elementType))
        {
            return new NpgsqlParameter { Value = elements.ToArray() };
        }

        // A List<object> (from JSON or PowerShell) carries no element type Npgsql can use: make a typed array.
        var arrayType = elementType.IsValueType && nonNull.Count != elements.Count
            ? typeof(Nullable<>).MakeGenericType(elementType)
            : elementType;
        var array = Array.CreateInstance(arrayType, elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            array.SetValue(elements[i], i);
        }

        return new NpgsqlParameter { Value = array };
    }

    private static NpgsqlParameter Unknown(string text) => new() { NpgsqlDbType = NpgsqlDbType.Unknown, Value = text };

    private static string ArrayLiteral(IEnumerable<object?> elements)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var element in elements)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            if (element is null)
            {
                sb.Append("NULL");
                continue;
            }

            var text = Convert.ToString(element, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            sb.Append('"').Append(text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        return sb.Append('}').ToString();
    }
}
