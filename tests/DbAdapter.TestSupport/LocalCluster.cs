using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

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
        var asPostgres = IsRoot();
        await RemoveOrphansAsync(pgCtl, asPostgres).ConfigureAwait(false);
        var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        var password = "Adm1n-" + Guid.NewGuid().ToString("N")[..12];
        var pwFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(pwFile, password + "\n").ConfigureAwait(false);
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgres: false).ConfigureAwait(false);
        }

        await RunAsync(initdb, ["-D", data, "-U", SuperUser, "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={pwFile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asPostgres).ConfigureAwait(false);

        var stop = () => RunAsync(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres);
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
                await RunAsync(pgCtl, ["-D", data, "-l", Path.Combine(root, "server.log"), "-o", options, "-w", "-t", "60", "start"], asPostgres).ConfigureAwait(false);
                StartWatchdog(root, data, pgCtl, asPostgres);
                return PostgresServer.Create("127.0.0.1", port, SuperUser, password, $"local cluster in {root}", async () =>
                {
                    try
                    {
                        await stop().ConfigureAwait(false);
                    }
                    finally
                    {
                        TryDelete(root);
                    }
                });
            }
            catch (Exception ex)
            {
                // Another process may have taken the port between probe and start: try a new one.
                last = ex;
            }
        }

        TryDelete(root);
        throw new InvalidOperationException($"pg_ctl could not start the cluster: {last?.Message}");
    }

    /// <summary>
    /// Clusters of test processes that died without cleaning up (killed test hosts, crashed demos):
    /// the folder name carries the owner's pid; when that process is gone, stop the cluster and
    /// remove its folder, so throwaway servers never pile up on a machine.
    /// </summary>
    private static async Task RemoveOrphansAsync(string pgCtl, bool asPostgres)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var name = Path.GetFileName(folder);
            var pidText = name[FolderPrefix.Length..].Split('-')[0];
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
            {
                continue;
            }

            var data = Path.Combine(folder, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await RunAsync(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // Already stopped: the pid file is stale.
                }
            }

            TryDelete(folder);
        }
    }

    /// <summary>
    /// VSTest ends the test host soon after the last test, usually before ProcessExit has stopped
    /// the cluster and deleted its folder (tens of thousands of files), so every run left one
    /// behind. A watchdog outside the test host does both once this process is gone: started by
    /// setsid from a shell that exits at once, it is nobody's child and survives however the host
    /// ends (Ctrl+C included). Where it cannot start, the orphan sweep of the next run remains.
    /// </summary>
    private static void StartWatchdog(string root, string data, string pgCtl, bool asPostgres)
    {
        const string Script = """
            ( while kill -0 "$1" 2>/dev/null; do sleep 1; done
              if [ "$4" = 1 ]; then runuser -u postgres -- "$3" -D "$2" -m immediate -w stop; else "$3" -D "$2" -m immediate -w stop; fi
              rm -rf "$5" ) </dev/null >/dev/null 2>&1 &
            """;
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["sh", "-c", Script, "dbadapter-cluster-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), data, pgCtl, asPostgres ? "1" : "0", root])
        {
            psi.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(psi);
            process?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid (not Linux): ProcessExit and the next run's orphan sweep still clean up.
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsRoot() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static async Task RunAsync(string program, IReadOnlyList<string> args, bool asPostgres)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add("postgres");
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(program);
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()} {(await stdout.ConfigureAwait(false)).Trim()}");
        }
    }

    private static void TryDelete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
