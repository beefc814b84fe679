namespace DbAdapter;

/// <summary>What Restore-Database did (or, with -WhatIf, would do).</summary>
public sealed class DbRestoreResult
{
    internal DbRestoreResult()
    {
    }

    /// <summary>Full path of the backup file.</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>The destination profile; empty in direct mode.</summary>
    public string Profile { get; internal init; } = string.Empty;

    /// <summary>Skip, Overwrite or Fail.</summary>
    public string Mode { get; internal init; } = string.Empty;

    /// <summary>True when the rows were committed; false with -WhatIf (nothing was written).</summary>
    public bool Committed { get; internal init; }

    /// <summary>The owner written into every restored row.</summary>
    public string UserId { get; internal init; } = string.Empty;

    /// <summary>Per table of the file, parents first.</summary>
    public DbTableRestore[] Tables { get; internal init; } = [];

    public TimeSpan Duration { get; internal init; }

    public override string ToString() => $"{Path} -> {(Profile.Length > 0 ? Profile : "(direct)")}: {(Committed ? "committed" : "not committed")}";
}
