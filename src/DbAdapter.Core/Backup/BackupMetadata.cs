namespace DbAdapter.Core.Backup;

/// <summary>
/// The "metadata" object of a backup file (format 1.1, DESIGN section 7): created_at, user_id,
/// backup_type, version, then one "&lt;table&gt;_count" per table, then <see cref="Extra"/>.
/// </summary>
/// <param name="CreatedAt">When the backup was taken (written as ISO-8601 UTC).</param>
/// <param name="UserId">The user the backup is scoped to, or null for a whole-table backup.</param>
/// <param name="BackupType">"full" for user backups, "pre-fix" before a schema fix.</param>
/// <param name="Extra">Further string keys written after the counts ("profile"...).</param>
public sealed record BackupMetadata(DateTimeOffset CreatedAt, string? UserId, string BackupType, IReadOnlyList<KeyValuePair<string, string?>>? Extra = null)
{
    /// <summary>The backup format version this writer produces.</summary>
    public const string FormatVersion = "1.1";
}
