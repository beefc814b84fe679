
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

    /// <summary>
    /// Sequences: schema.sql's CREATE SEQUENCE statements / the live database's sequences, except the
    /// ones behind identity columns (those belong to their column).
    /// </summary>
    public List<SequenceModel> Sequences { get; } = [];

    /// <summary>Non-fatal findings of the reader ("line 12: skipped ..."), in file order.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Absolute path of schema.sql when the model came from a file.</summary>
    public string? SourceFile { get; set; }

    /// <summary>
    /// True when the model was read from a database's catalog (a live database, or the throwaway
    /// database of shadow mode): it then holds no statement text, and repair builds its DDL from the
    /// catalog's own definitions.
    /// </summary>
    public bool FromCatalog { get; set; }

    /// <summary>SHA-256 (lower-case hex) of the bytes of <see cref="SourceFile"/> the model was read from.</summary>
    public string? SourceSha256 { get; set; }

    public TableModel? FindTable(string schema, string name) =>
        Tables.FirstOrDefault(t => string.Equals(t.Schema, schema, StringComparison.Ordinal) && string.Equals(t.Name, name, StringComparison.Ordinal));

    public SequenceModel? FindSequence(string schema, string name) =>
        Sequences.FirstOrDefault(s => string.Equals(s.Schema, schema, StringComparison.Ordinal) && string.Equals(s.Name, name, StringComparison.Ordinal));
}

/// <summary>One table.</summary>
public sealed class TableModel : IQualifiedObject
{
    /// <summary>Schema (settable: schema.sql may move the table with ALTER TABLE ... SET SCHEMA).</summary>
    public required string Schema { get; set; }

    /// <summary>Name (settable: schema.sql may rename the table).</summary>
    public required string Name { get; set; }

    public TableName QualifiedName => new(Schema, Name);

    public List<ColumnModel> Columns { get; } = [];

    /// <summary>Primary key columns in key order (empty when none).</summary>
    public List<string> PrimaryKey { get; } = [];

    /// <summary>Live: the primary key constraint's name.</summary>
    public string? PrimaryKeyName { get; set; }

    /// <summary>Live: the primary key came from a partitioned parent (the partition did not declare it).</summary>
    public bool PrimaryKeyInherited { get; set; }

    /// <summary>Unique constraints (each a column list).</summary>
    public List<UniqueModel> Uniques { get; } = [];

    /// <summary>Check constraints.</summary>
    public List<CheckModel> Checks { get; } = [];

    /// <summary>Foreign keys, inline REFERENCES included.</summary>
    public List<ForeignKeyModel> ForeignKeys { get; } = [];

    /// <summary>Exclusion constraints (EXCLUDE ...), which fit none of the lists above.</summary>
    public List<ExclusionModel> Exclusions { get; } = [];

    /// <summary>
    /// schema.sql only: the ALTER TABLE statements on this table that follow its CREATE TABLE, in file
    /// order, so a table created from <see cref="Create"/> can be brought to the declared shape (added
    /// columns and constraints, renames, RLS, the ATTACH PARTITION that makes it a partition) by
    /// replaying them.
    /// </summary>
    public List<FileStatement> AlterStatements { get; } = [];

    /// <summary>schema.sql only: the CREATE TABLE statement (for repair).</summary>
    public FileStatement? Create { get; set; }

    /// <summary>schema.sql only: the full CREATE TABLE statement text, as written.</summary>
    public string? CreateStatement => Create?.Text;

    /// <summary>schema.sql only: line of the CREATE TABLE statement (1-based).</summary>
    public int Line { get; set; }

    /// <summary>"UNLOGGED", "TEMP" or null.</summary>
    public string? Persistence { get; set; }

    /// <summary>
    /// The tables this one inherits its columns from: the INHERITS parents in order, or the one table
    /// it is a partition of. A column added to, dropped from or retyped on a parent reaches it too.
    /// </summary>
    public List<TableName> Parents { get; } = [];

    /// <summary>True when the table is a partition of <see cref="Parents"/>[0].</summary>
    public bool IsPartition { get; set; }

    /// <summary>Live: a partition's bound ("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", "DEFAULT").</summary>
    public string? PartitionBound { get; set; }

    /// <summary>Live: a partitioned table's key ("RANGE (at)"), or null for an ordinary table.</summary>
    public string? PartitionKey { get; set; }

