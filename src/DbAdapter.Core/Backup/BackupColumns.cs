using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>One column of a backed-up table: how to select it and how to write its values.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">The kind of the value, or of each element of an array.</param>
/// <param name="IsArray">True for an array column (written as a JSON array, nested per dimension).</param>
/// <param name="SelectExpression">The select-list item, with a server-side cast where needed.</param>
internal sealed record BackupColumn(string Name, BackupValueKind Kind, bool IsArray, string SelectExpression);

/// <summary>Reads a table's columns from pg_catalog and decides how each is read.</summary>
internal static class BackupColumns
{
    private const string Sql = """
        SELECT a.attname,
               coalesce(bt.typname, t.typname)::text,
               coalesce(bt.typcategory, t.typcategory)::text = 'A',
               coalesce(et.typname::text, '')
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
          LEFT JOIN pg_catalog.pg_type et ON et.oid = coalesce(bt.typelem, t.typelem)
         WHERE a.attrelid = (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = $1 AND c.relname = $2)
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
        """;

    public static async Task<List<BackupColumn>> ReadAsync(NpgsqlConnection connection, TableName table, CancellationToken ct)
    {
        var command = new NpgsqlCommand(Sql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = table.Schema });
            command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
            var columns = new List<BackupColumn>();
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var name = reader.GetString(0);
                    var isArray = reader.GetBoolean(2);
                    var kind = KindOf(isArray ? reader.GetString(3) : reader.GetString(1));
                    var quoted = SqlIdentifier.Quote(name);

                    // Text and json travel as text: exact for numeric, and json arrays need no CLR mapping.
                    var expression = kind is BackupValueKind.Text or BackupValueKind.Json
                        ? $"{quoted}::text{(isArray ? "[]" : string.Empty)} AS {quoted}"
                        : quoted;
                    columns.Add(new BackupColumn(name, kind, isArray, expression));
                }
            }

            return columns.Count > 0
                ? columns
                : throw new InvalidOperationException($"Table {table} does not exist or has no columns.");
        }
    }

    private static BackupValueKind KindOf(string typeName) => typeName switch
    {
        "int2" or "int4" or "int8" => BackupValueKind.Integer,
        "float8" => BackupValueKind.Double,
        "float4" => BackupValueKind.Single,
        "bool" => BackupValueKind.Boolean,
        "timestamptz" => BackupValueKind.TimestampTz,
        "timestamp" => BackupValueKind.Timestamp,
        "date" => BackupValueKind.Date,
        "time" => BackupValueKind.Time,
        "uuid" => BackupValueKind.Uuid,
        "json" or "jsonb" => BackupValueKind.Json,
        "bytea" => BackupValueKind.Bytes,
        _ => BackupValueKind.Text,
    };
}
