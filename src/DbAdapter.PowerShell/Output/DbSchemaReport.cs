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

    /// <summary>No missing tables or columns (and, with -Strict, no differences).</summary>
    public bool IsValid { get; internal init; }

    /// <summary>Tables of schema.sql missing from the database: bare name in the first schema, schema.table otherwise.</summary>
    public string[] MissingTables { get; internal init; } = [];

    public DbColumnRef[] MissingColumns { get; internal init; } = [];

    /// <summary>Tables in the database that schema.sql does not declare.</summary>
    public string[] ExtraTables { get; internal init; } = [];

    public DbColumnRef[] ExtraColumns { get; internal init; } = [];

    /// <summary>Type, nullability and default differences (errors only with -Strict).</summary>
    public DbColumnDifference[] Differences { get; internal init; } = [];

    /// <summary>Number of errors: missing tables and columns, plus differences with -Strict.</summary>
    public int ErrorCount { get; internal init; }

    /// <summary>Whether differences counted as errors.</summary>
    public bool Strict { get; internal init; }

    /// <summary>What the schema.sql reader skipped, with line numbers.</summary>
    public string[] Warnings { get; internal init; } = [];

    /// <summary>The resolved profile the report was made for, so Get-DbFixPlan can plan from it without resolving again.</summary>
    internal object? Source { get; init; }

    /// <summary>The shadow database given for the report (never shown: a URL may hold a password), so a plan from it uses the same mode.</summary>
    internal string? ShadowDatabase { get; init; }

    public override string ToString() => IsValid ? $"{Profile}: valid" : $"{Profile}: {ErrorCount} error(s)";
}
