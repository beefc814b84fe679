using System.Globalization;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Schema;

/// <summary>One column shape to show the server: a type, a default, and whether to ask about rewrites.</summary>
/// <param name="Type">The type as written ("VARCHAR(50)").</param>
/// <param name="Default">The default expression as written, or null.</param>
/// <param name="CheckRewrite">Ask whether ADD COLUMN with this type and default rewrites a table that has rows.</param>
/// <param name="Path">The search_path the names are resolved under (the file's), or null for the session's own.</param>
internal readonly record struct ProbeItem(string Type, string? Default, bool CheckRewrite = false, SearchPath? Path = null);

/// <summary>
/// The server's answer for one <see cref="ProbeItem"/>: its own spelling of the type (format_type)
/// and the default (pg_get_expr), whether ADD COLUMN rewrites a table, or why it could not tell.
/// </summary>
internal sealed record ProbeAnswer(string? Type, string? Default, string? TypeError, string? DefaultError, bool Rewrites);

/// <summary>
/// Asks the server about column shapes and objects written in a user file without running anything of
/// the file on live data: each column shape becomes a column of a temporary table, each expression a
/// constraint of one (an index key or predicate as a CHECK that holds it), each query the body of a
/// temporary function, each function and domain a temporary one, all created under a savepoint that is
/// always rolled back. Comparing the server's spelling with the live catalog means "VARCHAR(50)" equals
/// "character varying(50)" without this code knowing PostgreSQL's casting rules; and an ADD COLUMN on
/// an EMPTY temporary table tells whether the real one would be rewritten (its file node changes),
/// which PostgreSQL decides from the default's volatility and the type, not from the rows.
/// </summary>
/// <remarks>
/// <para>Read-only by construction. Creating a table evaluates no default; the rewrite check adds the
/// column to a table without rows, so a volatile default (nextval(), random()) is never evaluated and no
/// sequence moves. No lock is taken on a user table. Everything runs under a savepoint that is rolled
/// back and released, so nothing outlives the call, not even inside the caller's transaction.</para>
/// <para>Text from the file reaches the server only as one item per clause, checked by
/// <see cref="SqlItem"/> first (an item that fails is not sent; its answer says why), and each
/// statement is its own command of a batch, so the server itself would refuse a second statement.
/// There is no server-side EXECUTE of concatenated text.</para>
/// <para>Each item's names are resolved under the search_path it was written under (the file's), and
/// the answers are printed under the path the caller reads the live catalog with, so "mood" written
/// under "app, pg_catalog" answers "app.mood" exactly when the introspector prints the live column so.</para>
/// <para>Objects are created and never used: no row is ever inserted into a temporary table, a
/// function is created with check_function_bodies off and never called, a trigger never fires. A
/// function is shown to the server only in a language whose creation runs nothing of it (SQL,
/// PL/pgSQL); creating one in C would load its library.</para>
/// <para>One round trip for any number of items. When the server rejects an item (a type or a
/// function that does not exist there), the batch is rolled back and the items are asked one by one
/// (the column shapes first, kept when only an object failed), so each failure is told apart and the
/// others still get their answers.</para>
/// </remarks>
internal static class ServerProbe
{
    // 1,600 columns is PostgreSQL's per-table limit: probe in chunks well below it.
    private const int ChunkSize = 1000;
    private const string Savepoint = "dbadapter_probe";
    private const string ItemSavepoint = "dbadapter_probe_item";

    /// <summary>
    /// Answers, in item order. The connection must be inside a transaction (the probes run under a
    /// savepoint); the transaction is left exactly as it was, its search_path included.
    /// </summary>
    /// <param name="connection">An open connection inside a transaction.</param>
    /// <param name="items">The column shapes.</param>
    /// <param name="printPath">The path the answers are printed under (the introspector's); null to leave it.</param>
    /// <param name="statistics">Receives the statements and round trips used.</param>
    /// <param name="ct">Cancels the probe.</param>
    public static async Task<IReadOnlyList<ProbeAnswer>> RunAsync(
        NpgsqlConnection connection,
        IReadOnlyList<ProbeItem> items,
        SearchPath? printPath,
        SchemaQueryStatistics? statistics,
        CancellationToken ct) =>
        (await RunAsync(connection, items, [], printPath, statistics, ct).ConfigureAwait(false)).Columns;

