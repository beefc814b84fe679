using System.Globalization;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>What the object steps of a plan are built from.</summary>
/// <param name="Expected">The expected schema.</param>
/// <param name="Comparison">The comparison the plan repairs.</param>
/// <param name="CatalogPath">The print path of a catalog model (shadow mode), or null for schema.sql's.</param>
/// <param name="Rows">Live row counts of the existing tables objects are added to.</param>
/// <param name="Created">Tables the plan creates (CreateTable).</param>
/// <param name="Recreated">Tables the plan rebuilds (RecreateTable): they get everything schema.sql gives them.</param>
/// <param name="Added">Each column an AddColumn step adds, with the constraints its definition declares.</param>
internal sealed record ObjectPlanInput(
    SchemaModel Expected,
    SchemaComparison Comparison,
    SearchPath? CatalogPath,
    IReadOnlyDictionary<TableName, long> Rows,
    IReadOnlySet<TableName> Created,
    IReadOnlySet<TableName> Recreated,
    IReadOnlyDictionary<ColumnRef, ColumnAddition> Added);

/// <summary>
/// The steps that bring back missing objects: CreateType, CreateSequence, AddConstraint, CreateIndex,
/// CreateView, CreateFunction and CreateTrigger, each from schema.sql's own statement (run under the
/// search_path it was written under) or from the catalog's definition in shadow mode, and never from
/// text the reader could not model. Keys, unique and foreign key constraints are written from the
/// model's parts (names through the one quoter). Nothing is dropped or rewritten: an object that
/// exists with another definition is only reported.
/// </summary>
/// <remarks>
/// A check or foreign key added to a table with rows is added NOT VALID and validated at once, in the
/// same transaction (hazard ValidatesExistingRows): if a row breaks it the whole fix is rolled back
/// and the error names the constraint and a row. A key, unique or exclusion constraint and an index
/// on a table with rows are built while the table is locked (hazard LocksTable). A table the plan
/// creates or rebuilds gets its constraints and indexes with it and its triggers here.
/// </remarks>
internal static class ObjectSteps
{
    /// <summary>The steps, numbered from <paramref name="sequence"/> on (schema.sql's order).</summary>
    public static List<PlannedStep> Plan(ObjectPlanInput input, ref int sequence, List<string> warnings)
    {
        var steps = new List<PlannedStep>();
        var comparison = input.Comparison;
        foreach (var group in comparison.MissingObjects.Where(o => o.Kind == ObjectKind.Enum).GroupBy(o => (o.Schema, o.Name)))
        {
            steps.Add(EnumStep(input, group.ToList(), sequence++, warnings));
        }

        foreach (var missing in comparison.MissingObjects.Where(o => o.Kind == ObjectKind.Domain))
        {
            steps.Add(DomainStep(input, (DomainModel)missing.Source!, sequence++));
        }

        foreach (var missing in comparison.MissingObjects.Where(o => o.Kind == ObjectKind.Sequence))
        {
            steps.Add(SequenceStep(input, (SequenceModel)missing.Source!, sequence++));
        }

        foreach (var missing in comparison.MissingObjects.Where(o => o.Kind == ObjectKind.Function))
        {
            steps.Add(FunctionStep(input, (FunctionModel)missing.Source!, sequence++));
        }

        foreach (var missing in comparison.MissingObjects.Where(o => o.Table is not null))
        {
            var table = new TableName(missing.Schema, missing.Table!);
            if (input.Recreated.Contains(table) || input.Created.Contains(table))
            {
                continue;
            }

            switch (missing.Source)
            {
                case IndexModel index:
                    steps.Add(IndexStep(input, table, index, sequence++));
                    break;
                case TriggerModel trigger:
                    steps.Add(TriggerStep(input, table, trigger, sequence++));
                    break;
                default:
                    if (!MadeByAddedColumn(input, table, missing))
                    {
                        steps.Add(ConstraintStep(input, table, missing, sequence++));
                    }

                    break;
            }
        }

        // A created or rebuilt table gets its constraints and indexes with it; its triggers come here.
        foreach (var trigger in input.Expected.Triggers)
        {
            var table = new TableName(trigger.Schema, trigger.Table);
            if ((input.Created.Contains(table) || input.Recreated.Contains(table)) && !Inherited(input.Expected, trigger))
            {
                steps.Add(TriggerStep(input, table, trigger, sequence++));
            }
        }

        foreach (var missing in comparison.MissingObjects.Where(o => o.Kind == ObjectKind.View))
        {
            steps.Add(ViewStep(input, (ViewModel)missing.Source!, sequence++));
        }

        return steps;
    }

