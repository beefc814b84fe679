using System.Globalization;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Plans the repair of a database's drift against schema.sql: missing tables are created from their
/// CREATE TABLE text (with schema.sql's ALTER TABLE and CREATE INDEX statements of that table, and the
/// sequences it owns), missing columns are added one ALTER each, tables named in
/// <see cref="FixPlanOptions.RecreateTables"/> are rebuilt keeping their rows. Nothing is ever dropped
/// and extra tables and columns are never touched. Each step carries its hazards, computed against
/// the live row counts.
/// </summary>
/// <remarks>
/// Every table a step creates or alters is named schema-qualified, and text from the file runs under
/// the search_path the file wrote it under (SET LOCAL in the fix transaction), so nothing can land in
/// another schema than the one compared. An expected schema read from a catalog (shadow mode) has no
/// text: its steps are built from the catalog's own definitions (<see cref="CatalogDdl"/>).
/// </remarks>
public static class FixPlanner
{
    /// <summary>
    /// Introspects and compares the live database now (nothing cached from an earlier comparison)
    /// and returns the plan. Reads only, in one transaction that is always rolled back: nothing of the
    /// schema file is evaluated on live data (see <see cref="ServerProbe"/>), and no lock stronger than
    /// ACCESS SHARE is taken on a user table.
    /// </summary>
    /// <param name="client">The database.</param>
    /// <param name="expected">schema.sql's model.</param>
    /// <param name="schemas">The profile's schemas; the first is where bare names live.</param>
    /// <param name="options">Column-defs overrides and tables to recreate.</param>
    /// <param name="reporter">Receives verbose lines.</param>
    /// <param name="ct">Cancels the reads.</param>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.FixFailed"/> (InvalidArgument) for a table in RecreateTables that schema.sql
    /// does not declare, (InvalidData) for a missing table schema.sql has no CREATE TABLE text for;
    /// connection and query failures as the client translates them.
    /// </exception>
    public static async Task<FixPlan> PlanAsync(
        DbClient client,
        SchemaModel expected,
        IReadOnlyList<string> schemas,
        FixPlanOptions options,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reporter);
        if (schemas.Count == 0)
        {
            throw new ArgumentException("At least one schema is needed.", nameof(schemas));
        }

        var recreate = ResolveRecreateTables(expected, schemas, options.RecreateTables ?? []);
        try
        {
            // One transaction, always rolled back: one snapshot for counts and catalog, and the
            // server-side probes leave nothing behind.
            return await client.UseRolledBackTransactionAsync(
                async (connection, token) =>
                {
                    var plan = await PlanCoreAsync(connection, expected, schemas, options, recreate, reporter, token).ConfigureAwait(false);

                    // What the plan relies on, read in the same transaction: applying checks it again.
                    var fingerprint = await CatalogFingerprint.ReadAsync(connection, plan.ChangedTables, token).ConfigureAwait(false);
                    return new FixPlan(plan.Expected, plan.Schemas, plan.Steps, plan.Warnings, FixPlanOrigin.Of(options, DateTimeOffset.UtcNow), fingerprint);
                },
                ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            throw client.Translate(ex, "planning the schema fix");
        }
    }

