
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// A database schema as a model: what schema.sql declares (filled by the schema.sql reader) or what a
/// live database holds (filled by introspection). The comparison and the repair planner work on it.
/// Names are kept exactly as stored (unquoted SQL names already folded to lower case).
/// </summary>
public sealed class SchemaModel
{
    public List<TableModel> Tables { get; } = [];

    /// <summary>CREATE INDEX statements / live indexes.</summary>
    public List<IndexModel> Indexes { get; } = [];

    /// <summary>Triggers (live: one entry per trigger with every event).</summary>
    public List<TriggerModel> Triggers { get; } = [];

    /// <summary>Functions (overloads are separate entries).</summary>
    public List<FunctionModel> Functions { get; } = [];

    /// <summary>Non-fatal findings of the reader ("line 12: skipped ..."), in file order.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Absolute path of schema.sql when the model came from a file.</summary>
    public string? SourceFile { get; set; }

    /// <summary>SHA-256 (lower-case hex) of the bytes of <see cref="SourceFile"/> the model was read from.</summary>
    public string? SourceSha256 { get; set; }

    public TableModel? FindTable(string schema, string name) =>
        Tables.FirstOrDefault(t => string.Equals(t.Schema, schema, StringComparison.Ordinal) && string.Equals(t.Name, name, StringComparison.Ordinal));
}

/// <summary>One table.</summary>
public sealed class TableModel
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    public TableName QualifiedName => new(Schema, Name);

    public List<ColumnModel> Columns { get; } = [];

    /// <summary>Primary key columns in key order (empty when none).</summary>
    public List<string> PrimaryKey { get; } = [];

    /// <summary>Unique constraints (each a column list).</summary>
    public List<UniqueModel> Uniques { get; } = [];

    /// <summary>Check constraints.</summary>
    public List<CheckModel> Checks { get; } = [];

    /// <summary>Foreign keys, inline REFERENCES included.</summary>
    public List<ForeignKeyModel> ForeignKeys { get; } = [];

    /// <summary>Exclusion constraints (EXCLUDE ...), which fit none of the lists above.</summary>
    public List<ExclusionModel> Exclusions { get; } = [];

    /// <summary>
    /// schema.sql only: the ALTER TABLE statements on this table that follow its CREATE TABLE, as
    /// written and in file order, so a table created from <see cref="CreateStatement"/> can be brought
    /// to the declared shape (added columns and constraints, RLS) by replaying them.
    /// </summary>
    public List<string> AlterStatements { get; } = [];

    /// <summary>schema.sql only: the full CREATE TABLE statement text, as written (for repair).</summary>
    public string? CreateStatement { get; set; }

    /// <summary>schema.sql only: line of the CREATE TABLE statement (1-based).</summary>
    public int Line { get; set; }

    /// <summary>"UNLOGGED", "TEMP" or null.</summary>
    public string? Persistence { get; set; }

    public ColumnModel? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public override string ToString() => QualifiedName.ToString();
}

/// <summary>One column.</summary>
public sealed class ColumnModel
{
    public required string Name { get; init; }

    /// <summary>
    /// The type. Live: as format_type() prints it ("character varying(50)", "integer[]").
    /// schema.sql: as written ("VARCHAR(50)", "SERIAL"); the comparison canonicalises it.
    /// </summary>
    public required string Type { get; set; }

    public bool NotNull { get; set; }

    /// <summary>Default expression (live: pg_get_expr text; schema.sql: as written), or null.</summary>
    public string? Default { get; set; }

    /// <summary>Identity: "a" (ALWAYS), "d" (BY DEFAULT) or null.</summary>
    public string? Identity { get; set; }

    /// <summary>Generated column expression (GENERATED ALWAYS AS (...) STORED), or null.</summary>
    public string? Generated { get; set; }

    /// <summary>Declared PRIMARY KEY inline or through a table constraint.</summary>
    public bool IsPrimaryKey { get; set; }

    /// <summary>Declared UNIQUE inline (a single-column unique).</summary>
    public bool IsUnique { get; set; }

    /// <summary>schema.sql only: the full definition after the name ("VARCHAR(100) NOT NULL DEFAULT 'x' REFERENCES t(id)").</summary>
    public string? Definition { get; set; }

    /// <summary>schema.sql only: line of the column (1-based).</summary>
    public int Line { get; set; }

    public override string ToString() => $"{Name} {Type}";
}

public sealed class UniqueModel
{
    public string? Name { get; set; }

    public List<string> Columns { get; } = [];
}

public sealed class CheckModel
{
    public string? Name { get; set; }

    /// <summary>The expression (live: pg_get_constraintdef; schema.sql: as written).</summary>
    public required string Expression { get; set; }
}

/// <summary>An exclusion constraint, kept as text: nothing compares its parts.</summary>
public sealed class ExclusionModel
{
    public string? Name { get; set; }

    /// <summary>The constraint from EXCLUDE on (schema.sql: as written, whitespace normalised).</summary>
    public required string Definition { get; set; }
}

public sealed class ForeignKeyModel
{
    public string? Name { get; set; }

    public List<string> Columns { get; } = [];

    public required string ReferencedSchema { get; set; }

    public required string ReferencedTable { get; set; }

    /// <summary>Referenced columns; empty means the referenced table's primary key.</summary>
    public List<string> ReferencedColumns { get; } = [];

    /// <summary>ON DELETE action as SQL words ("CASCADE", "SET NULL", "NO ACTION"...).</summary>
    public string OnDelete { get; set; } = "NO ACTION";

    public string OnUpdate { get; set; } = "NO ACTION";
}

public sealed class IndexModel
{
    public required string Schema { get; init; }

    public required string Table { get; init; }

    public required string Name { get; init; }

    public bool IsUnique { get; set; }

    /// <summary>Key columns; an expression key appears as its expression text.</summary>
    public List<string> Columns { get; } = [];

    /// <summary>Partial index predicate, or null.</summary>
    public string? Predicate { get; set; }

    /// <summary>The full CREATE INDEX statement (live: pg_get_indexdef; schema.sql: as written).</summary>
    public required string Definition { get; set; }

    /// <summary>Backs a primary key or unique constraint (live only).</summary>
    public bool IsConstraint { get; set; }
}

public sealed class TriggerModel
{
    public required string Schema { get; init; }

    public required string Table { get; init; }

    public required string Name { get; init; }

    /// <summary>"BEFORE", "AFTER" or "INSTEAD OF".</summary>
    public required string Timing { get; set; }

    /// <summary>Every event: INSERT, UPDATE, DELETE, TRUNCATE.</summary>
    public List<string> Events { get; } = [];

    public string? Function { get; set; }
}

public sealed class FunctionModel
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    /// <summary>Identity arguments (pg_get_function_identity_arguments), telling overloads apart.</summary>
    public required string Arguments { get; init; }

    public string? ReturnType { get; set; }
}