    // ---- types, sequences, functions ----------------------------------------------------------------

    private static PlannedStep EnumStep(ObjectPlanInput input, List<ObjectRef> missing, int sequence, List<string> warnings)
    {
        var type = (EnumModel)missing[0].Source!;
        var name = type.QualifiedName;
        if (missing.Any(m => m.Definition.StartsWith("ENUM", StringComparison.Ordinal)))
        {
            // The whole type: every label in order, written from its parts.
            return Step(input, FixOperation.CreateType, name, name.Name, sequence, CatalogDdl.CreateEnum(type), $"Create enum {input.Comparison.Display(name)} {ObjectText.Enum(type.Labels)}", phase: 0);
        }

        // Labels the live enum lacks, each placed after the label before it (or before the first).
        var live = type.Labels.Where(l => !missing.Any(m => m.Definition == $"VALUE {SqlLiteral.Quote(l)}")).ToList();
        var statements = new List<StepSql>();
        var added = new List<string>();
        for (var i = 0; i < type.Labels.Count; i++)
        {
            var label = type.Labels[i];
            if (live.Contains(label, StringComparer.Ordinal))
            {
                continue;
            }

            var next = type.Labels.Skip(i + 1).FirstOrDefault(l => live.Contains(l, StringComparer.Ordinal));
            var placement = i > 0 ? $" AFTER {SqlLiteral.Quote(type.Labels[i - 1])}" : next is not null ? $" BEFORE {SqlLiteral.Quote(next)}" : string.Empty;
            statements.Add($"ALTER TYPE {name.Quoted} ADD VALUE {SqlLiteral.Quote(label)}{placement}");
            live.Add(label);
            added.Add(SqlLiteral.Quote(label));
        }

        warnings.Add($"Labels added to enum {input.Comparison.Display(name)} ({string.Join(", ", added)}) cannot be used by a later statement of the same fix (PostgreSQL refuses a new enum value before its transaction commits): a step that uses one fails, and the whole fix rolls back.");
        var step = Step(input, FixOperation.CreateType, name, name.Name, sequence, statements[0], $"Add {string.Join(", ", added)} to enum {input.Comparison.Display(name)}", phase: 0);
        step.After.AddRange(statements.Skip(1));
        return step;
    }

    private static PlannedStep DomainStep(ObjectPlanInput input, DomainModel domain, int sequence)
    {
        var name = domain.QualifiedName;
        StepSql sql;
        if (input.CatalogPath is { } path)
        {
            sql = StepSql.Under(CatalogDdl.CreateDomain(domain), path);
        }
        else
        {
            // Written from the domain's parts as the file leaves them (after its ALTER DOMAINs), each
            // checked to be one item.
            foreach (var part in new[] { domain.BaseType, domain.Default }.Concat(domain.Checks.Select(c => c.Expression)).OfType<string>())
            {
                RequireItem(part, input, $"domain {name}");
            }

            var text = $"CREATE DOMAIN {name.Quoted} AS {domain.BaseType}";
            text += domain.Default is { } @default ? $" DEFAULT {@default}" : string.Empty;
            text += domain.NotNull ? " NOT NULL" : string.Empty;
            text += string.Concat(domain.Checks.Select(c => $" {ConstraintDdl.Named(c.Name)}CHECK ({c.Expression})"));
            sql = StepSql.Under(text, domain.SearchPath);
        }

        return Step(input, FixOperation.CreateType, name, name.Name, sequence, sql, $"Create domain {input.Comparison.Display(name)}", phase: 0);
    }

    private static PlannedStep SequenceStep(ObjectPlanInput input, SequenceModel sequenceModel, int sequence)
    {
        var name = sequenceModel.QualifiedName;
        var statements = new List<StepSql>();
        if (input.CatalogPath is { } path)
        {
            statements.Add(StepSql.Under(CatalogDdl.CreateSequence(sequenceModel), path));
            if (CatalogDdl.OwnedBy(sequenceModel) is { } ownedBy)
            {
                statements.Add(StepSql.Under(ownedBy, path));
            }
        }
        else if (sequenceModel.Create is { } create)
        {
            statements.Add(StepSql.Under(create.Render(), create.SearchPath));
            statements.AddRange(sequenceModel.AlterStatements.Select(a => StepSql.Under(a.Render(), a.SearchPath)));
        }
        else
        {
            // The sequence a SERIAL column makes, which the file does not write out.
            statements.Add($"CREATE SEQUENCE {name.Quoted} AS {sequenceModel.DataType ?? "bigint"}");
            if (sequenceModel.OwnedBy is { } owner)
            {
                statements.Add($"ALTER SEQUENCE {name.Quoted} OWNED BY {new TableName(owner.Schema, owner.Table).Quoted}.{SqlIdentifier.Quote(owner.Column)}");
            }
        }

        var step = Step(input, FixOperation.CreateSequence, name, name.Name, sequence, statements[0], $"Create sequence {input.Comparison.Display(name)}", phase: 0);
        step.After.AddRange(statements.Skip(1));
        return step;
    }