    private static async Task<FixPlan> PlanCoreAsync(
        NpgsqlConnection connection,
        SchemaModel expected,
        IReadOnlyList<string> schemas,
        FixPlanOptions options,
        List<TableModel> recreate,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        reporter.Verbose($"Reading the live schema of {string.Join(", ", schemas)} to plan the fix.");
        var live = await SchemaIntrospector.ReadAsync(connection, schemas, ct).ConfigureAwait(false);
        var comparison = await SchemaComparer.CompareAsync(expected, live, connection, schemas, ct).ConfigureAwait(false);
        var warnings = new List<string>(comparison.Warnings);

        var missingTables = comparison.MissingTables.ToHashSet();
        var missingColumns = comparison.MissingColumns
            .Where(c => !AddedByAncestor(c, comparison.MissingColumns.ToHashSet(), live))
            .ToLookup(c => new TableName(c.Schema, c.Table));
        var context = new StepContext(expected, schemas, expected.FromCatalog ? SchemaIntrospector.PrintPath(schemas) : null, new StepSequences(expected, live, expected.FromCatalog ? SchemaIntrospector.PrintPath(schemas) : null));

        // Sequences of their own steps (CreateSequence) are not made again by a table or column that uses them.
        context.Sequences.Reserve(comparison.MissingObjects.Where(o => o.Kind == ObjectKind.Sequence).Select(o => new TableName(o.Schema, o.Name)));
        var recreateNames = new HashSet<TableName>();
        foreach (var table in recreate)
        {
            if (missingTables.Contains(table.QualifiedName))
            {
                warnings.Add($"{comparison.Display(table.QualifiedName)} is not in the database: it is created, there is nothing to recreate.");
            }
            else
            {
                recreateNames.Add(table.QualifiedName);
            }
        }

        // One query counts the rows of every existing table a step changes: hazards depend on them.
        var counted = recreateNames.Concat(missingColumns.Select(g => g.Key))
            .Concat(comparison.MissingObjects.Where(o => o.Table is not null).Select(o => new TableName(o.Schema, o.Table!)))
            .Distinct()
            .ToList();
        var counts = await RowCounter.CountAsync(connection, counted, ct).ConfigureAwait(false);
        var rows = counted.Select((t, i) => (t, counts[i])).ToDictionary(p => p.t, p => p.Item2);

        var defaults = options.ColumnDefinitions ?? ColumnDefinitions.Empty;
        var steps = new List<PlannedStep>();
        var additions = new List<PlannedAddition>();
        var sequence = 0;
        foreach (var table in expected.Tables)
        {
            var name = table.QualifiedName;
            var display = comparison.Display(name);
            if (missingTables.Contains(name))
            {
                steps.Add(CreateStep(table, context, display, FixOperation.CreateTable, sequence++, vacated: null));
            }
            else if (recreateNames.Remove(name))
            {
                var facts = await TableRecreation.ReadAsync(connection, name, ct).ConfigureAwait(false);
                var vacated = facts.OwnedSequences.Select(o => new TableName(o.Schema, o.Sequence)).ToHashSet();
                var step = CreateStep(table, context, display, FixOperation.RecreateTable, sequence++, vacated);
                step.Rows = rows[name];
                var sequenceColumns = expected.Sequences
                    .Where(s => s.OwnedBy is { } o && o.Schema == name.Schema && o.Table == name.Name)
                    .Select(s => s.OwnedBy!.Column)
                    .ToHashSet(StringComparer.Ordinal);
                TableRecreation.Build(step, table, live.FindTable(name.Schema, name.Name)!, facts, rows[name], display, sequenceColumns);
                steps.Add(step);
            }
            else
            {
                foreach (var missing in missingColumns[name])
                {
                    var column = table.FindColumn(missing.Column)!;
                    var (definition, path) = defaults.Find(name.Schema, name.Name, column.Name) is { } overridden
                        ? (overridden, (SearchPath?)null)
                        : context.CatalogPath is { } catalogPath
                            ? (CatalogDdl.ColumnDefinition(table, column), catalogPath)
                            : (column.Definition ?? column.Type, column.SearchPath);
                    var addition = ColumnAddition.Read(column.Name, definition, name.Schema, name.Name);

                    var step = AddColumnStep(name, column.Name, addition, StepSql.Under(string.Empty, path), display, sequence++);
                    step.Rows = rows[name];
                    var created = context.Sequences.AddTo(step, table, [column]);
                    additions.Add(new PlannedAddition(step, addition, rows[name], created.Count > 0 ? created[0] : null, path));
                    steps.Add(step);
                }
            }
        }

        await AssessAdditionsAsync(connection, additions, warnings, ct).ConfigureAwait(false);

        // Constraints, indexes, types, sequences, functions, views and triggers the database lacks.
        var objectInput = new ObjectPlanInput(
            expected,
            comparison,
            context.CatalogPath,
            rows,
            missingTables,
            steps.Where(s => s.Operation == FixOperation.RecreateTable).Select(s => s.Table).ToHashSet(),
            additions.ToDictionary(a => new ColumnRef(a.Step.Table.Schema, a.Step.Table.Name, a.Step.Column!), a => a.Addition));
        steps.AddRange(ObjectSteps.Plan(objectInput, ref sequence, warnings));

        var ordered = StepOrdering.Order(steps, (step, clause) => Resolve(step, clause, expected, schemas));
        var lockedWithRows = ordered
            .Where(s => s.Operation is FixOperation.AddColumn or FixOperation.RecreateTable or FixOperation.AddConstraint && s.Rows > 0)
            .Select(s => s.Display)
            .Distinct()
            .ToList();
        if (lockedWithRows.Count > 0)
        {
            // Per step this would repeat on every column; once per plan it says what matters: the
            // whole plan is one transaction, so each ALTERed table stays locked until it commits.
            warnings.Add(
                $"The fix runs in one transaction: {string.Join(", ", lockedWithRows)} (with rows) stay locked (ACCESS EXCLUSIVE: no reads or writes by others) from their first ALTER until the fix commits.");
        }

        var setPaths = ordered.Any(s => s.NeedsExplicitPath);
        var result = ordered.Select((s, i) => s.ToStep(i + 1, setPaths)).ToList();
        reporter.Verbose(string.Create(CultureInfo.InvariantCulture, $"Fix plan: {result.Count} step(s)."));
        return new FixPlan(expected, schemas, result, warnings);
    }

