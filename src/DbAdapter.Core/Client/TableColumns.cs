using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// A column as far as reading, writing and binding its values is concerned: its type (domains
/// resolved to their base type), the element type of an array, and how the table fills it.
/// </summary>
/// <param name="Name">The column name as stored.</param>
/// <param name="TypeName">pg_type.typname of the (base) type: "jsonb", "_text", "int4"...</param>
/// <param name="Category">pg_type.typcategory of the (base) type: 'A' array, 'S' string, 'U' user (json/jsonb)...</param>
/// <param name="ElementTypeName">For arrays, the element type's typname; otherwise null.</param>
/// <param name="ElementCategory">For arrays, the element type's category; otherwise null.</param>
/// <param name="SqlType">The declared type as the server spells it (format_type: "numeric(10,2)", a domain's own name).</param>
/// <param name="Identity">'a' (GENERATED ALWAYS AS IDENTITY), 'd' (BY DEFAULT) or '\0'.</param>
/// <param name="IsGenerated">A generated (computed) column: never written.</param>
/// <param name="DefaultExpression">The DEFAULT expression as the server deparses it, or null.</param>
/// <param name="BaseSqlType">The type as the server spells it with a domain resolved to its base type
/// (what scratch tables use: a domain's NOT NULL would refuse their empty cells).</param>
internal sealed record ColumnInfo(
    string Name,
    string TypeName,
    char Category,
    string? ElementTypeName,
    char? ElementCategory,
    string SqlType,
    char Identity = '\0',
    bool IsGenerated = false,
    string? DefaultExpression = null,
    string? BaseSqlType = null)
{
    public bool IsJson => TypeName is "json" or "jsonb";

    public bool IsArray => Category == 'A';

    public bool IsString => Category == 'S';

    public bool ElementIsString => ElementCategory == 'S';

    /// <summary>The base type's spelling (<see cref="SqlType"/> when not a domain).</summary>
    public string ScratchType => BaseSqlType ?? SqlType;
}

/// <summary>
/// The columns of one table, read from pg_catalog: the one place the engine learns a table's column
/// types (backups write values by them, restores convert values by them, binding follows them).
/// </summary>
internal sealed class TableColumns
{
    // One statement for any number of tables: a restore of 30 tables must not cost 30 round trips.
    private const string Sql = """
        SELECT q.i,
               a.attname,
               t.typname::text,
               t.typcategory,
               e.typname::text,
               e.typcategory,
               pg_catalog.format_type(a.atttypid, a.atttypmod),
               a.attidentity,
               a.attgenerated <> '',
               CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0) END,
               pg_catalog.format_type(t.oid, CASE WHEN d.typtype = 'd' THEN d.typtypmod ELSE a.atttypmod END)
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(nsp, rel, i)
        JOIN pg_catalog.pg_namespace n ON n.nspname = q.nsp
        JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = q.rel AND c.relkind IN ('r', 'p')
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_catalog.pg_type d ON d.oid = a.atttypid
        JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN d.typtype = 'd' THEN d.typbasetype ELSE d.oid END
        LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
        LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
        ORDER BY q.i, a.attnum
        """;

    private readonly Dictionary<string, ColumnInfo> _byName;

    private TableColumns(TableName table, List<ColumnInfo> columns)
    {
        Table = table;
        Columns = columns;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public TableName Table { get; }

    /// <summary>A table's columns learnt elsewhere than pg_catalog (the Data API's description of it).</summary>
    public static TableColumns Of(TableName table, IReadOnlyList<ColumnInfo> columns) => new(table, columns.ToList());

    /// <summary>The columns in table order.</summary>
    public IReadOnlyList<ColumnInfo> Columns { get; }

    public bool Contains(string column) => _byName.ContainsKey(column);

    /// <summary>The column, or null.</summary>
    public ColumnInfo? Find(string column) => _byName.GetValueOrDefault(column);

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
        var all = await LoadAsync(connection, [table], cancellationToken).ConfigureAwait(false);
        return all.GetValueOrDefault(table);
    }

    /// <summary>
    /// Reads the columns of every table of <paramref name="tables"/> in one statement; tables that do
    /// not exist (or are not ordinary or partitioned tables) are absent from the answer.
    /// </summary>
    public static async Task<IReadOnlyDictionary<TableName, TableColumns>> LoadAsync(NpgsqlConnection connection, IReadOnlyList<TableName> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var found = new Dictionary<TableName, TableColumns>();
        if (tables.Count == 0)
        {
            return found;
        }

        var command = new NpgsqlCommand(Sql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Schema).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Name).ToArray() });
            var columns = new List<ColumnInfo>[tables.Count];
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var index = (int)reader.GetInt64(0) - 1;
                    var identity = reader.GetChar(7);
                    (columns[index] ??= []).Add(new ColumnInfo(
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetChar(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetChar(5),
                        reader.GetString(6),
                        Identity: identity == ' ' ? '\0' : identity,
                        IsGenerated: reader.GetBoolean(8),
                        DefaultExpression: reader.IsDBNull(9) ? null : reader.GetString(9),
                        BaseSqlType: reader.GetString(10)));
                }
            }

            for (var i = 0; i < tables.Count; i++)
            {
                if (columns[i] is { } list)
                {
                    found[tables[i]] = new TableColumns(tables[i], list);
                }
            }

            return found;
        }
    }
}