    private static PlannedStep FunctionStep(ObjectPlanInput input, FunctionModel function, int sequence)
    {
        var name = new TableName(function.Schema, function.Name);
        StepSql sql = input.CatalogPath is { } path
            ? StepSql.Under(function.Definition ?? throw Unmade(input, "function", function.Signature), path)
            : StepSql.Under(function.Statement?.Render() ?? throw Unmade(input, "function", function.Signature), function.Statement.SearchPath);

        // A body that names tables is only read when the function runs (PL/pgSQL), or, with
        // check_function_bodies off, not when it is created (SQL): such functions may come before the
        // tables their defaults and checks are. A SQL-standard body is always read: it comes after them.
        var atomic = function.Body is { } body && (body.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase) || body.StartsWith("RETURN", StringComparison.OrdinalIgnoreCase))
            || function.Definition?.Contains("BEGIN ATOMIC", StringComparison.Ordinal) == true;
        var step = Step(
            input,
            FixOperation.CreateFunction,
            name,
            function.Name,
            sequence,
            "SET LOCAL check_function_bodies = off",
            $"Create {(function.IsProcedure ? "procedure" : "function")} {input.Comparison.Display(name)}({function.Arguments})",
            phase: atomic || MentionsCreatedTable(input, function) ? 2 : 0);
        step.After.Add(sql);
        return step;
    }

    /// <summary>True when a function's arguments or result name a table the plan creates (a row type that does not exist yet).</summary>
    private static bool MentionsCreatedTable(ObjectPlanInput input, FunctionModel function)
    {
        var text = $"{function.Arguments} {function.ReturnType}";
        return input.Created.Any(t => ConstraintNames.ColumnsIn(text, [t.Name]).Count > 0);
    }

    // ---- a table's objects -----------------------------------------------------------------------

    private static PlannedStep ConstraintStep(ObjectPlanInput input, TableName table, ObjectRef missing, int sequence)
    {
        var owner = input.Expected.FindTable(table.Schema, table.Name)
            ?? throw new InvalidOperationException($"The expected schema has no table {table} for a missing constraint.");
        var display = input.Comparison.Display(table);
        var rows = input.Rows.GetValueOrDefault(table);
        var catalog = input.CatalogPath;
        var name = missing.Name;

        // Keys, unique and foreign key constraints are written from their parts; a check or an
        // exclusion constraint is the file's text (checked to be one item) under the path it was
        // written under, or the catalog's under the print path.
        string definition;
        SearchPath? path = null;
        var fromText = true;
        switch (missing.Source)
        {
            case TableModel:
                definition = ConstraintDdl.PrimaryKey(owner.PrimaryKey, owner.PrimaryKeyTiming);
                fromText = false;
                break;
            case UniqueModel unique:
                definition = ConstraintDdl.Unique(unique);
                fromText = false;
                break;
            case ForeignKeyModel foreignKey:
                definition = ConstraintDdl.ForeignKey(foreignKey);
                fromText = false;
                break;
            case CheckModel check:
                definition = catalog is not null
                    ? check.Expression
                    : $"CHECK ({RequireItem(check.Expression, input, $"check {name} of {table}")}){(check.NoInherit ? " NO INHERIT" : string.Empty)}";
                path = catalog ?? check.SearchPath;
                break;
            case ExclusionModel exclusion:
                definition = catalog is not null ? exclusion.Definition : RequireItem(exclusion.Definition, input, $"exclusion constraint {name} of {table}") + exclusion.Timing.Suffix;
                path = catalog ?? exclusion.SearchPath;
                break;
            default:
                throw new InvalidOperationException($"No step for {missing.Kind}.");
        }

        // Written with its name (the server's own choice for an unnamed one of schema.sql), so it can be validated by name.
        var add = $"ALTER TABLE {table.Quoted} ADD CONSTRAINT {SqlIdentifier.Quote(name)} {definition}";
        var validated = rows > 0 && missing.Kind is ObjectKind.Check or ObjectKind.ForeignKey;
        if (validated)
        {
            add += " NOT VALID";
        }

        var kindWords = ObjectText.KindWords(missing.Kind);
        var step = Step(
            input,
            FixOperation.AddConstraint,
            table,
            null,
            sequence,
            fromText ? StepSql.Under(add, path) : add,
            $"Add {kindWords} {name} to {display}: {missing.Definition}",
            phase: 1,
            afterOwnTable: true,
            providesKey: missing.Kind is ObjectKind.PrimaryKey or ObjectKind.Unique);
        step.Rows = rows;
        if (missing.Source is ForeignKeyModel referencing)
        {
            step.DependsOn.Add(new TableName(referencing.ReferencedSchema, referencing.ReferencedTable));
        }

        var count = ColumnAddition.Rows(rows);
        if (validated)
        {
            step.After.Add($"ALTER TABLE {table.Quoted} VALIDATE CONSTRAINT {SqlIdentifier.Quote(name)}");
            step.Hazards.Add(new FixHazard(
                FixHazardKinds.ValidatesExistingRows,
                false,
                $"The {kindWords} {name} is added NOT VALID and then validated against all {count} row(s) of {display} in the same transaction; a row that breaks it makes the whole fix roll back, naming the constraint and the row."));
        }
        else if (rows > 0)
        {
            var outcome = missing.Kind switch
            {
                ObjectKind.PrimaryKey => "; it fails, and the whole fix rolls back, if two rows share a key or one has NULL in it",
                ObjectKind.Unique => "; it fails, and the whole fix rolls back, if two rows share a value",
                ObjectKind.Exclusion => "; it fails, and the whole fix rolls back, if two rows conflict",
                _ => string.Empty,
            };
            step.Hazards.Add(new FixHazard(
                FixHazardKinds.LocksTable,
                false,
                $"Adding the {kindWords} {name} builds an index over all {count} row(s) of {display} under an ACCESS EXCLUSIVE lock: reads and writes of the table wait meanwhile{outcome}."));
        }

        return step;
    }

    /// <summary>
    /// True when an AddColumn step of this plan declares <paramref name="missing"/> in its column
    /// definition (a REFERENCES, UNIQUE, CHECK or PRIMARY KEY written inline): adding the column adds it.
    /// </summary>
    private static bool MadeByAddedColumn(ObjectPlanInput input, TableName table, ObjectRef missing)
    {
        var columns = missing.Source switch
        {
            TableModel owner => owner.PrimaryKey,
            UniqueModel unique => unique.Columns,
            ForeignKeyModel foreignKey => foreignKey.Columns,
            _ => null,
        };
        foreach (var (column, addition) in input.Added.Where(a => a.Key.Schema == table.Schema && a.Key.Table == table.Name))
        {
            var only = new[] { column.Column };
            var made = missing.Source switch
            {
                TableModel => addition.IsPrimaryKey && columns!.SequenceEqual(only),
                UniqueModel => addition.Constraints.Uniques.Any(u => u.Columns.SequenceEqual(columns!)),
                ForeignKeyModel foreignKey => addition.Constraints.ForeignKeys.Any(f => f.Columns.SequenceEqual(columns!) && f.ReferencedTable == foreignKey.ReferencedTable),
                CheckModel check => addition.Constraints.Checks.Any(k =>
                    (k.Name is not null && k.Name == check.Name) || SqlFragment.Fold(k.Expression) == SqlFragment.Fold(check.Expression) ||
                    (input.CatalogPath is not null && check.Columns.SequenceEqual(only) && k.Name == check.Name)),
                _ => false,
            };
            if (made)
            {
                return true;
            }
        }

        return false;
    }

    private static PlannedStep IndexStep(ObjectPlanInput input, TableName table, IndexModel index, int sequence)
    {
        var display = input.Comparison.Display(table);
        StepSql sql = input.CatalogPath is { } path
            ? StepSql.Under(IndexText(index.Definition), path)
            : index.Statement is { } statement
                ? StepSql.Under(IndexText(statement.Render()), statement.SearchPath)
                : (StepSql)IndexText(index.Definition);
        var step = Step(input, FixOperation.CreateIndex, table, null, sequence, sql, $"Create index {index.Name} on {display}", phase: 1, afterOwnTable: true);
        var rows = input.Rows.GetValueOrDefault(table);
        step.Rows = rows;
        if (rows > 0)
        {
            step.Hazards.Add(new FixHazard(
                FixHazardKinds.LocksTable,
                false,
                $"Building index {index.Name} reads all {ColumnAddition.Rows(rows)} row(s) of {display} while the table is locked against writes (SHARE), until the fix commits{(index.IsUnique ? "; it fails, and the whole fix rolls back, if two rows share a key" : string.Empty)}."));
        }

        return step;
    }

    /// <summary>
    /// A CREATE INDEX made to run in the fix's transaction: CONCURRENTLY cannot run in one, and ON ONLY
    /// would leave a partitioned table's index without its partitions' (the server builds or attaches them without ONLY).
    /// </summary>
    private static string IndexText(string statement)
    {
        var tokens = SqlTokenizer.Tokenize(statement);
        var cuts = new List<(int, int)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsWord("on") && i + 1 < tokens.Count && tokens[i + 1].IsWord("only"))
            {
                cuts.Add((tokens[i + 1].Start, tokens[i + 1].End));
                break;
            }

            if (tokens[i].IsWord("concurrently"))
            {
                cuts.Add((tokens[i].Start, tokens[i].End));
            }
        }

        return cuts.Count == 0 ? statement.Trim().TrimEnd(';') : SqlText.Cut(statement, cuts).TrimEnd(';');
    }

    private static PlannedStep TriggerStep(ObjectPlanInput input, TableName table, TriggerModel trigger, int sequence)
    {
        StepSql sql = input.CatalogPath is { } path
            ? StepSql.Under(trigger.Definition ?? throw Unmade(input, "trigger", trigger.Name), path)
            : StepSql.Under(trigger.Statement?.Render() ?? throw Unmade(input, "trigger", trigger.Name), trigger.Statement.SearchPath);
        return Step(input, FixOperation.CreateTrigger, table, null, sequence, sql, $"Create trigger {trigger.Name} on {input.Comparison.Display(table)}", phase: 2);
    }

    /// <summary>True when <paramref name="trigger"/> is a partition's copy of its parent's, which the server makes itself.</summary>
    private static bool Inherited(SchemaModel model, TriggerModel trigger)
    {
        if (trigger.IsInherited)
        {
            return true;
        }

        var table = model.FindTable(trigger.Schema, trigger.Table);
        return table is { IsPartition: true, Parents.Count: > 0 } &&
            model.Triggers.Any(t => t.Schema == table.Parents[0].Schema && t.Table == table.Parents[0].Name && t.Name == trigger.Name);
    }

    private static PlannedStep ViewStep(ObjectPlanInput input, ViewModel view, int sequence)
    {
        var name = view.QualifiedName;
        StepSql sql = input.CatalogPath is { } path
            ? StepSql.Under(CatalogDdl.CreateView(view), path)
            : StepSql.Under(view.Statement?.Render() ?? throw Unmade(input, "view", view.Name), view.Statement.SearchPath);
        return Step(input, FixOperation.CreateView, name, name.Name, sequence, sql, $"Create {(view.IsMaterialized ? "materialized view" : "view")} {input.Comparison.Display(name)}", phase: 2);
    }

    // ---- shared ---------------------------------------------------------------------------------

    private static PlannedStep Step(
        ObjectPlanInput input,
        FixOperation operation,
        TableName table,
        string? objectName,
        int sequence,
        StepSql main,
        string description,
        int phase,
        bool afterOwnTable = false,
        bool providesKey = false) => new()
    {
        Operation = operation,
        Table = table,
        ObjectName = objectName,
        Display = input.Comparison.Display(table),
        Sequence = sequence,
        Main = main.Sql,
        MainPath = main,
        Phase = phase,
        AfterOwnTable = afterOwnTable,
        ProvidesKey = providesKey,
        Describe = _ => description,
    };

    /// <summary>A fragment of schema.sql that becomes part of a statement built here: exactly one item, or the file is refused.</summary>
    private static string RequireItem(string text, ObjectPlanInput input, string what) =>
        SqlItem.FindProblem(text) is { } problem
            ? throw new DbAdapterException(
                ErrorIds.SchemaFileInvalid,
                DbErrorKind.InvalidData,
                $"{input.Expected.SourceFile ?? "schema SQL"}: the {what} is not exactly one item ({problem}): '{text}'. Nothing was planned. Fix the file.",
                input.Expected.SourceFile)
            : text;

    private static DbAdapterException Unmade(ObjectPlanInput input, string what, string name) => new(
        ErrorIds.FixFailed,
        DbErrorKind.InvalidData,
        string.Create(CultureInfo.InvariantCulture, $"The {what} {name} cannot be created: the expected schema has no statement for it. Plan from a schema.sql file."),
        input.Expected.SourceFile);
}
