using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>Writes one column value of the current row as the backup format wants it.</summary>
internal static class BackupValues
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(Utf8JsonWriter writer, NpgsqlDataReader reader, int ordinal, BackupColumn column)
    {
        if (column.IsArray)
        {
            WriteArray(writer, (Array)reader.GetValue(ordinal), column.Kind);
            return;
        }

        switch (column.Kind)
        {
            case BackupValueKind.Integer:
                writer.WriteNumberValue(reader.GetInt64(ordinal));
                break;
            case BackupValueKind.Single:
                WriteSingle(writer, reader.GetFieldValue<float>(ordinal));
                break;
            case BackupValueKind.Double:
                WriteDouble(writer, reader.GetDouble(ordinal));
                break;
            case BackupValueKind.Boolean:
                writer.WriteBooleanValue(reader.GetBoolean(ordinal));
                break;
            case BackupValueKind.TimestampTz:
                WriteTimestamp(writer, reader.GetFieldValue<DateTime>(ordinal), withOffset: true);
                break;
            case BackupValueKind.Timestamp:
                WriteTimestamp(writer, reader.GetFieldValue<DateTime>(ordinal), withOffset: false);
                break;
            case BackupValueKind.Date:
                writer.WriteStringValue(DateText(reader.GetFieldValue<DateOnly>(ordinal)));
                break;
            case BackupValueKind.Time:
                writer.WriteStringValue(TimeText(reader.GetFieldValue<TimeSpan>(ordinal)));
                break;
            case BackupValueKind.Uuid:
                writer.WriteStringValue(reader.GetGuid(ordinal));
                break;
            case BackupValueKind.Json:
                // The server checked it on the way in (json and jsonb refuse text that is not JSON).
                writer.WriteRawValue(reader.GetString(ordinal), skipInputValidation: true);
                break;
            case BackupValueKind.Bytes:
                writer.WriteBase64StringValue(reader.GetFieldValue<byte[]>(ordinal));
                break;
            default:
                writer.WriteStringValue(reader.GetString(ordinal));
                break;
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, Array array, BackupValueKind kind)
    {
        if (array.Rank == 1)
        {
            writer.WriteStartArray();
            foreach (var element in array)
            {
                WriteElement(writer, element, kind);
            }

            writer.WriteEndArray();
            return;
        }

        WriteDimension(writer, array, kind, new int[array.Rank], 0);
    }

    private static void WriteDimension(Utf8JsonWriter writer, Array array, BackupValueKind kind, int[] indices, int dimension)
    {
        writer.WriteStartArray();
        for (var i = array.GetLowerBound(dimension); i <= array.GetUpperBound(dimension); i++)
        {
            indices[dimension] = i;
            if (dimension == array.Rank - 1)
            {
                WriteElement(writer, array.GetValue(indices), kind);
            }
            else
            {
                WriteDimension(writer, array, kind, indices, dimension + 1);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, object? value, BackupValueKind kind)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                break;
            case string text when kind == BackupValueKind.Json:
                writer.WriteRawValue(text, skipInputValidation: false);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case float single:
                WriteSingle(writer, single);
                break;
            case double number:
                WriteDouble(writer, number);
                break;
            case short or int or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case Guid guid:
                writer.WriteStringValue(guid);
                break;
            case DateOnly date:
                writer.WriteStringValue(DateText(date));
                break;
            case DateTime moment when kind == BackupValueKind.Date:
                writer.WriteStringValue(DateText(DateOnly.FromDateTime(moment)));
                break;
            case DateTime moment:
                WriteTimestamp(writer, moment, withOffset: kind == BackupValueKind.TimestampTz);
                break;
            case TimeSpan time:
                writer.WriteStringValue(TimeText(time));
                break;
            case TimeOnly time:
                writer.WriteStringValue(TimeText(time.ToTimeSpan()));
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>
    /// ISO-8601 as the Python tool's isoformat() writes it, microseconds only when not zero; a
    /// timestamptz (read in UTC) with its offset. Formatted in place: a backup writes millions.
    /// </summary>
    internal static void WriteTimestamp(Utf8JsonWriter writer, DateTime value, bool withOffset)
    {
        if (value == DateTime.MaxValue || value == DateTime.MinValue)
        {
            writer.WriteStringValue(value == DateTime.MaxValue ? "infinity" : "-infinity");
            return;
        }

        Span<char> text = stackalloc char[40];
        value.TryFormat(text, out var length, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        length += WriteFraction(text[length..], value.Ticks);
        if (withOffset)
        {
            "+00:00".CopyTo(text[length..]);
            length += 6;
        }

        writer.WriteStringValue(text[..length]);
    }

    /// <summary>The fraction of a second, ".ffffff" with every digit PostgreSQL keeps, or nothing when zero.</summary>
    internal static int WriteFraction(Span<char> text, long ticks)
    {
        var micros = ticks % TimeSpan.TicksPerSecond / 10;
        if (micros == 0)
        {
            return 0;
        }

        text[0] = '.';
        micros.TryFormat(text[1..], out var digits, "D6", CultureInfo.InvariantCulture);
        return digits + 1;
    }

    internal static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        // JSON has no NaN or infinity; PostgreSQL spells them so and reads them back from text.
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    internal static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static string DateText(DateOnly date) =>
        date == DateOnly.MaxValue ? "infinity"
        : date == DateOnly.MinValue ? "-infinity"
        : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string TimeText(TimeSpan time)
    {
        // PostgreSQL's time reaches 24:00:00, which a "hh" format would print as 00:00:00.
        Span<char> buffer = stackalloc char[8];
        ReadOnlySpan<char> fraction = buffer[..WriteFraction(buffer, time.Ticks)];
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:D2}:{time.Minutes:D2}:{time.Seconds:D2}{fraction}");
    }
}
