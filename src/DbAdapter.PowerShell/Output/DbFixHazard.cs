namespace DbAdapter;

/// <summary>A hazard of a repair step. Blocking ones (DeletesData, RewritesTable) need -Force.</summary>
public sealed class DbFixHazard
{
    internal DbFixHazard(string kind, bool blocking, string message)
    {
        Kind = kind;
        Blocking = blocking;
        Message = message;
    }

    /// <summary>DeletesData, RewritesTable, NotNullDeferred, UniqueOnExistingRows or LocksTable.</summary>
    public string Kind { get; }

    /// <summary>True when Invoke-DbFix refuses the plan without -Force.</summary>
    public bool Blocking { get; }

    public string Message { get; }

    public override string ToString() => $"{Kind}: {Message}";
}