    /// <summary>
    /// A CreateTable (or the core of a RecreateTable) step: the table's CREATE TABLE, the sequences it
    /// needs, its ALTERs and indexes, and, last, the ATTACH PARTITION that makes it a partition (after
    /// its own keys, so attaching adopts the partition's key index instead of building a second one).
    /// </summary>
    private static PlannedStep CreateStep(TableModel table, StepContext context, string display, FixOperation operation, int sequence, IReadOnlySet<TableName>? vacated)
    {
        StepSql main;
        if (context.CatalogPath is { } catalogPath)
        {
            main = StepSql.Under(CatalogDdl.CreateTable(table), catalogPath);
        }
        else
        {
            var create = table.Create
                ?? throw new DbAdapterException(
                    ErrorIds.FixFailed,
                    DbErrorKind.InvalidData,
                    $"Table {display} cannot be created: the expected schema has no CREATE TABLE text for it. Plan from a schema.sql file.",
                    table.QualifiedName.ToString());
            main = StepSql.Under(create.Render().Trim().TrimEnd(';'), create.SearchPath);
        }

        var step = new PlannedStep
        {
            Operation = operation,
            Table = table.QualifiedName,
            Display = display,
            Sequence = sequence,
            Main = main.Sql,
            MainPath = main,
            Describe = s => Describe(s, display),
        };
        step.DependsOn.AddRange(table.Parents);
        step.Clauses.AddRange(DdlText.FindCreateTableForeignKeys(step.Main));

        var attach = new List<StepSql>();
        if (context.CatalogPath is { } path)
        {
            step.After.AddRange(CatalogDdl.Indexes(context.Expected, table).Select(i => StepSql.Under(i, path)));
            if (CatalogDdl.AttachPartition(table) is { } attachment)
            {
                attach.Add(StepSql.Under(attachment, path));
            }
        }
        else
        {
            // ALTER TABLE ADD COLUMN / ADD CONSTRAINT / ENABLE ROW LEVEL SECURITY and CREATE INDEX after
            // the CREATE are part of the table schema.sql declares: a created table must end up with all
            // of it. They run in file order: an index names the columns as they were where it stands.
            var indexes = context.Expected.Indexes
                .Where(i => i.Schema == table.Schema && i.Table == table.Name && i.Statement is not null)
                .Select(i => i.Statement!);
            foreach (var statement in table.AlterStatements.Concat(indexes).OrderBy(s => s.Line))
            {
                var sql = StepSql.Under(statement.Render(), statement.SearchPath);
                if (statement.AttachesPartition)
                {
                    attach.Add(sql);
                    continue;
                }

                var references = DdlText.ReferencedTables(sql.Sql)
                    .Select(r => new TableName(r.Schema ?? table.Schema, r.Table))
                    .ToList();
                step.Alters.Add((sql, references));
            }

            // An expected model built without a file (by hand) has only the index's text.
            step.After.AddRange(context.Expected.Indexes
                .Where(i => i.Schema == table.Schema && i.Table == table.Name && i.Statement is null)
                .Select(i => (StepSql)i.Definition));
        }

        context.Sequences.AddTo(step, table, table.Columns, vacated);
        step.After.AddRange(attach);
        return step;
    }

