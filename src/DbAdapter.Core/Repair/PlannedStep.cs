using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// A step while the plan is being built: its statements are still editable, because ordering may
/// cut foreign keys out of it (a cycle) or append foreign keys to it (the last table of a cycle).
/// </summary>
internal sealed class PlannedStep
{
    public required FixOperation Operation { get; init; }

    public required TableName Table { get; init; }

    public string? Column { get; init; }

    /// <summary>A step for an object of a schema (type, sequence, function, view): its name, shown where a table's would be.</summary>
    public string? ObjectName { get; init; }

    /// <summary>The table as reports show it (bare in the first schema).</summary>
    public required string Display { get; init; }

    /// <summary>Live row count of the table (0 for a table to create).</summary>
    public long Rows { get; set; }

    /// <summary>Position in schema.sql order: ties in the ordering keep it.</summary>
    public required int Sequence { get; init; }

    /// <summary>Statements that run before the main statement (recreate: drop incoming FKs, renames; sequences the table needs).</summary>
    public List<StepSql> Before { get; } = [];

    /// <summary>
    /// The statement foreign keys can be cut from: the CREATE TABLE text, or the column definition of
    /// an AddColumn (the statement is then built around it).
    /// </summary>
    public required string Main { get; set; }

    /// <summary>The search_path <see cref="Main"/> is run under (see <see cref="StepSql"/>).</summary>
    public StepSql MainPath { get; init; }

    /// <summary>Foreign keys of <see cref="Main"/> that may be cut out and added after a cycle closes.</summary>
    public List<ForeignKeyClause> Clauses { get; } = [];

    /// <summary>schema.sql's ALTER TABLE statements of a created table, each with the tables it references.</summary>
    public List<(StepSql Sql, List<TableName> References)> Alters { get; } = [];

    /// <summary>Statements that run after the main one and the ALTERs (indexes, copy, sequences, re-pointed FKs, drop).</summary>
    public List<StepSql> After { get; } = [];

    /// <summary>Foreign keys of other steps added at the end of this one (it closes their cycle).</summary>
    public List<StepSql> Deferred { get; } = [];

    /// <summary>Tables this step needs to exist first besides the ones its foreign keys name: its partition or inheritance parents.</summary>
    public List<TableName> DependsOn { get; } = [];

    /// <summary>
    /// When the step runs: 0 before the tables (types, sequences, functions they use), 1 with the tables
    /// (ordered by what each needs), 2 after them (views, triggers, functions that read tables).
    /// </summary>
    public int Phase { get; init; } = 1;

    /// <summary>The step needs its own table complete first (every column added to it): a constraint or an index.</summary>
    public bool AfterOwnTable { get; init; }

    /// <summary>The step gives its table a key others may reference (a primary key or unique constraint it adds).</summary>
    public bool ProvidesKey { get; init; }

    public List<FixHazard> Hazards { get; } = [];

    public required Func<PlannedStep, string> Describe { get; init; }

    /// <summary>Builds the main statement from <see cref="Main"/> (AddColumn wraps the definition in ALTER TABLE).</summary>
    public Func<string, string> Wrap { get; init; } = text => text;

    /// <summary>Names of foreign keys appended at the end because they close a cycle.</summary>
    public List<string> DeferredNames { get; } = [];

    /// <summary>True when a statement of the step must run under a search_path the file or a catalog set.</summary>
    public bool NeedsExplicitPath => All().Any(s => s.NeedsPath && s.Path is not null);

    /// <summary>
    /// The step as it runs. With <paramref name="setPaths"/> (some statement of the plan was written
    /// under a path of its own), every statement that needs a path is preceded by a SET LOCAL
    /// search_path whenever the path changes, starting afresh at each step, so no step depends on what
    /// the one before it left set.
    /// </summary>
    public FixStep ToStep(int order, bool setPaths)
    {
        var statements = new List<string>();
        var current = (Set: false, Path: (SearchPath?)null);
        foreach (var statement in All())
        {
            if (setPaths && statement.NeedsPath && (!current.Set || !Equals(current.Path, statement.Path)))
            {
                statements.Add(statement.Path?.SetLocalStatement ?? SearchPath.SetLocalDefaultStatement);
                current = (true, statement.Path);
            }

            statements.Add(statement.Sql);
        }

        return new FixStep
        {
            Order = order,
            Operation = Operation,
            Schema = Table.Schema,
            Table = ObjectName ?? Table.Name,
            Column = Column,
            Statements = statements.ConvertAll(s => s.Trim().TrimEnd(';').TrimEnd()),
            Hazards = Hazards.ToArray(),
            Description = Describe(this),
        };
    }

    private IEnumerable<StepSql> All()
    {
        foreach (var statement in Before)
        {
            yield return statement;
        }

        yield return MainPath with { Sql = Wrap(Main) };
        foreach (var (sql, _) in Alters)
        {
            yield return sql;
        }

        foreach (var statement in After.Concat(Deferred))
        {
            yield return statement;
        }
    }
}
