namespace DbAdapter;

/// <summary>A reviewable plan to repair schema drift (Get-DbFixPlan); Invoke-DbFix applies it in one transaction.</summary>
public sealed class DbFixPlan
{
    internal DbFixPlan()
    {
    }

    /// <summary>Profile name; empty in direct mode.</summary>
    public string Profile { get; internal init; } = string.Empty;

    public string SchemaFile { get; internal init; } = string.Empty;

    /// <summary>The steps, in the order they run.</summary>
    public DbFixStep[] Steps { get; internal init; } = [];

    /// <summary>False when the database already matches schema.sql.</summary>
    public bool HasChanges { get; internal init; }

    /// <summary>Findings about the plan as a whole (for example, which tables stay locked until the fix commits).</summary>
    public string[] Warnings { get; internal init; } = [];

    /// <summary>What the plan needs to run and the profile it was made for (not shown: holds no password, but engine objects).</summary>
    internal object? Source { get; init; }

    public override string ToString() => HasChanges ? $"{Profile}: {Steps.Length} step(s)" : $"{Profile}: no changes";
}
