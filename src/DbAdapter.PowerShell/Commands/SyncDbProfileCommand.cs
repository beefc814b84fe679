using System.Management.Automation;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sync;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Copies one user's rows from one profile's database into another's, remapping keys, in one transaction.</para>
/// <para type="description">Reads the rows of one user (-UserId, else the environment variable named by [defaults] user_id_env of db.toml) from the -Source profile and writes them into the -Destination profile (default: the current profile), both profiles of the same db.toml. The source is only read, in one read-only snapshot. The tables are -Table, else [sync] tables of db.toml, else every table of the backup schema; -Table (and [sync] tables) also take the parent tables their tables hang under, with a warning. With a backup schema (-BackupSchema, [schema] backup_schema or [[backup.tables]]) rows are matched and remapped exactly as Restore-Database does: each source row is matched to the user's existing rows by natural key (slug + owner + parent); -Mode Skip (default) leaves matched rows alone, Overwrite updates their non-key columns and keeps their keys; new rows get keys from the destination's own sequences, identities or defaults, and children follow their parents' new keys. Without a backup schema each table takes the default keys (pk id, slug_field slug, user_field user_id) and nothing is remapped, so a table with a foreign key to another synced table is refused (naming table and column) rather than copied with the source's raw ids. Rows stream from the source straight into the destination: no file, no table held in memory. The destination is written in ONE transaction: a row the server refuses rolls every table back (SyncFailed names the table, the row's key and the server's message); Ctrl+C rolls back. A source and destination that are one database (the same profile, or two profiles pointing at the same server and database) are refused with SameProfile before anything is read; an unreachable side is ConnectionFailed naming that profile. -WhatIf reads and matches, writes nothing, and returns per table SourceRows, DestinationRows (the user's rows there), New and Existing (Committed $false), the counts a real run would produce.</para>
/// </summary>
/// <example>
/// <code>Sync-DbProfile -Source prod -Destination staging -UserId u42 -WhatIf</code>
/// <para>Shows per table how many of u42's rows prod has, how many staging has, and how many are new or existing in staging; writes nothing.</para>
/// </example>
/// <example>
/// <code>Sync-DbProfile -Source prod -Destination staging -UserId u42 -Mode Overwrite</code>
/// <para>Makes staging hold u42's rows as prod has them: new rows inserted with staging's own keys, existing rows updated; one transaction.</para>
/// </example>
/// <example>
/// <code>Connect-DbProfile local; Sync-DbProfile prod -Table products -Confirm:$false</code>
/// <para>Copies the products of the user in $env:DEV_USER_ID (user_id_env) and the categories they hang under from prod into the current profile, local.</para>
/// </example>
/// <example>
/// <code>Sync-DbProfile -Source app_reader -Destination staging -UserId u42 -AllowRowLevelSecurity</code>
/// <para>Profile app_reader logs in as a role that row-level security policies filter: the sync copies exactly the rows the policies show that role (a warning names the tables), where without the switch it stops with RowLevelSecurityActive before anything is read or written.</para>
/// </example>
[Cmdlet(VerbsData.Sync, "DbProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DbSyncResult))]
public sealed class SyncDbProfileCommand : DbCommandBase
{
    /// <summary>
    /// The profile to read the rows from (only read). Accepts the Source property of objects from the pipeline (a DbSyncResult).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Source { get; set; }

    /// <summary>
    /// The profile to write the rows into. Default: the current profile. Accepts the Destination property of a DbSyncResult, or the Name of a Get-DbProfile result, from the pipeline.
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Destination { get; set; }

    /// <summary>
    /// Syncs only these tables, plus the parent tables they hang under (a warning names the ones added). Default: [sync] tables of db.toml, else every table of the backup schema.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    /// <summary>
    /// The user whose rows are copied (compared with each table's owner column, and written as the owner). Default: the environment variable named by [defaults] user_id_env in db.toml. Accepts the UserId property of objects from the pipeline.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? UserId { get; set; }

    /// <summary>
    /// Backup schema JSON: the tables in order, their keys, natural keys, owner columns, parents and optional references, which say how rows match and how keys are remapped. Default: [schema] backup_schema, else [[backup.tables]] of db.toml, else the default keys (pk id, slug_field slug, user_field user_id) without remapping.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupSchema { get; set; }

    /// <summary>
    /// What to do with a source row whose natural key the destination has already: Skip (default) leaves the destination's row as it is, Overwrite updates its non-key columns to the source's values, keeping its key.
    /// </summary>
    [Parameter]
    [ValidateSet("Skip", "Overwrite")]
    public string Mode { get; set; } = "Skip";

    /// <summary>
    /// Copies exactly the source rows row-level security lets the source's role see (a warning names the tables), instead of stopping with RowLevelSecurityActive when a table's policies would hide rows from the role. Without it, read the source as a role that bypasses row-level security (a superuser, the tables' owner, a BYPASSRLS role; on Supabase the postgres role or service_role).
    /// </summary>
    [Parameter]
    public SwitchParameter AllowRowLevelSecurity { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var target = ProfileTarget(Destination);
        var user = string.IsNullOrEmpty(UserId) ? "the user named by user_id_env" : $"user {UserId}";
        var tables = Table is { Length: > 0 } ? $" of {string.Join(", ", Table)}" : string.Empty;
        var action = $"Sync the rows{tables} of {user} from profile '{Source}' (mode {Mode})";
        var answer = Ask(target, action);
        if (answer == Confirmation.Declined)
        {
            return;
        }

        var request = new SyncRequest(
            CreateRequest(Source),
            CreateRequest(Destination),
            Table,
            UserId,
            ResolveUserPath(BackupSchema),
            Enum.Parse<SyncMode>(Mode, ignoreCase: true),
            answer == Confirmation.WhatIf,
            AllowRowLevelSecurity.IsPresent);
        RunItem(
            async (reporter, token) => PostObject(OutputMapper.ToSyncResult(await SyncOperation.RunAsync(request, ProcessEnvironment.Instance, reporter, token).ConfigureAwait(false))),
            target: OutputMapper.RowFailureTarget);
    }
}
