namespace DbAdapter;

/// <summary>What Sync-DbProfile did (or, with -WhatIf, would do) with one table.</summary>
public sealed class DbTableSync
{
    internal DbTableSync()
    {
    }

    /// <summary>The table's name as the backup schema (or the table list) writes it.</summary>
    public string Table { get; internal init; } = string.Empty;

    /// <summary>The user's rows in the source.</summary>
    public long SourceRows { get; internal init; }

    /// <summary>The user's rows in the destination before the sync.</summary>
    public long DestinationRows { get; internal init; }

    /// <summary>Source rows whose natural key the destination lacks (they are inserted).</summary>
    public long New { get; internal init; }

    /// <summary>Source rows whose natural key the destination has (skipped, or updated with -Mode Overwrite).</summary>
    public long Existing { get; internal init; }

    /// <summary>New rows written, with keys drawn by the destination.</summary>
    public long Inserted { get; internal init; }

    /// <summary>Existing rows overwritten (-Mode Overwrite), keeping their keys.</summary>
    public long Updated { get; internal init; }

    /// <summary>Existing rows left alone (-Mode Skip).</summary>
    public long Skipped { get; internal init; }

    /// <summary>Rows that could not be written (a failed row rolls the whole sync back, so 0 in a result).</summary>
    public long Failed { get; internal init; }

    public override string ToString() => $"{Table}: {SourceRows} in the source, {New} new, {Existing} existing; {Inserted} inserted, {Updated} updated, {Skipped} skipped";
}
