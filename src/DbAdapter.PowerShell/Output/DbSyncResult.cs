namespace DbAdapter;

/// <summary>What Sync-DbProfile did (or, with -WhatIf, would do).</summary>
public sealed class DbSyncResult
{
    internal DbSyncResult()
    {
    }

    /// <summary>The profile the rows were read from.</summary>
    public string Source { get; internal init; } = string.Empty;

    /// <summary>The profile the rows were written into.</summary>
    public string Destination { get; internal init; } = string.Empty;

    /// <summary>Whose rows.</summary>
    public string UserId { get; internal init; } = string.Empty;

    /// <summary>Skip or Overwrite.</summary>
    public string Mode { get; internal init; } = string.Empty;

    /// <summary>True when the rows were committed; false with -WhatIf (nothing was written).</summary>
    public bool Committed { get; internal init; }

    /// <summary>Per table, parents first.</summary>
    public DbTableSync[] Tables { get; internal init; } = [];

    /// <summary>Wall time of the whole sync.</summary>
    public TimeSpan Duration { get; internal init; }

    public override string ToString() => $"{Source} -> {Destination} ({UserId}): {(Committed ? "committed" : "not committed")}";
}
