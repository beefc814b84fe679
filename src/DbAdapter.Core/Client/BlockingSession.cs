using System.Globalization;
using System.Text;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Client;

/// <summary>
/// Another session that holds (or waits ahead of us for) a lock that conflicts with one we wanted,
/// as pg_locks and pg_stat_activity show it. Fields another role's session hides from this login
/// (state, query) are null.
/// </summary>
/// <param name="Pid">Its server process id (what pg_terminate_backend takes).</param>
/// <param name="UserName">Its role.</param>
/// <param name="ApplicationName">Its application_name.</param>
/// <param name="State">"active", "idle in transaction"...</param>
/// <param name="QueryStart">When its current (or last) query started.</param>
/// <param name="Query">The first 80 characters of that query, on one line.</param>
/// <param name="Table">The table the conflicting lock is on.</param>
/// <param name="Mode">The lock mode, as pg_locks names it ("AccessExclusiveLock").</param>
/// <param name="Granted">True when it holds the lock; false when it waits for it ahead of us.</param>
public sealed record BlockingSession(
    int Pid,
    string? UserName,
    string? ApplicationName,
    string? State,
    DateTimeOffset? QueryStart,
    string? Query,
    TableName Table,
    string Mode,
    bool Granted)
{
    /// <summary>How much of a query is shown.</summary>
    public const int QueryLength = 80;

    /// <summary>
    /// "session 4242 (user app, application 'psql', state 'idle in transaction', query started
    /// 2026-11-27 10:00:00Z: LOCK TABLE items IN ACCESS EXCLUSIVE MODE) holding AccessExclusiveLock on public.items".
    /// </summary>
    public string Describe()
    {
        var facts = new List<string>();
        if (!string.IsNullOrEmpty(UserName))
        {
            facts.Add($"user {UserName}");
        }

        facts.Add($"application '{ApplicationName ?? string.Empty}'");
        facts.Add(State is null ? "state and query hidden from this login; pg_read_all_stats shows them" : $"state '{State}'");
        if (QueryStart is { } start)
        {
            var query = Query is null ? string.Empty : $": {Query}";
            facts.Add(string.Create(CultureInfo.InvariantCulture, $"query started {start.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{query}"));
        }

        var holding = Granted ? "holding" : "waiting ahead for";
        return string.Create(CultureInfo.InvariantCulture, $"session {Pid} ({string.Join(", ", facts)}) {holding} {Mode} on {Table}");
    }

    /// <summary>The first <see cref="QueryLength"/> characters of <paramref name="query"/>, its whitespace runs made one space.</summary>
    public static string? Shorten(string? query)
    {
        if (query is null)
        {
            return null;
        }

        var text = new StringBuilder(QueryLength);
        var space = false;
        foreach (var c in query.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && text.Length > 0)
            {
                text.Append(' ');
            }

            space = false;
            text.Append(c);
            if (text.Length >= QueryLength)
            {
                break;
            }
        }

        return text.Length > QueryLength ? text.ToString(0, QueryLength) : text.ToString();
    }
}
