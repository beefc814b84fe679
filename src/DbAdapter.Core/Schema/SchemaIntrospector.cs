using DbAdapter.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Reads the live schema of a database from pg_catalog into a <see cref="SchemaModel"/>: the one
/// introspector, for the live database and for shadow mode's throwaway database alike.
/// Every object kind comes from one catalog query and all of them travel in one batch, so a run
/// costs one round trip whether the database has ten tables or ten thousand.
/// </summary>
/// <remarks>
/// Types, defaults and constraint texts are printed by the server under a search_path of exactly
/// the schemas read (<see cref="PrintPath"/>), set for the batch and restored after it: the same
/// object then reads the same on any connection, whatever that connection's own path is, so two
/// databases (live and shadow) compare by meaning, and text printed here can be run again under that
/// path and mean the same thing.
/// </remarks>
public static class SchemaIntrospector
{
    // The session's path, kept in a setting of our own for the length of the batch.
    private const string SavePathSql = "SELECT pg_catalog.set_config('dbadapter.saved_search_path', pg_catalog.current_setting('search_path'), true)";
    private const string SetPathSql = "SELECT pg_catalog.set_config('search_path', $1, true)";
    private const string RestorePathSql = "SELECT pg_catalog.set_config('search_path', pg_catalog.current_setting('dbadapter.saved_search_path'), true)";

    // Every query takes the schema list as $1 (text[]): positional parameters keep Npgsql from
    // rewriting the SQL, and the list is data, never pasted into the text. A partition's bound and a
    // partitioned table's key are deparsed only for those tables; parents come from one pass over
    // pg_inherits (a subquery per table cost as much as the rest of the query).
    private const string TablesSql = """
        SELECT c.oid, n.nspname, c.relname, c.relpersistence, c.relispartition,
               CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
               CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
               p.schemas, p.names
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN (SELECT i.inhrelid,
                          array_agg(pn.nspname::text ORDER BY i.inhseqno) AS schemas,
                          array_agg(pc.relname::text ORDER BY i.inhseqno) AS names
                   FROM pg_catalog.pg_inherits i
                   JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                   JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                   GROUP BY i.inhrelid) p ON p.inhrelid = c.oid
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
        ORDER BY array_position($1, n.nspname::text), c.relname
        """;

    // pg_get_expr with a relation opens it (a relcache entry per table on a fresh connection: a third
    // of the run on 1,000 tables). A default cannot name a column, so it deparses without one; only a
    // generated column's expression needs its table.
    private const string ColumnsSql = """
        SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END),
               a.attidentity, a.attgenerated, a.attnum, a.attislocal
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
               END,
               NOT con.conislocal OR con.conparentid <> 0, con.confmatchtype, con.condeferrable, con.condeferred
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
               i.indrelid, (i.indkey::pg_catalog.int2[])[0:i.indnkeyatts - 1], ic.relispartition
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

    // Sequences with the column that owns them; identity sequences belong to their column and are left out.
    private const string SequencesSql = """
        SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
               s.seqmin, s.seqmax, s.seqcache, s.seqcycle, o.nspname, o.relname, o.attname
        FROM pg_catalog.pg_sequence s
        JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN LATERAL (
            SELECT tn.nspname, t.relname, a.attname, d.deptype
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
              AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')
            LIMIT 1) o ON true
        WHERE n.nspname = ANY($1) AND o.deptype IS DISTINCT FROM 'i'
        ORDER BY array_position($1, n.nspname::text), c.relname
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
    /// Reads tables, columns, keys, constraints, indexes, triggers, functions and sequences of
    /// <paramref name="schemas"/>. The connection must be open; it may be inside a transaction
    /// (repair re-validates inside its own), which is used as is: nothing is begun or committed, and
    /// its search_path is as it was afterwards.
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

        var model = new SchemaModel { FromCatalog = true };
        if (schemas.Count == 0)
        {
            return model;
        }

