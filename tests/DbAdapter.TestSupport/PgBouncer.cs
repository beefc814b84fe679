using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace DbAdapter.TestSupport;

/// <summary>
/// A PgBouncer (1.18, the Debian package <c>pgbouncer</c>) in transaction mode in front of the test
/// server, on a free loopback port, in a folder of its own that goes away with it. It checks passwords
/// itself, as a production pooler does: SCRAM verifiers come from the server through auth_query (run
/// as the admin login, whose password alone is written to its auth_file), and the client's SCRAM
/// proof then logs it in to the server too, so every role a test creates works through it at once.
/// </summary>
internal static class PgBouncer
{
    private const string FolderPrefix = "dbadapter-pgbouncer-";

    public static async Task<(int Port, Func<Task> Stop)> StartAsync(string serverHost, int serverPort, string adminUser, string adminPassword)
    {
        var program = Find();
        var asPostgres = TestProcesses.IsRoot();
        await TestProcesses.RemoveOrphansAsync(FolderPrefix, folder => StopAsync(Path.Combine(folder, "pgbouncer.pid"))).ConfigureAwait(false);

        var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..56]);
        Directory.CreateDirectory(root);
        var pidFile = Path.Combine(root, "pgbouncer.pid");
        await File.WriteAllTextAsync(Path.Combine(root, "userlist.txt"), $"{Quote(adminUser)} {Quote(adminPassword)}\n").ConfigureAwait(false);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = PostgresServer.FreePort();
            var ini = Path.Combine(root, "pgbouncer.ini");
            await File.WriteAllTextAsync(ini, Config(root, serverHost, serverPort, port, adminUser)).ConfigureAwait(false);
            await TestProcesses.GiveToPostgresAsync(root, asPostgres).ConfigureAwait(false);
            try
            {
                // -d: it forks once the configuration is read; the port answers soon after.
                await TestProcesses.RunAsync(program, ["-d", ini], asPostgres).ConfigureAwait(false);
                await WaitUntilListeningAsync(port, pidFile, root).ConfigureAwait(false);
                TestProcesses.StartWatchdog(
                    """
                    pid=$(cat "$2")
                    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pgbouncer ]; then kill -TERM "$pid"; sleep 1; fi
                    rm -rf "$3"
                    """,
                    pidFile,
                    root);
                return (port, async () =>
                {
                    try
                    {
                        await StopAsync(pidFile).ConfigureAwait(false);
                    }
                    finally
                    {
                        TestProcesses.TryDelete(root);
                    }
                });
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Another process may have taken the port between probe and start: try a new one.
                last = ex;
                await StopAsync(pidFile).ConfigureAwait(false);
            }
        }

        TestProcesses.TryDelete(root);
        throw new InvalidOperationException($"PgBouncer could not be started in front of {serverHost}:{serverPort}: {last?.Message}");
    }

    /// <summary>Where pgbouncer is: PATH, then the Debian package's /usr/sbin (not on a normal user's PATH).</summary>
    private static string Find()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin");
        return dirs.Select(d => Path.Combine(d, "pgbouncer")).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("'pgbouncer' was found neither on PATH nor in /usr/sbin: install the PgBouncer package (apt-get install pgbouncer); the pooler tests need it.");
    }

    private static string Config(string root, string serverHost, int serverPort, int port, string adminUser) => string.Create(CultureInfo.InvariantCulture, $"""
        [databases]
        * = host={serverHost} port={serverPort}

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = {port}
        unix_socket_dir =
        pool_mode = transaction
        auth_type = scram-sha-256
        auth_file = {Path.Combine(root, "userlist.txt")}
        auth_user = {adminUser}
        ignore_startup_parameters = extra_float_digits,search_path
        max_client_conn = 1000
        default_pool_size = 20
        server_idle_timeout = 10
        server_login_retry = 1
        pidfile = {Path.Combine(root, "pgbouncer.pid")}
        logfile = {Path.Combine(root, "pgbouncer.log")}
        """);

    /// <summary>auth_file syntax: a double-quoted string, its double quotes doubled.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task WaitUntilListeningAsync(int port, string pidFile, string root)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(pidFile))
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(System.Net.IPAddress.Loopback, port).ConfigureAwait(false);
                    return;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }

            if (File.Exists(pidFile) && ReadPid(pidFile) is { } pid && !TestProcesses.IsAlive(pid))
            {
                break;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        var log = Path.Combine(root, "pgbouncer.log");
        var tail = File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(3)) : "(no log)";
        throw new TimeoutException($"PgBouncer did not listen on port {port}: {tail}");
    }

    /// <summary>Stops the PgBouncer of <paramref name="pidFile"/> (an immediate shutdown), if it still runs.</summary>
    private static async Task StopAsync(string pidFile)
    {
        if (ReadPid(pidFile) is not { } pid || !IsPgBouncer(pid))
        {
            return;
        }

        try
        {
            await TestProcesses.RunAsync("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)], asPostgres: false).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Gone between the check and the signal.
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (TestProcesses.IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static int? ReadPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile, Encoding.ASCII).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A pid file may outlive its process, and the pid be reused: signal only a pgbouncer.</summary>
    private static bool IsPgBouncer(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim() == "pgbouncer";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
