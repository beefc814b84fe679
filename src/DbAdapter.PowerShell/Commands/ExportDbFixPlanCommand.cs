using System.Management.Automation;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes a repair plan to a file for review, to be applied later exactly as reviewed.</para>
/// <para type="description">Writes a DbFixPlan from Get-DbFixPlan as readable JSON: the profile it was made for, the schema file (its path relative to the plan file, and its SHA-256), the options it was made with (column definitions file, tables to rebuild), every step with the exact statements it runs and its hazards, and a fingerprint of the live catalog entries the plan depends on (existence, columns and constraints of every table it changes). The file ends with the SHA-256 of its content. Import-DbFixPlan reads it back into a plan that Invoke-DbFix applies without planning again: it refuses a file whose content or schema.sql changed since, and Invoke-DbFix refuses the plan (FixPlanStale) when the tables it changes are no longer what the fingerprint records. With -AsSql the plan is written instead as one SQL script for psql (BEGIN; SET LOCAL lock_timeout; the statements with their steps and hazards as comments; a note on validation; COMMIT), for a reviewer or for applying by hand with psql -v ON_ERROR_STOP=1 -f. The file is replaced atomically if it exists. Nothing touches the database.</para>
/// </summary>
/// <example>
/// <code>Get-DbFixPlan -Profile prod | Export-DbFixPlan -Path ./plans/prod-fix.json</code>
/// <para>Plans the repair of prod and writes it to a file to commit and review in a pull request.</para>
/// </example>
/// <example>
/// <code>$plan = Get-DbFixPlan -Profile prod; $plan | Export-DbFixPlan -Path ./prod-fix.json; $plan | Export-DbFixPlan -Path ./prod-fix.sql -AsSql</code>
/// <para>Writes the same plan as JSON (to apply with Import-DbFixPlan | Invoke-DbFix) and as a SQL script to read.</para>
/// </example>
[Cmdlet(VerbsData.Export, "DbFixPlan", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDbFixPlanCommand : AsyncCmdlet
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>
    /// The plan to write, from Get-DbFixPlan or Import-DbFixPlan (also from the pipeline).
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    [FixPlanArgument]
    public DbFixPlan? Plan { get; set; }

    /// <summary>
    /// The file to write (relative paths are resolved against the current location); its folder must exist. Paths in the file are relative to its folder.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Writes one SQL script for psql (BEGIN, SET LOCAL lock_timeout, the statements, the validation note, COMMIT) instead of the JSON plan file.
    /// </summary>
    [Parameter]
    public SwitchParameter AsSql { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var plan = Plan!;
        if (plan.Source is not FixPlanSource source)
        {
            WriteError(ErrorRecords.From(ErrorIds.FixPlanInvalid, ErrorCategory.InvalidArgument, FixPlanArgumentAttribute.DeserializedAdvice, plan));
            return;
        }

        var path = ResolveUserPath(Path)!;
        if (!_written.Add(path))
        {
            WriteError(ErrorRecords.From(
                ErrorIds.FixPlanNotWritten,
                ErrorCategory.InvalidArgument,
                $"More than one plan came down the pipeline for {path}: a plan file holds one plan, and the first was written. Give each plan a file of its own.",
                plan));
            return;
        }

        var kind = AsSql ? "SQL script" : "plan file";
        if (!ShouldProcess(path, $"Write the {kind} of the fix plan for '{(plan.Profile.Length > 0 ? plan.Profile : source.Profile.DisplayName)}' ({plan.Steps.Length} step(s))"))
        {
            WriteObject(new FileInfo(path));
            return;
        }

        var asSql = AsSql.IsPresent;
        RunItem(
            async (_, token) =>
            {
                var written = await FixPlanExportOperation.RunAsync(source.Plan, source.Profile, path, asSql, token).ConfigureAwait(false);

                // Through the provider, as Get-Item gives it: the file views of pwsh need its notes.
                PostAction(() => WriteObject(InvokeProvider.Item.Get([written], force: false, literalPath: true), enumerateCollection: true));
            },
            item: plan);
    }
}
