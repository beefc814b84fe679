using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DbAdapter.TestSupport;

/// <summary>
/// Running the server-side programs of the test bed (initdb, pg_ctl, pgbouncer): as the postgres
/// user when this process is root (both refuse to run as root), and cleaning up after them even
/// when the test host dies without running its exit handlers.
/// </summary>
internal static class TestProcesses
{
    /// <summary>True when running as root on Linux: the server programs then run as the postgres user.</summary>
    public static bool IsRoot() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="program"/> to its end; throws with its output when it fails.</summary>
    public static async Task RunAsync(string program, IReadOnlyList<string> args, bool asPostgres)
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

    /// <summary>Makes the postgres user the owner of <paramref name="folder"/> when the programs run as postgres.</summary>
    public static Task GiveToPostgresAsync(string folder, bool asPostgres) =>
        asPostgres ? RunAsync("chown", ["-R", "postgres:postgres", folder], asPostgres: false) : Task.CompletedTask;

    /// <summary>
    /// VSTest ends the test host soon after the last test, usually before ProcessExit has stopped what
    /// the test bed started and deleted its folders, so every run left them behind. A watchdog outside
    /// the test host runs <paramref name="cleanup"/> (a shell script; its arguments are
    /// <paramref name="args"/>, from $2 on) once this process is gone: started by setsid from a shell
    /// that exits at once, it is nobody's child and survives however the host ends (Ctrl+C included).
    /// Where it cannot start, the orphan sweep of the next run remains.
    /// </summary>
    public static void StartWatchdog(string cleanup, params string[] args)
    {
        var script = $$"""
            ( while kill -0 "$1" 2>/dev/null; do sleep 1; done
              {{cleanup}} ) </dev/null >/dev/null 2>&1 &
            """;
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["sh", "-c", script, "dbadapter-test-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), .. args])
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

    /// <summary>
    /// Folders named <paramref name="prefix"/>&lt;pid&gt;-... whose owner process is gone: each is handed
    /// to <paramref name="cleanup"/> (stop what still runs there) and then removed.
    /// </summary>
    public static async Task RemoveOrphansAsync(string prefix, Func<string, Task> cleanup)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var pidText = Path.GetFileName(folder)[prefix.Length..].Split('-')[0];
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
            {
                continue;
            }

            await cleanup(folder).ConfigureAwait(false);
            TryDelete(folder);
        }
    }

    /// <summary>True while process <paramref name="pid"/> runs.</summary>
    public static bool IsAlive(int pid)
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

    /// <summary>Removes <paramref name="folder"/> and everything in it, if it can.</summary>
    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
