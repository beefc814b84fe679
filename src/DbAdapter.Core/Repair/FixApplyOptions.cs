namespace DbAdapter.Core.Repair;

/// <summary>Options of <see cref="FixExecutor.ApplyAsync"/>.</summary>
/// <param name="Force">Run a plan that has blocking hazards.</param>
/// <param name="BackupPath">
/// Where the pre-fix backup goes (a file, or an existing folder to hold a file named by
/// <see cref="FixExecutor.DefaultBackupFileName"/>; see <see cref="FixExecutor.BackupPathFor"/>).
/// Required when the plan needs a backup and <paramref name="NoBackup"/> is not set: the core never
/// guesses a folder, the caller passes its default (the cmdlet: ./backups/ under the PowerShell location).
/// </param>
/// <param name="NoBackup">Skip the pre-fix backup.</param>
/// <param name="ProfileName">The profile, written into the backup's metadata and its default file name.</param>
/// <param name="UserId">Written as the backup's metadata user_id (a pre-fix backup holds every row regardless).</param>
/// <param name="RetryCount">How many more times the whole fix is tried when a lock is not granted within the lock timeout.</param>
public sealed record FixApplyOptions(bool Force = false, string? BackupPath = null, bool NoBackup = false, string ProfileName = "", string? UserId = null, int RetryCount = FixApplyOptions.DefaultRetryCount)
{
    /// <summary>Retries when none are asked for.</summary>
    public const int DefaultRetryCount = 3;
}
