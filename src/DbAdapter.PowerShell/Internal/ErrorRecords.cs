using System.Management.Automation;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.PowerShell.Internal;

/// <summary>Turns engine failures into ErrorRecords with the stable id, category and target of DESIGN section 8.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(DbAdapterException exception, object? targetOverride = null) =>
        new(exception, exception.ErrorId, Category(exception.Kind), targetOverride ?? exception.Target);

    public static ErrorRecord From(string errorId, ErrorCategory category, string message, object? target) =>
        new(new InvalidOperationException(message), errorId, category, target);

    public static ErrorCategory Category(DbErrorKind kind) => kind switch
    {
        DbErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        DbErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        DbErrorKind.InvalidData => ErrorCategory.InvalidData,
        DbErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        DbErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        DbErrorKind.AuthenticationError => ErrorCategory.AuthenticationError,
        DbErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        DbErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        DbErrorKind.OperationStopped => ErrorCategory.OperationStopped,
        DbErrorKind.WriteError => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };
}
