namespace DbAdapter.Core.Rows;

/// <summary>How rows are written into the destination.</summary>
/// <param name="Mode">What to do with rows that match existing ones.</param>
/// <param name="SkipFailedRows">Isolate each failing row (the others are written); otherwise the first failure stops everything.</param>
/// <param name="WhatIf">Match and count only: nothing is written to the destination's tables.</param>
/// <param name="UserId">The owner written into every row's owner column.</param>
internal sealed record RowRestoreOptions(RestoreMode Mode, bool SkipFailedRows, bool WhatIf, string UserId);
