using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.Loader;
using DbAdapter.Bench.Shared;
using DbAdapter.Core.Tests.Schema;
using DbAdapter.TestSupport;
using Shell = System.Management.Automation.PowerShell;

namespace DbAdapter.Bench.PowerShell;

/// <summary>
/// Test-DbSchema as a user runs it: the real PowerShell engine, the BUILT module imported once, and
/// each run a new pipeline (PowerShell.Create + AddScript + Invoke) that reads db.toml and schema.sql,
/// opens its own connection, introspects and compares. pg_dump --schema-only of the same database is
/// the yardstick, as in bench/DbAdapter.Bench.
/// </summary>
internal static class CmdletBenchmark
{
    private const int Columns = 20;
    private const string TestScript = "Test-DbSchema -Profile bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var tables = BenchStatistics.Option(args, "--tables", 1000);
        var runs = BenchStatistics.Option(args, "--runs", 9);
        var manifest = FindManifest();

        var server = await PostgresServer.GetAsync().ConfigureAwait(false);
        Console.WriteLine($"PostgreSQL test server: {server.Strategy}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; PowerShell {typeof(Shell).Assembly.GetName().Version}; {BenchProcess.RuntimeSettings()}");
        Console.WriteLine($"module: {manifest}");

        var root = Directory.CreateTempSubdirectory("dbadapter-bench-ps-").FullName;
        var small = await BuildAsync(server, 10, Path.Combine(root, "small")).ConfigureAwait(false);
        var large = await BuildAsync(server, tables, Path.Combine(root, "large")).ConfigureAwait(false);
        try
        {
            var watch = Stopwatch.StartNew();
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            var openRunspace = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            Invoke(runspace, $"Import-Module '{manifest.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop");
            var import = watch.Elapsed.TotalMilliseconds;

            // The first Test-DbSchema of the process pays for JIT of the module, its engine and Npgsql
            // in the private load context: reported apart, not mixed into the timings.
            runspace.SessionStateProxy.Path.SetLocation(large.Folder);
            var cold = MeasureOnce(runspace, TestScript, requireValid: true);
            var engine = DescribeEngine();
            var measured = Repeat(runs, () => MeasureOnce(runspace, TestScript, requireValid: true));

            // The same with schema.sql changed before each call (a comment appended, outside the
            // timing): the process then has no model of those bytes to reuse and reads the file in full.
            var schemaFile = Path.Combine(large.Folder, "schema.sql");
            var edits = 0;
            var edited = Repeat(runs, () =>
            {
                File.AppendAllText(schemaFile, $"\n-- edit {++edits}\n");
                return MeasureOnce(runspace, TestScript, requireValid: true);
            });

            runspace.SessionStateProxy.Path.SetLocation(small.Folder);
            var smallFirst = MeasureOnce(runspace, TestScript, requireValid: true);
            var smallMeasured = Repeat(runs, () => MeasureOnce(runspace, TestScript, requireValid: true));

            // Where the fixed and the size-dependent time go, without reaching into the module:
            // an empty pipeline, the profile lookup alone (db.toml read and resolved, no database),
            // and the large schema.sql against the 10-table database (the report is invalid by
            // design: what it adds over the 10-table run is reading schema.sql of the large schema).
            var empty = Repeat(runs, () => MeasureOnce(runspace, "$null", requireValid: false));
            var profile = Repeat(runs, () => MeasureOnce(runspace, "Get-DbProfile -Name bench", requireValid: false));
            var largeFileSmallDb = Repeat(runs, () => MeasureOnce(runspace, $"Test-DbSchema -Profile bench -SchemaFile '{Path.Combine(large.Folder, "schema.sql")}'", requireValid: false));

            var dumps = await PgDump.TimeAsync(server, large.Name, runs).ConfigureAwait(false);

            // The same in a real pwsh (the pinned local tool), as users run it, long enough for the
            // runtime to finish recompiling the hot code: cold, calls 2-32, calls 61-91.
            var pwsh = await MeasureInPwshAsync(large.Folder, manifest).ConfigureAwait(false);

            Console.WriteLine();
            Console.WriteLine($"Test-DbSchema through the cmdlet: {tables} tables x {Columns} columns (DDL applied in {large.BuildSeconds:F1} s)");
            Console.WriteLine($"  engine: {engine}");
            Console.WriteLine($"  runspace open {openRunspace:F0} ms; Import-Module {import:F0} ms (once)");
            Console.WriteLine($"  {tables} tables, {runs} runs: min {Min(measured)} ms, median {Median(measured)} ms (cold first run {cold.Milliseconds:F0} ms)");
            Console.WriteLine($"  {tables} tables, schema.sql changed before each call, {runs} runs: min {Min(edited)} ms, median {Median(edited)} ms, allocated {BenchStatistics.MedianOf(edited.Select(m => m.AllocatedBytes / 1048576.0)):F1} MiB per run");
            Console.WriteLine($"  10 tables, {runs} runs:   min {Min(smallMeasured)} ms, median {Median(smallMeasured)} ms (first run on it {smallFirst.Milliseconds:F0} ms)");
            Console.WriteLine($"  where it goes (medians): empty pipeline {Median(empty)} ms; Get-DbProfile -Name bench {Median(profile)} ms; " +
                $"{tables}-table schema.sql against the 10-table database {Median(largeFileSmallDb)} ms");
            Console.WriteLine($"  allocated per run (GC, whole process): median {BenchStatistics.MedianOf(measured.Select(m => m.AllocatedBytes / 1048576.0)):F1} MiB at {tables} tables, " +
                $"{BenchStatistics.MedianOf(smallMeasured.Select(m => m.AllocatedBytes / 1048576.0)):F1} MiB at 10; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
            Console.WriteLine(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"  in pwsh ({pwsh.GetProperty("Engine").GetString()}): cold {pwsh.GetProperty("Cold").GetDouble():F0} ms ({pwsh.GetProperty("ColdJitted").GetInt32()} methods jitted); " +
                $"calls 2-32 median {pwsh.GetProperty("Early").GetDouble():F0} ms (min {pwsh.GetProperty("EarlyMin").GetDouble():F0}, CPU {pwsh.GetProperty("EarlyCpu").GetDouble():F0} ms/call, {pwsh.GetProperty("EarlyJitted").GetInt32()} methods jitted); " +
                $"calls 61-91 median {pwsh.GetProperty("Settled").GetDouble():F0} ms (min {pwsh.GetProperty("SettledMin").GetDouble():F0}, CPU {pwsh.GetProperty("SettledCpu").GetDouble():F0} ms/call, {pwsh.GetProperty("SettledJitted").GetInt32()} methods jitted); " +
                $"calls 92-122 with schema.sql changed before each, median {pwsh.GetProperty("Edited").GetDouble():F0} ms (min {pwsh.GetProperty("EditedMin").GetDouble():F0}, CPU {pwsh.GetProperty("EditedCpu").GetDouble():F0} ms/call)"));
            Console.WriteLine(PgDump.Summary(dumps));
            Console.WriteLine($"  report: IsValid {measured[0].IsValid}, ErrorCount {measured[0].ErrorCount}, differences {measured[0].Differences}, warnings {measured[0].Warnings} (expected True, 0, 0, 0)");

            // Differences and warnings do not make a report invalid, but here they would mean the
            // generator and the module disagree, so the timings would not measure a clean comparison.
            return measured.Append(cold).All(m => m.Differences == 0 && m.Warnings == 0) ? 0 : 1;
        }
        catch (InvalidReportException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        finally
        {
            await server.DropDatabaseAsync(small.Name).ConfigureAwait(false);
            await server.DropDatabaseAsync(large.Name).ConfigureAwait(false);
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>measure-schema.ps1 in a fresh `dotnet pwsh` on the folder's db.toml and schema.sql: its JSON line.</summary>
    private static async Task<System.Text.Json.JsonElement> MeasureInPwshAsync(string folder, string manifest)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(manifest)! };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "measure-schema.ps1"), "-Folder", folder, "-Module", manifest })
        {
            psi.ArgumentList.Add(argument);
        }

        var (_, output) = await BenchProcess.RunAsync(psi, "dotnet pwsh (run 'dotnet tool restore' once if it is missing)").ConfigureAwait(false);
        var json = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'));
        return System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>
    /// Where the module's engine was loaded from, and how it was built. A DbAdapter.Core in the
    /// default load context would mean this program measured something other than what users run;
    /// a Debug engine (out/ is rewritten by every build of the module, Debug or Release) would make
    /// the numbers incomparable.
    /// </summary>
    internal static string DescribeEngine()
    {
        var core = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "DbAdapter.Core")
            ?? throw new InvalidReportException("DbAdapter.Core is not loaded after Test-DbSchema ran.");
        var context = AssemblyLoadContext.GetLoadContext(core);
        if (context is null || context == AssemblyLoadContext.Default)
        {
            throw new InvalidReportException("DbAdapter.Core was loaded in the default load context, not the module's private one.");
        }

        var debug = core.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;
        return $"DbAdapter.Core {core.GetName().Version} in load context '{context.Name}' from {Path.GetDirectoryName(core.Location)}, " +
            (debug ? "DEBUG build (not comparable: rebuild with -c Release)" : "Release build");
    }

    /// <summary>A database built from the synthetic DDL, and a folder with the db.toml and schema.sql a user would have.</summary>
    private static async Task<(string Name, string Folder, double BuildSeconds)> BuildAsync(PostgresServer server, int tables, string folder)
    {
        var ddl = SyntheticDdl.Generate(tables, Columns);
        var name = await server.CreateDatabaseAsync($"bench_ps_{tables}").ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await server.ExecuteAsync(name, ddl).ConfigureAwait(false);
        await server.ExecuteAsync(name, "VACUUM ANALYZE").ConfigureAwait(false);
        var seconds = watch.Elapsed.TotalSeconds;

        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "schema.sql"), ddl).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "db.toml"), $"""
            [profiles.bench]
            url = "{server.Uri(name)}"

            [schema]
            file = "schema.sql"
            """).ConfigureAwait(false);
        return (name, folder, seconds);
    }

    /// <summary>One pipeline, timed end to end from PowerShell.Create to the last output object.</summary>
    internal static Measurement MeasureOnce(Runspace runspace, string script, bool requireValid)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var (output, warnings) = Invoke(runspace, script);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        if (!requireValid)
        {
            return new Measurement(elapsed, allocatedBytes, true, 0, 0, warnings);
        }

        // The report type lives in the module's assembly; read it through the PSObject, as a script would.
        var report = output.Count == 1 ? output[0] : throw new InvalidReportException($"'{script}' returned {output.Count} objects, expected one report.");
        var isValid = report.Properties["IsValid"]?.Value is true;
        var errorCount = report.Properties["ErrorCount"]?.Value is int count ? count : -1;
        var differences = report.Properties["Differences"]?.Value is Array array ? array.Length : -1;
        if (!isValid || errorCount != 0)
        {
            throw new InvalidReportException($"'{script}' in {runspace.SessionStateProxy.Path.CurrentLocation}: invalid report (IsValid {isValid}, ErrorCount {errorCount}): {report}");
        }

        return new Measurement(elapsed, allocatedBytes, isValid, errorCount, differences, warnings);
    }

    /// <summary>Runs a script in a new pipeline; any error record is a failure, since nothing here should produce one.</summary>
    internal static (IReadOnlyList<PSObject> Output, int Warnings) Invoke(Runspace runspace, string script)
    {
        using var shell = Shell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        try
        {
            var output = shell.Invoke();
            if (shell.Streams.Error.Count > 0)
            {
                throw new InvalidReportException($"'{script}' wrote errors: {string.Join("; ", shell.Streams.Error)}");
            }

            return (output, shell.Streams.Warning.Count);
        }
        catch (RuntimeException ex)
        {
            throw new InvalidReportException($"'{script}' failed: {ex.Message}");
        }
    }

    internal static List<Measurement> Repeat(int runs, Func<Measurement> measure)
    {
        var list = new List<Measurement>(runs);
        for (var i = 0; i < runs; i++)
        {
            list.Add(measure());
        }

        return list;
    }

    /// <summary>out/DbAdapter/DbAdapter.psd1 of the repository this program was built from.</summary>
    internal static string FindManifest()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DbAdapter.PowerShell.sln")))
            {
                var manifest = Path.Combine(dir.FullName, "out", "DbAdapter", "DbAdapter.psd1");
                return File.Exists(manifest) ? manifest : throw new FileNotFoundException($"The built module is missing: {manifest}. Build the solution first.");
            }
        }

        throw new InvalidOperationException($"DbAdapter.PowerShell.sln not found above {AppContext.BaseDirectory}.");
    }

    internal static string Min(List<Measurement> runs) => BenchStatistics.Min(runs.Select(m => m.Milliseconds));

    internal static string Median(List<Measurement> runs) => BenchStatistics.Median(runs.Select(m => m.Milliseconds));

    internal sealed record Measurement(double Milliseconds, long AllocatedBytes, bool IsValid, int ErrorCount, int Differences, int Warnings);

    /// <summary>A run that did not produce one valid report: the benchmark would measure the wrong thing.</summary>
    internal sealed class InvalidReportException(string message) : Exception(message);
}
