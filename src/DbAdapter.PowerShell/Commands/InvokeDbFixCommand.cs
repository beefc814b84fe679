using System.Management.Automation;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Repair;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Applies a repair plan atomically.</para>
/// <para type="description">Runs every step of a DbFixPlan from Get-DbFixPlan or Import-DbFixPlan in ONE transaction, then compares the database with schema.sql again inside that transaction: anything short of valid, a failing step, or a stopped pipeline (Ctrl+C) rolls everything back, leaving the database exactly as it was. First, inside the transaction, it locks every table the statements touch, in one fixed order (so two fixes cannot deadlock), waiting at most -LockTimeout for each lock (default: the profile's lock_timeout in db.toml, else 5 seconds); a lock not granted in time rolls the attempt back and, after a pause that doubles each time (with jitter), tries the whole fix again, up to -RetryCount times, each retry a warning naming the blocking session (pid, application, state, query start, query). Then it reads the catalog entries of those tables again and refuses the plan (FixPlanStale, naming what changed) when they differ from the plan's fingerprint: the database is no longer the one the plan was made for. A plan with a blocking hazard (RewritesTable, DeletesData) is refused unless -Force; before such a plan runs, the full contents of the affected tables are written to a pre-fix backup (-BackupPath, default ./backups/pre-fix-PROFILE-TIMESTAMP.json; -NoBackup skips it). Each step is confirmed on its own (ConfirmImpact High); a plan is applied whole or not at all, so declining one step applies nothing. -WhatIf changes nothing and writes no file, and still emits the DbFixResult a real run would.</para>
/// </summary>
/// <example>
/// <code>Get-DbFixPlan -Profile prod | Invoke-DbFix -WhatIf</code>
/// <para>Prints one "What if" line per step and changes nothing.</para>
/// </example>
/// <example>
/// <code>Get-DbFixPlan -Profile prod | Invoke-DbFix -Confirm:$false</code>
/// <para>Applies the plan without prompting.</para>
/// </example>
/// <example>
/// <code>Get-DbFixPlan -RecreateTable products | Invoke-DbFix -Force -BackupPath ./before-recreate.json</code>
/// <para>Applies a plan with a blocking hazard, writing the pre-fix backup to the given file first.</para>
/// </example>
/// <example>
/// <code>Import-DbFixPlan -Path ./plan.json | Invoke-DbFix -LockTimeout 00:00:02 -RetryCount 5 -Confirm:$false</code>
/// <para>Applies a reviewed plan file exactly as exported, only if the tables it changes are as they were; waits at most 2 seconds for each lock and tries up to 5 more times behind a busy table.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "DbFix", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbFixResult))]
public sealed class InvokeDbFixCommand : AsyncCmdlet
{
    /// <summary>
    /// The plan to apply, from Get-DbFixPlan or Import-DbFixPlan (also from the pipeline).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    [FixPlanArgument]
    public DbFixPlan? Plan { get; set; }

    /// <summary>
    /// File for the pre-fix backup written before a plan that rewrites or deletes data. Default: ./backups/pre-fix-PROFILE-UTCTIMESTAMP.json in the current location.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>
    /// Skips the pre-fix backup.
    /// </summary>
    [Parameter]
    public SwitchParameter NoBackup { get; set; }

    /// <summary>
    /// Applies a plan that holds blocking hazards (RewritesTable, DeletesData).
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// How long to wait for each table lock before the attempt is rolled back (and retried): a TimeSpan ('00:00:02'), seconds (2) or PostgreSQL's syntax ('2s', '500ms'); 0 waits without limit. Default: the profile's lock_timeout in db.toml, else 5 seconds.
    /// </summary>
    [Parameter]
    [TimeoutArgument]
    public TimeSpan LockTimeout { get; set; }

    /// <summary>
    /// How long each statement of the fix may run before it is cancelled and the fix rolled back (not retried): a TimeSpan, seconds or PostgreSQL's syntax. Default: the server's statement_timeout.
    /// </summary>
    [Parameter]
    [TimeoutArgument]
    public TimeSpan StatementTimeout { get; set; }

    /// <summary>
    /// How many more times the whole fix is tried when a lock is not granted within -LockTimeout, pausing 0.25 s, 0.5 s, 1 s... (with jitter) in between. Default: 3.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int RetryCount { get; set; } = FixApplyOptions.DefaultRetryCount;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var plan = Plan!;
        if (plan.Source is not FixPlanSource source)
        {
            WriteError(ErrorRecords.From(ErrorIds.FixFailed, ErrorCategory.InvalidArgument, FixPlanArgumentAttribute.DeserializedAdvice, plan));
            return;
        }

        var profile = plan.Profile.Length > 0 ? plan.Profile : source.Profile.DisplayName;
        FixApplyPreparation prepared;
        try
        {
            // Refused before asking for confirmations that would be refused anyway.
            prepared = FixApplyOperation.Prepare(source.Plan, Force, NoBackup, ResolveUserPath(BackupPath), SessionState.Path.CurrentFileSystemLocation.ProviderPath, profile);
        }
        catch (DbAdapterException ex)
        {
            WriteError(ErrorRecords.From(ex, plan));
            return;
        }

        prepared.Warnings.ToList().ForEach(WriteWarning);

        // A plan is applied whole or not at all: ask for every step first, then run them in one transaction.
        var whatIf = false;
        var declined = 0;
        foreach (var step in plan.Steps)
        {
            var answer = Ask($"{step.Schema}.{step.Table}", step.Description);
            if (answer != Confirmation.Proceed)
            {
                whatIf |= answer == Confirmation.WhatIf;
                declined++;
            }
        }

        if (whatIf)
        {
            if (prepared.BackupPath is not null)
            {
                // One "What if" line per step, as for a real run's confirmations; the backup is said here.
                WriteVerbose($"A real run would first write the pre-fix backup '{prepared.BackupPath}'.");
            }

            WriteObject(OutputMapper.ToFixResult(plan.Profile, prepared.Preview, whatIf: true));
            return;
        }

        if (declined > 0)
        {
            WriteWarning($"{declined} of {plan.Steps.Length} step(s) declined: the plan for '{profile}' was not applied (a plan is applied whole or not at all).");
            WriteObject(new DbFixResult { Profile = plan.Profile, Success = false });
            return;
        }

        if (!plan.HasChanges)
        {
            WriteVerbose($"Profile '{profile}' already matches '{plan.SchemaFile}': nothing to do.");
            WriteObject(OutputMapper.ToFixResult(plan.Profile, prepared.Preview));
            return;
        }

        var options = new FixApplyOptions(Force: Force.IsPresent, BackupPath: prepared.BackupPath, NoBackup: NoBackup.IsPresent, ProfileName: profile, RetryCount: RetryCount);
        TimeSpan? lockTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(LockTimeout)) ? LockTimeout : null;
        TimeSpan? statementTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(StatementTimeout)) ? StatementTimeout : null;
        RunItem(
            async (reporter, token) =>
            {
                var result = await FixApplyOperation.RunAsync(source.Profile, source.Plan, options, lockTimeout, statementTimeout, reporter, token).ConfigureAwait(false);
                PostObject(OutputMapper.ToFixResult(plan.Profile, result));
            },
            target: ex => ex.ErrorId is ErrorIds.FixFailed or ErrorIds.FixPlanHasHazards or ErrorIds.FixPlanStale ? plan : null,
            item: plan);
    }
}
