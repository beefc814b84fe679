using System.Diagnostics;
using System.Management.Automation.Runspaces;
using DbAdapter.Bench.Shared;
using DbAdapter.Core.Tests.Corpus;
using DbAdapter.TestSupport;
using static DbAdapter.Bench.PowerShell.CmdletBenchmark;
using Shell = System.Management.Automation.PowerShell;

namespace DbAdapter.Bench.PowerShell;

/// <summary>
/// Test-DbSchema on the largest file of the schema corpus (pg_dump --schema-only --clean --if-exists,
/// generated large) through the built module, in reader mode and in shadow mode, beside pg_dump
/// --schema-only of the same database in the same run. Each report must be valid, strict.
/// </summary>
internal static class CorpusCmdletBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var units = BenchStatistics.Option(args, "--units", 200);
        var runs = BenchStatistics.Option(args, "--runs", 5);
        var manifest = FindManifest();
        var server = await PostgresServer.GetAsync().ConfigureAwait(false);
        Console.WriteLine($"PostgreSQL test server: {server.Strategy}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; PowerShell {typeof(Shell).Assembly.GetName().Version}");
        Console.WriteLine($"module: {manifest}");

        var text = PgDumpCorpus.Generate(units);
        var folder = Directory.CreateTempSubdirectory("dbadapter-bench-corpus-ps-").FullName;
        var database = await server.CreateDatabaseAsync("bench_ps_corpus").ConfigureAwait(false);
        try
        {
            var watch = Stopwatch.StartNew();
            await server.ExecuteAsync(database, text).ConfigureAwait(false);
            await server.ExecuteAsync(database, "VACUUM ANALYZE").ConfigureAwait(false);
            var load = watch.Elapsed.TotalSeconds;
            await File.WriteAllTextAsync(Path.Combine(folder, "schema.sql"), text).ConfigureAwait(false);

            // The shadow profile is the same server: its throwaway databases are made from its maintenance database.
            await File.WriteAllTextAsync(Path.Combine(folder, "db.toml"), $"""
                [profiles.bench]
                url = "{server.Uri(database)}"
                schemas = ["{PgDumpCorpus.Schema}"]

                [profiles.shadow]
                url = "{server.Uri(server.MaintenanceDatabase)}"

                [schema]
                file = "schema.sql"
                """).ConfigureAwait(false);

            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            Invoke(runspace, $"Import-Module '{manifest.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop");
            runspace.SessionStateProxy.Path.SetLocation(folder);

            const string Reader = "Test-DbSchema -Profile bench -Strict";
            const string Shadow = "Test-DbSchema -Profile bench -Strict -ShadowDatabase shadow";
            var readerCold = MeasureOnce(runspace, Reader, requireValid: true);
            var shadowCold = MeasureOnce(runspace, Shadow, requireValid: true);
            var engine = DescribeEngine();
            var modes = Invoke(runspace, $"({Reader}).ExpectedFrom; ({Shadow}).ExpectedFrom").Output.Select(o => o.ToString()).ToArray();
            var reader = Repeat(runs, () => MeasureOnce(runspace, Reader, requireValid: true));
            var shadow = Repeat(runs, () => MeasureOnce(runspace, Shadow, requireValid: true));
            var dumps = await PgDump.TimeAsync(server, database, runs).ConfigureAwait(false);

            Console.WriteLine();
            Console.WriteLine($"Test-DbSchema on pg-dump-clean.sql: {units} units, {text.Count(c => c == '\n')} lines, {text.Length / 1024} KiB (loaded by psql in {load:F1} s)");
            Console.WriteLine($"  engine: {engine}");
            Console.WriteLine($"  ExpectedFrom: {string.Join(", ", modes)} (expected Reader, Shadow)");
            Console.WriteLine($"  reader mode, {runs} runs: min {Min(reader)} ms, median {Median(reader)} ms (cold first run {readerCold.Milliseconds:F0} ms)");
            Console.WriteLine($"  shadow mode, {runs} runs: min {Min(shadow)} ms, median {Median(shadow)} ms (first shadow run {shadowCold.Milliseconds:F0} ms)");
            Console.WriteLine(PgDump.Summary(dumps));
            Console.WriteLine($"  reports: reader differences {reader[0].Differences}, warnings {reader[0].Warnings}; shadow differences {shadow[0].Differences}, warnings {shadow[0].Warnings} (expected 0)");

            var leftovers = await server.ScalarAsync(server.MaintenanceDatabase, "SELECT count(*) FROM pg_database WHERE starts_with(datname, 'dbadapter_shadow_')").ConfigureAwait(false);
            Console.WriteLine($"  throwaway databases left on the server: {leftovers} (expected 0)");
            var clean = reader.Concat(shadow).Append(readerCold).Append(shadowCold).All(m => m.Differences == 0 && m.Warnings == 0);
            return clean && modes.SequenceEqual(["Reader", "Shadow"]) && leftovers == "0" ? 0 : 1;
        }
        catch (InvalidReportException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        finally
        {
            await server.DropDatabaseAsync(database).ConfigureAwait(false);
            Directory.Delete(folder, recursive: true);
        }
    }
}
