using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Reads the live schema of a database from pg_catalog into a <see cref="SchemaModel"/>.
/// Every object kind comes from one catalog query and all of them travel in one batch, so a run
/// costs one round trip whether the database has ten tables or ten thousand.
/// </summary>
public static class SchemaIntrospector
{
    // Every query takes the schema list as $1 (text[]): positional parameters keep Npgsql from
    // rewriting the SQL, and the list is data, never pasted into the text.
    private const string TablesSql = """
        SELECT c.oid, n.nspname, c.relname, c.relpersistence
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
        ORDER BY array_position($1, n.nspname::text), c.relname
        """;

    // pg_get_expr with a relation opens it (a relcache entry per table on a fresh connection: a third
    // of the run on 1,000 tables). A default cannot name a column, so it deparses without one; only a
    // generated column's expression needs its table.
    private const string ColumnsSql = """
        SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END),
               a.attidentity, a.attgenerated, a.attnum
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum
        """;

    // Key columns come as attnum arrays in key order (conkey is in constraint order, which is what a
    // composite key means) and are named from the columns already read: a name lookup per constraint
    // on the server cost more than the rest of the query. A foreign key to a table outside the read
    // schemas (Supabase's auth.users) gets its referenced names from the server.
    private const string ConstraintsSql = """
        SELECT con.conrelid, con.conname, con.contype, con.conkey, con.confrelid, fn.nspname, fc.relname,
               con.confkey, con.confdeltype, con.confupdtype,
               CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid, true) END,
               CASE WHEN con.contype = 'f' AND NOT fn.nspname = ANY($1) THEN
                   ARRAY(SELECT a.attname::text
                         FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                         ORDER BY k.ord)
               END
        FROM pg_catalog.pg_constraint con
        JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
        LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'c', 'f')
        ORDER BY con.conrelid, con.conname
        """;

    // IsConstraint: the index was made by a PRIMARY KEY / UNIQUE / EXCLUDE constraint of the same
    // table (a foreign key's conindid points at the referenced table's index, hence the conrelid test).
    // Key columns are attnums named from the columns already read; only an index with an expression
    // key (attnum 0) has the server deparse each key, since that is the costly part.
    private const string IndexesSql = """
        SELECT n.nspname, c.relname, ic.relname, i.indisunique,
               EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                       WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')),
               CASE WHEN 0 = ANY (i.indkey) THEN
                   ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, g.k, true)
                         FROM generate_series(1, i.indnkeyatts) AS g(k) ORDER BY g.k)
               END,
               pg_catalog.pg_get_expr(i.indpred, i.indrelid, true),
               pg_catalog.pg_get_indexdef(i.indexrelid),
               i.indrelid, (i.indkey::pg_catalog.int2[])[0:i.indnkeyatts - 1]
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
        ORDER BY array_position($1, n.nspname::text), c.relname, ic.relname
        """;

    // tgisinternal marks the triggers PostgreSQL makes for foreign keys: not the user's triggers.
    private const string TriggersSql = """
        SELECT n.nspname, c.relname, t.tgname, t.tgtype, pn.nspname, p.proname
        FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
        JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
        WHERE n.nspname = ANY($1) AND NOT t.tgisinternal
        ORDER BY array_position($1, n.nspname::text), c.relname, t.tgname
        """;

    // Functions that belong to an extension (pgcrypto installed into public...) are the extension's,
    // not the schema's: listing them would make every such database look drifted.
    private const string FunctionsSql = """
        SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
               pg_catalog.pg_get_function_result(p.oid)
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        ORDER BY array_position($1, n.nspname::text), p.proname, 3
        """;

