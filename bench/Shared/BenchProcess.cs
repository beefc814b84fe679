using System.Diagnostics;

namespace DbAdapter.Bench.Shared;

/// <summary>Runs a program to the end and times it: the yardsticks (pg_dump, psql, pg_restore) and measured pwsh runs.</summary>
internal static class BenchProcess
{
    /// <summary>Runs <paramref name="psi"/> (redirected output) and returns its wall time in ms and what it printed.</summary>
    /// <exception cref="InvalidOperationException">It did not start, or exited with another code than 0.</exception>
    public static async Task<(double Elapsed, string Output)> RunAsync(ProcessStartInfo psi, string what)
    {
        ArgumentNullException.ThrowIfNull(psi);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{what} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed ({process.ExitCode}): {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }

        _ = await error.ConfigureAwait(false);
        return (elapsed, await output.ConfigureAwait(false));
    }

    /// <summary>
    /// The runtime settings this benchmark and every pwsh it starts inherit from the environment
    /// (DOTNET_* variables such as DOTNET_TieredPGO=0), or "runtime defaults": they change what a
    /// session's first calls cost, so a result names them.
    /// </summary>
    public static string RuntimeSettings()
    {
        var settings = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => IsRuntimeKnob((string)e.Key))
            .Select(e => $"{e.Key}={e.Value}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return settings.Count == 0 ? "runtime defaults" : "runtime settings " + string.Join(" ", settings);
    }

    // The runtime's knobs are spelled in mixed case (DOTNET_TieredPGO, DOTNET_GCgen0size, COMPlus_TC_...);
    // the host's and the SDK's variables in capitals (DOTNET_ROOT, DOTNET_NOLOGO, DOTNET_CLI_HOME).
    private static bool IsRuntimeKnob(string name)
    {
        var prefix = name.StartsWith("DOTNET_", StringComparison.Ordinal) ? "DOTNET_".Length
            : name.StartsWith("COMPlus_", StringComparison.Ordinal) ? "COMPlus_".Length
            : -1;
        return prefix > 0 && name.AsSpan(prefix).ContainsAnyInRange('a', 'z');
    }
}
