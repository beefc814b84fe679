using System.Management.Automation;
using DbAdapter.Core.Operations;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks a backup file offline.</para>
/// <para type="description">Reads a backup file (JSON, or gzip-compressed JSON) once, row by row, without db.toml or a server, and reports what a restore would refuse: JSON that is not well formed (with the line and position of the first error), a missing metadata object, a version other than "1.1", tables that are not arrays of row objects, rows of a table with different fields, and tables the metadata counts but the file lacks. With -BackupSchema it also checks each table of the schema the way the Python tool did (the key present and not empty, the natural-key field present, orphans as warnings) and more: repeated keys and repeated natural keys in a table. Files written by the Python tool are valid. A problem of the file's content is a finding in the DbBackupValidation (IsValid, Errors, Warnings, each naming table, row index and field), not an error; a missing file is an error (BackupFileNotFound).</para>
/// </summary>
/// <example>
/// <code>Test-DbBackup ./backups/backup-prod-20260301-020000.json -BackupSchema ./backup-schema.json</code>
/// <para>Checks the file and how its tables hang together; shows IsValid and the number of errors and warnings.</para>
/// </example>
/// <example>
/// <code>Backup-Database -UserId u42 | Test-DbBackup | Format-List</code>
/// <para>Checks the backup just written and lists every finding.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./backups/*.json.gz | Test-DbBackup -Quiet</code>
/// <para>Returns $true or $false for each compressed backup in the folder.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "DbBackup")]
[OutputType(typeof(DbBackupValidation), typeof(bool))]
public sealed class TestDbBackupCommand : AsyncCmdlet
{
    /// <summary>
    /// The backup file. Relative paths are resolved against the current location. Accepts the Path property of Backup-Database's result and files from Get-ChildItem.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>
    /// Backup schema JSON to check the tables against (keys, natural keys, parents). Without it, the file alone is checked.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupSchema { get; set; }

    /// <summary>
    /// Returns only $true (valid) or $false instead of the DbBackupValidation.
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = ResolveUserPath(Path)!;
        var schema = ResolveUserPath(BackupSchema);
        var quiet = Quiet.IsPresent;
        RunItem(async (_, token) =>
        {
            var result = OutputMapper.ToBackupValidation(await BackupTestOperation.RunAsync(path, schema, token).ConfigureAwait(false));
            PostObject(quiet ? result.IsValid : result);
        });
    }
}
