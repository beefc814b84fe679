namespace DbAdapter;

/// <summary>What Backup-Database wrote. Path binds by property name to Test-DbBackup and Restore-Database.</summary>
public sealed class DbBackupResult
{
    internal DbBackupResult()
    {
    }

    /// <summary>Full path of the backup file.</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>The profile backed up; empty in direct mode.</summary>
    public string Profile { get; internal init; } = string.Empty;

    /// <summary>The user whose rows the file holds.</summary>
    public string UserId { get; internal init; } = string.Empty;

    /// <summary>Rows per table, in the file's order (parents first).</summary>
    public DbTableBackup[] Tables { get; internal init; } = [];

    /// <summary>Size of the file in bytes (compressed, for a .gz file).</summary>
    public long Bytes { get; internal init; }

    public TimeSpan Duration { get; internal init; }

    public override string ToString() => Path;
}
