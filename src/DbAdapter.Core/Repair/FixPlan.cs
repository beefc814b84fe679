using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Repair;

/// <summary>
/// The repair of a database's drift against schema.sql, as data: the ordered steps, their SQL and
/// their hazards. Made by <see cref="FixPlanner"/>, run by <see cref="FixExecutor"/>, which validates
/// the database again in the same transaction, so a plan that went stale is caught, not trusted.
/// </summary>
public sealed class FixPlan
{
    /// <summary>Creates a plan.</summary>
    /// <param name="expected">The expected schema the plan repairs towards.</param>
    /// <param name="schemas">The schemas compared.</param>
    /// <param name="steps">The steps in execution order.</param>
    /// <param name="warnings">Findings that belong to no single step.</param>
    /// <param name="plannedAgainst">The comparison the plan was made from: applying checks the database still compares so.</param>
    public FixPlan(SchemaModel expected, IReadOnlyList<string> schemas, IReadOnlyList<FixStep> steps, IReadOnlyList<string> warnings, SchemaComparison? plannedAgainst = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(warnings);
        Expected = expected;
        Schemas = schemas.ToArray();
        Steps = steps.ToArray();
        Warnings = warnings.ToArray();
        PlannedAgainst = plannedAgainst;
    }

    /// <summary>
    /// The comparison the plan was made from, or null. Before the first step runs, the database is
    /// compared again in the fix's transaction: a plan made against another state is refused
    /// (FixPlanStale) instead of being run and failing halfway.
    /// </summary>
    public SchemaComparison? PlannedAgainst { get; }

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
}
