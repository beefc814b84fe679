using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Client;

/// <summary>
/// The one place that knows what a lock timeout looks like and who caused it: the fix's retries and
/// every read that gave up after its lock timeout name the blocking session through here.
/// </summary>
internal static class LockConflicts
{
    private const int MaxSessions = 3;

    // Holders first (the likely cause), oldest query first; then sessions queued ahead of us, since a
    // waiting ACCESS EXCLUSIVE request blocks every later request on its table too.
    private const string BlockersSql = """
        SELECT l.pid, a.usename, a.application_name, a.state, a.query_start, a.query, n.nspname, c.relname, l.mode, l.granted
        FROM pg_catalog.pg_locks l
        JOIN pg_catalog.pg_class c ON c.oid = l.relation
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'relation'
          AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
          AND l.pid <> pg_catalog.pg_backend_pid()
          AND l.mode = ANY($1)
          AND CASE WHEN $2::text IS NULL THEN n.nspname = ANY($4) ELSE n.nspname = $2 AND c.relname = $3 END
        ORDER BY l.granted DESC, a.query_start NULLS LAST, l.pid
        LIMIT 10
        """;

    /// <summary>True when <paramref name="exception"/> (or one it wraps) is the server giving up a lock wait (SQLSTATE 55P03).</summary>
    public static bool IsLockTimeout(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The sessions holding (or queued for) a lock on <paramref name="table"/> that conflicts with
    /// <paramref name="wanted"/>; with no table, on any table of <paramref name="schemas"/>. At most
    /// three, one per session. Run it after the transaction that timed out has ended, or its own
    /// locks would show up as another session's.
    /// </summary>
    public static async Task<IReadOnlyList<BlockingSession>> FindAsync(
        NpgsqlConnection connection, TableName? table, TableLockMode wanted, IReadOnlyList<string> schemas, ConnectionTarget target, CancellationToken ct)
    {
        var command = new NpgsqlCommand(BlockersSql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ConflictsWith(wanted).Select(PgLocksName).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)table?.Schema ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)table?.Name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            var sessions = new List<BlockingSession>();
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var pid = reader.GetInt32(0);
                    if (sessions.Count == MaxSessions || sessions.Exists(s => s.Pid == pid))
                    {
                        continue;
                    }

                    sessions.Add(new BlockingSession(
                        pid,
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                        reader.IsDBNull(5) ? null : target.Redact(BlockingSession.Shorten(reader.GetString(5))!),
                        new TableName(reader.GetString(6), reader.GetString(7)),
                        reader.GetString(8),
                        reader.GetBoolean(9)));
                }
            }

            return sessions;
        }
    }

    /// <summary>"blocked by session 4242 (...) holding AccessExclusiveLock on public.items", or why nobody is named.</summary>
    public static string Describe(IReadOnlyList<BlockingSession> blockers) =>
        blockers.Count == 0
            ? "the session that held the lock has ended since, or is not visible to this login"
            : "blocked by " + string.Join("; and by ", blockers.Select(b => b.Describe()));

    /// <summary>The SQL spelling of a mode, as LOCK TABLE takes it ("SHARE ROW EXCLUSIVE").</summary>
    public static string SqlName(TableLockMode mode) => mode switch
    {
        TableLockMode.AccessShare => "ACCESS SHARE",
        TableLockMode.RowShare => "ROW SHARE",
        TableLockMode.RowExclusive => "ROW EXCLUSIVE",
        TableLockMode.ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
        TableLockMode.Share => "SHARE",
        TableLockMode.ShareRowExclusive => "SHARE ROW EXCLUSIVE",
        TableLockMode.Exclusive => "EXCLUSIVE",
        _ => "ACCESS EXCLUSIVE",
    };

    private static string PgLocksName(TableLockMode mode) => mode + "Lock";

    // PostgreSQL's table of conflicting lock modes ("Explicit Locking", table 13.2).
    private static TableLockMode[] ConflictsWith(TableLockMode mode) => mode switch
    {
        TableLockMode.AccessShare => [TableLockMode.AccessExclusive],
        TableLockMode.RowShare => [TableLockMode.Exclusive, TableLockMode.AccessExclusive],
        TableLockMode.RowExclusive => [TableLockMode.Share, TableLockMode.ShareRowExclusive, TableLockMode.Exclusive, TableLockMode.AccessExclusive],
        TableLockMode.ShareUpdateExclusive => [TableLockMode.ShareUpdateExclusive, TableLockMode.Share, TableLockMode.ShareRowExclusive, TableLockMode.Exclusive, TableLockMode.AccessExclusive],
        TableLockMode.Share => [TableLockMode.RowExclusive, TableLockMode.ShareUpdateExclusive, TableLockMode.ShareRowExclusive, TableLockMode.Exclusive, TableLockMode.AccessExclusive],
        TableLockMode.ShareRowExclusive => [TableLockMode.RowExclusive, TableLockMode.ShareUpdateExclusive, TableLockMode.Share, TableLockMode.ShareRowExclusive, TableLockMode.Exclusive, TableLockMode.AccessExclusive],
        TableLockMode.Exclusive => [TableLockMode.RowShare, TableLockMode.RowExclusive, TableLockMode.ShareUpdateExclusive, TableLockMode.Share, TableLockMode.ShareRowExclusive, TableLockMode.Exclusive, TableLockMode.AccessExclusive],
        _ => Enum.GetValues<TableLockMode>(),
    };
}
