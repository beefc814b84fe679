using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// A column as far as binding values is concerned: its type (domains resolved to their base type)
/// and, for arrays, the element type.
/// </summary>
/// <param name="Name">The column name as stored.</param>
/// <param name="TypeName">pg_type.typname of the (base) type: "jsonb", "_text", "int4"...</param>
/// <param name="Category">pg_type.typcategory: 'A' array, 'S' string, 'U' user (json/jsonb)...</param>
/// <param name="ElementCategory">For arrays, the element type's category; otherwise null.</param>
internal sealed record ColumnInfo(string Name, string TypeName, char Category, char? ElementCategory)
{
    public bool IsJson => TypeName is "json" or "jsonb";

    public bool IsArray => Category == 'A';

    public bool IsString => Category == 'S';

    public bool ElementIsString => ElementCategory == 'S';
}

/// <summary>The columns of one table as far as binding values is concerned, read from pg_catalog.</summary>
internal sealed class TableColumns
{
    private const string Sql = """
        SELECT a.attname,
               t.typname,
               t.typcategory,
               e.typcategory AS elemcategory
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_type d ON d.oid = a.atttypid
        JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN d.typtype = 'd' THEN d.typbasetype ELSE d.oid END
        LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    private readonly Dictionary<string, ColumnInfo> _byName;

    private TableColumns(TableName table, Dictionary<string, ColumnInfo> byName)
    {
        Table = table;
        _byName = byName;
    }

    public TableName Table { get; }

    public bool Contains(string column) => _byName.ContainsKey(column);

    /// <summary>The column, or a DbAdapterException InvalidQuery naming the table and the known columns.</summary>
    public ColumnInfo Get(string column, ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (_byName.TryGetValue(column, out var info))
        {
            return info;
        }

        throw new DbAdapterException(
            ErrorIds.InvalidQuery,
            DbErrorKind.InvalidArgument,
            $"Column \"{column}\" does not exist in table {Table} of '{target.DisplayName}'. Known columns: {string.Join(", ", _byName.Keys)}.",
            Table);
    }

    /// <summary>Reads the columns of <paramref name="table"/>; null when the table does not exist.</summary>
    public static async Task<TableColumns?> LoadAsync(NpgsqlConnection connection, TableName table, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(Sql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = table.Schema });
            command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
            var columns = new Dictionary<string, ColumnInfo>(StringComparer.Ordinal);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var name = reader.GetString(0);
                    char? element = reader.IsDBNull(3) ? null : reader.GetChar(3);
                    columns[name] = new ColumnInfo(name, reader.GetString(1), reader.GetChar(2), element);
                }
            }

            return columns.Count == 0 ? null : new TableColumns(table, columns);
        }
    }
}
