
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// A database schema as a model: what schema.sql declares (filled by the schema.sql reader) or what a
/// live database holds (filled by introspection). The comparison and the repair planner work on it.
/// Names are kept exactly as stored (unquoted SQL names already folded to lower case).
/// A model read from a schema file is shared by the process's later reads of the same bytes
/// (<see cref="SchemaFileCache"/>): once read, a model is only read.
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

    /// <summary>Views and materialized views, in file (or creation) order: a view may use the ones before it.</summary>
    public List<ViewModel> Views { get; } = [];

    /// <summary>Enum types, labels in their order.</summary>
    public List<EnumModel> Enums { get; } = [];

    /// <summary>Domains with their base type, default, NOT NULL and checks.</summary>
    public List<DomainModel> Domains { get; } = [];

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

    /// <summary>The primary key constraint's name (schema.sql: only when the file names it).</summary>
    public string? PrimaryKeyName { get; set; }

    /// <summary>Live: the primary key came from a partitioned parent (the partition did not declare it).</summary>
    public bool PrimaryKeyInherited { get; set; }

    /// <summary>The primary key is DEFERRABLE (and whether INITIALLY DEFERRED).</summary>
    public ConstraintTiming PrimaryKeyTiming { get; set; }

    /// <summary>schema.sql only: the column whose own definition declares the primary key (PRIMARY KEY written inline), or null.</summary>
    public string? PrimaryKeyInline { get; set; }

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

    public ColumnModel? FindColumn(string name)
    {
        // A loop, not FirstOrDefault: called for every column of every table, a delegate each time
        // was a megabyte of garbage per 1,000-table comparison.
        foreach (var column in Columns)
        {
            if (string.Equals(column.Name, name, StringComparison.Ordinal))
            {
                return column;
            }
        }

        return null;
    }

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

/// <summary>When a constraint is checked: DEFERRABLE, and whether INITIALLY DEFERRED.</summary>
/// <param name="Deferrable">DEFERRABLE.</param>
/// <param name="InitiallyDeferred">INITIALLY DEFERRED (only with <paramref name="Deferrable"/>).</param>
public readonly record struct ConstraintTiming(bool Deferrable, bool InitiallyDeferred)
{
    /// <summary>" DEFERRABLE", " DEFERRABLE INITIALLY DEFERRED" or nothing, as pg_get_constraintdef ends a definition.</summary>
    public string Suffix => !Deferrable ? string.Empty : InitiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
}

/// <summary>What every table constraint of the model has besides its own parts.</summary>
public abstract class ConstraintModel
{
    /// <summary>The constraint's name: live always; schema.sql only when the file names it (the server chooses one otherwise).</summary>
    public string? Name { get; set; }

    /// <summary>Live: the constraint came from a parent (a partitioned parent, or an inherited check).</summary>
    public bool IsInherited { get; set; }

    /// <summary>DEFERRABLE / INITIALLY DEFERRED (unique, primary key, foreign key and exclusion constraints).</summary>
    public ConstraintTiming Timing { get; set; }

    /// <summary>
    /// schema.sql only: the column whose own definition declares the constraint (UNIQUE, CHECK or
    /// REFERENCES written inline), or null for a table constraint. Adding that column adds the constraint.
    /// </summary>
    public string? InlineColumn { get; set; }

    /// <summary>schema.sql only: the search_path the constraint was written under (its expression resolves there).</summary>
    public SearchPath? SearchPath { get; set; }

    /// <summary>schema.sql only: line where the constraint is written.</summary>
    public int Line { get; set; }
}

public sealed class UniqueModel : ConstraintModel
{
    public List<string> Columns { get; } = [];

    /// <summary>NULLS NOT DISTINCT: two rows with NULL in the key collide.</summary>
    public bool NullsNotDistinct { get; set; }
}

public sealed class CheckModel : ConstraintModel
{
    /// <summary>The expression (live: pg_get_constraintdef, "CHECK (...)"; schema.sql: as written, inside the parentheses).</summary>
    public required string Expression { get; set; }

    /// <summary>Live: the columns the check names.</summary>
    public List<string> Columns { get; } = [];

    /// <summary>NO INHERIT: the check does not reach inheritance children.</summary>
    public bool NoInherit { get; set; }
}

/// <summary>An exclusion constraint (EXCLUDE USING gist (room WITH =, during WITH &amp;&amp;)).</summary>
public sealed class ExclusionModel : ConstraintModel
{
    /// <summary>The constraint from EXCLUDE on (live: pg_get_constraintdef; schema.sql: as written, whitespace normalised).</summary>
    public required string Definition { get; set; }

    /// <summary>The columns the constraint names, where known (live: conkey; schema.sql: plain column elements).</summary>
    public List<string> Columns { get; } = [];
}

public sealed class ForeignKeyModel : ConstraintModel
{
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
}

public sealed class IndexModel
{
    /// <summary>The schema (settable: follows its table to another schema).</summary>
    public required string Schema { get; set; }

    /// <summary>The table (settable: follows a rename of its table in schema.sql).</summary>
    public required string Table { get; set; }

    /// <summary>The name (schema.sql: the server's choice for an unnamed index, without its collision suffix).</summary>
    public required string Name { get; init; }

    /// <summary>schema.sql only: the file gives the index no name (the server chooses one).</summary>
    public bool NameGenerated { get; init; }

    public bool IsUnique { get; set; }

    /// <summary>The access method (btree, gin, gist...), lower case.</summary>
    public string Method { get; set; } = "btree";

