using System.Globalization;

namespace DbAdapter.TestSupport;

/// <summary>
/// A throwaway cluster from the local PostgreSQL binaries, on a free loopback port, password
/// authentication over TCP (so wrong-password tests mean something), removed at process exit.
/// </summary>
internal static class LocalCluster
{
    public const string SuperUser = "postgres";

    private const string FolderPrefix = "dbadapter-pg-";

    public static async Task<PostgresServer> StartAsync()
    {
        var initdb = PostgresBinaries.Find("initdb");
        var pgCtl = PostgresBinaries.Find("pg_ctl");
        var asPostgres = TestProcesses.IsRoot();

        // Clusters of test processes that died without cleaning up (killed test hosts, crashed
        // demos): stop them, so throwaway servers never pile up on a machine.
        await TestProcesses.RemoveOrphansAsync(FolderPrefix, folder => StopOrphanAsync(pgCtl, Path.Combine(folder, "data"), asPostgres)).ConfigureAwait(false);
        var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        var password = "Adm1n-" + Guid.NewGuid().ToString("N")[..12];
        var pwFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(pwFile, password + "\n").ConfigureAwait(false);
        await TestProcesses.GiveToPostgresAsync(root, asPostgres).ConfigureAwait(false);
        await TestProcesses.RunAsync(initdb, ["-D", data, "-U", SuperUser, "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={pwFile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asPostgres).ConfigureAwait(false);

        var stop = () => TestProcesses.RunAsync(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = PostgresServer.FreePort();
            var options = string.Join(' ',
                $"-p {port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {root}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
                "-c shared_buffers=128MB");
            try
            {
                await TestProcesses.RunAsync(pgCtl, ["-D", data, "-l", Path.Combine(root, "server.log"), "-o", options, "-w", "-t", "60", "start"], asPostgres).ConfigureAwait(false);
                TestProcesses.StartWatchdog(
                    """
                    if [ "$4" = 1 ]; then runuser -u postgres -- "$3" -D "$2" -m immediate -w stop; else "$3" -D "$2" -m immediate -w stop; fi
                    rm -rf "$5"
                    """,
                    data,
                    pgCtl,
                    asPostgres ? "1" : "0",
                    root);
                return PostgresServer.Create("127.0.0.1", port, SuperUser, password, $"local cluster in {root}", async () =>
                {
                    try
                    {
                        await stop().ConfigureAwait(false);
                    }
                    finally
                    {
                        TestProcesses.TryDelete(root);
                    }
                });
            }
            catch (Exception ex)
            {
                // Another process may have taken the port between probe and start: try a new one.
                last = ex;
            }
        }

        TestProcesses.TryDelete(root);
        throw new InvalidOperationException($"pg_ctl could not start the cluster: {last?.Message}");
    }

    private static async Task StopOrphanAsync(string pgCtl, string data, bool asPostgres)
    {
        if (!File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await TestProcesses.RunAsync(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already stopped: the pid file is stale.
        }
    }
}
