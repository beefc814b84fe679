using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Where the backup schema comes from, first that is given: the file named by the caller, then [schema]
/// backup_schema of db.toml (relative to db.toml), then [[backup.tables]] of db.toml; otherwise
/// BackupSchemaRequired.
/// </summary>
public static class BackupSchemaSource
{
    /// <summary>Loads the backup schema for a command.</summary>
    /// <param name="explicitPath">The file named by the caller (absolute), or null.</param>
    /// <param name="config">db.toml, or null when there is none.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <param name="reporter">Receives the schema's warnings (unknown keys).</param>
    public static async Task<BackupSchema> LoadAsync(string? explicitPath, DbConfig? config, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        var schema = await ReadAsync(explicitPath, config, ct).ConfigureAwait(false);
        foreach (var warning in schema.Warnings)
        {
            reporter.Warning(warning);
        }

        return schema;
    }

    private static async Task<BackupSchema> ReadAsync(string? explicitPath, DbConfig? config, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return await BackupSchemaReader.LoadAsync(explicitPath, ct).ConfigureAwait(false);
        }

        if (config?.Schema.BackupSchema is { } configured)
        {
            return await BackupSchemaReader.LoadAsync(configured, ct).ConfigureAwait(false);
        }

        if (config is { BackupTables.Count: > 0 })
        {
            return new BackupSchema($"{config.FilePath} [[backup.tables]]", config.BackupTables);
        }

        var where = config is null ? "a db.toml (none was found)" : config.FilePath;
        throw new DbAdapterException(
            ErrorIds.BackupSchemaRequired,
            DbErrorKind.InvalidArgument,
            $"No backup schema: a backup or restore needs to know which tables to read, in what order and how they hang together, and none is named or configured in {where} ([schema] backup_schema or [[backup.tables]]).",
            config?.FilePath,
            hint: ErrorHint.NameBackupSchema);
    }
}