    /// <summary>
    /// Answers for column shapes and objects, each in item order, in one round trip when the server
    /// can read every item. The connection must be inside a transaction, which is left as it was.
    /// </summary>
    public static async Task<(IReadOnlyList<ProbeAnswer> Columns, IReadOnlyList<ObjectAnswer> Objects)> RunAsync(
        NpgsqlConnection connection,
        IReadOnlyList<ProbeItem> items,
        IReadOnlyList<ObjectProbe> objects,
        SearchPath? printPath,
        SchemaQueryStatistics? statistics,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(objects);
        var answers = new ProbeAnswer?[items.Count];
        var sent = new List<Sent>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (type, @default, checkRewrite, path) = items[i];
            if (SqlItem.FindProblem(type) is { } typeProblem)
            {
                var refused = $"not sent to the server: {typeProblem}";
                answers[i] = new ProbeAnswer(null, null, refused, @default is null ? null : refused, false);
                continue;
            }

            string? defaultRefused = null;
            if (@default is not null && SqlItem.FindProblem(@default) is { } defaultProblem)
            {
                defaultRefused = $"not sent to the server: {defaultProblem}";
                @default = null;
            }

            sent.Add(new Sent(i, type, @default, checkRewrite && @default is not null, path));
            answers[i] = new ProbeAnswer(null, null, null, defaultRefused, false);
        }

        // Objects: the same text under the same path is asked once (and checked once).
        var objectAnswers = new ObjectAnswer?[objects.Count];
        var distinct = new List<ObjectProbe>();
        var refusedObjects = new Dictionary<string, ObjectAnswer>(StringComparer.Ordinal);
        var slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var slots = new int[objects.Count];
        for (var i = 0; i < objects.Count; i++)
        {
            var key = Key(objects[i]);
            slots[i] = -1;
            if (refusedObjects.TryGetValue(key, out var answer))
            {
                objectAnswers[i] = answer;
                continue;
            }

            if (!slotOf.TryGetValue(key, out var slot))
            {
                if (objects[i].Problem is { } problem)
                {
                    objectAnswers[i] = refusedObjects[key] = new ObjectAnswer(null, $"not sent to the server: {problem}");
                    continue;
                }

                slot = distinct.Count;
                slotOf[key] = slot;
                distinct.Add(objects[i]);
            }

            slots[i] = slot;
        }

        var distinctAnswers = new ObjectAnswer?[distinct.Count];
        if (sent.Count > 0 || distinct.Count > 0)
        {
            var state = new BatchState();
            try
            {
                await AllAtOnceAsync(connection, sent, answers, distinct, distinctAnswers, printPath, state, statistics, ct).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (IsItemError(ex))
            {
                await ExecuteAsync(connection, statistics, ct, $"ROLLBACK TO SAVEPOINT {Savepoint}", $"RELEASE SAVEPOINT {Savepoint}").ConfigureAwait(false);
                if (!state.ColumnsRead)
                {
                    foreach (var item in sent)
                    {
                        answers[item.Index] = await OneAsync(connection, item, printPath, answers[item.Index]!.DefaultError, statistics, ct).ConfigureAwait(false);
                    }
                }

                // The objects of the sections read in full keep their answers; the others are asked
                // again, in halves, until each failing one is found.
                var answered = new HashSet<int>();
                if (state.Layout is { } layout)
                {
                    answered.UnionWith(layout.Answered(state.ObjectSetsRead));
                    layout.Answer(state.Results, distinctAnswers, answered);
                }

                var rest = Enumerable.Range(0, distinct.Count).Where(i => !answered.Contains(i)).ToList();
                await BisectAsync(connection, distinct, rest, distinctAnswers, printPath, statistics, ct).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < objects.Count; i++)
        {
            if (slots[i] >= 0)
            {
                objectAnswers[i] = distinctAnswers[slots[i]] ?? new ObjectAnswer(null, "the server gave no answer");
            }
        }

        return (answers!, objectAnswers!);
    }

    /// <summary>The key a probe is asked by (the same text under the same path is asked once).</summary>
    internal static string Key(ObjectProbe item)
    {
        if (item.Prepared is { } prepared)
        {
            return prepared.Key ??= MakeKey(item);
        }

        return MakeKey(item);
    }

    private static string MakeKey(ObjectProbe item) =>
        string.Join(
            '\u0001',
            item.Kind,
            item.Text,
            item.Path?.Text ?? "\u0002",
            string.Join('\u0003', item.Columns.Select(c => c.Name + "\u0004" + c.Type)),
            item.TriggerHead,
            string.Join('\u0003', item.ColumnNames),
            item.Recursive,
            item.IsProcedure,
            item.Domain is null ? string.Empty : Identity(item.Domain));

    // Domains are not shared: each is asked as itself.
    private static string Identity(object value) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value).ToString(CultureInfo.InvariantCulture);

