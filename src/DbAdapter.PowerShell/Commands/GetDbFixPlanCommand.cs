using System.Management.Automation;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Plans the repair of schema drift, without changing anything.</para>
/// <para type="description">Compares the database with schema.sql and emits a DbFixPlan: ordered steps, each with the exact SQL it would run and its hazards. A missing table becomes a CreateTable step (its CREATE TABLE statement and indexes from schema.sql); a missing column an AddColumn step (its definition from schema.sql, or from the column definitions file). Referenced tables are created before the tables that reference them. Nothing is ever dropped: extra tables and columns are left alone, and any number of missing columns is repaired with ALTER TABLE ... ADD COLUMN. A NOT NULL column without default added to a table that has rows is added without NOT NULL (hazard NotNullDeferred, naming the statement that finishes the job). -RecreateTable rebuilds named tables in schema.sql's column order without losing rows (hazard RewritesTable, which Invoke-DbFix refuses without -Force). Review the plan, then pipe it to Invoke-DbFix.</para>
/// </summary>
/// <example>
/// <code>Get-DbFixPlan -Profile prod | Invoke-DbFix -WhatIf</code>
/// <para>Shows what the repair of prod would do, step by step, without changing anything.</para>
/// </example>
/// <example>
/// <code>$plan = Get-DbFixPlan -Profile prod; $plan.Steps | Format-Table Order, Operation, Table, Column, Hazards</code>
/// <para>Reviews the steps and their hazards.</para>
/// </example>
/// <example>
/// <code>Test-DbSchema -Profile staging | Get-DbFixPlan | Invoke-DbFix -Confirm:$false</code>
/// <para>Plans from a report and applies the plan without prompting.</para>
/// </example>
/// <example>
/// <code>Get-DbFixPlan -Profile dev -RecreateTable products | Invoke-DbFix -Force</code>
/// <para>Rebuilds products in schema.sql's column order, keeping every row, after writing a pre-fix backup.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DbFixPlan", DefaultParameterSetName = ParameterSets.Profile)]
[OutputType(typeof(DbFixPlan))]
public sealed class GetDbFixPlanCommand : DbCommandBase
{
    /// <summary>
    /// Profile to plan for. Default: the current profile. Accepts the Name property of objects from the pipeline (Get-DbProfile).
    /// </summary>
    [Parameter(ParameterSetName = ParameterSets.Profile, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>
    /// A DbSchemaReport from Test-DbSchema: plans for its profile against its schema file.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Report, ValueFromPipeline = true)]
    public DbSchemaReport? InputObject { get; set; }

    /// <summary>
    /// schema.sql to repair towards, instead of [schema] file of db.toml (or the report's schema file).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SchemaFile { get; set; }

    /// <summary>
    /// Shadow mode for this call: runs the schema file, statement by statement (DO blocks included), in a throwaway database that is created on this server and dropped afterwards, and repairs towards what the server made of it: CreateTable steps are then built from the throwaway database's catalog. Give a postgres:// URL or the name of a profile of db.toml (the role needs CREATEDB there; only the throwaway database is written to). Default: the report's shadow database, else [schema] shadow_database or shadow = true of db.toml, else the schema file is read without running it. Use it for files a reader cannot model: migrations, DO blocks, generated DDL.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ShadowDatabase { get; set; }

    /// <summary>
    /// JSON file of column definitions that override schema.sql for AddColumn steps: {"table.column": "SQL definition"} (the Python tool's column-defs format). Default: [schema] column_defs of db.toml.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ColumnDefinitionsPath { get; set; }

    /// <summary>
    /// Tables to rebuild in schema.sql's column order, keeping their rows, ids, sequence positions and the foreign keys that point at them. Each adds a RewritesTable hazard that Invoke-DbFix refuses without -Force.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecreateTable { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var report = InputObject;
        var request = CreateRequest(report is null ? Profile : (report.Profile.Length > 0 ? report.Profile : null));
        var options = new FixPlanRequest(
            ResolveUserPath(SchemaFile) ?? (report is { SchemaFile.Length: > 0 } ? report.SchemaFile : null),
            ResolveUserPath(ColumnDefinitionsPath),
            RecreateTable,
            ShadowDatabase ?? report?.ShadowDatabase);
        RunItem(async (reporter, token) =>
        {
            var outcome = await FixPlanOperation.RunAsync(request, report?.Source as ResolvedProfile, options, ProcessEnvironment.Instance, reporter, token).ConfigureAwait(false);
            PostObject(OutputMapper.ToFixPlan(outcome));
        });
    }
}
