using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DbAdapter.Bench.Shared;
using DbAdapter.TestSupport;

namespace DbAdapter.Bench.Backup;

/// <summary>
/// What the backup and sync benchmarks share: the data of issue 9 (one user's categories, one per 100
/// products, and products, plus 10 % rows of another user no tool may take), the databases made from
/// it, db.toml for the measured pwsh, the timed PostgreSQL tools and the measured pwsh runs.
/// </summary>
internal static class UserRowsBed
{
    public const string UserA = "aaaaaaaa-0000-0000-0000-00000000000a";
    public const string UserB = "bbbbbbbb-0000-0000-0000-00000000000b";
    public const string PasswordVariable = "DBADAPTER_BENCH_PASSWORD";

    public const string Schema = """
        CREATE TABLE categories (id serial PRIMARY KEY, slug text NOT NULL, name text, user_id uuid NOT NULL, UNIQUE (user_id, slug));
        CREATE TABLE products (
            id serial PRIMARY KEY, slug text NOT NULL, name text, category_id integer REFERENCES categories(id),
            price numeric(10,2), active boolean, created_at timestamptz, attrs jsonb, user_id uuid NOT NULL,
            UNIQUE (user_id, category_id, slug));
        """;

    /// <summary>
    /// Reads --sizes and --runs, starts the server and calls <paramref name="measure"/> per size (products);
    /// drops every database it made and its temporary folder afterwards, whatever happened.
    /// </summary>
    public static async Task<List<T>> ForEachSizeAsync<T>(string[] args, string name, Func<BenchSetup, int, Task<T>> measure)
    {
        var sizes = BenchStatistics.OptionList(args, "--sizes", [10_000, 100_000, 1_000_000]);
        var runs = BenchStatistics.Option(args, "--runs", 3);
        var root = FindRoot();
        var server = await PostgresServer.GetAsync().ConfigureAwait(false);
        Console.WriteLine($"PostgreSQL: {server.Strategy}; {Environment.ProcessorCount} cores; sizes {string.Join(", ", sizes)}; {runs} run(s) each; {BenchProcess.RuntimeSettings()}");
        var setup = new BenchSetup(
            server,
            root,
            Path.Combine(root, "out", "DbAdapter", "DbAdapter.psd1"),
            Path.Combine(AppContext.BaseDirectory, "measure.ps1"),
            Directory.CreateTempSubdirectory($"dbadapter-bench-{name}-").FullName,
            runs,
            [])
        {
            Arguments = args,
        };
        var results = new List<T>();
        try
        {
            foreach (var size in sizes)
            {
                results.Add(await measure(setup, size).ConfigureAwait(false));
            }
        }
        finally
        {
            foreach (var database in setup.Created)
            {
                await server.DropDatabaseAsync(database).ConfigureAwait(false);
            }

            Directory.Delete(setup.Folder, recursive: true);
        }

        return results;
    }

    /// <summary>Seeds the source of <paramref name="products"/> products, an empty template and the work folder; prints the size's heading.</summary>
    public static async Task<SizeBed> PrepareAsync(BenchSetup setup, int products, string into)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var categories = Math.Max(1, products / 100);
        Console.WriteLine();
        Console.WriteLine($"== {products:N0} products and {categories:N0} categories of one user (+10 % of another's){into} ==");
        var source = await CreateAsync(setup.Server, setup.Created, "bench_src", Schema + Seed(categories, products)).ConfigureAwait(false);
        var template = await CreateAsync(setup.Server, setup.Created, "bench_empty", Schema).ConfigureAwait(false);
        var work = Path.Combine(setup.Folder, products.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        await File.WriteAllTextAsync(Path.Combine(work, "backup-schema.json"), """{"tables": [{"name": "categories"}, {"name": "products", "parent": {"table": "categories", "field": "category_id"}}]}""").ConfigureAwait(false);
        return new SizeBed(products, categories, source, template, work);
    }

    /// <summary>Runs measure.ps1 for <paramref name="operation"/> in a fresh pwsh and checks it moved all the user's rows with a Release build.</summary>
    public static async Task<Measured> MeasureAsync(BenchSetup setup, SizeBed bed, string operation, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(bed);
        var measured = await PwshAsync(setup.Root, setup.Server, setup.Script, ["-Operation", operation, "-Folder", bed.Work, "-UserId", UserA, "-Module", setup.Module, .. arguments]).ConfigureAwait(false);
        Expect(measured, bed.Rows, operation);
        return measured;
    }

    public static string Seed(int categories, int products)
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

    public static async Task<string> CreateAsync(PostgresServer server, List<string> created, string prefix, string sql)
    {
        var name = await server.CreateDatabaseAsync(prefix).ConfigureAwait(false);
        created.Add(name);
        await server.ExecuteAsync(name, sql).ConfigureAwait(false);
        return name;
    }

    public static async Task<string> CloneAsync(PostgresServer server, List<string> created, string template)
    {
        var name = await server.CopyDatabaseAsync(template, "bench_target").ConfigureAwait(false);
        created.Add(name);
        return name;
    }

    /// <summary><paramref name="count"/> empty copies of <paramref name="template"/>: one per cmdlet call that writes.</summary>
    public static async Task<string[]> CloneAsync(PostgresServer server, List<string> created, string template, int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = await CloneAsync(server, created, template).ConfigureAwait(false);
        }

        return names;
    }

    public static void WriteConfig(PostgresServer server, string folder, string source, string[] targets)
    {
        string Profile(string name, string database) =>
            $"[profiles.{name}]\nurl = \"postgresql://{Uri.EscapeDataString(server.AdminUser)}@{server.Host}:{server.Port}/{database}\"\npassword_env = \"{PasswordVariable}\"\n\n";
        File.WriteAllText(
            Path.Combine(folder, "db.toml"),
            Profile("source", source) + string.Concat(targets.Select((t, i) => Profile("target" + i.ToString(CultureInfo.InvariantCulture), t))) + "[schema]\nbackup_schema = \"backup-schema.json\"\n");
    }

    public static void Expect(Measured measured, int rows, string what)
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
    public static async Task<double> TimeAsync(PostgresServer server, string database, string program, string[] arguments)
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

    public static async Task<Measured> PwshAsync(string root, PostgresServer server, string script, string[] arguments)
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

    public static string FindRoot()
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

    /// <summary>psql \copy of the user's rows of both tables TO csv files in <paramref name="folder"/>; its wall time in ms.</summary>
    public static Task<double> CopyOutAsync(PostgresServer server, string database, string folder) =>
        TimeAsync(server, database, "psql", ["-X", "-q", "-c", $"\\copy (SELECT * FROM categories WHERE user_id = '{UserA}') TO '{Path.Combine(folder, "categories.csv")}' CSV", "-c", $"\\copy (SELECT * FROM products WHERE user_id = '{UserA}') TO '{Path.Combine(folder, "products.csv")}' CSV"]);

    /// <summary>psql \copy FROM the csv files of <see cref="CopyOutAsync"/> into <paramref name="database"/> (keys kept, nothing matched); its wall time in ms.</summary>
    public static Task<double> CopyInAsync(PostgresServer server, string database, string folder) =>
        TimeAsync(server, database, "psql", ["-X", "-q", "-c", $"\\copy categories FROM '{Path.Combine(folder, "categories.csv")}' CSV", "-c", $"\\copy products FROM '{Path.Combine(folder, "products.csv")}' CSV"]);
}
