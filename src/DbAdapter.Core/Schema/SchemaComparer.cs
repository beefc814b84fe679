using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Compares an expected schema (from schema.sql, spelled as a person writes it) with a live one (from
/// <see cref="SchemaIntrospector"/>): tables and columns here, the objects beyond them in
/// <see cref="ObjectComparer"/>. Types, defaults and every expression are compared in the server's own
/// canonical spelling, which the server produces for the expected side in two round trips (the view
/// queries, then the rest), so a database built by running schema.sql shows no difference at all.
/// </summary>
public static class SchemaComparer
{
    /// <summary>
    /// Compares <paramref name="expected"/> with <paramref name="live"/> within <paramref name="schemas"/>.
    /// The connection (open and inside a transaction, which is left as it was) is only used to
    /// canonicalise expected types and defaults under a savepoint; nothing it does survives the call.
    /// </summary>
    /// <param name="expected">The model of schema.sql.</param>
    /// <param name="live">The model of the database.</param>
    /// <param name="connection">An open connection to the live database.</param>
    /// <param name="schemas">The profile's schemas; the first is the one whose tables display bare.</param>
    /// <param name="ct">Cancels the comparison.</param>
    public static Task<SchemaComparison> CompareAsync(
        SchemaModel expected,
        SchemaModel live,
        NpgsqlConnection connection,
        IReadOnlyList<string> schemas,
        CancellationToken ct) =>
        CompareAsync(expected, live, connection, schemas, statistics: null, ct);

    /// <summary>
    /// As <see cref="CompareAsync(SchemaModel, SchemaModel, NpgsqlConnection, IReadOnlyList{string}, CancellationToken)"/>,
    /// and records the statements and round trips it used in <paramref name="statistics"/>.
    /// </summary>
    public static Task<SchemaComparison> CompareAsync(
        SchemaModel expected,
        SchemaModel live,
        NpgsqlConnection connection,
        IReadOnlyList<string> schemas,
        SchemaQueryStatistics? statistics,
        CancellationToken ct) =>
        CompareAsync(expected, live, connection, schemas, statistics, prepared: null, ct);

    /// <summary>
    /// As above, with the view queries' probes made ahead by <see cref="ObjectComparer.PrepareQueries"/>
    /// for the same <paramref name="expected"/> (null: made here).
    /// </summary>
    internal static async Task<SchemaComparison> CompareAsync(
        SchemaModel expected,
        SchemaModel live,
        NpgsqlConnection connection,
        IReadOnlyList<string> schemas,
        SchemaQueryStatistics? statistics,
        IReadOnlyList<ObjectProbe?>? prepared,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(schemas);

        // The view queries are most of what the server must spell (each is parsed in full): they go
        // first, in a round trip of their own, and the server parses them while this side pairs the
        // tables and builds the rest of the probe. Both round trips are there for 10 tables or 10,000.
        var printPath = SchemaIntrospector.PrintPath(schemas);
        var queries = ObjectComparer.QueryProbes(expected, live, schemas, prepared);
        var asking = queries.Count == 0 ? null : ServerProbe.RunAsync(connection, [], queries.ConvertAll(q => q.Probe), printPath, statistics, ct);
        try
        {
            return await CompareAsync(expected, live, connection, schemas, statistics, queries, asking, ct).ConfigureAwait(false);
        }
        catch when (asking is { IsCompleted: false })
        {
            // The connection is still busy with the view queries: let them end before it is used again.
            await Task.WhenAny(asking).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<SchemaComparison> CompareAsync(
        SchemaModel expected,
        SchemaModel live,
        NpgsqlConnection connection,
        IReadOnlyList<string> schemas,
        SchemaQueryStatistics? statistics,
        List<(ViewModel View, ObjectProbe Probe)> queries,
        Task<(IReadOnlyList<ProbeAnswer> Columns, IReadOnlyList<ObjectAnswer> Objects)>? asking,
        CancellationToken ct)
    {
        var result = new SchemaComparison(schemas);
        var compared = new HashSet<string>(schemas, StringComparer.Ordinal);
        var liveTables = new Dictionary<TableName, TableModel>();
        foreach (var table in live.Tables)
        {
            liveTables.TryAdd(table.QualifiedName, table);
        }

        var pairs = new List<ColumnPair>();
        var tables = new List<(TableModel Expected, TableModel Live)>();
        var expectedNames = new HashSet<TableName>();
        foreach (var table in expected.Tables)
        {
            if (!compared.Contains(table.Schema))
            {
                result.Warnings.Add(
                    $"Table {table.Schema}.{table.Name} of the schema file is in schema '{table.Schema}', which is not among the compared schemas ({string.Join(", ", schemas)}); it was not compared.");
                continue;
            }

            if (!expectedNames.Add(table.QualifiedName))
            {
                continue;
            }

            if (!liveTables.TryGetValue(table.QualifiedName, out var liveTable))
            {
                result.MissingTables.Add(table.QualifiedName);
                continue;
            }

            tables.Add((table, liveTable));
            var liveColumns = liveTable.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
            var expectedColumns = new HashSet<string>(StringComparer.Ordinal);
            foreach (var column in table.Columns)
            {
                expectedColumns.Add(column.Name);
                if (liveColumns.TryGetValue(column.Name, out var liveColumn))
                {
                    pairs.Add(new ColumnPair(table, column, liveColumn, ExpectedColumn.From(table, column)));
                }
                else
                {
                    result.MissingColumns.Add(new ColumnRef(table.Schema, table.Name, column.Name));
                }
            }

            foreach (var liveColumn in liveTable.Columns)
            {
                if (!expectedColumns.Contains(liveColumn.Name))
                {
                    result.ExtraColumns.Add(new ColumnRef(table.Schema, table.Name, liveColumn.Name));
                }
            }
        }

        foreach (var table in live.Tables)
        {
            if (compared.Contains(table.Schema) && !expectedNames.Contains(table.QualifiedName))
            {
                result.ExtraTables.Add(table.QualifiedName);
            }
        }

        var objects = new ObjectComparer(expected, live, schemas, tables, queries);
        var items = new List<ProbeItem>();
        var seen = new HashSet<ProbeItem>();
        foreach (var pair in pairs)
        {
            if (seen.Add(pair.Expected.ProbeKey))
            {
                items.Add(pair.Expected.ProbeKey);
            }
        }

        var columnCount = items.Count;
        items.AddRange(objects.TypeProbes);

        // Every other column shape and object the server must spell, in one more round trip.
        var queryIndex = new Dictionary<ObjectProbe, int>(ReferenceEqualityComparer.Instance);
        for (var q = 0; q < queries.Count; q++)
        {
            queryIndex[queries[q].Probe] = q;
        }

        var others = objects.Probes.Where(p => !queryIndex.ContainsKey(p)).ToList();

        // The live side's entries need no answer: built on another core while the server answers.
        var preparing = Task.Run(objects.PrepareLive, CancellationToken.None);
        IReadOnlyList<ObjectAnswer> queryAnswers = [];
        IReadOnlyList<ProbeAnswer> answers;
        IReadOnlyList<ObjectAnswer> otherAnswers;
        try
        {
            // And what schema.sql's side needs no answer for, here, meanwhile.
            objects.PrepareExpected();
            if (asking is not null)
            {
                queryAnswers = (await asking.ConfigureAwait(false)).Objects;
            }

            (answers, otherAnswers) = await ServerProbe.RunAsync(connection, items, others, SchemaIntrospector.PrintPath(schemas), statistics, ct).ConfigureAwait(false);
        }
        finally
        {
            await preparing.ConfigureAwait(false);
        }

        var objectAnswers = new List<ObjectAnswer>(objects.Probes.Count);
        var next = 0;
        foreach (var probe in objects.Probes)
        {
            objectAnswers.Add(queryIndex.TryGetValue(probe, out var q) ? queryAnswers[q] : otherAnswers[next++]);
        }

        var canonical = new Dictionary<ProbeItem, ProbeAnswer>(columnCount);
        for (var i = 0; i < columnCount; i++)
        {
            canonical[items[i]] = answers[i];
        }

        foreach (var pair in pairs)
        {
            CompareColumn(pair, canonical, result);
        }

        objects.Compare(objectAnswers, answers.Skip(columnCount).ToList(), result);
        return result;
    }

    private static void CompareColumn(ColumnPair pair, Dictionary<ProbeItem, ProbeAnswer> canonical, SchemaComparison result)
    {
        var (table, column, live, expected) = pair;
        canonical.TryGetValue(expected.ProbeKey, out var answer);

        // Type: the server's spelling when it knows the type; the documented aliases otherwise.
        bool sameType;
        string expectedType;
        if (answer?.Type is { } serverType)
        {
            expectedType = serverType;
            sameType = string.Equals(serverType, live.Type, StringComparison.Ordinal);
        }
        else
        {
            expectedType = TypeText.Canonical(expected.Type);
            sameType = string.Equals(expectedType, TypeText.Canonical(live.Type), StringComparison.Ordinal);
            if (answer?.TypeError is { } typeError)
            {
                result.Warnings.Add($"{Where(result, table, column)}: the server could not interpret type '{expected.Type}' ({typeError}); compared as text.");
            }
        }

        if (!sameType)
        {
            result.Differences.Add(new ColumnDifference(table.Schema, table.Name, column.Name, DifferenceKind.Type, expectedType, live.Type));
        }

        if (expected.NotNull != live.NotNull)
        {
            result.Differences.Add(new ColumnDifference(
                table.Schema, table.Name, column.Name, DifferenceKind.Nullability, NullabilityText(expected.NotNull), NullabilityText(live.NotNull)));
        }

        var (sameDefault, expectedDefault) = CompareDefault(expected, live, answer, result, table, column);
        if (!sameDefault)
        {
            result.Differences.Add(new ColumnDifference(
                table.Schema, table.Name, column.Name, DifferenceKind.Default, expectedDefault, DefaultText(live)));
        }
    }

    private static (bool Same, string? Expected) CompareDefault(
        ExpectedColumn expected,
        ColumnModel live,
        ProbeAnswer? answer,
        SchemaComparison result,
        TableModel table,
        ColumnModel column)
    {
        if (expected.Generated is not null || live.Generated is not null)
        {
            // Generated expressions are not canonicalised (they may name sibling columns): only their
            // presence is compared.
            return ((expected.Generated is null) == (live.Generated is null), expected.Generated is null ? null : $"GENERATED ALWAYS AS ({expected.Generated}) STORED");
        }

        if (expected.Identity is not null || live.Identity is not null)
        {
            return (string.Equals(expected.Identity, live.Identity, StringComparison.Ordinal), IdentityText(expected.Identity));
        }

        if (expected.IsSerial)
        {
            // The sequence name is the server's choice (truncated, suffixed on collision): any
            // nextval() default is what SERIAL makes.
            var isNextval = live.Default is { } d && d.StartsWith("nextval(", StringComparison.Ordinal);
            return (isNextval, $"nextval('{table.Name}_{column.Name}_seq'::regclass)");
        }

        // The server stores DEFAULT NULL of some types as a cast null ("NULL::character varying"):
        // a default that is the null value is no default, on either side.
        var liveDefault = ExpectedColumn.IsNullConstant(live.Default) ? null : live.Default;
        if (expected.Default is null)
        {
            return (liveDefault is null, null);
        }

        if (answer is { TypeError: null, DefaultError: null })
        {
            return (string.Equals(answer.Default, liveDefault, StringComparison.Ordinal), answer.Default);
        }

        if (answer?.DefaultError is { } error && answer.TypeError is null)
        {
            result.Warnings.Add($"{Where(result, table, column)}: the server could not interpret default '{expected.Default}' ({error}); compared as text.");
        }

        var same = liveDefault is not null &&
            string.Equals(SqlFragment.Fold(expected.Default), SqlFragment.Fold(liveDefault), StringComparison.Ordinal);
        return (same, expected.Default);
    }

    private static string Where(SchemaComparison result, TableModel table, ColumnModel column) =>
        $"{result.Display(table.QualifiedName)}.{column.Name}";

    private static string NullabilityText(bool notNull) => notNull ? "NOT NULL" : "NULL";

    private static string? IdentityText(string? identity) => identity switch
    {
        null => null,
        "a" => "GENERATED ALWAYS AS IDENTITY",
        _ => "GENERATED BY DEFAULT AS IDENTITY",
    };

    private static string? DefaultText(ColumnModel live) =>
        live.Generated is not null ? $"GENERATED ALWAYS AS ({live.Generated}) STORED"
        : live.Identity is not null ? IdentityText(live.Identity)
        : live.Default;

    private sealed record ColumnPair(TableModel Table, ColumnModel Column, ColumnModel Live, ExpectedColumn Expected);
}
