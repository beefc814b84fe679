namespace DbAdapter;

/// <summary>What Restore-Database did (or, with -WhatIf, would do) with one table's rows.</summary>
public sealed class DbTableRestore
{
    internal DbTableRestore()
    {
    }

    /// <summary>The table's name as the backup schema writes it.</summary>
    public string Table { get; internal init; } = string.Empty;

    /// <summary>New rows written, with keys drawn by the destination.</summary>
    public long Inserted { get; internal init; }

    /// <summary>Existing rows overwritten (-Mode Overwrite), keeping their keys.</summary>
    public long Updated { get; internal init; }

    /// <summary>Existing rows left alone (-Mode Skip).</summary>
    public long Skipped { get; internal init; }

    /// <summary>Rows that could not be written (-SkipFailedRows).</summary>
    public long Failed { get; internal init; }

    public DbRowFailure[] Failures { get; internal init; } = [];

    public override string ToString() => $"{Table}: {Inserted} inserted, {Updated} updated, {Skipped} skipped, {Failed} failed";
}
