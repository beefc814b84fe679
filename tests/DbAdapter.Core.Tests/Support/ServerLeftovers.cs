using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Support;

/// <summary>
/// What the server connections a transaction pooler keeps for one database and role still hold:
/// what it would hand, with the next transaction, to any other client. Open transactions, temporary
/// tables and locks (advisory ones included) are visible server-wide; prepared statements and
/// session settings only inside their own session, so those are read through the pooler, in one
/// transaction on every one of its server connections at once.
/// </summary>
internal static class ServerLeftovers
{
    // PgBouncer itself sets these on a server connection for each client it links to it.
    private const string PoolerTracked = "'application_name', 'client_encoding', 'DateStyle', 'TimeZone', 'IntervalStyle', 'standard_conforming_strings'";

    /// <summary>One line per thing left behind; empty when the server connections are as clean as new ones.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(PostgresServer pooled, string database, string role, string password)
    {
        if (!pooled.ThroughPooler)
        {
            throw new ArgumentException("The server must be reached through the pooler.", nameof(pooled));
        }

        var found = new List<string>();
        var sessions = await ServerSessionsAsync(pooled, database, role);
        found.AddRange(await pooled.QueryAsync(database, $"""
            SELECT 'open transaction on server connection ' || pid || ' (' || state || ')'
              FROM pg_stat_activity
             WHERE datname = current_database() AND usename = '{role}' AND (state LIKE 'idle in transaction%' OR xact_start IS NOT NULL)
            """));
        found.AddRange(await pooled.QueryAsync(database, """
            SELECT 'temporary table ' || n.nspname || '.' || c.relname
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relpersistence = 't'
            """));
        found.AddRange(await pooled.QueryAsync(database, $"""
            SELECT l.locktype || ' lock (' || l.mode || ') held by server connection ' || l.pid
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE a.datname = current_database() AND a.usename = '{role}' AND l.locktype <> 'virtualxid'
            UNION ALL
            SELECT 'advisory lock ' || l.objid || ' held by ' || l.pid
              FROM pg_locks l WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """));
        if (sessions.Count == 0)
        {
            return found;
        }

        var builder = new NpgsqlConnectionStringBuilder(pooled.ConnectionString(database, role, password)) { Pooling = false };
        var connections = new List<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)>();
        try
        {
            // Holding one transaction per server connection makes the pooler give each to one of them.
            var seen = new HashSet<int>();
            for (var i = 0; i < sessions.Count; i++)
            {
                var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync();
                connections.Add((connection, await connection.BeginTransactionAsync()));
                await using var command = new NpgsqlCommand(
                    $"""
                    SELECT pg_backend_pid(),
                           (SELECT string_agg(name || ': ' || statement, '; ') FROM pg_prepared_statements),
                           (SELECT string_agg(name || ' = ' || setting, '; ') FROM pg_settings WHERE source = 'session' AND name NOT IN ({PoolerTracked}) AND name NOT LIKE 'transaction\_%')
                    """,
                    connection);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                var pid = reader.GetInt32(0);
                seen.Add(pid);
                if (!reader.IsDBNull(1))
                {
                    found.Add($"prepared statements on server connection {pid}: {reader.GetString(1)}");
                }

                if (!reader.IsDBNull(2))
                {
                    found.Add($"session settings on server connection {pid}: {reader.GetString(2)}");
                }
            }

            // A server connection the pooler closed meanwhile is gone; one it kept must have been seen.
            var unseen = (await ServerSessionsAsync(pooled, database, role)).Where(pid => !seen.Contains(pid)).ToList();
            if (unseen.Count > 0)
            {
                throw new InvalidOperationException($"The pooler did not hand out server connection(s) {string.Join(", ", unseen)}: their sessions could not be inspected.");
            }
        }
        finally
        {
            foreach (var (connection, transaction) in connections)
            {
                await transaction.RollbackAsync();
                await connection.DisposeAsync();
            }
        }

        return found;
    }

    private static async Task<List<int>> ServerSessionsAsync(PostgresServer pooled, string database, string role) =>
        (await pooled.QueryAsync(database, $"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND usename = '{role}' ORDER BY pid"))
            .Select(int.Parse)
            .ToList();
}