    /// <summary>Key columns; an expression key appears as its expression text.</summary>
    public List<string> Columns { get; } = [];

    /// <summary>Each key: its column (or null for an expression) and its options, parallel to <see cref="Columns"/>.</summary>
    public List<IndexKey> Keys { get; } = [];

    /// <summary>INCLUDE columns (stored, not part of the key).</summary>
    public List<string> Include { get; } = [];

    /// <summary>NULLS NOT DISTINCT (a unique index where NULLs collide).</summary>
    public bool NullsNotDistinct { get; set; }

    /// <summary>Partial index predicate, or null (live: pg_get_expr; schema.sql: as written).</summary>
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

/// <summary>One key of an index: a column or an expression, and how it is ordered and compared.</summary>
/// <param name="Column">The column name, or null when the key is an expression (its text is in <see cref="IndexModel.Columns"/>).</param>
/// <param name="Options">
/// What follows the key, in the server's words and order: a non-default operator class, then
/// "DESC", "NULLS FIRST" (ascending) or "NULLS LAST" (descending) where they differ from the default;
/// empty for none.
/// </param>
public sealed record IndexKey(string? Column, string Options);

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

    /// <summary>UPDATE OF: the columns an UPDATE must name to fire the trigger (empty: any UPDATE).</summary>
    public List<string> UpdateColumns { get; } = [];

    /// <summary>FOR EACH ROW (true) or FOR EACH STATEMENT.</summary>
    public bool ForEachRow { get; set; }

    /// <summary>
    /// The function, as written (schema.sql: possibly unqualified) or schema-qualified (live).
    /// </summary>
    public string? Function { get; set; }

    /// <summary>The arguments passed to the function, as the strings it receives.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>The WHEN condition (live: as pg_get_triggerdef prints it; schema.sql: as written), or null.</summary>
    public string? When { get; set; }

    /// <summary>CREATE CONSTRAINT TRIGGER: a trigger that can be deferred.</summary>
    public bool IsConstraint { get; set; }

    /// <summary>A constraint trigger's DEFERRABLE / INITIALLY DEFERRED.</summary>
    public ConstraintTiming Deferral { get; set; }

    /// <summary>REFERENCING OLD TABLE AS ... / NEW TABLE AS ...: the transition table names, or null.</summary>
    public string? OldTable { get; set; }

    /// <summary>REFERENCING NEW TABLE AS name, or null.</summary>
    public string? NewTable { get; set; }

    /// <summary>Live: a partition's clone of its partitioned parent's trigger.</summary>
    public bool IsInherited { get; set; }

    /// <summary>Live: the definition as pg_get_triggerdef prints it; schema.sql: the statement as written.</summary>
    public string? Definition { get; set; }

    /// <summary>schema.sql only: the CREATE TRIGGER statement (for repair).</summary>
    public FileStatement? Statement { get; set; }

    /// <summary>schema.sql only: the search_path the trigger was written under (its function resolves there).</summary>
    public SearchPath? SearchPath { get; set; }

    /// <summary>schema.sql only: line of the CREATE TRIGGER statement.</summary>
    public int Line { get; set; }
}

public sealed class FunctionModel
{
    public required string Schema { get; set; }

    public required string Name { get; set; }

    /// <summary>
    /// Identity arguments (live: pg_get_function_identity_arguments, telling overloads apart; schema.sql:
    /// the argument list as written).
    /// </summary>
    public required string Arguments { get; set; }

    public string? ReturnType { get; set; }

    /// <summary>A procedure (CREATE PROCEDURE) rather than a function.</summary>
    public bool IsProcedure { get; set; }

    /// <summary>The language, lower case (plpgsql, sql, c...).</summary>
    public string? Language { get; set; }

    /// <summary>
    /// The body: the string after AS, exactly as the function receives it (live: prosrc), or, for a
    /// SQL-standard body (BEGIN ATOMIC / RETURN), the server's text of it.
    /// </summary>
    public string? Body { get; set; }

    /// <summary>
    /// Everything but the body that makes the function behave as it does, in the server's words
    /// ("VOLATILE", "STABLE STRICT SECURITY DEFINER", "IMMUTABLE PARALLEL SAFE"...). Live, and
    /// schema.sql once the server has read it.
    /// </summary>
    public string? Attributes { get; set; }

    /// <summary>Live: CREATE OR REPLACE FUNCTION as pg_get_functiondef prints it (repair in shadow mode runs it).</summary>
    public string? Definition { get; set; }

    /// <summary>schema.sql only: the CREATE FUNCTION / PROCEDURE statement (for repair and for the server to read).</summary>
    public FileStatement? Statement { get; set; }

    /// <summary>schema.sql only: where the argument list starts in <see cref="Statement"/>'s text (what follows the name is what the server reads).</summary>
    internal int RestOffset { get; set; }

    /// <summary>schema.sql only: line of the statement.</summary>
    public int Line { get; set; }

    /// <summary>"name(arguments)", the way the report names a function.</summary>
    public string Signature => $"{Name}({Arguments})";
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

    /// <summary>The data type (live: format_type of seqtypid, "integer", "bigint"; schema.sql: AS type as written, null for the default bigint).</summary>
    public string? DataType { get; set; }

    /// <summary>
    /// Made by the comparison for a SERIAL column of schema.sql: the sequence the server creates for
    /// it, which the file does not write as a statement of its own.
    /// </summary>
    public bool IsImplicit { get; set; }

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