        var schemaArray = schemas.ToArray();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SavePathSql));
        var setPath = new NpgsqlBatchCommand(SetPathSql);
        setPath.Parameters.Add(new NpgsqlParameter { Value = PrintPath(schemas).Text });
        batch.BatchCommands.Add(setPath);
        foreach (var sql in new[] { TablesSql, ColumnsSql, ConstraintsSql, IndexesSql, TriggersSql, FunctionsSql, SequencesSql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = schemaArray, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(RestorePathSql));
        statistics?.Record(batch.BatchCommands.Count);
        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);

        // The two path settings answer one row each.
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
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
            table.IsPartition = reader.GetBoolean(4);
            table.PartitionBound = reader.IsDBNull(5) ? null : reader.GetString(5);
            table.PartitionKey = reader.IsDBNull(6) ? null : reader.GetString(6);
            var parentSchemas = reader.IsDBNull(7) ? [] : reader.GetFieldValue<string[]>(7);
            var parentNames = reader.IsDBNull(8) ? [] : reader.GetFieldValue<string[]>(8);
            for (var i = 0; i < parentSchemas.Length; i++)
            {
                table.Parents.Add(new TableName(parentSchemas[i], parentNames[i]));
            }

            byOid[reader.GetFieldValue<uint>(0)] = table;
            model.Tables.Add(table);
        }

        var columnNames = new Dictionary<(uint Table, short Number), string>();
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadColumnsAsync(reader, byOid, columnNames, PrintPath(schemas), ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadConstraintsAsync(reader, byOid, columnNames, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadIndexesAsync(reader, model, columnNames, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadTriggersAsync(reader, model, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadFunctionsAsync(reader, model, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadSequencesAsync(reader, model, ct).ConfigureAwait(false);
        return model;
    }

    /// <summary>
    /// The search_path the catalog's texts are printed under when <paramref name="schemas"/> are read:
    /// exactly those schemas, in order. Text printed under it names a type of the first schema bare and
    /// qualifies everything the path does not find first, so it means the same when run under it.
    /// </summary>
    public static SearchPath PrintPath(IReadOnlyList<string> schemas) => SearchPath.Of(schemas);

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
        SearchPath printPath,
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
                IsLocal = reader.GetBoolean(8),

                // Printed under the print path, the type and default mean what they say under it: a
                // comparison with this model as the expected side resolves them there.
                SearchPath = printPath,
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
            var inherited = reader.GetBoolean(12);
            switch (reader.GetChar(2))
            {
                case 'p':
                    table.PrimaryKeyName = name;
                    table.PrimaryKeyInherited = inherited;
                    table.PrimaryKey.AddRange(columns);
                    foreach (var column in columns)
                    {
                        table.FindColumn(column)?.IsPrimaryKey = true;
                    }

                    break;

                case 'u':
                    var unique = new UniqueModel { Name = name, IsInherited = inherited };
                    unique.Columns.AddRange(columns);
                    table.Uniques.Add(unique);
                    if (columns.Length == 1)
                    {
                        table.FindColumn(columns[0])?.IsUnique = true;
                    }

                    break;

                case 'c':
                    var check = new CheckModel { Name = name, Expression = reader.GetString(10), IsInherited = inherited };
                    check.Columns.AddRange(columns);
                    table.Checks.Add(check);
                    break;

                case 'f':
                    var foreignKey = new ForeignKeyModel
                    {
                        Name = name,
                        ReferencedSchema = reader.GetString(5),
                        ReferencedTable = reader.GetString(6),
                        OnDelete = ActionWords(reader.GetChar(8)),
                        OnUpdate = ActionWords(reader.GetChar(9)),
                        IsInherited = inherited,
                        Match = reader.GetChar(13) switch
                        {
                            'f' => "FULL",
                            'p' => "PARTIAL",
                            _ => "SIMPLE",
                        },
                        Deferrable = reader.GetBoolean(14),
                        InitiallyDeferred = reader.GetBoolean(15),
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
                IsInherited = reader.GetBoolean(10),
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

    private static async Task ReadSequencesAsync(NpgsqlDataReader reader, SchemaModel model, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            model.Sequences.Add(new SequenceModel
            {
                Schema = reader.GetString(0),
                Name = reader.GetString(1),
                DataType = reader.GetString(2),
                Start = reader.GetInt64(3),
                Increment = reader.GetInt64(4),
                MinValue = reader.GetInt64(5),
                MaxValue = reader.GetInt64(6),
                Cache = reader.GetInt64(7),
                Cycle = reader.GetBoolean(8),
                OwnedBy = reader.IsDBNull(9) ? null : new ColumnRef(reader.GetString(9), reader.GetString(10), reader.GetString(11)),
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
