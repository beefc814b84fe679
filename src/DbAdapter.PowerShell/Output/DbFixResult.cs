namespace DbAdapter;

/// <summary>What Invoke-DbFix did (or, with -WhatIf, would do).</summary>
public sealed class DbFixResult
{
    internal DbFixResult()
    {
    }

    public string Profile { get; internal init; } = string.Empty;

    /// <summary>True when the plan was applied and committed (with -WhatIf: would be applied).</summary>
    public bool Success { get; internal init; }

    public int TablesCreated { get; internal init; }

    public int ColumnsAdded { get; internal init; }

    public int TablesRecreated { get; internal init; }

    /// <summary>Steps that created objects beyond tables and columns: constraints, indexes, types, sequences, functions, views, triggers.</summary>
    public int ObjectsCreated { get; internal init; }

    /// <summary>The pre-fix backup written before a rewriting plan, or null.</summary>
    public string? BackupPath { get; internal init; }

    public TimeSpan Duration { get; internal init; }

    /// <summary>True when this result describes a -WhatIf run of a plan with steps: nothing was changed. (A plan without steps has nothing to preview.)</summary>
    public bool WhatIf { get; internal init; }

    public override string ToString() => $"{Profile}: {(Success ? "applied" : "not applied")}";
}
