using System.Globalization;
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
    // generated column's expression needs its table. No ORDER BY: sorting 20,000 rows that carry their
    // defaults cost the server ~11 ms of its ~60; the reader puts each table's columns in attnum order.
    private const string ColumnsSql = """
        SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END),
               a.attidentity, a.attgenerated, a.attnum, a.attislocal
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        """;

    // Key columns come as attnum arrays in key order (conkey is in constraint order, which is what a
    // composite key means) and are named from the columns already read: a name lookup per constraint
    // on the server cost more than the rest of the query. A foreign key to a table outside the read
    // schemas (Supabase's auth.users) gets its referenced names from the server. Only checks and
    // exclusion constraints have expressions for the server to print (in its readable form, the one
    // the probe reads schema.sql's in); NOT VALID is a state of the constraint's rows, not of its
    // definition, and is left out of the text.
    private const string ConstraintsSql = """
        SELECT con.conrelid, con.conname, con.contype, con.conkey, con.confrelid, fn.nspname, fc.relname,
               con.confkey, con.confdeltype, con.confupdtype,
               CASE WHEN con.contype IN ('c', 'x') THEN
                   pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(con.oid, true), ' NOT VALID$', '')
               END,
               CASE WHEN con.contype = 'f' AND NOT fn.nspname = ANY($1) THEN
                   ARRAY(SELECT a.attname::text
                         FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                         ORDER BY k.ord)
               END,
               NOT con.conislocal OR con.conparentid <> 0, con.confmatchtype, con.condeferrable, con.condeferred,
               con.connoinherit, {0}
        FROM pg_catalog.pg_constraint con
        JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
        LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'c', 'f', 'x')
        ORDER BY con.conrelid, con.conname
        """;

    // NULLS NOT DISTINCT (PostgreSQL 15) of the index behind a unique constraint.
    private const string UniqueNullsNotDistinct = "con.contype = 'u' AND (SELECT x.indnullsnotdistinct FROM pg_catalog.pg_index x WHERE x.indexrelid = con.conindid)";

    // IsConstraint: the index was made by a PRIMARY KEY / UNIQUE / EXCLUDE constraint of the same
    // table (a foreign key's conindid points at the referenced table's index, hence the conrelid test).
    // Key columns are attnums named from the columns already read; only an index with an expression
    // key (attnum 0) has the server print each key, and only for a model repair builds from ($2) is the
    // whole definition printed (that is the costly part). An expression key is printed fully
    // parenthesised (not pretty): its text then does not depend on what surrounds it, which is how the
    // probe reads schema.sql's keys. Per key: its option bits (DESC, NULLS FIRST) and its operator
    // class, named from the non-default classes read before (a subquery per index cost more).
    private const string IndexesSql = """
        SELECT n.nspname, c.relname, ic.relname, i.indisunique, k.isconstraint,
               CASE WHEN 0 = ANY (i.indkey) THEN
                   ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, g.k, false)
                         FROM generate_series(1, i.indnkeyatts) AS g(k) ORDER BY g.k)
               END,
               pg_catalog.pg_get_expr(i.indpred, i.indrelid, true),
               CASE WHEN $2 AND NOT k.isconstraint THEN pg_catalog.pg_get_indexdef(i.indexrelid) END,
               i.indrelid, (i.indkey::pg_catalog.int2[])[0:i.indnkeyatts - 1], ic.relispartition,
               am.amname, (i.indoption::pg_catalog.int2[])[0:i.indnkeyatts - 1], i.indclass::pg_catalog.oid[],
               (i.indkey::pg_catalog.int2[])[i.indnkeyatts:i.indnatts - 1], {0}
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_am am ON am.oid = ic.relam
        CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                       WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) AS isconstraint) k
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
        ORDER BY array_position($1, n.nspname::text), c.relname, ic.relname
        """;

    // The operator classes that are not their type's default: the ones an index key names.
    private const string OperatorClassesSql = "SELECT o.oid, o.opcname FROM pg_catalog.pg_opclass o WHERE NOT o.opcdefault";

    // tgisinternal marks the triggers PostgreSQL makes for foreign keys: not the user's triggers. The
    // parts a comparison needs come from the catalog; the server prints the whole definition for a
    // model repair builds from ($2), and where a WHEN condition is to be taken from it.
    private const string TriggersSql = """
        SELECT n.nspname, c.relname, t.tgname, t.tgtype, pn.nspname, p.proname, t.tgrelid,
               t.tgattr::pg_catalog.int2[], t.tgargs, t.tgnargs, t.tgqual IS NOT NULL, t.tgconstraint <> 0,
               t.tgdeferrable, t.tginitdeferred, t.tgoldtable, t.tgnewtable, {0},
               CASE WHEN $2 OR t.tgqual IS NOT NULL THEN pg_catalog.pg_get_triggerdef(t.oid, true) END
        FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
        JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
        WHERE n.nspname = ANY($1) AND NOT t.tgisinternal
        ORDER BY array_position($1, n.nspname::text), c.relname, t.tgname
        """;

    // Sequences with the column that owns them; identity sequences belong to their column and are
    // left out, and so are an extension's.
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
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                          WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e')
        ORDER BY array_position($1, n.nspname::text), c.relname
        """;

    // What a function does is its body and its attributes; pg_get_functiondef is what repair in shadow
    // mode runs. The body of a SQL-standard function (BEGIN ATOMIC) is printed by the server. {0} is
    // the body's expression, {1} what comes before the columns, {2} the condition, {3} the definition's.
    private const string FunctionColumnsSql = """
        SELECT {1} n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
               pg_catalog.pg_get_function_result(p.oid), p.prokind = 'p', l.lanname,
               {0}, p.provolatile, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel,
               p.proconfig, {3}
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_catalog.pg_language l ON l.oid = p.prolang
        WHERE {2}
        """;

    // Functions and procedures that belong to an extension (pgcrypto installed into public...) are
    // the extension's, not the schema's: listing them would make every such database look drifted.
    private const string FunctionsWhere = """
        n.nspname = ANY($1) AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
        ORDER BY array_position($1, n.nspname::text), p.proname, 3
        """;

    // Views in creation order (oid), so a view that uses another comes after it; an extension's views
    // (pg_stat_statements in public) are the extension's.
    private const string ViewsSql = """
        SELECT n.nspname, c.relname, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid)
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('v', 'm')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                          WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e')
        ORDER BY c.oid
        """;

    // Enum labels in their sort order; domains with their checks (by name). {0} is what comes before
    // the columns, {1} the condition.
    private const string TypeColumnsSql = """
        SELECT {0} n.nspname, t.typname, t.typtype,
               CASE WHEN t.typtype = 'e' THEN
                   ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
               END,
               CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
               t.typnotnull, pg_catalog.pg_get_expr(t.typdefaultbin, 0),
               ARRAY(SELECT k.conname::text FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname),
               ARRAY(SELECT pg_catalog.pg_get_constraintdef(k.oid, true) FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname)
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE {1}
        """;

    // Only the schema's own: an extension's types are the extension's.
    private const string TypesWhere = """
        n.nspname = ANY($1) AND t.typtype IN ('e', 'd')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                          WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND e.objid = t.oid AND e.deptype = 'e')
        ORDER BY array_position($1, n.nspname::text), t.typname
        """;

    private static readonly string TypesSql = TypeQuery(string.Empty, TypesWhere);

    /// <summary>
    /// Reads tables, columns, keys, constraints, indexes, triggers, functions, sequences, views, enums
    /// and domains of <paramref name="schemas"/>. The connection must be open; it may be inside a
    /// transaction (repair re-validates inside its own), which is used as is: nothing is begun or
    /// committed, and its search_path is as it was afterwards.
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
    public static Task<SchemaModel> ReadAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, SchemaQueryStatistics? statistics, CancellationToken ct) =>
        ReadAsync(connection, schemas, forRepair: false, statistics, ct);

    /// <summary>
    /// As <see cref="ReadAsync(NpgsqlConnection, IReadOnlyList{string}, SchemaQueryStatistics, CancellationToken)"/>;
    /// with <paramref name="forRepair"/>, also the texts repair runs when this model is the expected
    /// side (shadow mode): each index's, trigger's and function's whole definition as the server
    /// prints it. A comparison needs none of them, and printing them is most of a large schema's cost.
    /// </summary>
    public static async Task<SchemaModel> ReadAsync(
        NpgsqlConnection connection,
        IReadOnlyList<string> schemas,
        bool forRepair,
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
        var queries = CatalogQueries.For(connection.PostgreSqlVersion);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SavePathSql));
        var setPath = new NpgsqlBatchCommand(SetPathSql);
        setPath.Parameters.Add(new NpgsqlParameter { Value = PrintPath(schemas).Text });
        batch.BatchCommands.Add(setPath);
        foreach (var sql in new[] { TablesSql, ColumnsSql, queries.Constraints, OperatorClassesSql, queries.Indexes, queries.Triggers, queries.Functions, SequencesSql, ViewsSql, TypesSql })
        {
            var command = new NpgsqlBatchCommand(sql);
            if (sql.Contains("$1", StringComparison.Ordinal))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = schemaArray, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            }

            if (sql.Contains("$2", StringComparison.Ordinal))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = forRepair, NpgsqlDbType = NpgsqlDbType.Boolean });
            }

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
        var operatorClasses = new Dictionary<uint, string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            operatorClasses[reader.GetFieldValue<uint>(0)] = reader.GetString(1);
        }

        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadIndexesAsync(reader, model, columnNames, operatorClasses, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadTriggersAsync(reader, model, columnNames, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            model.Functions.Add(ReadFunction(reader, 0));
        }

        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadSequencesAsync(reader, model, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        await ReadViewsAsync(reader, model, ct).ConfigureAwait(false);
        await NextResultAsync(reader, ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ReadType(reader, 0, model);
        }

        return model;
    }

    /// <summary>
    /// The search_path the catalog's texts are printed under when <paramref name="schemas"/> are read:
    /// exactly those schemas, in order. Text printed under it names a type of the first schema bare and
    /// qualifies everything the path does not find first, so it means the same when run under it.
    /// </summary>
    public static SearchPath PrintPath(IReadOnlyList<string> schemas) => SearchPath.Of(schemas);

    /// <summary>
    /// The function query for a server of <paramref name="version"/>: <paramref name="key"/> (with its
    /// comma) comes before the columns <see cref="ReadFunction"/> reads, <paramref name="where"/> picks the functions.
    /// </summary>
    internal static string FunctionQuery(Version version, string key, string where, string definition = "NULL::text") =>
        string.Format(
            CultureInfo.InvariantCulture,
            FunctionColumnsSql,
            version.Major >= 14 ? "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) ELSE p.prosrc END" : "p.prosrc",
            key,
            where,
            definition);

    /// <summary>The type query: <paramref name="key"/> (with its comma) before the columns <see cref="ReadType"/> reads.</summary>
    internal static string TypeQuery(string key, string where) => string.Format(CultureInfo.InvariantCulture, TypeColumnsSql, key, where);

    /// <summary>
    /// A function of a row of a function query (<see cref="FunctionQuery"/>, starting at
    /// field <paramref name="first"/>): the same reading for the live catalog and for the functions the
    /// probe makes of schema.sql's statements, so the two compare field by field.
    /// </summary>
    internal static FunctionModel ReadFunction(NpgsqlDataReader reader, int first)
    {
        var attributes = new List<string>
        {
            reader.GetChar(first + 7) switch
            {
                'i' => "IMMUTABLE",
                's' => "STABLE",
                _ => "VOLATILE",
            },
        };
        if (reader.GetBoolean(first + 8))
        {
            attributes.Add("STRICT");
        }

        if (reader.GetBoolean(first + 9))
        {
            attributes.Add("SECURITY DEFINER");
        }

        if (reader.GetBoolean(first + 10))
        {
            attributes.Add("LEAKPROOF");
        }

        attributes.Add(reader.GetChar(first + 11) switch
        {
            's' => "PARALLEL SAFE",
            'r' => "PARALLEL RESTRICTED",
            _ => "PARALLEL UNSAFE",
        });
        if (!reader.IsDBNull(first + 12))
        {
            attributes.AddRange(reader.GetFieldValue<string[]>(first + 12).Select(setting => "SET " + setting));
        }

        var isProcedure = reader.GetBoolean(first + 4);
        return new FunctionModel
        {
            Schema = reader.GetString(first),
            Name = reader.GetString(first + 1),
            Arguments = reader.GetString(first + 2),
            ReturnType = reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
            IsProcedure = isProcedure,
            Language = reader.GetString(first + 5),
            Body = reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),

            // A procedure is neither volatile nor strict: those words are a function's.
            Attributes = string.Join(' ', isProcedure ? attributes.Where(a => a.StartsWith("SECURITY", StringComparison.Ordinal) || a.StartsWith("SET ", StringComparison.Ordinal)) : attributes),
            Definition = reader.IsDBNull(first + 13) ? null : reader.GetString(first + 13),
        };
    }

    /// <summary>
    /// An enum or a domain of a row of a type query (<see cref="TypesSql"/>'s columns, starting at
    /// field <paramref name="first"/>), added to <paramref name="model"/>.
    /// </summary>
    internal static void ReadType(NpgsqlDataReader reader, int first, SchemaModel model)
    {
        var schema = reader.GetString(first);
        var name = reader.GetString(first + 1);
        if (reader.GetChar(first + 2) == 'e')
        {
            var type = new EnumModel { Schema = schema, Name = name };
            type.Labels.AddRange(reader.GetFieldValue<string[]>(first + 3));
            model.Enums.Add(type);
            return;
        }

        var domain = new DomainModel
        {
            Schema = schema,
            Name = name,
            BaseType = reader.GetString(first + 4),
            NotNull = reader.GetBoolean(first + 5),
            Default = reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
        };
        var names = reader.GetFieldValue<string[]>(first + 7);
        var definitions = reader.GetFieldValue<string[]>(first + 8);
        for (var i = 0; i < names.Length; i++)
        {
            domain.Checks.Add(new CheckModel { Name = names[i], Expression = definitions[i] });
        }

        model.Domains.Add(domain);
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
        SearchPath printPath,
        CancellationToken ct)
    {
        // The rows come in the plan's order: usually table by table in attnum order (then each column
        // is appended), but nothing promises that; a table whose columns came out of order is sorted.
        var highest = new Dictionary<uint, short>(byOid.Count);
        HashSet<uint>? unordered = null;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var relation = reader.GetFieldValue<uint>(0);
            if (!byOid.TryGetValue(relation, out var table))
            {
                continue;
            }

            var name = reader.GetString(1);
            var number = reader.GetInt16(7);
            columnNames[(relation, number)] = name;
            if (highest.TryGetValue(relation, out var previous) && number < previous)
            {
                // Below a number already read: out of order (the highest stays the highest).
                (unordered ??= []).Add(relation);
            }
            else
            {
                highest[relation] = number;
            }
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

        foreach (var relation in unordered ?? [])
        {
            // This table's numbers only (up to its highest), not a scan of every column read: a plan
            // that interleaves tables would otherwise cost a pass over all columns per table.
            var columns = byOid[relation].Columns;
            var numbers = new Dictionary<string, short>(columns.Count, StringComparer.Ordinal);
            for (short number = 1; number <= highest[relation]; number++)
            {
                if (columnNames.TryGetValue((relation, number), out var name))
                {
                    numbers[name] = number;
                }
            }

            columns.Sort((a, b) => numbers[a.Name].CompareTo(numbers[b.Name]));
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
            var timing = new ConstraintTiming(reader.GetBoolean(14), reader.GetBoolean(15));
            switch (reader.GetChar(2))
            {
                case 'p':
                    table.PrimaryKeyName = name;
                    table.PrimaryKeyInherited = inherited;
                    table.PrimaryKeyTiming = timing;
                    table.PrimaryKey.AddRange(columns);
                    foreach (var column in columns)
                    {
                        table.FindColumn(column)?.IsPrimaryKey = true;
                    }

                    break;

                case 'u':
                    var unique = new UniqueModel { Name = name, IsInherited = inherited, Timing = timing, NullsNotDistinct = !reader.IsDBNull(17) && reader.GetBoolean(17) };
                    unique.Columns.AddRange(columns);
                    table.Uniques.Add(unique);
                    if (columns.Length == 1)
                    {
                        table.FindColumn(columns[0])?.IsUnique = true;
                    }

                    break;

                case 'c':
                    var check = new CheckModel { Name = name, Expression = reader.GetString(10), IsInherited = inherited, NoInherit = reader.GetBoolean(16) };
                    check.Columns.AddRange(columns);
                    table.Checks.Add(check);
                    break;

                case 'x':
                    var exclusion = new ExclusionModel { Name = name, Definition = reader.GetString(10), IsInherited = inherited, Timing = timing };
                    exclusion.Columns.AddRange(columns);
                    table.Exclusions.Add(exclusion);
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
                        Timing = timing,
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
        Dictionary<uint, string> operatorClasses,
        CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var relation = reader.GetFieldValue<uint>(8);
            var numbers = reader.GetFieldValue<short[]>(9);
            var index = new IndexModel
            {
                Schema = reader.GetString(0),
                Table = reader.GetString(1),
                Name = reader.GetString(2),
                IsUnique = reader.GetBoolean(3),
                IsConstraint = reader.GetBoolean(4),
                Predicate = reader.IsDBNull(6) ? null : reader.GetString(6),
                Definition = reader.IsDBNull(7) ? string.Empty : reader.GetString(7),
                IsInherited = reader.GetBoolean(10),
                Method = reader.GetString(11),
                NullsNotDistinct = !reader.IsDBNull(15) && reader.GetBoolean(15),
            };

            // An expression key has attnum 0: its text is the server's; a column key is named from the columns read.
            var printed = reader.IsDBNull(5) ? null : reader.GetFieldValue<string[]>(5);
            var options = reader.GetFieldValue<short[]>(12);
            var classes = reader.GetFieldValue<uint[]>(13);
            for (var k = 0; k < numbers.Length; k++)
            {
                var column = numbers[k] == 0 ? null : Name(columnNames, relation, numbers[k]);
                index.Columns.Add(column ?? printed![k]);
                index.Keys.Add(new IndexKey(column, IndexKeyOptions(operatorClasses.GetValueOrDefault(classes[k], string.Empty), options[k])));
            }

            index.Include.AddRange(Names(columnNames, relation, reader.GetFieldValue<short[]>(14)));
            model.Indexes.Add(index);
        }
    }

    /// <summary>A key's options as the server writes them after it: operator class, then ordering where not the default.</summary>
    internal static string IndexKeyOptions(string operatorClass, short option)
    {
        // indoption bits (catalog/pg_index.h): 1 DESC, 2 NULLS FIRST. ASC puts NULLs last, DESC first.
        var descending = (option & 1) != 0;
        var nullsFirst = (option & 2) != 0;
        var ordering = descending ? (nullsFirst ? "DESC" : "DESC NULLS LAST") : (nullsFirst ? "NULLS FIRST" : string.Empty);
        return operatorClass.Length == 0 ? ordering : ordering.Length == 0 ? operatorClass : $"{operatorClass} {ordering}";
    }

    private static string[] Names(Dictionary<(uint Table, short Number), string> columnNames, uint table, short[] numbers)
    {
        var names = new string[numbers.Length];
        for (var i = 0; i < numbers.Length; i++)
        {
            names[i] = Name(columnNames, table, numbers[i]);
        }

        return names;
    }

    private static string Name(Dictionary<(uint Table, short Number), string> columnNames, uint table, short number) =>
        columnNames.TryGetValue((table, number), out var name)
            ? name
            : throw new InvalidOperationException($"Column number {number} of relation {table} is not among the columns read.");

    private static async Task ReadTriggersAsync(
        NpgsqlDataReader reader,
        SchemaModel model,
        Dictionary<(uint Table, short Number), string> columnNames,
        CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var definition = reader.IsDBNull(17) ? null : reader.GetString(17);
            var trigger = TriggerDefinition.FromCatalog(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt16(3),
                $"{reader.GetString(4)}.{reader.GetString(5)}",
                definition);
            var relation = reader.GetFieldValue<uint>(6);
            if (!reader.IsDBNull(7))
            {
                // Triggers on views have no columns of ours; UPDATE OF names columns of a table.
                foreach (var number in reader.GetFieldValue<short[]>(7))
                {
                    trigger.UpdateColumns.Add(columnNames.TryGetValue((relation, number), out var column) ? column : number.ToString(CultureInfo.InvariantCulture));
                }
            }

            trigger.Arguments.AddRange(TriggerDefinition.Arguments(reader.GetFieldValue<byte[]>(8), reader.GetInt16(9)));
            if (reader.GetBoolean(10) && definition is not null)
            {
                trigger.When = TriggerDefinition.WhenOf(definition);
            }

            trigger.IsConstraint = reader.GetBoolean(11);
            trigger.Deferral = new ConstraintTiming(reader.GetBoolean(12), reader.GetBoolean(13));
            trigger.OldTable = reader.IsDBNull(14) ? null : reader.GetString(14);
            trigger.NewTable = reader.IsDBNull(15) ? null : reader.GetString(15);
            trigger.IsInherited = reader.GetBoolean(16);
            model.Triggers.Add(trigger);
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

    private static async Task ReadViewsAsync(NpgsqlDataReader reader, SchemaModel model, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            model.Views.Add(new ViewModel
            {
                Schema = reader.GetString(0),
                Name = reader.GetString(1),
                IsMaterialized = reader.GetBoolean(2),
                Query = reader.GetString(3),
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

    /// <summary>The catalog queries whose text depends on the server's version, made once per major version.</summary>
    private sealed record CatalogQueries(string Constraints, string Indexes, string Triggers, string Functions)
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, CatalogQueries> ByMajor = new();

        public static CatalogQueries For(Version version) => ByMajor.GetOrAdd(version.Major, static (major, v) => new CatalogQueries(
            string.Format(CultureInfo.InvariantCulture, ConstraintsSql, major >= 15 ? UniqueNullsNotDistinct : "false"),
            string.Format(CultureInfo.InvariantCulture, IndexesSql, major >= 15 ? "i.indnullsnotdistinct" : "false"),
            string.Format(CultureInfo.InvariantCulture, TriggersSql, major >= 13 ? "t.tgparentid <> 0" : "false"),
            FunctionQuery(v, string.Empty, FunctionsWhere, "CASE WHEN $2 THEN pg_catalog.pg_get_functiondef(p.oid) END")), version);
    }
}
