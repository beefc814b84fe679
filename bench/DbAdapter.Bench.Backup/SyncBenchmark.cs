using System.Globalization;
using DbAdapter.Bench.Shared;
using static DbAdapter.Bench.Backup.UserRowsBed;

namespace DbAdapter.Bench.Backup;

/// <summary>
/// Sync-DbProfile against the two ways of doing its job without it, on the same rows in the same run:
/// psql \copy TO csv + \copy FROM into an empty copy of the schema (keys kept, nothing matched), and
/// Backup-Database + Restore-Database (a file in between, rows matched, keys drawn, children remapped).
/// The sync copies one user's rows from the source straight into an empty copy of the schema, matched
/// and remapped as the restore does. Each cmdlet runs in a fresh pwsh: cold is the first call of the
/// session, warm the same work into a second empty copy; backup + restore is two such sessions, so its
/// cold figure holds two first calls. The synced rows are checked against the source's.
/// </summary>
internal static class SyncBenchmark
{
    private const string ProductsOfTheUser = $"""
        SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', c.slug, p.slug, p.name, p.price, p.active, p.created_at, p.attrs), ',' ORDER BY c.slug, p.slug))
          FROM products p JOIN categories c ON c.id = p.category_id WHERE p.user_id = '{UserA}'
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        Report(await ForEachSizeAsync(args, "sync", MeasureSizeAsync).ConfigureAwait(false));
        return 0;
    }

    private static async Task<SizeResult> MeasureSizeAsync(BenchSetup setup, int products)
    {
        var (server, _, _, _, _, runs, created) = setup;
        var bed = await PrepareAsync(setup, products, " into an empty database").ConfigureAwait(false);
        var (source, template, work) = (bed.Source, bed.Template, bed.Work);
        var expected = await server.ScalarAsync(source, ProductsOfTheUser).ConfigureAwait(false);
        var result = new SizeResult(products, bed.Rows);

        for (var run = 0; run < runs; run++)
        {
            var copyOut = await CopyOutAsync(server, source, work).ConfigureAwait(false);
            var copyIn = await CopyInAsync(server, await CloneAsync(server, created, template).ConfigureAwait(false), work).ConfigureAwait(false);
            result.CopyPair.Add(copyOut + copyIn);

            var targets = await CloneAsync(server, created, template, 4).ConfigureAwait(false);

            WriteConfig(server, work, source, targets);
            var backupFile = Path.Combine(work, "backup.json");
            var backup = await MeasureAsync(setup, bed, "Backup", "-File", backupFile).ConfigureAwait(false);
            var restore = await MeasureAsync(setup, bed, "Restore", "-File", backupFile + ".cold", "-Targets", "target0,target1").ConfigureAwait(false);
            var sync = await MeasureAsync(setup, bed, "Sync", "-Targets", "target2,target3").ConfigureAwait(false);
            foreach (var synced in targets[2..])
            {
                var actual = await server.ScalarAsync(synced, ProductsOfTheUser).ConfigureAwait(false);
                if (actual != expected)
                {
                    throw new InvalidOperationException($"Sync-DbProfile wrote other rows than the source holds: {actual}, expected {expected}.");
                }
            }

            result.Backup.Add(backup);
            result.Restore.Add(restore);
            result.Sync.Add(sync);
            File.Delete(backupFile + ".cold");
            File.Delete(backupFile + ".warm");
            foreach (var database in targets)
            {
                await server.DropDatabaseAsync(database).ConfigureAwait(false);
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  run {run + 1}: \\copy TO + FROM {copyOut:F0} + {copyIn:F0} ms; Backup-Database {backup.Cold:F0}/{backup.Warm:F0} ms + Restore-Database {restore.Cold:F0}/{restore.Warm:F0} ms (cold/warm); " +
                $"Sync-DbProfile {sync.Cold:F0}/{sync.Warm:F0} ms, peak {sync.PeakKb / 1024} MiB"));
        }

        return result;
    }

    private static void Report(List<SizeResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("| products (+1 % categories) | rows of the user | `\\copy TO` + `\\copy FROM` | Backup-Database + Restore-Database cold / warm | Sync-DbProfile cold / warm | sync ÷ (backup + restore) cold / warm | sync ÷ `\\copy` pair warm | peak RSS of the sync |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var pair = BenchStatistics.MedianOf(r.CopyPair);
            var bothCold = BenchStatistics.MedianOf(r.Backup.Zip(r.Restore, (b, s) => b.Cold + s.Cold));
            var bothWarm = BenchStatistics.MedianOf(r.Backup.Zip(r.Restore, (b, s) => b.Warm + s.Warm));
            var cold = BenchStatistics.MedianOf(r.Sync.Select(s => s.Cold));
            var warm = BenchStatistics.MedianOf(r.Sync.Select(s => s.Warm));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Products:N0} | {r.Rows:N0} | {pair:F0} ms | {bothCold:F0} / {bothWarm:F0} ms | {cold:F0} / {warm:F0} ms | {cold / bothCold:F2} / {warm / bothWarm:F2} | {warm / pair:F2} | {r.Sync.Max(s => s.PeakKb) / 1024} MiB |"));
        }

        Console.WriteLine();
        Console.WriteLine($"RSS after Import-Module (before the cmdlet): {string.Join(", ", results.Select(r => $"{r.Sync.Min(s => s.RssAfterImportKb) / 1024} MiB"))}; module build: {string.Join(", ", results.SelectMany(r => r.Sync).Select(s => s.Configuration).Distinct())}");
    }

    private sealed class SizeResult(int products, int rows)
    {
        public int Products { get; } = products;

        public int Rows { get; } = rows;

        public List<double> CopyPair { get; } = [];

        public List<Measured> Backup { get; } = [];

        public List<Measured> Restore { get; } = [];

        public List<Measured> Sync { get; } = [];
    }
}
