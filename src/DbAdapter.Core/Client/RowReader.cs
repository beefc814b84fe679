using System.Text.Json;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>Reads a result set into <see cref="DbRow"/>s.</summary>
internal static class RowReader
{
    /// <summary>
    /// Every row of the current result set. DBNull becomes null; json/jsonb values come back as a
    /// standalone <see cref="JsonElement"/> (the JSON value itself, as backups store it, and bindable
    /// again to a json column); everything else is Npgsql's default CLR type for the column.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        var fieldCount = reader.FieldCount;
        if (fieldCount == 0)
        {
            return rows;
        }

        var names = new string[fieldCount];
        var isJson = new bool[fieldCount];
        for (var i = 0; i < fieldCount; i++)
        {
            names[i] = reader.GetName(i);
            isJson[i] = reader.GetDataTypeName(i) is "json" or "jsonb";
        }

        var shape = new RowShape(names);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new object?[fieldCount];
            for (var i = 0; i < fieldCount; i++)
            {
                if (await reader.IsDBNullAsync(i, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                values[i] = isJson[i] ? ParseJson(reader.GetString(i)) : reader.GetValue(i);
            }

            rows.Add(new DbRow(shape, values));
        }

        return rows;
    }

    private static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
