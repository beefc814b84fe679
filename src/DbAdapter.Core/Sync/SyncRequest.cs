using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Sync;

/// <summary>What Sync-DbProfile asks for, with every path already absolute.</summary>
/// <param name="Source">The profile the rows are read from (only read).</param>
/// <param name="Destination">The profile the rows are written into; no name means the current profile.</param>
/// <param name="Tables">The tables asked for, or null for [sync] tables, else the backup schema's.</param>
/// <param name="UserId">The user, or null for user_id_env.</param>
/// <param name="BackupSchemaPath">A backup schema file, or null for db.toml's (if any).</param>
/// <param name="Mode">What to do with rows the destination has already.</param>
/// <param name="WhatIf">Read, match and count only; write nothing.</param>
/// <param name="AllowRowLevelSecurity">Read the source rows row-level security lets its role see, instead of refusing (RowLevelSecurityActive).</param>
public sealed record SyncRequest(
    ProfileRequest Source,
    ProfileRequest Destination,
    IReadOnlyList<string>? Tables,
    string? UserId,
    string? BackupSchemaPath,
    SyncMode Mode,
    bool WhatIf,
    bool AllowRowLevelSecurity = false);

/// <summary>What a sync did (or, with WhatIf, would do).</summary>
/// <param name="Source">The source profile's name (its display name in direct mode).</param>
/// <param name="Destination">The destination profile's name (its display name in direct mode).</param>
/// <param name="UserId">Whose rows.</param>
/// <param name="Mode">The mode it ran with.</param>
/// <param name="Committed">True when the destination's transaction was committed; false with WhatIf.</param>
/// <param name="Tables">Per table, parents first.</param>
/// <param name="Duration">Wall time of the whole sync.</param>
public sealed record SyncResult(string Source, string Destination, string UserId, SyncMode Mode, bool Committed, IReadOnlyList<TableSyncResult> Tables, TimeSpan Duration);

/// <summary>What a sync did with one table.</summary>
/// <param name="Table">The table's name as the backup schema (or the table list) writes it.</param>
/// <param name="SourceRows">The user's rows in the source.</param>
/// <param name="DestinationRows">The user's rows in the destination before the sync.</param>
/// <param name="New">Source rows whose natural key the destination lacks.</param>
/// <param name="Existing">Source rows whose natural key the destination has.</param>
/// <param name="Inserted">New rows written (with WhatIf: that would be written).</param>
/// <param name="Updated">Existing rows overwritten (mode Overwrite).</param>
/// <param name="Skipped">Existing rows left alone (mode Skip).</param>
/// <param name="Failed">Rows that could not be written (always 0 once committed: a failed row rolls the sync back).</param>
public sealed record TableSyncResult(string Table, long SourceRows, long DestinationRows, long New, long Existing, long Inserted, long Updated, long Skipped, long Failed);
