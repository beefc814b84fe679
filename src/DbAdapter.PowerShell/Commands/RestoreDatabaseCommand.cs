using System.Management.Automation;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Rows;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Restores a backup file into a database, remapping keys, in one transaction.</para>
/// <para type="description">Reads a backup file (format 1.1, written by Backup-Database or the Python tool; .json.gz too) into the database of a profile. The file is checked first: a file Test-DbBackup would refuse is BackupFileInvalid and nothing is touched. Rows are matched to existing ones by natural key (slug + owner + parent), in bulk: -Mode Skip (default) leaves matched rows alone, Overwrite updates their columns and keeps their keys, Fail stops at the first match (RestoreConflict). New rows get new keys from the key's own default (sequence, identity, gen_random_uuid()), so sequences stay right; a key without default keeps the backup's key. Children follow their parents' new keys; an optional reference to a row not in the file becomes NULL. Values are converted by each destination column's type. The owner column of every row is set to -UserId (else user_id_env, else the file's user_id, with a warning). Everything runs in ONE transaction: a row the server refuses rolls it all back and the error (RestoreFailed) names the table, the row index in the file, the key and the server's message; with -SkipFailedRows each refused row is set aside (a non-terminating error and a DbRowFailure) and the others are committed. Ctrl+C rolls back. -WhatIf runs the reading and matching, writes nothing, and returns the counts the real run would produce (Committed $false; rows the server's own constraints would refuse show only in a real run). Without -Profile, the Profile of a piped Backup-Database result is used: the database the backup came from.</para>
/// </summary>
/// <example>
/// <code>Restore-Database ./backups/backup-prod-20260301-020000.json -Profile staging -WhatIf</code>
/// <para>Shows how many rows would be inserted, updated, skipped and failed per table, and writes nothing.</para>
/// </example>
/// <example>
/// <code>Backup-Database -Profile prod -UserId u42 | Restore-Database -Profile staging -Mode Overwrite</code>
/// <para>Copies a user's rows into staging, overwriting the rows staging already has.</para>
/// </example>
/// <example>
/// <code>Restore-Database ./u42.json.gz -Profile prod -UserId u42 -SkipFailedRows -ErrorVariable failed</code>
/// <para>Restores what can be restored after a mistake; each refused row is in $failed and in the result's Tables.Failures.</para>
/// </example>
[Cmdlet(VerbsData.Restore, "Database", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DbRestoreResult))]
public sealed class RestoreDatabaseCommand : DbCommandBase
{
    /// <summary>
    /// The backup file. Relative paths are resolved against the current location. Accepts the Path property of Backup-Database's result and files from Get-ChildItem.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Profile to restore into. Default: the current profile; from the pipeline, the Profile property of the piped object (a Backup-Database result names the database it came from).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>
    /// The owner written into every restored row. Default: the environment variable named by [defaults] user_id_env, else the user_id of the file's metadata (with a warning).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserId { get; set; }

    /// <summary>
    /// Backup schema JSON. Default: [schema] backup_schema, else [[backup.tables]] of db.toml.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupSchema { get; set; }

    /// <summary>
    /// What to do with a row whose natural key matches an existing row: Skip (default) leaves it, Overwrite updates it keeping its key, Fail stops the restore (RestoreConflict) and commits nothing.
    /// </summary>
    [Parameter]
    [ValidateSet("Skip", "Overwrite", "Fail")]
    public string Mode { get; set; } = "Skip";

    /// <summary>
    /// Sets aside each row the server refuses (a non-terminating RestoreFailed error and a DbRowFailure in the result) and commits the others. Without it, the first refused row rolls everything back.
    /// </summary>
    [Parameter]
    public SwitchParameter SkipFailedRows { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = ResolveUserPath(Path)!;
        var target = ProfileTarget(Profile);
        var action = $"Restore the backup '{path}' (mode {Mode}{(SkipFailedRows ? ", skipping failed rows" : string.Empty)})";
        var answer = Ask(target, action);
        if (answer == Confirmation.Declined)
        {
            return;
        }

        var request = new RestoreRequest(
            CreateRequest(Profile),
            path,
            UserId,
            ResolveUserPath(BackupSchema),
            Enum.Parse<RestoreMode>(Mode, ignoreCase: true),
            SkipFailedRows.IsPresent,
            answer == Confirmation.WhatIf);
        RunItem(
            async (reporter, token) =>
            {
                var result = OutputMapper.ToRestoreResult(await RestoreOperation.RunAsync(request, ProcessEnvironment.Instance, reporter, token).ConfigureAwait(false));
                foreach (var failure in result.Tables.SelectMany(t => t.Failures))
                {
                    PostError(ErrorRecords.From(ErrorIds.RestoreFailed, ErrorCategory.InvalidData, $"{failure.Table}[{failure.RowIndex}] (key {failure.Key}) was not restored: {failure.Error}", failure));
                }

                PostObject(result);
            },
            target: OutputMapper.RowFailureTarget,
            item: path);
    }
}
