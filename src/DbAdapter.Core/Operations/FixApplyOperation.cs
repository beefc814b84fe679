using System.Globalization;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;

namespace DbAdapter.Core.Operations;

/// <summary>What applying a plan will do, known before anything runs (and all -WhatIf shows).</summary>
/// <param name="Warnings">The non-blocking hazards, one line each, to show before confirming.</param>
/// <param name="BackupPath">The pre-fix backup file a real run writes first, or null.</param>
/// <param name="Preview">The result a successful run reports.</param>
public sealed record FixApplyPreparation(IReadOnlyList<string> Warnings, string? BackupPath, FixResult Preview);

/// <summary>Invoke-DbFix's work: refuse blocking hazards, decide the backup file, apply in one transaction.</summary>
public static class FixApplyOperation
{
    /// <summary>
    /// Everything decided before a plan runs: throws FixPlanHasHazards for blocking hazards without
    /// <paramref name="force"/> (so nobody is asked to confirm a plan that would be refused); the backup
    /// file (<see cref="FixExecutor.BackupPathFor"/> with <paramref name="location"/>'s backups folder as default).
    /// </summary>
    public static FixApplyPreparation Prepare(FixPlan plan, bool force, bool noBackup, string? backupPath, string location, string profileName)
    {
        ArgumentNullException.ThrowIfNull(plan);
        FixExecutor.RefuseBlockingHazards(plan, force);
        var warnings = plan.Steps
            .SelectMany(s => s.Hazards.Where(h => !h.Blocking).Select(h => string.Create(CultureInfo.InvariantCulture, $"Step {s.Order} ({s.Target}): {h.Kind}: {h.Message}")))
            .ToList();
        var backup = plan.NeedsBackup && !noBackup ? FixExecutor.BackupPathFor(backupPath, location, profileName, DateTimeOffset.UtcNow) : null;
        return new FixApplyPreparation(warnings, backup, FixResult.Of(plan, backup, TimeSpan.Zero));
    }

    /// <summary>Applies <paramref name="plan"/> to <paramref name="profile"/>'s database (see <see cref="FixExecutor.ApplyAsync"/>).</summary>
    /// <param name="profile">The database.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Force, backup, retries.</param>
    /// <param name="lockTimeout">How long each lock may be waited for; null for the profile's (db.toml lock_timeout, else 5 s).</param>
    /// <param name="statementTimeout">How long each statement may run; null for the server's setting.</param>
    /// <param name="reporter">Progress, warnings (one per retry), verbose lines.</param>
    /// <param name="ct">Cancels the apply (rolled back).</param>
    public static async Task<FixResult> RunAsync(
        ResolvedProfile profile, FixPlan plan, FixApplyOptions options, TimeSpan? lockTimeout, TimeSpan? statementTimeout, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var client = new DbClient(profile.Target, new DbTimeouts(lockTimeout ?? profile.Target.LockTimeout, statementTimeout));
        await using (client.ConfigureAwait(false))
        {
            return await FixExecutor.ApplyAsync(client, plan, options, reporter, ct).ConfigureAwait(false);
        }
    }
}
