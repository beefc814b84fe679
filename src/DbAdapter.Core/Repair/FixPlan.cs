using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// The repair of a database's drift against schema.sql, as data: the ordered steps, their SQL and
/// their hazards. Made by <see cref="FixPlanner"/>, run by <see cref="FixExecutor"/>, which validates
/// the database again in the same transaction, so a plan that went stale is caught, not trusted.
/// </summary>
public sealed class FixPlan
{
    /// <summary>Creates a plan.</summary>
    /// <param name="expected">The expected schema.</param>
    /// <param name="schemas">The schemas compared, first one first.</param>
    /// <param name="steps">The steps in execution order.</param>
    /// <param name="warnings">Findings about the plan as a whole.</param>
    /// <param name="origin">What the plan was made with, when known.</param>
    /// <param name="fingerprint">The live catalog objects the plan depends on, when read.</param>
    public FixPlan(
        SchemaModel expected,
        IReadOnlyList<string> schemas,
        IReadOnlyList<FixStep> steps,
        IReadOnlyList<string> warnings,
        FixPlanOrigin? origin = null,
        CatalogFingerprint? fingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(warnings);
        Expected = expected;
        Schemas = schemas.ToArray();
        Steps = steps.ToArray();
        Warnings = warnings.ToArray();
        Origin = origin;
        Fingerprint = fingerprint;
    }

    /// <summary>The steps in execution order.</summary>
    public IReadOnlyList<FixStep> Steps { get; }

    /// <summary>True when there is at least one step.</summary>
    public bool HasChanges => Steps.Count > 0;

    /// <summary>The expected schema the plan repairs towards (and validates against after applying).</summary>
    public SchemaModel Expected { get; }

    /// <summary>The schemas compared (the profile's), first one first.</summary>
    public IReadOnlyList<string> Schemas { get; }

    /// <summary>schema.sql's path when the expected model came from a file.</summary>
    public string? SchemaFile => Expected.SourceFile;

    /// <summary>True when a step has a blocking hazard: applying needs Force.</summary>
    public bool HasBlockingHazards => Steps.Any(s => s.HasBlockingHazards);

    /// <summary>
    /// True when applying writes a pre-fix backup first (a step rewrites a table or would lose
    /// data), so <see cref="FixApplyOptions.BackupPath"/> is needed unless NoBackup.
    /// </summary>
    public bool NeedsBackup => Steps.Any(FixExecutor.NeedsBackup);

    /// <summary>Things the person running the plan should know that belong to no single step.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>What the plan was made with (when, column definitions, tables to rebuild, reader or shadow), or null.</summary>
    public FixPlanOrigin? Origin { get; }

    /// <summary>The same plan with <paramref name="origin"/>.</summary>
    public FixPlan WithOrigin(FixPlanOrigin origin) => new(Expected, Schemas, Steps, Warnings, origin, Fingerprint);

    /// <summary>
    /// The live catalog objects of the tables the plan changes, as they were when it was made; applying
    /// refuses the plan (FixPlanStale) when they differ inside the fix transaction. Null: not checked.
    /// </summary>
    public CatalogFingerprint? Fingerprint { get; }

    /// <summary>
    /// The tables the steps change (a type, sequence, function or view a step creates is no table),
    /// each once, in byte order: what the fingerprint covers.
    /// </summary>
    public IReadOnlyList<TableName> ChangedTables =>
        Steps.Where(s => s.Operation is not (FixOperation.CreateType or FixOperation.CreateSequence or FixOperation.CreateFunction or FixOperation.CreateView))
            .Select(s => new TableName(s.Schema, s.Table))
            .Distinct()
            .OrderBy(t => t.Schema, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
}
