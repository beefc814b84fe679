namespace DbAdapter.Core.Repair;

/// <summary>The outcome of applying a plan.</summary>
/// <param name="Success">True when everything was committed (failures throw instead).</param>
/// <param name="TablesCreated">CreateTable steps applied.</param>
/// <param name="ColumnsAdded">AddColumn steps applied.</param>
/// <param name="TablesRecreated">RecreateTable steps applied.</param>
/// <param name="BackupPath">Full path of the pre-fix backup, or null when none was written.</param>
/// <param name="Duration">Wall time of the apply.</param>
public sealed record FixResult(bool Success, int TablesCreated, int ColumnsAdded, int TablesRecreated, string? BackupPath, TimeSpan Duration)
{
    /// <summary>Steps applied that create objects beyond tables and columns (constraints, indexes, types, sequences, functions, views, triggers).</summary>
    public int ObjectsCreated { get; init; }

    /// <summary>The result of applying <paramref name="plan"/> whole: what a real run reports, and what -WhatIf previews.</summary>
    public static FixResult Of(FixPlan plan, string? backupPath, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new FixResult(
            true,
            plan.Steps.Count(s => s.Operation == FixOperation.CreateTable),
            plan.Steps.Count(s => s.Operation == FixOperation.AddColumn),
            plan.Steps.Count(s => s.Operation == FixOperation.RecreateTable),
            backupPath,
            duration)
        {
            ObjectsCreated = plan.Steps.Count(s => s.Operation is not (FixOperation.CreateTable or FixOperation.AddColumn or FixOperation.RecreateTable)),
        };
    }
}
