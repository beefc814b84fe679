using DbAdapter.Core.Backup;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Rows;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;
using DbAdapter.Core.Sync;

namespace DbAdapter.PowerShell.Internal;

/// <summary>Engine results to the module's output types (the engine's types never leave the module).</summary>
internal static class OutputMapper
{
    public static DbConnectionInfo ToConnectionInfo(ConnectOutcome outcome, DbSchemaReport? report) => new()
    {
        Profile = outcome.Profile.Name ?? string.Empty,
        Provider = outcome.Profile.Target.Provider,
        Description = outcome.Profile.Target.Description,
        Host = outcome.Profile.Target.Host,
        Port = outcome.Profile.Target.Port,
        Database = outcome.Profile.Target.Database,
        UserName = outcome.Profile.Target.UserName,
        ServerVersion = outcome.ServerVersion,
        SchemaValidated = report?.IsValid,
        SchemaReport = report,
        Tables = outcome.Tables.Select(t => new DbTableCount(t.Schema, t.Table, t.Rows)).ToArray(),
    };

    public static DbSchemaReport ToSchemaReport(ResolvedProfile resolved, SchemaValidationResult result, bool strict, string? shadowDatabase = null)
    {
        var comparison = result.Comparison;
        return new DbSchemaReport
        {
            Profile = resolved.Name ?? string.Empty,
            SchemaFile = result.SchemaFile,
            ExpectedFrom = result.From.ToString(),
            IsValid = comparison.IsValid(strict),
            ErrorCount = comparison.ErrorCount(strict),
            Strict = strict,
            MissingTables = comparison.MissingTables.Select(comparison.Display).ToArray(),
            MissingColumns = comparison.MissingColumns.Select(c => new DbColumnRef(c.Schema, c.Table, c.Column, comparison.Display(c))).ToArray(),
            ExtraTables = comparison.ExtraTables.Select(comparison.Display).ToArray(),
            ExtraColumns = comparison.ExtraColumns.Select(c => new DbColumnRef(c.Schema, c.Table, c.Column, comparison.Display(c))).ToArray(),
            Differences = comparison.Differences.Select(d => new DbColumnDifference(
                d.Schema, d.Table, d.Column, d.Kind.ToString(), d.Expected, d.Actual,
                d.Table.Length == 0 ? comparison.Display(new TableName(d.Schema, d.Column)) : $"{comparison.Display(new TableName(d.Schema, d.Table))}.{d.Column}")).ToArray(),
            MissingObjects = comparison.MissingObjects.Select(o => ToObjectRef(comparison, o)).ToArray(),
            ExtraObjects = comparison.ExtraObjects.Select(o => ToObjectRef(comparison, o)).ToArray(),
            MissingSummary = Summary(comparison.MissingTables.Count, comparison.MissingColumns.Count, comparison.MissingObjects),
            ExtraSummary = Summary(comparison.ExtraTables.Count, comparison.ExtraColumns.Count, comparison.ExtraObjects),
            Warnings = result.Expected.Warnings.Concat(comparison.Warnings).ToArray(),
            Source = resolved,
            ShadowDatabase = shadowDatabase,
        };
    }

    private static DbObjectRef ToObjectRef(SchemaComparison comparison, ObjectRef item) =>
        new(item.Kind.ToString(), item.Schema, item.Table, item.Name, item.Definition, comparison.Display(item));

