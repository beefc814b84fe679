using DbAdapter.Core.Backup;

namespace DbAdapter.Core.Operations;

/// <summary>Test-DbBackup's work: read the backup schema when one is named, check the file against it (or alone).</summary>
public static class BackupTestOperation
{
    /// <param name="path">The backup file (absolute).</param>
    /// <param name="backupSchemaPath">The backup schema file (absolute), or null to check the file alone.</param>
    /// <param name="ct">Cancels the reads.</param>
    /// <exception cref="Diagnostics.DbAdapterException">BackupFileNotFound, BackupFileInvalid (unreadable), BackupSchemaInvalid.</exception>
    public static async Task<BackupValidation> RunAsync(string path, string? backupSchemaPath, CancellationToken ct)
    {
        var schema = backupSchemaPath is null ? null : await BackupSchemaReader.LoadAsync(backupSchemaPath, ct).ConfigureAwait(false);
        return await BackupFileCheck.RunAsync(path, schema, ct).ConfigureAwait(false);
    }
}