    private static string Describe(PlannedStep step, string display)
    {
        var text = step.Operation switch
        {
            FixOperation.CreateTable => $"Create table {display}",
            _ => string.Empty,
        };
        if (step.Operation == FixOperation.RecreateTable)
        {
            text = $"Recreate table {display} in schema.sql's column order, keeping its {ColumnAddition.Rows(step.Rows)} rows";
        }

        if (step.DeferredNames.Count > 0)
        {
            text += $", then add the foreign keys that close a cycle: {string.Join("; ", step.DeferredNames)}";
        }

        return text;
    }

    private static PlannedStep AddColumnStep(TableName table, string column, ColumnAddition addition, StepSql path, string display, int sequence)
    {
        var step = new PlannedStep
        {
            Operation = FixOperation.AddColumn,
            Table = table,
            Display = display,
            Column = column,
            Sequence = sequence,
            Main = addition.Definition.Trim(),
            MainPath = path,
            Wrap = definition => $"ALTER TABLE {table.Quoted} ADD COLUMN {SqlIdentifier.Quote(column)} {definition}",
            Describe = s =>
            {
                var text = $"Add column {column} {s.Main}";
                if (s.Hazards.FirstOrDefault(h => h.Kind == FixHazardKinds.NotNullDeferred) is not null)
                {
                    text += " (NOT NULL deferred: existing rows have no value yet)";
                }

                if (s.DeferredNames.Count > 0)
                {
                    text += $", then add the foreign keys that close a cycle: {string.Join("; ", s.DeferredNames)}";
                }

                return text;
            },
        };
        step.Clauses.AddRange(DdlText.FindColumnReferences(step.Main, column));
        return step;
    }

