using System.Globalization;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Plans the repair of a database's drift against schema.sql: missing tables are created from their
/// CREATE TABLE text (with schema.sql's ALTER TABLE and CREATE INDEX statements of that table),
/// missing columns are added one ALTER each, tables named in <see cref="FixPlanOptions.RecreateTables"/>
/// are rebuilt keeping their rows. Nothing is ever dropped and extra tables and columns are never
/// touched. Each step carries its hazards, computed against the live row counts.
/// </summary>
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
        var missingColumns = comparison.MissingColumns.ToLookup(c => new TableName(c.Schema, c.Table));
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
        var counted = recreateNames.Concat(missingColumns.Select(g => g.Key)).Distinct().ToList();
        var counts = await RowCounter.CountAsync(connection, counted, ct).ConfigureAwait(false);
        var rows = counted.Select((t, i) => (t, counts[i])).ToDictionary(p => p.t, p => p.Item2);

        var defaults = options.ColumnDefinitions ?? ColumnDefinitions.Empty;
        var steps = new List<PlannedStep>();
        var additions = new List<(PlannedStep Step, ColumnAddition Addition, long Rows)>();
        var sequence = 0;
        foreach (var table in expected.Tables)
        {
            var name = table.QualifiedName;
            var display = comparison.Display(name);
            if (missingTables.Contains(name))
            {
                steps.Add(CreateStep(table, expected, display, FixOperation.CreateTable, sequence++));
            }
            else if (recreateNames.Remove(name))
            {
                var step = CreateStep(table, expected, display, FixOperation.RecreateTable, sequence++);
                var facts = await TableRecreation.ReadAsync(connection, name, ct).ConfigureAwait(false);
                step.Rows = rows[name];
                TableRecreation.Build(step, table, live.FindTable(name.Schema, name.Name)!, facts, rows[name], display);
                steps.Add(step);
            }
            else
            {
                foreach (var missing in missingColumns[name])
                {
                    var column = table.FindColumn(missing.Column)!;
                    var definition = defaults.Find(name.Schema, name.Name, column.Name) ?? column.Definition ?? column.Type;
                    var addition = ColumnAddition.Read(column.Name, definition, name.Schema, name.Name);

                    var step = AddColumnStep(name, column.Name, addition, display, sequence++);
                    step.Rows = rows[name];
                    additions.Add((step, addition, rows[name]));
                    steps.Add(step);
                }
            }
        }

        await AssessAdditionsAsync(connection, additions, warnings, ct).ConfigureAwait(false);

        var ordered = StepOrdering.Order(steps, (step, clause) => Resolve(step, clause, expected, schemas));
        var lockedWithRows = ordered
            .Where(s => s.Operation != FixOperation.CreateTable && s.Rows > 0)
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

        var result = ordered.Select((s, i) => s.ToStep(i + 1)).ToList();
        reporter.Verbose(string.Create(CultureInfo.InvariantCulture, $"Fix plan: {result.Count} step(s)."));
        return new FixPlan(expected, schemas, result, warnings);
    }

    private static PlannedStep CreateStep(TableModel table, SchemaModel expected, string display, FixOperation operation, int sequence)
    {
        var create = table.CreateStatement
            ?? throw new DbAdapterException(
                ErrorIds.FixFailed,
                DbErrorKind.InvalidData,
                $"Table {display} cannot be created: the expected schema has no CREATE TABLE text for it. Plan from a schema.sql file.",
                table.QualifiedName.ToString());
        var step = new PlannedStep
        {
            Operation = operation,
            Table = table.QualifiedName,
            Display = display,
            Sequence = sequence,
            Main = create.Trim().TrimEnd(';'),
            Describe = s => Describe(s, display),
        };
        step.Clauses.AddRange(DdlText.FindCreateTableForeignKeys(step.Main));

        // ALTER TABLE ADD COLUMN / ADD CONSTRAINT / ENABLE ROW LEVEL SECURITY after the CREATE are
        // part of the table schema.sql declares: a created table must end up with all of it.
        foreach (var alter in table.AlterStatements)
        {
            var references = DdlText.ReferencedTables(alter)
                .Select(r => new TableName(r.Schema ?? table.Schema, r.Table))
                .ToList();
            step.Alters.Add((alter, references));
        }

        foreach (var index in expected.Indexes.Where(i => i.Schema == table.Schema && i.Table == table.Name))
        {
            step.After.Add(index.Definition);
        }

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

    private static PlannedStep AddColumnStep(TableName table, string column, ColumnAddition addition, string display, int sequence)
    {
        var step = new PlannedStep
        {
            Operation = FixOperation.AddColumn,
            Table = table,
            Display = display,
            Column = column,
            Sequence = sequence,
            Main = addition.Definition.Trim(),
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
        List<(PlannedStep Step, ColumnAddition Addition, long Rows)> additions,
        List<string> warnings,
        CancellationToken ct)
    {
        // Only a default on a table with rows can rewrite it; the server says which ones do.
        var probed = additions
            .Where(a => a.Rows > 0 && a.Addition.HasDefault && !a.Addition.FillsRows)
            .ToList();
        var answers = await ServerProbe.RunAsync(
                connection,
                probed.ConvertAll(a => new ProbeItem(a.Addition.Column.Type, a.Addition.Column.Default, CheckRewrite: true)),
                statistics: null,
                ct)
            .ConfigureAwait(false);
        var rewrites = new Dictionary<PlannedStep, bool>();
        for (var i = 0; i < probed.Count; i++)
        {
            var (step, addition, _) = probed[i];
            rewrites[step] = answers[i].Rewrites;
            if ((answers[i].TypeError ?? answers[i].DefaultError) is { } error)
            {
                warnings.Add($"{step.Display}.{step.Column}: the server rejects '{addition.Column.Type} DEFAULT {addition.Column.Default}' ({error}); that step will fail unless the database changes first.");
            }
        }

        foreach (var (step, addition, rows) in additions)
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
}
