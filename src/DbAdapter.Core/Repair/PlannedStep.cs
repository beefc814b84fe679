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

    /// <summary>The table as reports show it (bare in the first schema).</summary>
    public required string Display { get; init; }

    /// <summary>Live row count of the table (0 for a table to create).</summary>
    public long Rows { get; set; }

    /// <summary>Position in schema.sql order: ties in the ordering keep it.</summary>
    public required int Sequence { get; init; }

    /// <summary>Statements that run before the main statement (recreate: drop incoming FKs, renames).</summary>
    public List<string> Before { get; } = [];

    /// <summary>
    /// The statement foreign keys can be cut from: the CREATE TABLE text, or the column definition of
    /// an AddColumn (the statement is then built around it).
    /// </summary>
    public required string Main { get; set; }

    /// <summary>Foreign keys of <see cref="Main"/> that may be cut out and added after a cycle closes.</summary>
    public List<ForeignKeyClause> Clauses { get; } = [];

    /// <summary>schema.sql's ALTER TABLE statements of a created table, each with the tables it references.</summary>
    public List<(string Sql, List<TableName> References)> Alters { get; } = [];

    /// <summary>Statements that run after the main one and the ALTERs (indexes, copy, sequences, re-pointed FKs, drop).</summary>
    public List<string> After { get; } = [];

    /// <summary>Foreign keys of other steps added at the end of this one (it closes their cycle).</summary>
    public List<string> Deferred { get; } = [];

    public List<FixHazard> Hazards { get; } = [];

    public required Func<PlannedStep, string> Describe { get; init; }

    /// <summary>Builds the main statement from <see cref="Main"/> (AddColumn wraps the definition in ALTER TABLE).</summary>
    public Func<string, string> Wrap { get; init; } = text => text;

    /// <summary>Names of foreign keys appended at the end because they close a cycle.</summary>
    public List<string> DeferredNames { get; } = [];

    public FixStep ToStep(int order)
    {
        var statements = new List<string>();
        statements.AddRange(Before);
        statements.Add(Wrap(Main));
        statements.AddRange(Alters.Select(a => a.Sql));
        statements.AddRange(After);
        statements.AddRange(Deferred);
        return new FixStep
        {
            Order = order,
            Operation = Operation,
            Schema = Table.Schema,
            Table = Table.Name,
            Column = Column,
            Statements = statements.ConvertAll(s => s.Trim().TrimEnd(';').TrimEnd()),
            Hazards = Hazards.ToArray(),
            Description = Describe(this),
        };
    }
}
