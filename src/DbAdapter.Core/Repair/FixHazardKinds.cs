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

    /// <summary>Warning: the step holds a lock on a table with rows while it reads every row (a column, constraint or index it builds).</summary>
    public const string LocksTable = nameof(LocksTable);

    /// <summary>
    /// Warning: a check or foreign key is added NOT VALID and validated against the table's existing
    /// rows in the same transaction; a row that breaks it rolls the whole fix back.
    /// </summary>
    public const string ValidatesExistingRows = nameof(ValidatesExistingRows);
}