    private static async Task AssessAdditionsAsync(
        NpgsqlConnection connection,
        List<PlannedAddition> additions,
        List<string> warnings,
        CancellationToken ct)
    {
        // Only a default on a table with rows can rewrite it; the server says which ones do. A default
        // that draws from a sequence the step itself creates cannot be shown to the server (the
        // sequence does not exist yet), and needs no asking: nextval() is volatile, every row draws.
        var probed = additions
            .Where(a => a.Rows > 0 && a.Addition.HasDefault && !a.Addition.FillsRows && a.CreatedSequence is null)
            .ToList();
        var answers = await ServerProbe.RunAsync(
                connection,
                probed.ConvertAll(a => new ProbeItem(a.Addition.Column.Type, a.Addition.Column.Default, CheckRewrite: true, a.Path)),
                printPath: null,
                statistics: null,
                ct)
            .ConfigureAwait(false);
        var rewrites = new Dictionary<PlannedStep, bool>();
        for (var i = 0; i < probed.Count; i++)
        {
            var (step, addition, _, _, _) = probed[i];
            rewrites[step] = answers[i].Rewrites;
            if ((answers[i].TypeError ?? answers[i].DefaultError) is { } error)
            {
                warnings.Add($"{step.Display}.{step.Column}: the server rejects '{addition.Column.Type} DEFAULT {addition.Column.Default}' ({error}); that step will fail unless the database changes first.");
            }
        }

        foreach (var (step, addition, rows, createdSequence, _) in additions)
        {
            if (rows == 0)
            {
                continue;
            }

            var where = step.Display;
            var count = ColumnAddition.Rows(rows);
            var column = step.Column!;
            if (!addition.HasDefault && !addition.FillsRows && DdlText.HasNotNull(addition.Definition))
            {
                // The ALTER would fail on the first row without a value: add the column nullable and
                // say exactly what finishes the job once the rows have values.
                step.Main = DdlText.RemoveNotNull(step.Main);
                step.Clauses.Clear();
                step.Clauses.AddRange(DdlText.FindColumnReferences(step.Main, column));
                step.Hazards.Add(new FixHazard(
                    FixHazardKinds.NotNullDeferred,
                    false,
                    $"Column {column} is declared NOT NULL without a default, and {where} has {count} row(s) without a value for it: it is added without NOT NULL. " +
                    $"Fill it, then run: ALTER TABLE {step.Table.Quoted} ALTER COLUMN {SqlIdentifier.Quote(column)} SET NOT NULL"));
            }

            var rewriteReason = addition.KnownRewriteReason()
                ?? (createdSequence is not null && addition.HasDefault
                    ? $"its default {addition.Column.Default} draws a value from sequence {createdSequence.QualifiedName} (created by this step) for each existing row"
                    : null)
                ?? (rewrites.TryGetValue(step, out var rewrites1) && rewrites1
                    ? $"its default {addition.Column.Default} is volatile (evaluated for each existing row)"
                    : null);
            if (rewriteReason is not null)
            {
                step.Hazards.Add(new FixHazard(
                    FixHazardKinds.RewritesTable,
                    true,
                    $"Adding column {column} rewrites all {count} row(s) of {where} because {rewriteReason}; the table is locked (ACCESS EXCLUSIVE) while it is rewritten and until the fix commits."));
            }

            if (addition.IsUnique || addition.IsPrimaryKey)
            {
                var kind = addition.IsPrimaryKey ? "PRIMARY KEY" : "UNIQUE";
                string outcome;
                if (addition.FillsRows || rewriteReason is not null)
                {
                    outcome = "each existing row gets its own value; the step fails if two of them collide";
                }
                else if (addition.HasDefault)
                {
                    outcome = rows > 1
                        ? "every existing row gets the same default, so building the unique index fails and the whole fix rolls back; add the column without the constraint, fill distinct values, then add it"
                        : "the one existing row gets the default";
                }
                else
                {
                    outcome = addition.IsPrimaryKey
                        ? "existing rows would get NULL in a primary key column, so the step fails and the whole fix rolls back; give the column a default or add the key after filling it"
                        : "existing rows get NULL, which UNIQUE allows";
                }

                step.Hazards.Add(new FixHazard(
                    FixHazardKinds.UniqueOnExistingRows,
                    false,
                    $"Column {column} is {kind} and {where} already has {count} row(s): {outcome}."));
            }

            if (rewriteReason is null)
            {
                var scans = new List<string>();
                if (addition.IsUnique || addition.IsPrimaryKey)
                {
                    scans.Add("builds a unique index over them");
                }

                if (addition.HasDefault && addition.HasChecks)
                {
                    scans.Add("checks its CHECK constraint on each of them");
                }

                if (addition.HasDefault && addition.HasReferences)
                {
                    scans.Add("validates its foreign key for each of them");
                }

                if (scans.Count > 0)
                {
                    step.Hazards.Add(new FixHazard(
                        FixHazardKinds.LocksTable,
                        false,
                        $"Adding column {column} reads all {count} row(s) of {where} under an ACCESS EXCLUSIVE lock (it {string.Join(" and ", scans)}): reads and writes of the table wait meanwhile."));
                }
            }
        }
    }

