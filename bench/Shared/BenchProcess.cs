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
}
