namespace DbAdapter.Core.Diagnostics;

/// <summary>
/// An expected failure of the engine: carries a stable error id (DESIGN section 8), the kind of
/// failure (mapped to a PowerShell ErrorCategory by the cmdlet layer) and the failing item.
/// Messages never contain a password.
/// </summary>
public sealed class DbAdapterException : Exception
{
    public DbAdapterException(string errorId, DbErrorKind kind, string message, object? target = null, Exception? inner = null, ErrorHint hint = ErrorHint.None)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        Hint = hint;
    }

    /// <summary>Stable id, one of <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; }

    public DbErrorKind Kind { get; }

    /// <summary>The failing item (profile name, file path, table, row...).</summary>
    public object? Target { get; }

    /// <summary>What the person can do about it, for the front end to word (see <see cref="ErrorHint"/>).</summary>
    public ErrorHint Hint { get; }
}
