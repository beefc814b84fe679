using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using DbAdapter.Core.Client;

namespace DbAdapter.Core.Backup;

/// <summary>
/// A backup file's JSON value as PostgreSQL's text input for the destination column, so the server
/// converts it by the column's own type: every type the backup writes round-trips, and so do the
/// Python tool's spellings (timestamps without offset, numerics as strings, uuids as strings).
/// json/jsonb take the JSON value itself; bytea comes back from base64; arrays become array literals
/// with NULL elements kept.
/// </summary>
internal static class BackupValueText
{
    /// <summary>The text for <paramref name="value"/>, null for JSON null.</summary>
    /// <exception cref="FormatException">The value's JSON shape cannot go into the column (an object for an integer...).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? For(JsonElement value, ColumnInfo column)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (column.IsJson)
        {
            return value.GetRawText();
        }

        if (column.IsArray)
        {
            return value.ValueKind switch
            {
                JsonValueKind.Array => ArrayLiteral(value, column),

                // An array literal such as {1,2} written as a string: the server parses it.
                JsonValueKind.String => value.GetString(),
                _ => throw Mismatch(value, column),
            };
        }

        return Scalar(value, column.TypeName, column) ?? throw Mismatch(value, column);
    }

    private static string? Scalar(JsonElement value, string typeName, ColumnInfo column) => value.ValueKind switch
    {
        JsonValueKind.String when typeName == "bytea" => Bytes(value.GetString()!),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string ArrayLiteral(JsonElement array, ColumnInfo column)
    {
        var text = new StringBuilder();
        AppendArray(text, array, column);
        return text.ToString();
    }

    private static void AppendArray(StringBuilder text, JsonElement array, ColumnInfo column)
    {
        text.Append('{');
        var first = true;
        foreach (var element in array.EnumerateArray())
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            switch (element.ValueKind)
            {
                case JsonValueKind.Null:
                    text.Append("NULL");
                    break;
                case JsonValueKind.Array when column.ElementTypeName is not ("json" or "jsonb"):
                    // A nested array is the next dimension of a multi-dimensional array.
                    AppendArray(text, element, column);
                    break;
                default:
                    var item = column.ElementTypeName is "json" or "jsonb"
                        ? element.GetRawText()
                        : Scalar(element, column.ElementTypeName ?? string.Empty, column) ?? throw Mismatch(element, column);
                    AppendQuoted(text, item);
                    break;
            }
        }

        text.Append('}');
    }

    private static void AppendQuoted(StringBuilder text, string item)
    {
        text.Append('"');
        foreach (var c in item)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
    }

    /// <summary>Base64 (what backups write) to bytea's hex input; anything else is left to the server (its own \x form).</summary>
    private static string Bytes(string text)
    {
        if (text.StartsWith("\\x", StringComparison.Ordinal))
        {
            return text;
        }

        var buffer = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, buffer, out var written)
            ? "\\x" + Convert.ToHexString(buffer, 0, written)
            : text;
    }

    private static FormatException Mismatch(JsonElement value, ColumnInfo column) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"the value of \"{column.Name}\" is {JsonKinds.Describe(value.ValueKind)} in the file, which the {column.SqlType} column cannot hold."));
}
