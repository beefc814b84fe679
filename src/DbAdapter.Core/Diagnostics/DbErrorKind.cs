namespace DbAdapter.Core.Diagnostics;

/// <summary>Engine-side error category; the cmdlet layer maps each to a PowerShell ErrorCategory.</summary>
public enum DbErrorKind
{
    NotSpecified,
    ObjectNotFound,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    ResourceUnavailable,
    ResourceBusy,
    OperationStopped,
    WriteError,
}
