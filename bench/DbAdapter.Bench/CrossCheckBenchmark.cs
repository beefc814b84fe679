using System.Diagnostics;
using DbAdapter.Bench.Shared;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Corpus;
using DbAdapter.Core.Tests.Schema;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Bench;

/// <summary>
/// The reader kept honest at size: every file of the schema corpus (the pg_dump file generated large)
/// is loaded into a database, then compared in both modes, the reader and shadow mode, which must
/// both find nothing; after the file's drift both must report exactly the drift. Times each mode
/// beside pg_dump --schema-only of the same database.
/// </summary>
internal static class CrossCheckBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var units = BenchStatistics.Option(args, "--units", 200);
        var server = await PostgresServer.GetAsync().ConfigureAwait(false);
        Console.WriteLine($"PostgreSQL test server: {server.Strategy}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        var shadowServer = new ConnectionTarget(new NpgsqlConnectionStringBuilder(server.ConnectionString(server.MaintenanceDatabase)), "bench", "postgres", null, ["public"]);
        var folder = Directory.CreateTempSubdirectory("dbadapter-bench-corpus-").FullName;
        var failures = 0;
        try
        {
            Console.WriteLine();
            Console.WriteLine($"{"file",-24} {"lines",7} {"tables",6} {"load",8} {"reader",8} {"shadow",8} {"pg_dump",8}  verdict");
            foreach (var corpus in SchemaCorpus.All(units))
            {
                var text = corpus.Text();
                var file = Path.Combine(folder, corpus.Name);
                await File.WriteAllTextAsync(file, text).ConfigureAwait(false);
                var database = await server.CreateDatabaseAsync("bench_corpus").ConfigureAwait(false);
                try
                {
                    var watch = Stopwatch.StartNew();
                    await server.ExecuteAsync(database, text).ConfigureAwait(false);
                    var load = watch.Elapsed.TotalMilliseconds;
                    var connection = server.ConnectionString(database);

                    // Reader: read the file, introspect, compare. Shadow: build the throwaway database, read it back, compare.
                    watch.Restart();
                    var reader = SchemaSqlReader.Read(text, file, corpus.Schemas[0]);
                    var readerReport = CorpusReport.Of(await LiveComparison.CompareAsync(connection, reader, corpus.Schemas).ConfigureAwait(false));
                    var readerMs = watch.Elapsed.TotalMilliseconds;
                    watch.Restart();
                    var shadow = await ShadowDatabase.BuildAsync(shadowServer, file, corpus.Schemas, NullReporter.Instance, CancellationToken.None).ConfigureAwait(false);
                    var shadowReport = CorpusReport.Of(await LiveComparison.CompareAsync(connection, shadow, corpus.Schemas).ConfigureAwait(false));
                    var shadowMs = watch.Elapsed.TotalMilliseconds;
                    var dump = BenchStatistics.MedianOf(await PgDump.TimeAsync(server, database, 3).ConfigureAwait(false));

                    await server.ExecuteAsync(database, corpus.Drift).ConfigureAwait(false);
                    var drift = new CorpusReport(corpus.Missing, corpus.Extra, []);
                    var driftShadow = CorpusReport.Of(await LiveComparison.CompareAsync(connection, shadow, corpus.Schemas).ConfigureAwait(false));
                    var driftReader = CorpusReport.Of(await LiveComparison.CompareAsync(connection, reader, corpus.Schemas).ConfigureAwait(false));

                    var problems = new List<string>();
                    Expect(problems, "shadow, loaded", shadowReport, CorpusReport.Empty);
                    Expect(problems, "shadow, drifted", driftShadow, drift);
                    if (corpus.ReaderCanModel)
                    {
                        Expect(problems, "reader, loaded", readerReport, CorpusReport.Empty);
                        Expect(problems, "reader, drifted", driftReader, drift);
                        if (reader.Warnings.Count > 0)
                        {
                            problems.Add($"reader warnings: {string.Join(" | ", reader.Warnings)}");
                        }
                    }

                    failures += problems.Count > 0 ? 1 : 0;
                    var verdict = problems.Count == 0
                        ? (corpus.ReaderCanModel ? "both modes identical, loaded and drifted" : "shadow exact; reader cannot model it (DO blocks)")
                        : "MISMATCH: " + string.Join("; ", problems);
                    var lines = text.Count(c => c == '\n');
                    Console.WriteLine($"{corpus.Name,-24} {lines,7} {shadow.Tables.Count,6} {load,6:F0}ms {(corpus.ReaderCanModel ? $"{readerMs,6:F0}ms" : "     n/a"),8} {shadowMs,6:F0}ms {dump,6:F0}ms  {verdict}");
                }
                finally
                {
                    await server.DropDatabaseAsync(database).ConfigureAwait(false);
                }
            }

            var leftovers = await server.ScalarAsync(server.MaintenanceDatabase, $"SELECT count(*) FROM pg_database WHERE starts_with(datname, '{ShadowDatabase.NamePrefix}')").ConfigureAwait(false);
            Console.WriteLine();
            Console.WriteLine($"throwaway databases left on the server: {leftovers} (expected 0)");
            return failures == 0 && leftovers == "0" ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Expect(List<string> problems, string what, CorpusReport actual, CorpusReport expected)
    {
        if (!actual.Equals(expected))
        {
            problems.Add($"{what}: {actual} (expected {expected})");
        }
    }
}
