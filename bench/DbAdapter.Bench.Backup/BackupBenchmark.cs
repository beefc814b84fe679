using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DbAdapter.Bench.Shared;
using DbAdapter.TestSupport;

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
/// (cold) and a second one in the same session (warm) are timed around the cmdlet alone; peak memory
/// is the process's VmHWM. The PostgreSQL tools are timed as whole processes.
/// </summary>
internal static class BackupBenchmark
{
    private const string UserA = "aaaaaaaa-0000-0000-0000-00000000000a";
    private const string UserB = "bbbbbbbb-0000-0000-0000-00000000000b";
    private const string PasswordVariable = "DBADAPTER_BENCH_PASSWORD";

    private const string Schema = """
        CREATE TABLE categories (id serial PRIMARY KEY, slug text NOT NULL, name text, user_id uuid NOT NULL, UNIQUE (user_id, slug));
        CREATE TABLE products (
            id serial PRIMARY KEY, slug text NOT NULL, name text, category_id integer REFERENCES categories(id),
            price numeric(10,2), active boolean, created_at timestamptz, attrs jsonb, user_id uuid NOT NULL,
            UNIQUE (user_id, category_id, slug));
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = BenchStatistics.OptionList(args, "--sizes", [10_000, 100_000, 1_000_000]);
        var runs = BenchStatistics.Option(args, "--runs", 3);
        var root = FindRoot();
        var module = Path.Combine(root, "out", "DbAdapter", "DbAdapter.psd1");
        var script = Path.Combine(AppContext.BaseDirectory, "measure.ps1");
        var server = await PostgresServer.GetAsync().ConfigureAwait(false);
        Console.WriteLine($"PostgreSQL: {server.Strategy}; {Environment.ProcessorCount} cores; sizes {string.Join(", ", sizes)}; {runs} run(s) each");
        var folder = Directory.CreateTempSubdirectory("dbadapter-bench-backup-").FullName;
        var created = new List<string>();
        var results = new List<SizeResult>();
        try
        {
            foreach (var size in sizes)
            {
                results.Add(await MeasureSizeAsync(server, root, module, script, folder, size, runs, created).ConfigureAwait(false));
            }
        }
        finally
        {
            foreach (var database in created)
            {
                await server.DropDatabaseAsync(database).ConfigureAwait(false);
            }

            Directory.Delete(folder, recursive: true);
        }

        Report(results);
        return 0;
    }

    private static async Task<SizeResult> MeasureSizeAsync(PostgresServer server, string root, string module, string script, string folder, int products, int runs, List<string> created)
    {
        var categories = Math.Max(1, products / 100);
        Console.WriteLine();
        Console.WriteLine($"== {products:N0} products and {categories:N0} categories of one user (+10 % of another's) ==");
        var source = await CreateAsync(server, created, "bench_src", Schema + Seed(categories, products)).ConfigureAwait(false);
        var only = await CreateAsync(server, created, "bench_only", Schema + Seed(categories, products) + $"DELETE FROM products WHERE user_id <> '{UserA}'; DELETE FROM categories WHERE user_id <> '{UserA}';").ConfigureAwait(false);
        var template = await CreateAsync(server, created, "bench_empty", Schema).ConfigureAwait(false);
        var work = Path.Combine(folder, products.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        await File.WriteAllTextAsync(Path.Combine(work, "backup-schema.json"), """{"tables": [{"name": "categories"}, {"name": "products", "parent": {"table": "categories", "field": "category_id"}}]}""").ConfigureAwait(false);
        var rows = categories + products;
        var result = new SizeResult(products, rows);

        for (var run = 0; run < runs; run++)
        {
            var csvCategories = Path.Combine(work, "categories.csv");
            var csvProducts = Path.Combine(work, "products.csv");
            result.CopyOut.Add(await TimeAsync(server, source, "psql", ["-X", "-q", "-c", $"\\copy (SELECT * FROM categories WHERE user_id = '{UserA}') TO '{csvCategories}' CSV", "-c", $"\\copy (SELECT * FROM products WHERE user_id = '{UserA}') TO '{csvProducts}' CSV"]).ConfigureAwait(false));
            var dump = Path.Combine(work, "data.dump");
            result.Dump.Add(await TimeAsync(server, only, "pg_dump", ["--data-only", "-Fc", "-t", "categories", "-t", "products", "-f", dump]).ConfigureAwait(false));

            var backupFile = Path.Combine(work, "backup.json");
            var targets = new[] { await CloneAsync(server, created, template).ConfigureAwait(false), await CloneAsync(server, created, template).ConfigureAwait(false) };
            WriteConfig(server, work, source, targets);
            var backup = await PwshAsync(root, server, script, ["-Operation", "Backup", "-Folder", work, "-UserId", UserA, "-Module", module, "-File", backupFile]).ConfigureAwait(false);
            Expect(backup, rows, "Backup-Database");
            result.Backup.Add(backup);

            result.PgRestore.Add(await TimeAsync(server, await CloneAsync(server, created, template).ConfigureAwait(false), "pg_restore", ["--data-only", dump]).ConfigureAwait(false));
            result.CopyIn.Add(await TimeAsync(server, await CloneAsync(server, created, template).ConfigureAwait(false), "psql", ["-X", "-q", "-c", $"\\copy categories FROM '{csvCategories}' CSV", "-c", $"\\copy products FROM '{csvProducts}' CSV"]).ConfigureAwait(false));
            var restore = await PwshAsync(root, server, script, ["-Operation", "Restore", "-Folder", work, "-UserId", UserA, "-Module", module, "-File", backupFile + ".cold", "-Targets", "target0,target1"]).ConfigureAwait(false);
            Expect(restore, rows, "Restore-Database");
            result.Restore.Add(restore);
            result.FileBytes = new FileInfo(backupFile + ".cold").Length;
            File.Delete(backupFile + ".cold");
            File.Delete(backupFile + ".warm");

            foreach (var database in targets)
            {
                await server.DropDatabaseAsync(database).ConfigureAwait(false);
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  run {run + 1}: \\copy TO {result.CopyOut[^1]:F0} ms, pg_dump {result.Dump[^1]:F0} ms, Backup-Database {backup.Cold:F0}/{backup.Warm:F0} ms (cold/warm), peak {backup.PeakKb / 1024} MiB; " +
                $"pg_restore {result.PgRestore[^1]:F0} ms, \\copy FROM {result.CopyIn[^1]:F0} ms, Restore-Database {restore.Cold:F0}/{restore.Warm:F0} ms, peak {restore.PeakKb / 1024} MiB"));
        }

        return result;
    }

    private static void Report(List<SizeResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("| products (+1 % categories) | rows of the user | file | \\copy TO csv | pg_dump --data-only | Backup-Database cold / warm | ratio to \\copy (cold / warm) | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var copy = BenchStatistics.MedianOf(r.CopyOut);
            var cold = BenchStatistics.MedianOf(r.Backup.Select(b => b.Cold));
            var warm = BenchStatistics.MedianOf(r.Backup.Select(b => b.Warm));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Products:N0} | {r.Rows:N0} | {r.FileBytes / 1048576.0:F1} MiB | {copy:F0} ms | {BenchStatistics.MedianOf(r.Dump):F0} ms | {cold:F0} / {warm:F0} ms | {cold / copy:F2} / {warm / copy:F2} | {r.Backup.Max(b => b.PeakKb) / 1024} MiB |"));
        }

        Console.WriteLine();
        Console.WriteLine("| products (+1 % categories) | pg_restore --data-only | \\copy FROM csv | Restore-Database cold / warm | ratio to pg_restore (cold / warm) | warm µs per row | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var pgRestore = BenchStatistics.MedianOf(r.PgRestore);
            var cold = BenchStatistics.MedianOf(r.Restore.Select(b => b.Cold));
            var warm = BenchStatistics.MedianOf(r.Restore.Select(b => b.Warm));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Products:N0} | {pgRestore:F0} ms | {BenchStatistics.MedianOf(r.CopyIn):F0} ms | {cold:F0} / {warm:F0} ms | {cold / pgRestore:F2} / {warm / pgRestore:F2} | {warm * 1000 / r.Rows:F1} | {r.Restore.Max(b => b.PeakKb) / 1024} MiB |"));
        }

        Console.WriteLine();
        Console.WriteLine($"RSS after Import-Module (before the cmdlet): {string.Join(", ", results.Select(r => $"{r.Backup.Min(b => b.RssAfterImportKb) / 1024} MiB"))}; module build: {string.Join(", ", results.SelectMany(r => r.Backup).Select(b => b.Configuration).Distinct())}");
    }

    private static string Seed(int categories, int products)
    {
        var others = Math.Max(1, categories / 10);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            INSERT INTO categories (slug, name, user_id) SELECT 'c' || g, 'Category ' || g, '{{UserA}}' FROM generate_series(1, {{categories}}) g;
            INSERT INTO categories (slug, name, user_id) SELECT 'c' || g, 'Category ' || g, '{{UserB}}' FROM generate_series(1, {{others}}) g;
            INSERT INTO products (slug, name, category_id, price, active, created_at, attrs, user_id)
            SELECT 'p' || g, 'Product ' || g, 1 + g % {{categories}}, (g % 100000) / 100.0, g % 3 = 0, '2025-01-01'::timestamptz + g * interval '1 second',
                   jsonb_build_object('n', g, 'tags', jsonb_build_array('a', 'b'), 'ok', g % 2 = 0), '{{UserA}}'
              FROM generate_series(1, {{products}}) g;
            INSERT INTO products (slug, name, category_id, price, active, created_at, attrs, user_id)
            SELECT 'p' || g, 'Product ' || g, {{categories}} + 1 + g % {{others}}, 1.5, true, now(), '{}', '{{UserB}}'
              FROM generate_series(1, {{Math.Max(1, products / 10)}}) g;
            ANALYZE;
            """);
    }

    private static async Task<string> CreateAsync(PostgresServer server, List<string> created, string prefix, string sql)
    {
        var name = await server.CreateDatabaseAsync(prefix).ConfigureAwait(false);
        created.Add(name);
        await server.ExecuteAsync(name, sql).ConfigureAwait(false);
        return name;
    }

    private static async Task<string> CloneAsync(PostgresServer server, List<string> created, string template)
    {
        var name = await server.CreateDatabaseAsync("bench_target").ConfigureAwait(false);
        await server.DropDatabaseAsync(name).ConfigureAwait(false);
        await server.ExecuteAsync(server.MaintenanceDatabase, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"").ConfigureAwait(false);
        created.Add(name);
        return name;
    }

    private static void WriteConfig(PostgresServer server, string folder, string source, string[] targets)
    {
        string Profile(string name, string database) =>
            $"[profiles.{name}]\nurl = \"postgresql://{Uri.EscapeDataString(server.AdminUser)}@{server.Host}:{server.Port}/{database}\"\npassword_env = \"{PasswordVariable}\"\n\n";
        File.WriteAllText(
            Path.Combine(folder, "db.toml"),
            Profile("source", source) + string.Concat(targets.Select((t, i) => Profile("target" + i.ToString(CultureInfo.InvariantCulture), t))) + "[schema]\nbackup_schema = \"backup-schema.json\"\n");
    }

    private static void Expect(Measured measured, int rows, string what)
    {
        if (measured.Rows != rows)
        {
            throw new InvalidOperationException($"{what} moved {measured.Rows} rows, expected {rows}.");
        }

        if (measured.Configuration != "Release")
        {
            throw new InvalidOperationException($"out/DbAdapter holds a {measured.Configuration} build: run the bench with -c Release (a Debug build of the module after a Release run overwrites it).");
        }
    }

    /// <summary>Runs a PostgreSQL program against <paramref name="database"/> and returns its wall time in ms.</summary>
    private static async Task<double> TimeAsync(PostgresServer server, string database, string program, string[] arguments)
    {
        var psi = new ProcessStartInfo(PostgresBinaries.Find(program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", server.Host, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.AdminUser, "-d", database }.Concat(arguments))
        {
            psi.ArgumentList.Add(argument);
        }

        // Never on the command line, where ps would show it.
        psi.Environment["PGPASSWORD"] = server.AdminPassword;
        var (elapsed, _) = await BenchProcess.RunAsync(psi, program).ConfigureAwait(false);
        return elapsed;
    }

    private static async Task<Measured> PwshAsync(string root, PostgresServer server, string script, string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script }.Concat(arguments))
        {
            psi.ArgumentList.Add(argument);
        }

        psi.Environment[PasswordVariable] = server.AdminPassword;
        var (_, output) = await BenchProcess.RunAsync(psi, "dotnet pwsh (run 'dotnet tool restore' once if it is missing)").ConfigureAwait(false);
        var json = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'));
        return JsonSerializer.Deserialize<Measured>(json) ?? throw new InvalidOperationException("measure.ps1 printed no result.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DbAdapter.PowerShell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the bench from the repository (DbAdapter.PowerShell.sln not found).");
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

    /// <summary>What measure.ps1 prints.</summary>
    private sealed record Measured(double Cold, double Warm, long Rows, long RssAfterImportKb, long PeakKb, string Configuration);
}
