namespace DbAdapter.Core.Backup;

/// <summary>How <see cref="BackupJsonWriter.WriteAsync"/> writes a backup file.</summary>
/// <param name="Overwrite">Replace an existing file (only once the new one is complete); otherwise an existing file is refused.</param>
/// <param name="Progress">Called on the writer's thread after each table's count and then every few thousand rows.</param>
public sealed record BackupWriteOptions(bool Overwrite = false, Action<BackupProgress>? Progress = null)
{
    /// <summary>Refuse an existing file; no progress.</summary>
    public static BackupWriteOptions Default { get; } = new();
}

/// <summary>Where a backup stands: the table being written and the rows written so far.</summary>
/// <param name="Key">The table's key in the file.</param>
/// <param name="TableIndex">0-based position of the table in the file.</param>
/// <param name="TableRows">Rows of this table written so far.</param>
/// <param name="TableTotal">Rows of this table counted before writing.</param>
/// <param name="Rows">Rows of all tables written so far.</param>
/// <param name="Total">Rows of all tables counted before writing.</param>
public sealed record BackupProgress(string Key, int TableIndex, long TableRows, long TableTotal, long Rows, long Total);
