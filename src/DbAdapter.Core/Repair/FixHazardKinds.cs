namespace DbAdapter.Core.Repair;

/// <summary>The stable names of <see cref="FixHazard.Kind"/>. Scripts match on these: never rename one.</summary>
public static class FixHazardKinds
{
    /// <summary>Blocking: the step loses data (a recreate that cannot copy live columns schema.sql lacks).</summary>
    public const string DeletesData = nameof(DeletesData);

    /// <summary>Blocking: the step rewrites every row of a table under an exclusive lock.</summary>
    public const string RewritesTable = nameof(RewritesTable);

    /// <summary>Warning: a NOT NULL column is added nullable because existing rows have no value for it.</summary>
    public const string NotNullDeferred = nameof(NotNullDeferred);

    /// <summary>Warning: a UNIQUE or PRIMARY KEY column is added to a table that already has rows.</summary>
    public const string UniqueOnExistingRows = nameof(UniqueOnExistingRows);

    /// <summary>Warning: the step holds an ACCESS EXCLUSIVE lock while it reads every row.</summary>
    public const string LocksTable = nameof(LocksTable);
}