    private static TableName Resolve(PlannedStep step, ForeignKeyClause clause, SchemaModel expected, IReadOnlyList<string> schemas)
    {
        if (clause.ReferencedSchema is { } schema)
        {
            return new TableName(schema, clause.ReferencedTable);
        }

        // Unqualified: the schema the reader resolved for this key, else the first schema that has
        // such a table in schema.sql, else the profile's first schema.
        var known = expected.FindTable(step.Table.Schema, step.Table.Name)?.ForeignKeys
            .FirstOrDefault(fk => fk.ReferencedTable == clause.ReferencedTable && fk.Columns.SequenceEqual(clause.Columns));
        if (known is not null)
        {
            return new TableName(known.ReferencedSchema, known.ReferencedTable);
        }

        var owner = schemas.FirstOrDefault(s => expected.FindTable(s, clause.ReferencedTable) is not null) ?? schemas[0];
        return new TableName(owner, clause.ReferencedTable);
    }

    private static List<TableModel> ResolveRecreateTables(SchemaModel expected, IReadOnlyList<string> schemas, IReadOnlyList<string> names)
    {
        var result = new List<TableModel>();
        foreach (var name in names)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(names));
            var dot = name.LastIndexOf('.');
            var table = dot > 0
                ? expected.FindTable(name[..dot], name[(dot + 1)..])
                : schemas.Select(s => expected.FindTable(s, name)).FirstOrDefault(t => t is not null);
            if (table is null || !schemas.Contains(table.Schema, StringComparer.Ordinal))
            {
                throw new DbAdapterException(
                    ErrorIds.FixFailed,
                    DbErrorKind.InvalidArgument,
                    $"Cannot recreate table '{name}': schema.sql declares no such table in the compared schemas ({string.Join(", ", schemas)}). Name a table of schema.sql, as 'table' or 'schema.table'.",
                    name);
            }

            if (!result.Contains(table))
            {
                result.Add(table);
            }
        }

        return result;
    }

    /// <summary>
    /// True when a parent (partitioned or by inheritance, as the live catalog links them) misses the same
    /// column: the server adds it to the parent's partitions and children itself, and refuses to add it
    /// to a partition directly.
    /// </summary>
    private static bool AddedByAncestor(ColumnRef missing, HashSet<ColumnRef> allMissing, SchemaModel live)
    {
        var seen = new HashSet<TableName>();
        var queue = new Queue<TableName>(live.FindTable(missing.Schema, missing.Table)?.Parents ?? []);
        while (queue.Count > 0)
        {
            var parent = queue.Dequeue();
            if (!seen.Add(parent))
            {
                continue;
            }

            if (allMissing.Contains(missing with { Schema = parent.Schema, Table = parent.Name }))
            {
                return true;
            }

            foreach (var grandparent in live.FindTable(parent.Schema, parent.Name)?.Parents ?? [])
            {
                queue.Enqueue(grandparent);
            }
        }

        return false;
    }

    /// <summary>
    /// What every step of one plan is built from. CatalogPath is set when the expected schema came from
    /// a catalog: steps are then built from the catalog and run under that path.
    /// </summary>
    private sealed record StepContext(SchemaModel Expected, IReadOnlyList<string> Schemas, SearchPath? CatalogPath, StepSequences Sequences);

    /// <summary>An AddColumn step with what its hazards are judged from.</summary>
    private sealed record PlannedAddition(PlannedStep Step, ColumnAddition Addition, long Rows, SequenceModel? CreatedSequence, SearchPath? Path);
}
