using DbAdapter.Core.Profiles;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.Backup;

/// <summary>What Restore-Database asks for, with every path already absolute.</summary>
/// <param name="Profile">The destination.</param>
/// <param name="Path">The backup file.</param>
/// <param name="UserId">-UserId, or null for user_id_env, then the file's metadata.user_id.</param>
/// <param name="BackupSchemaPath">-BackupSchema, or null for db.toml's.</param>
/// <param name="Mode">What to do with rows that match existing ones.</param>
/// <param name="SkipFailedRows">Isolate failing rows instead of failing the restore.</param>
/// <param name="WhatIf">Match and count only; write nothing.</param>
public sealed record RestoreRequest(
    ProfileRequest Profile,
    string Path,
    string? UserId,
    string? BackupSchemaPath,
    RestoreMode Mode,
    bool SkipFailedRows,
    bool WhatIf);

/// <summary>What a restore did (or, with WhatIf, would do).</summary>
/// <param name="Path">Full path of the backup file.</param>
/// <param name="Profile">The destination profile's name (empty in direct mode).</param>
/// <param name="Mode">The mode it ran with.</param>
/// <param name="Committed">True when the rows were committed; false with WhatIf.</param>
/// <param name="UserId">The owner written into the rows.</param>
/// <param name="Tables">Per table of the file that is in the backup schema, in schema order.</param>
/// <param name="Duration">Wall time of the whole restore.</param>
public sealed record RestoreResult(string Path, string Profile, RestoreMode Mode, bool Committed, string UserId, IReadOnlyList<TableRestoreResult> Tables, TimeSpan Duration);
