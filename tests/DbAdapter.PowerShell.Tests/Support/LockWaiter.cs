using DbAdapter.TestSupport;

namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>Waits until another session really holds a lock (a psql started in the background may take a while on a busy machine).</summary>
public static class LockWaiter
{
    public static async Task WaitForLockAsync(PostgresServer server, string database, string table, string mode)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var held = await server.ScalarAsync(database, $"""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = '{table}' AND l.mode = '{mode}' AND l.granted AND l.pid <> pg_backend_pid()
                """);
            if (held != "0")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No session took {mode} on {table} within 30 s.");
    }
}
