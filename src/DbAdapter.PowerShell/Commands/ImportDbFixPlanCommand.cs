using System.Management.Automation;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Reads a plan file written by Export-DbFixPlan, to apply it exactly as reviewed.</para>
/// <para type="description">Reads a JSON plan file and emits a DbFixPlan that Invoke-DbFix accepts. Nothing is planned again: the steps are exactly the exported statements. The file is refused (FixPlanInvalid) when its content no longer matches the SHA-256 it ends with, or when the schema file it was made from (looked for at its recorded path, relative to the plan file, then as [schema] file of db.toml) no longer has the recorded SHA-256. The plan is for its own profile, looked up in the current db.toml (-ConfigPath); -Profile applies it to another profile instead, with a warning. A plan made in shadow mode has its expected schema made again in a shadow database (-ShadowDatabase, else the profile it recorded, else db.toml's), so it is validated as it was planned; nothing else touches a database here: Invoke-DbFix reads the fingerprint of the tables the plan changes inside its transaction, and refuses the plan (FixPlanStale, naming what changed) when the database is no longer the one it was made for.</para>
/// </summary>
/// <example>
/// <code>Import-DbFixPlan -Path ./plans/prod-fix.json | Invoke-DbFix -Confirm:$false</code>
/// <para>Applies the reviewed plan to the profile it was made for, exactly as exported.</para>
/// </example>
/// <example>
/// <code>Import-DbFixPlan ./plans/prod-fix.json | Invoke-DbFix -WhatIf</code>
/// <para>Shows what the reviewed plan would do, changing nothing.</para>
/// </example>
/// <example>
/// <code>Import-DbFixPlan ./plans/prod-fix.json -ShadowDatabase ci-shadow | Invoke-DbFix -Confirm:$false</code>
/// <para>Applies a plan that was made in shadow mode (a migration-style schema file): the expected schema is made again in the shadow database of profile ci-shadow, and the fix is validated against it.</para>
/// </example>
/// <example>
/// <code>Import-DbFixPlan ./plans/prod-fix.json -Profile prod-replica | Invoke-DbFix</code>
/// <para>Applies the plan to another profile; it runs only if the tables it changes there are exactly as they were where it was made.</para>
/// </example>
[Cmdlet(VerbsData.Import, "DbFixPlan")]
[OutputType(typeof(DbFixPlan))]
public sealed class ImportDbFixPlanCommand : DbCommandBase
{
    /// <summary>
    /// The plan file (JSON) written by Export-DbFixPlan. Accepts the FullName property of files from the pipeline (Get-ChildItem).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Applies the plan to this profile instead of the one it was made for (a warning says so). Default: the plan's own profile, in the current db.toml.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>
    /// For a plan made in shadow mode: the shadow database (postgres:// URL or profile name) its expected schema is made again in before it is applied. Default: the profile the plan recorded, else [schema] shadow_database or shadow = true of db.toml. Needed when the plan was made with a connection string, which a plan file never records.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ShadowDatabase { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = ResolveUserPath(Path)!;
        var request = CreateRequest(Profile);
        RunItem(
            async (reporter, token) =>
            {
                var imported = await FixPlanImportOperation.RunAsync(path, request, ProcessEnvironment.Instance, reporter, token, ShadowDatabase).ConfigureAwait(false);
                PostObject(OutputMapper.ToFixPlan(imported));
            },
            item: path);
    }
}
