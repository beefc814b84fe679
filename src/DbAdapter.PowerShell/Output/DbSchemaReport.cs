using System.Management.Automation;

namespace DbAdapter;

/// <summary>How a live database differs from schema.sql (Test-DbSchema).</summary>
public sealed class DbSchemaReport
{
    internal DbSchemaReport()
    {
    }

    /// <summary>Profile name; empty in direct mode.</summary>
    public string Profile { get; internal init; } = string.Empty;

    /// <summary>Absolute path of the schema.sql compared against.</summary>
    public string SchemaFile { get; internal init; } = string.Empty;

    /// <summary>What produced the expected schema: Reader (schema.sql read) or Shadow (schema.sql run in a throwaway database and read back).</summary>
    public string ExpectedFrom { get; internal init; } = "Reader";

    /// <summary>No missing tables, columns or objects (and, with -Strict, no differences).</summary>
    public bool IsValid { get; internal init; }

    /// <summary>Tables of schema.sql missing from the database: bare name in the first schema, schema.table otherwise.</summary>
    public string[] MissingTables { get; internal init; } = [];

    public DbColumnRef[] MissingColumns { get; internal init; } = [];

    /// <summary>Tables in the database that schema.sql does not declare.</summary>
    public string[] ExtraTables { get; internal init; } = [];

    public DbColumnRef[] ExtraColumns { get; internal init; } = [];

    /// <summary>
    /// Type, nullability and default differences of columns, and definition differences of objects
    /// (Kind Constraint, Index, View, Function, Trigger, Enum, Domain or Sequence; Column holds the
    /// object's name). Errors only with -Strict.
    /// </summary>
    public DbColumnDifference[] Differences { get; internal init; } = [];

    /// <summary>
    /// Objects schema.sql declares that the database lacks: constraints, foreign keys, indexes and
    /// triggers of the tables it has, and sequences, enums (or their labels), domains, views and
    /// functions. A missing table's own objects come back with it and are not listed.
    /// </summary>
    public DbObjectRef[] MissingObjects { get; internal init; } = [];

    /// <summary>Objects in the database that schema.sql does not declare (of tables both have, and of the compared schemas).</summary>
    public DbObjectRef[] ExtraObjects { get; internal init; } = [];

    /// <summary>Number of errors: missing tables, columns and objects, plus differences with -Strict.</summary>
    public int ErrorCount { get; internal init; }

    /// <summary>Whether differences counted as errors.</summary>
    public bool Strict { get; internal init; }

    /// <summary>What the schema.sql reader skipped, with line numbers.</summary>
    public string[] Warnings { get; internal init; } = [];

    /// <summary>What is missing, counted per kind ("1 tbl, 5 col, 3 fk"): the table view's Missing column.</summary>
    [Hidden]
    public string MissingSummary { get; internal init; } = "none";

    /// <summary>What is extra, counted per kind: the table view's Extra column.</summary>
    [Hidden]
    public string ExtraSummary { get; internal init; } = "none";

    /// <summary>The resolved profile the report was made for, so Get-DbFixPlan can plan from it without resolving again.</summary>
    internal object? Source { get; init; }

    /// <summary>The shadow database given for the report (never shown: a URL may hold a password), so a plan from it uses the same mode.</summary>
    internal string? ShadowDatabase { get; init; }

    public override string ToString() => IsValid ? $"{Profile}: valid" : $"{Profile}: {ErrorCount} error(s)";
}