    /// <summary>
    /// Reads tables, columns, keys, constraints, indexes, triggers and functions of
    /// <paramref name="schemas"/>. The connection must be open; it may be inside a transaction
    /// (repair re-validates inside its own), which is used as is: nothing is begun or committed.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="schemas">Schema names exactly as stored (case-sensitive).</param>
    /// <param name="ct">Cancels the read.</param>
    public static Task<SchemaModel> ReadAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, CancellationToken ct) =>
        ReadAsync(connection, schemas, statistics: null, ct);

    /// <summary>
    /// As <see cref="ReadAsync(NpgsqlConnection, IReadOnlyList{string}, CancellationToken)"/>, and
    /// records the statements and round trips it used in <paramref name="statistics"/>.
    /// </summary>
    public static async Task<SchemaModel> ReadAsync(
        NpgsqlConnection connection,
        IReadOnlyList<string> schemas,
        SchemaQueryStatistics? statistics,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(schemas);

        var model = new SchemaModel();
        if (schemas.Count == 0)
        {
            return model;
        }

        var schemaArray = schemas.ToArray();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in new[] { TablesSql, ColumnsSql, ConstraintsSql, IndexesSql, TriggersSql, FunctionsSql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = schemaArray, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(command);
        }

        statistics?.Record(batch.BatchCommands.Count);
        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);

        var byOid = new Dictionary<uint, TableModel>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var table = new TableModel { Schema = reader.GetString(1), Name = reader.GetString(2) };
            table.Persistence = reader.GetChar(3) switch
            {
                'u' => "UNLOGGED",
                't' => "TEMP",
                _ => null,
            };
            byOid[reader.GetFieldValue<uint>(0)] = table;
            model.Tables.Add(table);
        }

        var columnNames = new Dictionary<(uint Table, short Number), string>();
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadColumnsAsync(reader, byOid, columnNames, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadConstraintsAsync(reader, byOid, columnNames, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadIndexesAsync(reader, model, columnNames, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadTriggersAsync(reader, model, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadFunctionsAsync(reader, model, ct).ConfigureAwait(false);
        return model;
    }

    private static async Task NextResultAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.NextResultAsync(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The catalog batch returned fewer result sets than it has queries.");
        }
    }

    private static async Task ReadColumnsAsync(
        NpgsqlDataReader reader,
        Dictionary<uint, TableModel> byOid,
        Dictionary<(uint Table, short Number), string> columnNames,
        CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var relation = reader.GetFieldValue<uint>(0);
            if (!byOid.TryGetValue(relation, out var table))
            {
                continue;
            }

            var name = reader.GetString(1);
            columnNames[(relation, reader.GetInt16(7))] = name;
            var expression = reader.IsDBNull(4) ? null : reader.GetString(4);
            var identity = reader.GetChar(5);
            var generated = reader.GetChar(6) == 's';
            table.Columns.Add(new ColumnModel
            {
                Name = name,
                Type = reader.GetString(2),
                NotNull = reader.GetBoolean(3),

                // A stored generated column keeps its expression where defaults live; it is not a default.
                Default = generated ? null : expression,
                Generated = generated ? expression : null,
                Identity = identity is 'a' or 'd' ? identity.ToString() : null,
            });
        }
    }

    private static async Task ReadConstraintsAsync(
        NpgsqlDataReader reader,
        Dictionary<uint, TableModel> byOid,
        Dictionary<(uint Table, short Number), string> columnNames,
        CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var relation = reader.GetFieldValue<uint>(0);
            if (!byOid.TryGetValue(relation, out var table))
            {
                continue;
            }

            var name = reader.GetString(1);
            // A CHECK that names no column (CHECK (false)) has no conkey.
            var columns = reader.IsDBNull(3) ? [] : Names(columnNames, relation, reader.GetFieldValue<short[]>(3));
            switch (reader.GetChar(2))
            {
                case 'p':
                    table.PrimaryKey.AddRange(columns);
                    foreach (var column in columns)
                    {
                        table.FindColumn(column)?.IsPrimaryKey = true;
                    }

                    break;

                case 'u':
                    var unique = new UniqueModel { Name = name };
                    unique.Columns.AddRange(columns);
                    table.Uniques.Add(unique);
                    if (columns.Length == 1)
                    {
                        table.FindColumn(columns[0])?.IsUnique = true;
                    }

                    break;

                case 'c':
                    table.Checks.Add(new CheckModel { Name = name, Expression = reader.GetString(10) });
                    break;

                case 'f':
                    var foreignKey = new ForeignKeyModel
                    {
                        Name = name,
                        ReferencedSchema = reader.GetString(5),
                        ReferencedTable = reader.GetString(6),
                        OnDelete = ActionWords(reader.GetChar(8)),
                        OnUpdate = ActionWords(reader.GetChar(9)),
                    };
                    foreignKey.Columns.AddRange(columns);
                    foreignKey.ReferencedColumns.AddRange(
                        reader.IsDBNull(11)
                            ? Names(columnNames, reader.GetFieldValue<uint>(4), reader.GetFieldValue<short[]>(7))
                            : reader.GetFieldValue<string[]>(11));
                    table.ForeignKeys.Add(foreignKey);
                    break;
            }
        }
    }

    private static async Task ReadIndexesAsync(
        NpgsqlDataReader reader,
        SchemaModel model,
        Dictionary<(uint Table, short Number), string> columnNames,
        CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var index = new IndexModel
            {
                Schema = reader.GetString(0),
                Table = reader.GetString(1),
                Name = reader.GetString(2),
                IsUnique = reader.GetBoolean(3),
                IsConstraint = reader.GetBoolean(4),
                Predicate = reader.IsDBNull(6) ? null : reader.GetString(6),
                Definition = reader.GetString(7),
            };
            index.Columns.AddRange(
                reader.IsDBNull(5)
                    ? Names(columnNames, reader.GetFieldValue<uint>(8), reader.GetFieldValue<short[]>(9))
                    : reader.GetFieldValue<string[]>(5));
            model.Indexes.Add(index);
        }
    }

    private static string[] Names(Dictionary<(uint Table, short Number), string> columnNames, uint table, short[] numbers)
    {
        var names = new string[numbers.Length];
        for (var i = 0; i < numbers.Length; i++)
        {
            names[i] = columnNames.TryGetValue((table, numbers[i]), out var name)
                ? name
                : throw new InvalidOperationException($"Column number {numbers[i]} of relation {table} is not among the columns read.");
        }

        return names;
    }

    private static async Task ReadTriggersAsync(NpgsqlDataReader reader, SchemaModel model, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            // tgtype bits (catalog/pg_trigger.h): 2 BEFORE, 64 INSTEAD, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE.
            var type = reader.GetInt16(3);
            var trigger = new TriggerModel
            {
                Schema = reader.GetString(0),
                Table = reader.GetString(1),
                Name = reader.GetString(2),
                Timing = (type & 2) != 0 ? "BEFORE" : (type & 64) != 0 ? "INSTEAD OF" : "AFTER",
                Function = $"{reader.GetString(4)}.{reader.GetString(5)}",
            };
            AddIf(trigger.Events, type, 4, "INSERT");
            AddIf(trigger.Events, type, 16, "UPDATE");
            AddIf(trigger.Events, type, 8, "DELETE");
            AddIf(trigger.Events, type, 32, "TRUNCATE");
            model.Triggers.Add(trigger);
        }

        static void AddIf(List<string> events, short type, int bit, string word)
        {
            if ((type & bit) != 0)
            {
                events.Add(word);
            }
        }
    }

    private static async Task ReadFunctionsAsync(NpgsqlDataReader reader, SchemaModel model, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            model.Functions.Add(new FunctionModel
            {
                Schema = reader.GetString(0),
                Name = reader.GetString(1),
                Arguments = reader.GetString(2),
                ReturnType = reader.IsDBNull(3) ? null : reader.GetString(3),
            });
        }
    }

    private static string ActionWords(char action) => action switch
    {
        'r' => "RESTRICT",
        'c' => "CASCADE",
        'n' => "SET NULL",
        'd' => "SET DEFAULT",
        _ => "NO ACTION",
    };
}