    /// <summary>"1 tbl, 5 col, 3 fk": a count per kind, in a fixed order, short enough for a table column.</summary>
    private static string Summary(int tables, int columns, IReadOnlyList<ObjectRef> objects)
    {
        var parts = new List<string>();
        Add(tables, "tbl");
        Add(columns, "col");
        foreach (var kind in Enum.GetValues<ObjectKind>())
        {
            Add(objects.Count(o => o.Kind == kind), kind switch
            {
                ObjectKind.PrimaryKey => "pk",
                ObjectKind.Unique => "uq",
                ObjectKind.Check => "ck",
                ObjectKind.ForeignKey => "fk",
                ObjectKind.Exclusion => "excl",
                ObjectKind.Index => "idx",
                ObjectKind.Sequence => "seq",
                ObjectKind.Enum => "enum",
                ObjectKind.Domain => "dom",
                ObjectKind.View => "view",
                ObjectKind.Function => "fn",
                _ => "trg",
            });
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);

        void Add(int count, string word)
        {
            if (count > 0)
            {
                parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count} {word}"));
            }
        }
    }

    public static DbProfileInfo ToProfileInfo(DbConfig config, ProfileListEntry entry) => new()
    {
        Name = entry.Profile.Name,
        Provider = entry.Profile.Provider,
        Description = entry.Profile.Description,
        Host = entry.Where.Host,
        Port = entry.Where.Port,
        Database = entry.Where.Database,
        UserName = entry.Where.UserName,
        IsCurrent = entry.CurrentSource is not null,
        CurrentSource = entry.CurrentSource?.ToString() ?? string.Empty,
        ConfigPath = config.FilePath,
    };

    public static DbFixPlan ToFixPlan(FixPlanOutcome outcome) => ToFixPlan(outcome.Profile, outcome.SchemaFile, outcome.Plan);

    public static DbFixPlan ToFixPlan(FixPlanImport imported) => ToFixPlan(imported.Profile, imported.SchemaFile, imported.Plan);

    private static DbFixPlan ToFixPlan(ResolvedProfile resolved, string schemaFile, FixPlan plan) => new()
    {
        Profile = resolved.Name ?? string.Empty,
        SchemaFile = schemaFile,
        HasChanges = plan.HasChanges,
        Warnings = plan.Warnings.ToArray(),
        Steps = plan.Steps.Select(step => new DbFixStep
        {
            Order = step.Order,
            Operation = step.Operation.ToString(),
            Schema = step.Schema,
            Table = step.Table,
            Column = step.Column,
            Sql = step.Sql,
            Statements = step.Statements.ToArray(),
            Description = step.Description,
            TableDisplay = new SchemaComparison(plan.Schemas).Display(new TableName(step.Schema, step.Table)),
            Hazards = step.Hazards.Select(h => new DbFixHazard(h.Kind, h.Blocking, h.Message)).ToArray(),
        }).ToArray(),
        Source = new FixPlanSource(resolved, plan),
    };

    public static DbFixResult ToFixResult(string profile, FixResult result, bool whatIf = false) => new()
    {
        Profile = profile,
        Success = result.Success,
        TablesCreated = result.TablesCreated,
        ColumnsAdded = result.ColumnsAdded,
        TablesRecreated = result.TablesRecreated,
        ObjectsCreated = result.ObjectsCreated,
        BackupPath = result.BackupPath,
        Duration = result.Duration,
        WhatIf = whatIf,
    };

    public static DbBackupResult ToBackupResult(BackupResult result) => new()
    {
        Path = result.Path,
        Profile = result.Profile,
        UserId = result.UserId,
        Tables = result.Tables.Select(t => new DbTableBackup(t.Key, t.Value)).ToArray(),
        Bytes = result.Bytes,
        Duration = result.Duration,
    };

    public static DbBackupValidation ToBackupValidation(BackupValidation result) => new()
    {
        Path = result.Path,
        IsValid = result.IsValid,
        Errors = result.Errors.ToArray(),
        Warnings = result.Warnings.ToArray(),
    };

    public static DbRestoreResult ToRestoreResult(RestoreResult result) => new()
    {
        Path = result.Path,
        Profile = result.Profile,
        Mode = result.Mode.ToString(),
        Committed = result.Committed,
        UserId = result.UserId,
        Duration = result.Duration,
        Tables = result.Tables.Select(t => new DbTableRestore
        {
            Table = t.Table,
            Inserted = t.Inserted,
            Updated = t.Updated,
            Skipped = t.Skipped,
            Failed = t.Failed,
            Failures = t.Failures.Select(ToRowFailure).ToArray(),
        }).ToArray(),
    };

    public static DbSyncResult ToSyncResult(SyncResult result) => new()
    {
        Source = result.Source,
        Destination = result.Destination,
        UserId = result.UserId,
        Mode = result.Mode.ToString(),
        Committed = result.Committed,
        Duration = result.Duration,
        Tables = result.Tables.Select(t => new DbTableSync
        {
            Table = t.Table,
            SourceRows = t.SourceRows,
            DestinationRows = t.DestinationRows,
            New = t.New,
            Existing = t.Existing,
            Inserted = t.Inserted,
            Updated = t.Updated,
            Skipped = t.Skipped,
            Failed = t.Failed,
        }).ToArray(),
    };

    public static DbRowFailure ToRowFailure(RowFailure failure) => new(failure.Table, failure.RowIndex, failure.Key, failure.Error);

    /// <summary>The target of a row engine's error: the refused row, when the error names one.</summary>
    public static object? RowFailureTarget(DbAdapterException error) => error.Target is RowFailure failure ? ToRowFailure(failure) : null;
}
