using System.Globalization;
using System.Text.Json;
using DbAdapter.Core.Backup;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// A value as PostgREST sends it (PostgreSQL's own JSON rendering: numbers for integers, floats and
/// numeric, ISO-8601 in the session's time zone for timestamps, "\x..." hex for bytea, the JSON
/// itself for json/jsonb) written the way a backup writes the same value read from the database
/// (<see cref="BackupValues"/>): the two files of one user are byte for byte the same.
/// </summary>
internal static class DataApiValues
{
    /// <param name="writer">The row being written.</param>
    /// <param name="value">The value as PostgREST sent it.</param>
    /// <param name="column">How the backup writes the column.</param>
    /// <param name="typeName">The pg_type name of the column's (element) type: the few types whose cast to text differs from their output are told apart by it.</param>
    /// <exception cref="FormatException">The value's JSON shape does not fit the column's type.</exception>
    public static void Write(Utf8JsonWriter writer, JsonElement value, BackupColumn column, string typeName)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullValue();
        }
        else if (column.IsArray)
        {
            WriteArray(writer, value, column.Kind, typeName);
        }
        else
        {
            WriteScalar(writer, value, column.Kind, typeName);
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, JsonElement value, BackupValueKind kind, string typeName)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"an array was expected, the Data API sent {JsonKinds.Describe(value.ValueKind)}");
        }

        writer.WriteStartArray();
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                writer.WriteNullValue();
            }
            else if (element.ValueKind == JsonValueKind.Array && kind != BackupValueKind.Json)
            {
                // The next dimension of a multi-dimensional array (an array inside json[] is a JSON value).
                WriteArray(writer, element, kind, typeName);
            }
            else
            {
                WriteScalar(writer, element, kind, typeName);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteScalar(Utf8JsonWriter writer, JsonElement value, BackupValueKind kind, string typeName)
    {
        switch (kind)
        {
            case BackupValueKind.Integer:
                writer.WriteNumberValue(Expect(value, JsonValueKind.Number).GetInt64());
                break;
            case BackupValueKind.Double:
                BackupValues.WriteDouble(writer, value.ValueKind == JsonValueKind.String
                    ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : Expect(value, JsonValueKind.Number).GetDouble());
                break;
            case BackupValueKind.Single:
                BackupValues.WriteSingle(writer, float.Parse(
                    value.ValueKind == JsonValueKind.String ? value.GetString()! : Expect(value, JsonValueKind.Number).GetRawText(),
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture));
                break;
            case BackupValueKind.Boolean:
                writer.WriteBooleanValue(value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Mismatch("a boolean", value),
                });
                break;
            case BackupValueKind.TimestampTz:
                BackupValues.WriteTimestamp(writer, DataApiTimestamps.Parse(Text(value), withOffset: true), withOffset: true);
                break;
            case BackupValueKind.Timestamp:
                BackupValues.WriteTimestamp(writer, DataApiTimestamps.Parse(Text(value), withOffset: false), withOffset: false);
                break;
            case BackupValueKind.Time:
                writer.WriteStringValue(BackupValues.TimeText(DataApiTimestamps.ParseTime(Text(value))));
                break;
            case BackupValueKind.Uuid:
                writer.WriteStringValue(Guid.Parse(Text(value)));
                break;
            case BackupValueKind.Json:
                writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
                break;
            case BackupValueKind.Bytes:
                writer.WriteBase64StringValue(Hex(Text(value)));
                break;
            default:
                // Dates, numeric, enums and the rest: the text PostgreSQL gives them (numbers as sent).
                writer.WriteStringValue(value.ValueKind switch
                {
                    JsonValueKind.String => AsCastToText(value.GetString()!, typeName),
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw Mismatch("a text or a number (a composite type is read through a database url only)", value),
                });
                break;
        }
    }

    /// <summary>
    /// The text a database backup gets for the value: it casts to text, and for two types that cast
    /// is not their output (which JSON shows): character(n) loses its padding, inet always shows its
    /// netmask ("::1" is "::1/128").
    /// </summary>
    private static string AsCastToText(string text, string typeName) => typeName switch
    {
        "bpchar" => text.TrimEnd(' '),
        "inet" when !text.Contains('/', StringComparison.Ordinal) => text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"),
        _ => text,
    };

    /// <summary>bytea as PostgreSQL's JSON renders it: "\x" and two hex digits per byte.</summary>
    private static byte[] Hex(string text) =>
        text.StartsWith("\\x", StringComparison.Ordinal)
            ? Convert.FromHexString(text.AsSpan(2))
            : throw new FormatException("a bytea value in hex (\\x...) was expected");

    private static string Text(JsonElement value) => Expect(value, JsonValueKind.String).GetString()!;

    private static JsonElement Expect(JsonElement value, JsonValueKind kind) =>
        value.ValueKind == kind ? value : throw Mismatch(kind == JsonValueKind.String ? "a string" : "a number", value);

    private static FormatException Mismatch(string expected, JsonElement value) =>
        new($"{expected} was expected, the Data API sent {JsonKinds.Describe(value.ValueKind)}");
}
