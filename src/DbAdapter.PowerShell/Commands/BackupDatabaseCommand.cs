using System.Management.Automation;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Backs up one user's rows to a JSON file (backup format 1.1).</para>
/// <para type="description">Writes the rows of one user (-UserId, else the environment variable named by [defaults] user_id_env of db.toml) from the tables of the backup schema (-BackupSchema, else [schema] backup_schema, else [[backup.tables]] of db.toml) to a JSON file in the Python tool's format 1.1: metadata first (created_at in UTC, user_id, backup_type, version, a row count per table), then every column of every row per table, parents before children, each value typed (numeric as an exact string, timestamptz with its offset, json as the JSON value itself, bytea as base64, arrays as arrays). A row belongs to the user by its own owner column; a child row is kept when its parent is NULL or is in the backup. The backup schema is checked against the live catalog before any row is read, and all rows come from one read-only snapshot. Rows stream to a temporary file beside the target, renamed into place at the end: a stopped (Ctrl+C) or failed backup leaves no file. An existing file is replaced only with -Force. A path ending in .gz writes gzip. The DbBackupResult's Path binds to Test-DbBackup and Restore-Database.</para>
/// </summary>
/// <example>
/// <code>Backup-Database -Profile prod -UserId 6f1c2a80-3f0e-4d4a-9d4b-2a1d7c1f0e42</code>
/// <para>Writes ./backups/backup-prod-UTCSTAMP.json under the current location and shows the rows per table.</para>
/// </example>
/// <example>
/// <code>Backup-Database -Profile prod -UserId u42 | Restore-Database -Profile staging</code>
/// <para>Copies a user's rows from production into staging: keys are drawn anew in staging and children follow their parents.</para>
/// </example>
/// <example>
/// <code>Backup-Database -Table products -Path ./products.json.gz -Force</code>
/// <para>Backs up the products of the user in $env:DEV_USER_ID (user_id_env) and the categories they hang under, gzip-compressed, replacing the file.</para>
/// </example>
/// <example>
/// <code>Backup-Database -Profile app -UserId u42 -AllowRowLevelSecurity</code>
/// <para>Profile app logs in as a role that row-level security policies filter: without the switch the backup stops with RowLevelSecurityActive (the rows would be incomplete); with it the backup holds exactly the rows the policies show that role, and a warning names the tables.</para>
/// </example>
[Cmdlet(VerbsData.Backup, "Database")]
[OutputType(typeof(DbBackupResult))]
public sealed class BackupDatabaseCommand : DbCommandBase
{
    /// <summary>
    /// Profile to back up. Default: the current profile. Accepts the Name property of objects from the pipeline (Get-DbProfile).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>
    /// The user whose rows are backed up (compared with each table's owner column). Default: the environment variable named by [defaults] user_id_env in db.toml.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserId { get; set; }

    /// <summary>
    /// Backup schema JSON (the Python tool's format: tables in order, pk, slug_field, user_field, parent, optional_refs). Default: [schema] backup_schema, else [[backup.tables]] of db.toml.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupSchema { get; set; }

    /// <summary>
    /// Backs up only these tables of the backup schema, plus the parent tables they hang under (a warning names the ones added).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    /// <summary>
    /// The backup file (an existing folder gets the default file name). Default: ./backups/backup-PROFILE-yyyyMMdd-HHmmss.json (UTC) under the current location. A name ending in .gz writes gzip.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Replaces an existing file (the old one stays until the new one is complete).
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Backs up exactly the rows row-level security lets the connected role see (a warning names the tables), instead of stopping with RowLevelSecurityActive when a table's policies would hide rows from the role. Without it, connect as a role that bypasses row-level security (a superuser, the tables' owner, a BYPASSRLS role; on Supabase the postgres role or service_role).
    /// </summary>
    [Parameter]
    public SwitchParameter AllowRowLevelSecurity { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var request = new BackupRequest(
            CreateRequest(Profile),
            UserId,
            ResolveUserPath(BackupSchema),
            Table,
            ResolveUserPath(Path),
            SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            Force.IsPresent,
            AllowRowLevelSecurity.IsPresent);
        RunItem(async (reporter, token) =>
        {
            var result = await BackupOperation.RunAsync(request, ProcessEnvironment.Instance, reporter, token).ConfigureAwait(false);
            PostObject(OutputMapper.ToBackupResult(result));
        });
    }
}
