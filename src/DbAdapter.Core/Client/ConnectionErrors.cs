using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// The one place where Npgsql, socket and server failures become <see cref="DbAdapterException"/>s,
/// so every part of the engine reports the same failure with the same id, kind and advice.
/// Messages name the target and host:port/database, never the password; the original exception is
/// kept as the inner exception. Cancellation is never translated: it must reach the caller as is.
/// </summary>
internal static class ConnectionErrors
{
    /// <summary>
    /// Translates <paramref name="exception"/> when it is a database or network failure.
    /// </summary>
    /// <param name="exception">What was caught.</param>
    /// <param name="target">The connection, for the message (its password is scrubbed from it).</param>
    /// <param name="activity">What was being done, e.g. "SELECT from public.items"; null for "a query".</param>
    /// <param name="failingItem">The failing item for the error record; defaults to the target's display name.</param>
    /// <param name="whileOpening">True while a connection is being opened: every failure then means ConnectionFailed
    /// or AuthenticationFailed, and a timeout is a connect timeout rather than a command timeout.</param>
    /// <param name="translated">The translation.</param>
    /// <returns>False for cancellation, for exceptions that are already DbAdapterExceptions and for
    /// exceptions that do not come from the database or the network (those are bugs or the caller's own).</returns>
    public static bool TryTranslate(
        Exception exception,
        ConnectionTarget target,
        string? activity,
        object? failingItem,
        bool whileOpening,
        [NotNullWhen(true)] out DbAdapterException? translated)
    {
        translated = null;
        if (exception is OperationCanceledException or DbAdapterException)
        {
            return false;
        }

        var item = failingItem ?? target.DisplayName;
        var where = $"'{target.DisplayName}' ({target.Host}:{target.Port}/{target.Database})";
        var result = exception switch
        {
            PostgresException pg => FromServer(pg, target, where, activity, whileOpening),
            _ => FromClientSide(exception, target, where, activity, whileOpening),
        };

        if (result is null)
        {
            return false;
        }

        translated = new DbAdapterException(result.Value.Id, result.Value.Kind, target.Redact(result.Value.Message), item, exception, result.Value.Hint);
        return true;
    }

    /// <summary>Translates when possible, otherwise returns <paramref name="exception"/> itself (for <c>throw</c>).</summary>
    public static Exception Translate(Exception exception, ConnectionTarget target, string? activity = null, object? failingItem = null, bool whileOpening = false) =>
        TryTranslate(exception, target, activity, failingItem, whileOpening, out var translated) ? translated : exception;

    private static (string Id, DbErrorKind Kind, string Message, ErrorHint Hint)? FromServer(
        PostgresException pg, ConnectionTarget target, string where, string? activity, bool whileOpening)
    {
        var user = target.UserName ?? "(default user)";
        switch (pg.SqlState)
        {
            case PostgresErrorCodes.InvalidPassword:
                return (ErrorIds.AuthenticationFailed, DbErrorKind.AuthenticationError,
                    $"Authentication failed for user '{user}' on {where}: {pg.MessageText}. " +
                    "Check the password (a credential given for this call, the password in the url, db_password or password_env).", ErrorHint.GiveCredential);
            case PostgresErrorCodes.InvalidAuthorizationSpecification:
                return (ErrorIds.AuthenticationFailed, DbErrorKind.AuthenticationError,
                    $"The server refused the login of user '{user}' on {where}: {pg.MessageText}. " +
                    "Check that the role exists and that pg_hba.conf allows it to connect from this host.", ErrorHint.None);
            case PostgresErrorCodes.InvalidCatalogName:
                return (ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError,
                    $"Cannot connect to {where}: {pg.MessageText}. Check the database name of the connection, or create the database.", ErrorHint.None);
            case PostgresErrorCodes.TooManyConnections:
            case PostgresErrorCodes.CannotConnectNow:
            case PostgresErrorCodes.AdminShutdown:
            case PostgresErrorCodes.CrashShutdown:
                return (ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError,
                    $"The server of {where} is not accepting work: {pg.MessageText}. Try again later or check the server.", ErrorHint.None);
        }

        if (whileOpening && PoolerLoginRefusal(pg) is { } refusal)
        {
            return refusal == PoolerRefusal.Password
                ? (ErrorIds.AuthenticationFailed, DbErrorKind.AuthenticationError,
                    $"Authentication failed for user '{user}' on {where}: the connection pooler there refused the password ({pg.MessageText}). " +
                    "Check the password (a credential given for this call, the password in the url, db_password or password_env).", ErrorHint.GiveCredential)
                : (ErrorIds.AuthenticationFailed, DbErrorKind.AuthenticationError,
                    $"The connection pooler of {where} refused the login of user '{user}': {pg.MessageText}. " +
                    "Check the user name (Supabase's pooler wants postgres.<project-ref>, not postgres) and that the role exists.", ErrorHint.None);
        }

        if (whileOpening || pg.SqlState.StartsWith("08", StringComparison.Ordinal))
        {
            var kind = pg.SqlState == PostgresErrorCodes.InsufficientPrivilege ? DbErrorKind.PermissionDenied : DbErrorKind.ConnectionError;
            return (ErrorIds.ConnectionFailed, kind,
                $"Cannot connect to {where}: {pg.MessageText} (SQLSTATE {pg.SqlState}).", ErrorHint.None);
        }

        return (ErrorIds.QueryFailed, KindOf(pg.SqlState), $"{Capitalize(activity ?? "a query")} failed on {where}: {ServerMessage(pg, target)}", ErrorHint.None);
    }