    private static async Task AllAtOnceAsync(
        NpgsqlConnection connection,
        List<Sent> sent,
        ProbeAnswer?[] answers,
        List<ObjectProbe> objects,
        ObjectAnswer?[] objectAnswers,
        SearchPath? printPath,
        BatchState state,
        SchemaQueryStatistics? statistics,
        CancellationToken ct)
    {
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT {Savepoint}"));

            // Items written under one path are created together under it; the chunk tables are read
            // afterwards, under the print path, all at once.
            var chunks = new List<string>();
            var rewrites = new List<int>();
            foreach (var group in Enumerable.Range(0, sent.Count).GroupBy(i => sent[i].Path))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(PathStatement(group.Key)));
                var members = group.ToList();
                for (var start = 0; start < members.Count; start += ChunkSize)
                {
                    var columns = members.Skip(start).Take(ChunkSize).Select(i => Column(Invariant($"c{i}"), sent[i].Type, sent[i].Default));
                    var name = Invariant($"dbadapter_probe_{chunks.Count}");
                    chunks.Add("pg_temp." + name);
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE TEMP TABLE {name} ({string.Join(", ", columns)})"));
                }

                foreach (var i in members.Where(i => sent[i].CheckRewrite))
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(Invariant($"CREATE TEMP TABLE dbadapter_rewrite_{i} (x integer)")));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(Invariant($"ALTER TABLE pg_temp.dbadapter_rewrite_{i} ADD COLUMN {Column("c", sent[i].Type, sent[i].Default)}")));
                    rewrites.Add(i);
                }
            }

            if (printPath is not null && sent.Count > 0)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(printPath.SetLocalStatement));
            }

            foreach (var chunk in chunks)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ColumnsOf(chunk, "substr(a.attname, 2)::integer")));
            }

            if (rewrites.Count > 0)
            {
                var rewritten = new NpgsqlBatchCommand(
                    "SELECT r.i, c.relfilenode <> c.oid FROM unnest($1::integer[]) AS r(i) " +
                    "JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass('pg_temp.dbadapter_rewrite_' || r.i)");
                rewritten.Parameters.Add(new NpgsqlParameter { Value = rewrites.ToArray() });
                batch.BatchCommands.Add(rewritten);
            }

            // Objects after the columns, so that the columns' answers are read even when an object fails.
            var layout = ObjectBatch.Add(batch, objects, connection.PostgreSqlVersion, printPath);
            state.Layout = layout;
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"ROLLBACK TO SAVEPOINT {Savepoint}"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"RELEASE SAVEPOINT {Savepoint}"));
            statistics?.Record(batch.BatchCommands.Count);

            var types = new string?[sent.Count];
            var defaults = new string?[sent.Count];
            var rewrote = new bool[sent.Count];
            var columnSets = chunks.Count + (rewrites.Count > 0 ? 1 : 0);
            var results = state.Results;
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // Rows of the column queries have an integer first field (3 fields; the rewrite query
                // 2), object rows a text tag: each row says which item it answers, so the order of
                // result sets does not matter. Once every column query is read the column answers are
                // kept, whatever an object does to the rest of the batch.
                do
                {
                    var isColumnSet = reader.FieldCount > 0 && reader.GetFieldType(0) == typeof(int);
                    var isObjectSet = reader.FieldCount > 0 && reader.GetFieldType(0) == typeof(string);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        if (reader.GetFieldType(0) == typeof(string))
                        {
                            results.Read(reader);
                            continue;
                        }

                        var i = reader.GetInt32(0);
                        if (reader.FieldCount == 3)
                        {
                            types[i] = reader.IsDBNull(1) ? null : reader.GetString(1);
                            defaults[i] = reader.IsDBNull(2) ? null : reader.GetString(2);
                        }
                        else
                        {
                            rewrote[i] = reader.GetBoolean(1);
                        }
                    }

                    if (isColumnSet && --columnSets == 0)
                    {
                        Keep(sent, answers, types, defaults, rewrote);
                        state.ColumnsRead = true;
                    }

                    if (isObjectSet)
                    {
                        state.ObjectSetsRead++;
                    }
                }
                while (await reader.NextResultAsync(ct).ConfigureAwait(false));
            }

            if (!state.ColumnsRead)
            {
                Keep(sent, answers, types, defaults, rewrote);
                state.ColumnsRead = true;
            }

            layout.Answer(results, objectAnswers, null);
        }

        static void Keep(List<Sent> sent, ProbeAnswer?[] answers, string?[] types, string?[] defaults, bool[] rewrote)
        {
            for (var i = 0; i < sent.Count; i++)
            {
                var index = sent[i].Index;
                answers[index] = answers[index]! with { Type = types[i], Default = defaults[i], Rewrites = rewrote[i] };
            }
        }
    }

    /// <summary>
    /// Asks <paramref name="items"/> (indices into <paramref name="objects"/>) in a savepoint of their
    /// own; when the server rejects one of them, asks each half again, so a failing object is found in
    /// a few round trips and every other gets its answer. A single failing object is answered with the
    /// server's reason.
    /// </summary>
    private static async Task BisectAsync(
        NpgsqlConnection connection,
        IReadOnlyList<ObjectProbe> objects,
        List<int> items,
        ObjectAnswer?[] answers,
        SearchPath? printPath,
        SchemaQueryStatistics? statistics,
        CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }

        var subset = items.Select(i => objects[i]).ToList();
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT {ItemSavepoint}"));
            var layout = ObjectBatch.Add(batch, subset, connection.PostgreSqlVersion, printPath);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"ROLLBACK TO SAVEPOINT {ItemSavepoint}"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"RELEASE SAVEPOINT {ItemSavepoint}"));
            statistics?.Record(batch.BatchCommands.Count);
            var results = new ObjectBatch.Results();
            try
            {
                var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    do
                    {
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            results.Read(reader);
                        }
                    }
                    while (await reader.NextResultAsync(ct).ConfigureAwait(false));
                }
            }
            catch (PostgresException ex) when (IsItemError(ex))
            {
                await ExecuteAsync(connection, statistics, ct, $"ROLLBACK TO SAVEPOINT {ItemSavepoint}", $"RELEASE SAVEPOINT {ItemSavepoint}").ConfigureAwait(false);
                if (items.Count == 1)
                {
                    answers[items[0]] = new ObjectAnswer(null, ex.MessageText);
                    return;
                }

                var half = items.Count / 2;
                await BisectAsync(connection, objects, items[..half], answers, printPath, statistics, ct).ConfigureAwait(false);
                await BisectAsync(connection, objects, items[half..], answers, printPath, statistics, ct).ConfigureAwait(false);
                return;
            }

            var subsetAnswers = new ObjectAnswer?[subset.Count];
            layout.Answer(results, subsetAnswers, null);
            for (var k = 0; k < items.Count; k++)
            {
                answers[items[k]] = subsetAnswers[k];
            }
        }
    }

    /// <summary>One item on its own: the type, then the default, then the rewrite, each told apart when it fails.</summary>
    private static async Task<ProbeAnswer> OneAsync(
        NpgsqlConnection connection,
        Sent item,
        SearchPath? printPath,
        string? refusedDefault,
        SchemaQueryStatistics? statistics,
        CancellationToken ct)
    {
        var (_, type, @default, checkRewrite, path) = item;
        var resolve = PathStatement(path);
        var print = printPath?.SetLocalStatement ?? resolve;
        string? canonicalType = null;
        string? canonicalDefault = null;
        var rewrites = false;
        var failure = "type";
        try
        {
            canonicalType = await ScalarAsync(
                connection,
                statistics,
                ct,
                1,
                $"SAVEPOINT {ItemSavepoint}",
                resolve,
                $"CREATE TEMP TABLE dbadapter_probe_one ({Column("c", type, null)})",
                print,
                ColumnsOf("pg_temp.dbadapter_probe_one", "a.attnum")).ConfigureAwait(false);
            if (@default is not null)
            {
                failure = "default";
                canonicalDefault = await ScalarAsync(
                    connection,
                    statistics,
                    ct,
                    2,
                    resolve,
                    $"ALTER TABLE pg_temp.dbadapter_probe_one ALTER COLUMN c SET DEFAULT {@default}",
                    print,
                    ColumnsOf("pg_temp.dbadapter_probe_one", "a.attnum")).ConfigureAwait(false);
            }

            if (checkRewrite)
            {
                failure = "rewrite";
                rewrites = await ScalarAsync(
                    connection,
                    statistics,
                    ct,
                    0,
                    resolve,
                    "CREATE TEMP TABLE dbadapter_rewrite_one (x integer)",
                    $"ALTER TABLE pg_temp.dbadapter_rewrite_one ADD COLUMN {Column("c", type, @default)}",
                    "SELECT c.relfilenode <> c.oid FROM pg_catalog.pg_class c WHERE c.oid = 'pg_temp.dbadapter_rewrite_one'::regclass").ConfigureAwait(false) == "True";
            }
        }
        catch (PostgresException ex) when (IsItemError(ex))
        {
            await ExecuteAsync(connection, statistics, ct, $"ROLLBACK TO SAVEPOINT {ItemSavepoint}", $"RELEASE SAVEPOINT {ItemSavepoint}").ConfigureAwait(false);
            return failure switch
            {
                "type" => new ProbeAnswer(null, null, ex.MessageText, @default is null ? refusedDefault : ex.MessageText, false),
                "default" => new ProbeAnswer(canonicalType, null, null, ex.MessageText, false),
                _ => new ProbeAnswer(canonicalType, canonicalDefault, null, ex.MessageText, false),
            };
        }

        await ExecuteAsync(connection, statistics, ct, $"ROLLBACK TO SAVEPOINT {ItemSavepoint}", $"RELEASE SAVEPOINT {ItemSavepoint}").ConfigureAwait(false);
        return new ProbeAnswer(canonicalType, canonicalDefault, null, refusedDefault, rewrites);
    }

    /// <summary>Resolves names under <paramref name="path"/>, or the session's own path when null, until the savepoint is rolled back.</summary>
    internal static string PathStatement(SearchPath? path) => path?.SetLocalStatement ?? SearchPath.SetLocalDefaultStatement;

    /// <summary>"name type [DEFAULT expr]" with the name quoted (it is ours) and the items as checked.</summary>
    private static string Column(string name, string type, string? @default) =>
        @default is null ? $"{name} {type}" : $"{name} {type} DEFAULT {@default}";

    /// <summary>
    /// (key, format_type, default) of the columns of one probe table; the key tells the item. A default
    /// names no column, so it is deparsed without its table: with the table, each call builds the
    /// names of all its columns again (quadratic: 150 ms for 400 defaults).
    /// </summary>
    private static string ColumnsOf(string table, string key) =>
        $"""
        SELECT {key}, pg_catalog.format_type(a.atttypid, a.atttypmod), pg_catalog.pg_get_expr(d.adbin, 0)
          FROM pg_catalog.pg_attribute a
          LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = '{table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped
        """;

    /// <summary>
    /// Errors that mean "this item is wrong here" (unknown type or function, bad syntax or value): the
    /// items are then asked one by one. Anything else (a lost connection, a timeout) is not about an item.
    /// </summary>
    private static bool IsItemError(PostgresException ex) =>
        ex.SqlState.StartsWith("42", StringComparison.Ordinal) || ex.SqlState.StartsWith("22", StringComparison.Ordinal) ||
        ex.SqlState.StartsWith("0A", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal);

    /// <summary>Runs the statements as one batch; returns <paramref name="field"/> of the last row read (as text), or null.</summary>
    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, SchemaQueryStatistics? statistics, CancellationToken ct, int field, params string[] statements)
    {
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var statement in statements)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            statistics?.Record(batch.BatchCommands.Count);
            string? value = null;
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                do
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        value = reader.IsDBNull(field) ? null : Convert.ToString(reader.GetValue(field), CultureInfo.InvariantCulture);
                    }
                }
                while (await reader.NextResultAsync(ct).ConfigureAwait(false));
            }

            return value;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, SchemaQueryStatistics? statistics, CancellationToken ct, params string[] statements)
    {
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var statement in statements)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            statistics?.Record(batch.BatchCommands.Count);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>An item sent to the server, with its place in the caller's list.</summary>
    private readonly record struct Sent(int Index, string Type, string? Default, bool CheckRewrite, SearchPath? Path);

    /// <summary>How far reading the batch got: the answers read before a failing statement are kept.</summary>
    private sealed class BatchState
    {
        public bool ColumnsRead { get; set; }

        public ObjectBatch.Layout? Layout { get; set; }

        public ObjectBatch.Results Results { get; } = new();

        /// <summary>Object result sets read to their end.</summary>
        public int ObjectSetsRead { get; set; }
    }
}
