using System.Globalization;
using DbAdapter.Bench.Shared;
using DbAdapter.TestSupport;
using static DbAdapter.Bench.Backup.UserRowsBed;

namespace DbAdapter.Bench.Backup;

/// <summary>
/// Backup-Database and Restore-Database against PostgreSQL's own tools on the same rows: one user's
/// categories (1 per 100 products) and products (numeric, boolean, timestamptz, jsonb, a foreign key
/// to categories), plus 10 % rows of another user that no tool may take. Per size:
/// <list type="bullet">
/// <item>backup: psql \copy (SELECT ... WHERE user_id = ...) TO csv of both tables, pg_dump --data-only
/// (of a copy holding only that user's rows), and Backup-Database;</item>
/// <item>restore into an empty copy of the schema: pg_restore --data-only of that dump, psql \copy FROM
/// the csv files (keys kept, nothing matched), and Restore-Database (rows matched, keys drawn from the
/// sequences, children remapped).</item>
/// </list>
/// Each cmdlet runs in a fresh pwsh (the pinned local tool) importing out/DbAdapter: the first call
/// (cold), the second (warm), the median of calls 3-5 (steady) and of calls 6-10 (settled: after the
/// runtime recompiled the hot code; --calls 5 leaves them out) in the same session are timed around the
/// cmdlet alone; peak memory
/// is the process's VmHWM. The PostgreSQL tools are timed as whole processes.
/// </summary>
internal static class BackupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        Report(await ForEachSizeAsync(args, "backup", MeasureSizeAsync).ConfigureAwait(false));
        return 0;
    }

    private static async Task<SizeResult> MeasureSizeAsync(BenchSetup setup, int products)
    {
        var (server, _, _, _, _, runs, created) = setup;
        var calls = BenchStatistics.Option(setup.Arguments, "--calls", 10);
        var bed = await PrepareAsync(setup, products, string.Empty).ConfigureAwait(false);
        var (source, template, work) = (bed.Source, bed.Template, bed.Work);
        var only = await CreateAsync(server, created, "bench_only", Schema + Seed(bed.Categories, products) + $"DELETE FROM products WHERE user_id <> '{UserA}'; DELETE FROM categories WHERE user_id <> '{UserA}';").ConfigureAwait(false);
        var result = new SizeResult(products, bed.Rows);

        for (var run = 0; run < runs; run++)
        {
            result.CopyOut.Add(await CopyOutAsync(server, source, work).ConfigureAwait(false));
            var dump = Path.Combine(work, "data.dump");
            result.Dump.Add(await TimeAsync(server, only, "pg_dump", ["--data-only", "-Fc", "-t", "categories", "-t", "products", "-f", dump]).ConfigureAwait(false));

            var backupFile = Path.Combine(work, "backup.json");
            // One empty copy per restore call.
            var targets = await CloneAsync(server, created, template, calls).ConfigureAwait(false);

            WriteConfig(server, work, source, targets);
            var backup = await MeasureAsync(setup, bed, "Backup", "-File", backupFile, "-Calls", calls.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            result.Backup.Add(backup);

            result.PgRestore.Add(await TimeAsync(server, await CloneAsync(server, created, template).ConfigureAwait(false), "pg_restore", ["--data-only", dump]).ConfigureAwait(false));
            result.CopyIn.Add(await CopyInAsync(server, await CloneAsync(server, created, template).ConfigureAwait(false), work).ConfigureAwait(false));
            var restore = await MeasureAsync(setup, bed, "Restore", "-File", backupFile + ".cold", "-Targets", string.Join(',', Enumerable.Range(0, calls).Select(i => $"target{i}"))).ConfigureAwait(false);
            result.Restore.Add(restore);
            result.FileBytes = new FileInfo(backupFile + ".cold").Length;
            foreach (var file in Directory.GetFiles(work, "backup.json.*"))
            {
                File.Delete(file);
            }

            foreach (var database in targets)
            {
                await server.DropDatabaseAsync(database).ConfigureAwait(false);
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  run {run + 1}: \\copy TO {result.CopyOut[^1]:F0} ms, pg_dump {result.Dump[^1]:F0} ms, Backup-Database {backup.Cold:F0}/{backup.Warm:F0}/{backup.Steady:F0}/{backup.Settled:F0} ms (cold/warm/steady/settled), peak {backup.PeakKb / 1024} MiB; " +
                $"pg_restore {result.PgRestore[^1]:F0} ms, \\copy FROM {result.CopyIn[^1]:F0} ms, Restore-Database {restore.Cold:F0}/{restore.Warm:F0}/{restore.Steady:F0}/{restore.Settled:F0} ms, peak {restore.PeakKb / 1024} MiB"));
        }

        return result;
    }

    private static void Report(List<SizeResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("| products (+1 % categories) | rows of the user | file | \\copy TO csv | pg_dump --data-only | Backup-Database cold / warm / steady / settled | ratio to \\copy (cold / warm / steady / settled) | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var copy = BenchStatistics.MedianOf(r.CopyOut);
            var backup = Phases.Of(r.Backup);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Products:N0} | {r.Rows:N0} | {r.FileBytes / 1048576.0:F1} MiB | {copy:F0} ms | {BenchStatistics.MedianOf(r.Dump):F0} ms | {backup.Times()} | {backup.RatiosTo(copy)} | {r.Backup.Max(b => b.PeakKb) / 1024} MiB |"));
        }

        Console.WriteLine();
        Console.WriteLine("| products (+1 % categories) | pg_restore --data-only | \\copy FROM csv | Restore-Database cold / warm / steady / settled | ratio to pg_restore (cold / warm / steady / settled) | steady µs per row | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var pgRestore = BenchStatistics.MedianOf(r.PgRestore);
            var restore = Phases.Of(r.Restore);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Products:N0} | {pgRestore:F0} ms | {BenchStatistics.MedianOf(r.CopyIn):F0} ms | {restore.Times()} | {restore.RatiosTo(pgRestore)} | {restore.Steady * 1000 / r.Rows:F1} | {r.Restore.Max(b => b.PeakKb) / 1024} MiB |"));
        }

        Console.WriteLine();
        Console.WriteLine($"RSS after Import-Module (before the cmdlet): {string.Join(", ", results.Select(r => $"{r.Backup.Min(b => b.RssAfterImportKb) / 1024} MiB"))}; module build: {string.Join(", ", results.SelectMany(r => r.Backup).Select(b => b.Configuration).Distinct())}");
    }

    /// <summary>The medians of a cmdlet's sessions per phase, ms; NaN for a phase --calls left out.</summary>
    private sealed record Phases(double Cold, double Warm, double Steady, double Settled)
    {
        public static Phases Of(List<Measured> sessions) => new(
            BenchStatistics.MedianOf(sessions.Select(m => m.Cold)),
            BenchStatistics.MedianOf(sessions.Select(m => m.Warm)),
            BenchStatistics.MedianOf(sessions.Select(m => m.Steady ?? double.NaN)),
            BenchStatistics.MedianOf(sessions.Select(m => m.Settled ?? double.NaN)));

        /// <summary>"cold / warm / steady / settled ms".</summary>
        public string Times() => string.Create(CultureInfo.InvariantCulture, $"{Cold:F0} / {Warm:F0} / {Steady:F0} / {Settled:F0} ms");

        /// <summary>Each phase divided by <paramref name="baseline"/>, in the order of <see cref="Times"/>.</summary>
        public string RatiosTo(double baseline) => string.Create(CultureInfo.InvariantCulture, $"{Cold / baseline:F2} / {Warm / baseline:F2} / {Steady / baseline:F2} / {Settled / baseline:F2}");
    }

    private sealed class SizeResult(int products, int rows)
    {
        public int Products { get; } = products;

        public int Rows { get; } = rows;

        public long FileBytes { get; set; }

        public List<double> CopyOut { get; } = [];

        public List<double> Dump { get; } = [];

        public List<Measured> Backup { get; } = [];

        public List<double> PgRestore { get; } = [];

        public List<double> CopyIn { get; } = [];

        public List<Measured> Restore { get; } = [];
    }
}