    /// <summary>
    /// A pooler's refusal of a login, told apart from its other failures by the text alone: PgBouncer
    /// sends every error of its own as SQLSTATE 08P01 ("SASL authentication failed", "password
    /// authentication failed", "no such user"; a server's refusal it passes on with the server's words),
    /// and Supavisor (Supabase's pooler) says "Tenant or user not found" when the project or the user is
    /// unknown to it.
    /// </summary>
    private static PoolerRefusal? PoolerLoginRefusal(PostgresException pg)
    {
        var text = pg.MessageText;
        if (text.Contains("Tenant or user not found", StringComparison.OrdinalIgnoreCase))
        {
            return PoolerRefusal.User;
        }

        if (pg.SqlState != PostgresErrorCodes.ProtocolViolation)
        {
            return null;
        }

        if (text.Contains("authentication failed", StringComparison.OrdinalIgnoreCase))
        {
            return PoolerRefusal.Password;
        }

        return text.Contains("no such user", StringComparison.OrdinalIgnoreCase) || text.Contains("login rejected", StringComparison.OrdinalIgnoreCase)
            ? PoolerRefusal.User
            : null;
    }

    private static (string Id, DbErrorKind Kind, string Message, ErrorHint Hint)? FromClientSide(
        Exception exception, ConnectionTarget target, string where, string? activity, bool whileOpening)
    {
        if (exception is not (NpgsqlException or SocketException or TimeoutException))
        {
            // Not ours: a bug, or the caller's own failure inside UseConnectionAsync work.
            return null;
        }

        // Npgsql wraps network failures (NpgsqlException -> SocketException / TimeoutException /
        // IOException) but DNS failures may surface unwrapped: look through the whole chain.
        var socket = Find<SocketException>(exception);
        if (socket is not null)
        {
            var reason = socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused =>
                    $"the connection was refused. Check that PostgreSQL is running and listens on {target.Host}:{target.Port} (listen_addresses, port, firewall).",
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    $"the host name '{target.Host}' could not be resolved. Check the host of the connection and the DNS of this machine.",
                SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown =>
                    $"the host {target.Host} did not answer ({socket.SocketErrorCode}). Check the host, the port and any firewall between here and the server.",
                _ => $"{socket.Message} ({socket.SocketErrorCode}). Check the host and port of the connection.",
            };
            return (ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError, $"Cannot connect to {where}: {reason}", ErrorHint.None);
        }

        if (Find<TimeoutException>(exception) is not null)
        {
            return whileOpening
                ? (ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError,
                    $"Cannot connect to {where}: no answer within {target.Builder.Timeout} s. " +
                    "Check the host, the port and any firewall, or raise Timeout in the connection string.", ErrorHint.None)
                : (ErrorIds.QueryFailed, DbErrorKind.OperationStopped,
                    $"{Capitalize(activity ?? "a query")} on {where} timed out after {target.Builder.CommandTimeout} s. " +
                    "Raise Command Timeout in the connection string, or make the statement cheaper.", ErrorHint.None);
        }

        // Client-side Npgsql failures after the connection was open are almost always a lost connection.
        return (ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError,
                whileOpening
                    ? $"Cannot connect to {where}: {exception.Message}"
                    : $"The connection to {where} was lost during {activity ?? "a query"}: {exception.Message}. Check the server and the network, then run the command again.",
                ErrorHint.None);
    }

    /// <summary>
    /// The one wording of a server's error: its message, SQLSTATE, the detail (only when the connection
    /// asks for error details: otherwise Npgsql holds a placeholder sentence there) and the server's hint.
    /// </summary>
    public static string ServerMessage(PostgresException pg, ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(pg);
        ArgumentNullException.ThrowIfNull(target);
        var text = $"{pg.MessageText} (SQLSTATE {pg.SqlState}).";
        if (target.Builder.IncludeErrorDetail && !string.IsNullOrEmpty(pg.Detail))
        {
            text += " " + pg.Detail;
        }

        if (!string.IsNullOrEmpty(pg.Hint))
        {
            text += " Hint: " + pg.Hint;
        }

        return target.Redact(text);
    }

    /// <summary>
    /// The server's error inside <paramref name="exception"/> (<see cref="ServerMessage(PostgresException, ConnectionTarget)"/>),
    /// or the exception's own message when it holds none, ending with a full stop.
    /// </summary>
    public static string ServerMessage(Exception exception, ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Find<PostgresException>(exception) is { } pg)
        {
            return ServerMessage(pg, target);
        }

        var message = target.Redact(exception.Message.TrimEnd());
        return message.EndsWith('.') ? message : message + ".";
    }

    private static DbErrorKind KindOf(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.InsufficientPrivilege => DbErrorKind.PermissionDenied,
        PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedFunction
            or PostgresErrorCodes.InvalidSchemaName => DbErrorKind.ObjectNotFound,
        PostgresErrorCodes.QueryCanceled => DbErrorKind.OperationStopped,
        _ when sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("23", StringComparison.Ordinal) => DbErrorKind.InvalidData,
        _ when sqlState.StartsWith("42", StringComparison.Ordinal) => DbErrorKind.InvalidArgument,
        _ when sqlState.StartsWith("40", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal) => DbErrorKind.ResourceUnavailable,
        _ => DbErrorKind.NotSpecified,
    };

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private enum PoolerRefusal
    {
        Password,
        User,
    }
}
