using System.Globalization;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Client;

/// <summary>
/// How long the statements of a <see cref="DbClient"/> may wait for a lock, and run at all. Every
/// transaction of the client sets them with SET LOCAL as its first statement: they end with the
/// transaction, so a pooled connection (or a transaction-mode pooler's server connection) goes back
/// exactly as it came, and nothing is set for the session or at connection startup.
/// </summary>
/// <param name="LockTimeout">lock_timeout; zero waits without limit.</param>
/// <param name="StatementTimeout">statement_timeout, or null to keep the server's setting.</param>
public sealed record DbTimeouts(TimeSpan LockTimeout, TimeSpan? StatementTimeout = null)
{
    /// <summary>The timeouts of <paramref name="target"/>: its lock timeout, the server's statement timeout.</summary>
    public static DbTimeouts For(ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new DbTimeouts(target.LockTimeout);
    }

    /// <summary>
    /// The value of a time setting in PostgreSQL's syntax ("5s", "1500ms", "0"): whole milliseconds,
    /// rounded up so that a timeout never becomes "0", which would mean no limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or longer than a setting takes (INT_MAX ms).</exception>
    public static string Setting(TimeSpan value)
    {
        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A timeout must be between 0 and 24 days.");
        }

        var milliseconds = (long)Math.Ceiling(value.TotalMilliseconds);
        return milliseconds == 0 ? "0"
            : milliseconds % 1000 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000}s")
            : string.Create(CultureInfo.InvariantCulture, $"{milliseconds}ms");
    }

    /// <summary>The SET LOCAL statements that open every transaction of a client with these timeouts.</summary>
    public IReadOnlyList<string> SetLocalStatements()
    {
        var statements = new List<string> { $"SET LOCAL lock_timeout = '{Setting(LockTimeout)}'" };
        if (StatementTimeout is { } statement)
        {
            statements.Add($"SET LOCAL statement_timeout = '{Setting(statement)}'");
        }

        return statements;
    }

    /// <summary>"5 s", "1.5 s", "no limit": the lock timeout as messages show it.</summary>
    public static string Describe(TimeSpan value) =>
        value <= TimeSpan.Zero ? "no limit" : string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s");
}
