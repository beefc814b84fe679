using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Backup;

/// <summary>What Backup-Database asks for, with every path already absolute.</summary>
/// <param name="Profile">Which database.</param>
/// <param name="UserId">-UserId, or null for [defaults] user_id_env.</param>
/// <param name="BackupSchemaPath">-BackupSchema, or null for db.toml's.</param>
/// <param name="Tables">-Table: only these tables and their ancestors; null or empty for all.</param>
/// <param name="Path">-Path, or null for the default file under <paramref name="Location"/>.</param>
/// <param name="Location">The PowerShell location: the default file is ./backups/backup-PROFILE-UTC.json under it.</param>
/// <param name="Force">Replace an existing file.</param>
/// <param name="AllowRowLevelSecurity">Read the rows row-level security lets the role see, instead of refusing (RowLevelSecurityActive).</param>
public sealed record BackupRequest(
    ProfileRequest Profile,
    string? UserId,
    string? BackupSchemaPath,
    IReadOnlyList<string>? Tables,
    string? Path,
    string Location,
    bool Force,
    bool AllowRowLevelSecurity = false);

/// <summary>What a backup wrote.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Profile">The profile's name (empty in direct mode).</param>
/// <param name="UserId">The user whose rows were written.</param>
/// <param name="Tables">Rows per table, in file order.</param>
/// <param name="Bytes">Size of the file.</param>
/// <param name="Duration">Wall time of the whole backup.</param>
public sealed record BackupResult(string Path, string Profile, string UserId, IReadOnlyList<KeyValuePair<string, long>> Tables, long Bytes, TimeSpan Duration);
