using System.Diagnostics;
using DbAdapter.Bench.Shared;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Schema;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Bench;

/// <summary>
/// Test-DbSchema's core path on a big database: connect, introspect, compare with the expected
/// model. Measured against pg_dump --schema-only of the same database as a yardstick.
/// </summary>
internal static class SchemaBenchmark
{
    private static readonly string[] Schemas = ["public"];

    public static async Task<int> RunAsync(string[] args)
    {
        var tables = BenchStatistics.Option(args, "--tables", 1000);
        var runs = BenchStatistics.Option(args, "--runs", 9);
        const int columns = 20;

        var server = await PostgresServer.GetAsync().ConfigureAwait(false);
        Console.WriteLine($"PostgreSQL test server: {server.Strategy}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");

        var small = await BuildAsync(server, 10, columns).ConfigureAwait(false);
        var large = await BuildAsync(server, tables, columns).ConfigureAwait(false);
        try
        {
            var smallStatistics = (await MeasureOnceAsync(server, small.Name, small.Expected).ConfigureAwait(false)).Statistics;

            // The first run pays for JIT and Npgsql's type loading: reported, not mixed into the timings.
            var cold = await MeasureOnceAsync(server, large.Name, large.Expected).ConfigureAwait(false);
            var measured = new List<Measurement>();
            for (var i = 0; i < runs; i++)
            {
                measured.Add(await MeasureOnceAsync(server, large.Name, large.Expected).ConfigureAwait(false));
            }

            var dumps = await PgDump.TimeAsync(server, large.Name, runs).ConfigureAwait(false);

            var largeStatistics = measured[0].Statistics;
            Console.WriteLine();
            Console.WriteLine($"schema: {tables} tables x {columns} columns, FKs, a unique + check each, 4 indexes each (DDL applied in {large.BuildSeconds:F1} s)");
            Console.WriteLine($"  end to end (open + introspect + compare), {runs} runs: min {Min(measured, m => m.Total)} ms, median {Median(measured, m => m.Total)} ms (cold first run {cold.Total:F0} ms)");
            Console.WriteLine($"    open connection   median {Median(measured, m => m.Open)} ms");
            Console.WriteLine($"    introspect        median {Median(measured, m => m.Introspect)} ms");
            Console.WriteLine($"    compare           median {Median(measured, m => m.Compare)} ms");
            Console.WriteLine($"  catalog work: {tables} tables {largeStatistics}; 10 tables {smallStatistics}; equal: {largeStatistics.Statements == smallStatistics.Statements && largeStatistics.RoundTrips == smallStatistics.RoundTrips}");
            Console.WriteLine($"  allocated per run: median {Median(measured, m => m.AllocatedBytes / 1048576.0)} MiB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
            Console.WriteLine(PgDump.Summary(dumps));
            Console.WriteLine($"  differences found: {measured[0].Findings} (expected 0)");

            var ok = largeStatistics.Statements == smallStatistics.Statements && measured.All(m => m.Findings == 0);
            return ok ? 0 : 1;
        }
        finally
        {
            await server.DropDatabaseAsync(small.Name).ConfigureAwait(false);
            await server.DropDatabaseAsync(large.Name).ConfigureAwait(false);
        }
    }

    private static async Task<(string Name, SchemaModel Expected, double BuildSeconds)> BuildAsync(PostgresServer server, int tables, int columns)
    {
        var (ddl, expected) = SyntheticSchema.Generate(tables, columns);
        var name = await server.CreateDatabaseAsync($"bench_schema_{tables}").ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await server.ExecuteAsync(name, ddl).ConfigureAwait(false);
        await server.ExecuteAsync(name, "VACUUM ANALYZE").ConfigureAwait(false);
        return (name, expected, watch.Elapsed.TotalSeconds);
    }

    private static async Task<Measurement> MeasureOnceAsync(PostgresServer server, string database, SchemaModel expected)
    {
        var statistics = new SchemaQueryStatistics();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(server.ConnectionString(database));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var open = watch.Elapsed.TotalMilliseconds;
        var live = await SchemaIntrospector.ReadAsync(connection, Schemas, statistics, CancellationToken.None).ConfigureAwait(false);
        var introspected = watch.Elapsed.TotalMilliseconds;
        var comparison = await SchemaComparer.CompareAsync(expected, live, connection, Schemas, statistics, CancellationToken.None).ConfigureAwait(false);
        var total = watch.Elapsed.TotalMilliseconds;
        var findings = comparison.MissingTables.Count + comparison.MissingColumns.Count + comparison.ExtraTables.Count +
            comparison.ExtraColumns.Count + comparison.Differences.Count;
        return new Measurement(open, introspected - open, total - introspected, total, GC.GetTotalAllocatedBytes(precise: true) - allocated, statistics, findings);
    }

    private static string Min(List<Measurement> runs, Func<Measurement, double> value) => BenchStatistics.Min(runs.Select(value));

    private static string Median(List<Measurement> runs, Func<Measurement, double> value) => BenchStatistics.Median(runs.Select(value));

    private sealed record Measurement(double Open, double Introspect, double Compare, double Total, long AllocatedBytes, SchemaQueryStatistics Statistics, int Findings);
}