    public ColumnModel? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public override string ToString() => QualifiedName.ToString();
}

/// <summary>One column.</summary>
public sealed class ColumnModel
{
    /// <summary>Name (settable: schema.sql may rename the column).</summary>
    public required string Name { get; set; }

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

    /// <summary>
    /// schema.sql only: the search_path under which the file spelled the type and default (null when the
    /// file set none), so the server resolves "mood" or nextval('t_id_seq') as the file meant.
    /// </summary>
    public SearchPath? SearchPath { get; set; }

    /// <summary>
    /// False when the column exists only because a parent table has it (an inherited or partition
    /// column the table does not declare itself); dropping it from the parent drops it here too.
    /// </summary>
    public bool IsLocal { get; set; } = true;

    public override string ToString() => $"{Name} {Type}";
}

public sealed class UniqueModel
{
    public string? Name { get; set; }

    public List<string> Columns { get; } = [];

    /// <summary>Live: the constraint came from a partitioned parent.</summary>
    public bool IsInherited { get; set; }
}

public sealed class CheckModel
{
    public string? Name { get; set; }

    /// <summary>The expression (live: pg_get_constraintdef, "CHECK (...)"; schema.sql: as written, inside the parentheses).</summary>
    public required string Expression { get; set; }

    /// <summary>Live: the columns the check names.</summary>
    public List<string> Columns { get; } = [];

    /// <summary>Live: the check is inherited from a parent and not declared by the table itself.</summary>
    public bool IsInherited { get; set; }
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

    /// <summary>MATCH SIMPLE (the default), FULL or PARTIAL.</summary>
    public string Match { get; set; } = "SIMPLE";

    public bool Deferrable { get; set; }

    public bool InitiallyDeferred { get; set; }

    /// <summary>Live: the key came from a partitioned parent.</summary>
    public bool IsInherited { get; set; }
}

public sealed class IndexModel
{
    /// <summary>The schema (settable: follows its table to another schema).</summary>
    public required string Schema { get; set; }

    /// <summary>The table (settable: follows a rename of its table in schema.sql).</summary>
    public required string Table { get; set; }

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

    /// <summary>Live: a partition's index made for an index of its partitioned parent.</summary>
    public bool IsInherited { get; set; }

    /// <summary>schema.sql only: the CREATE INDEX statement (for repair).</summary>
    public FileStatement? Statement { get; set; }
}

public sealed class TriggerModel
{
    /// <summary>The schema (settable: follows its table to another schema).</summary>
    public required string Schema { get; set; }

    /// <summary>The table (settable: follows a rename of its table in schema.sql).</summary>
    public required string Table { get; set; }

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

/// <summary>
/// A sequence. schema.sql: its CREATE SEQUENCE and ALTER SEQUENCE statements (repair creates the
/// sequences a created table or an added column needs). Live: its definition from pg_sequence.
/// </summary>
public sealed class SequenceModel : IQualifiedObject
{
    /// <summary>Schema (settable: schema.sql may move the sequence).</summary>
    public required string Schema { get; set; }

    /// <summary>Name (settable: schema.sql may rename the sequence).</summary>
    public required string Name { get; set; }

    public TableName QualifiedName => new(Schema, Name);

    /// <summary>The column that owns the sequence (OWNED BY): dropping the column or its table drops the sequence.</summary>
    public ColumnRef? OwnedBy { get; set; }

    /// <summary>schema.sql only: the CREATE SEQUENCE statement.</summary>
    public FileStatement? Create { get; set; }

    /// <summary>schema.sql only: the ALTER SEQUENCE statements that follow it (OWNED BY, RESTART...).</summary>
    public List<FileStatement> AlterStatements { get; } = [];

    /// <summary>Live: the data type (format_type of seqtypid: "integer", "bigint").</summary>
    public string? DataType { get; set; }

    public long Start { get; set; } = 1;

    public long Increment { get; set; } = 1;

    public long? MinValue { get; set; }

    public long? MaxValue { get; set; }

    public long Cache { get; set; } = 1;

    public bool Cycle { get; set; }

    /// <summary>schema.sql only: line of the CREATE SEQUENCE statement.</summary>
    public int Line { get; set; }

    public override string ToString() => QualifiedName.ToString();
}
