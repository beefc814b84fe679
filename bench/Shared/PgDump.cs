using System.Diagnostics;
using System.Globalization;
using DbAdapter.TestSupport;

namespace DbAdapter.Bench.Shared;

/// <summary>
/// pg_dump --schema-only of the benchmarked database: the yardstick both schema benchmarks report
/// against. Linked into both bench projects, so it uses neither DbAdapter.Core nor Npgsql.
/// </summary>
internal static class PgDump
{
    /// <summary>Times pg_dump on <paramref name="database"/> <paramref name="runs"/> times, five at the most.</summary>
    public static async Task<List<double>> TimeAsync(PostgresServer server, string database, int runs)
    {
        var dumps = new List<double>();
        for (var i = 0; i < Math.Min(runs, 5); i++)
        {
            dumps.Add(await TimeOnceAsync(server, database).ConfigureAwait(false));
        }

        return dumps;
    }

    /// <summary>The report line for the timings of <see cref="TimeAsync"/>.</summary>
    public static string Summary(List<double> dumps) =>
        $"  pg_dump --schema-only, {dumps.Count} runs: min {dumps.Min():F0} ms, median {BenchStatistics.MedianOf(dumps):F0} ms";

    private static async Task<double> TimeOnceAsync(PostgresServer server, string database)
    {
        var psi = new ProcessStartInfo(PostgresBinaries.Find("pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--schema-only", "-h", server.Host, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.AdminUser, "-d", database })
        {
            psi.ArgumentList.Add(argument);
        }

        // Never on the command line, where ps would show it.
        psi.Environment["PGPASSWORD"] = server.AdminPassword;
        var (elapsed, _) = await BenchProcess.RunAsync(psi, "pg_dump").ConfigureAwait(false);
        return elapsed;
    }
}
