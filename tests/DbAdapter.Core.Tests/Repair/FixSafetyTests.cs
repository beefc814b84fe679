using System.Diagnostics;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>
/// Repair runs exactly the statements it shows, one command each, and planning changes nothing: text
/// from a user file is never a second statement, and nothing of it is evaluated on live data.
/// </summary>
public sealed class FixSafetyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Products = """
        CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT);
        INSERT INTO products (name) VALUES ('hammer'), ('saw'), ('drill');
        CREATE TABLE victims (id int);
        INSERT INTO victims VALUES (1), (2);
        CREATE SEQUENCE serials START 100;
        SELECT nextval('serials');
        """;

    [Fact]
    public async Task A_step_whose_text_holds_a_second_statement_is_refused_by_the_server_and_nothing_changes()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Products);
        var expected = SchemaSqlReader.Read("CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT, price INTEGER);");

        // A plan can only be built this way by hand: the reader and the column-defs loader refuse such
        // text. The executor still sends each statement as its own command, so the server refuses it too.
        var step = new FixStep
        {
            Order = 1,
            Operation = FixOperation.AddColumn,
            Schema = "public",
            Table = "products",
            Column = "price",
            Statements = ["ALTER TABLE \"public\".\"products\" ADD COLUMN \"price\" INTEGER; DROP TABLE victims"],
            Hazards = [],
            Description = "Add column price INTEGER",
        };
        var plan = new FixPlan(expected, RepairTestBed.Public, [step], []);

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Equal(ErrorIds.FixFailed, error.ErrorId);
        Assert.Contains("cannot insert multiple commands into a prepared statement", error.Message, StringComparison.Ordinal);
        Assert.Equal("2", await bed.ScalarAsync("SELECT count(*) FROM victims"));
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'price'"));
    }

    [Fact]
    public async Task Every_step_carries_its_statements_as_a_list_and_its_sql_shows_exactly_them()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Products);

        var plan = await bed.PlanAsync("""
            CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT, price INTEGER DEFAULT 0);
            CREATE TABLE tags (id SERIAL PRIMARY KEY, product_id INTEGER REFERENCES products (id), label TEXT);
            CREATE INDEX tags_label ON tags (label);
            ALTER TABLE tags ADD CONSTRAINT tags_label_check CHECK (label <> '');
            """);

        var create = plan.Steps.Single(s => s.Operation == FixOperation.CreateTable);
        Assert.Equal(
            [
                "CREATE TABLE \"public\".\"tags\" (id SERIAL PRIMARY KEY, product_id INTEGER REFERENCES \"public\".\"products\" (id), label TEXT)",
                "CREATE INDEX tags_label ON \"public\".\"tags\" (label)",
                "ALTER TABLE \"public\".\"tags\" ADD CONSTRAINT tags_label_check CHECK (label <> '')",
            ],
            create.Statements);
        Assert.Equal(string.Join("\n", create.Statements.Select(s => s + ";")), create.Sql);
        var add = plan.Steps.Single(s => s.Operation == FixOperation.AddColumn);
        Assert.Equal(["ALTER TABLE \"public\".\"products\" ADD COLUMN \"price\" INTEGER DEFAULT 0"], add.Statements);
        await bed.ApplyAsync(plan);
        Assert.Equal("1", await bed.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE indexname = 'tags_label'"));
    }

    [Fact]
    public async Task Semicolons_inside_quoted_and_dollar_quoted_defaults_and_checks_keep_working()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Products);
        const string Schema = """
            CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT,
                                   a TEXT DEFAULT 'x;y',
                                   b TEXT DEFAULT $q$a, 'b'; c$q$,
                                   c TEXT CHECK (c <> ';') DEFAULT '-- not a comment');
            """;

        var plan = await bed.PlanAsync(Schema);
        Assert.Equal(["a", "b", "c"], plan.Steps.Select(s => s.Column!).ToArray());
        await bed.ApplyAsync(plan);

        Assert.True((await bed.CompareAsync(Schema)).IsValid(strict: true));
        Assert.Equal(
            ["x;y|a, 'b'; c|-- not a comment", "x;y|a, 'b'; c|-- not a comment", "x;y|a, 'b'; c|-- not a comment"],
            await bed.QueryAsync("SELECT a || '|' || b || '|' || c FROM products ORDER BY id"));
        Assert.Equal("2", await bed.ScalarAsync("SELECT count(*) FROM victims"));
    }

    [Fact]
    public async Task Planning_a_nextval_default_moves_no_sequence_and_changes_no_table()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Products);
        var sequenceBefore = await bed.ScalarAsync("SELECT last_value || '/' || is_called FROM serials");
        var shapeBefore = await bed.ShapeAsync();
        var rowsBefore = await bed.DumpAsync("products", "id", "name");
        const string Schema = """
            CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT, serial_no BIGINT DEFAULT nextval('serials'),
                                   token UUID DEFAULT gen_random_uuid(), stamp TIMESTAMPTZ DEFAULT clock_timestamp());
            """;
        var overrides = ColumnDefinitions.Parse("""{"products.token": "BIGINT DEFAULT nextval('serials') + 0"}""");

        var plan = await bed.PlanAsync(Schema, new FixPlanOptions(overrides));
        var again = await bed.PlanAsync(Schema, new FixPlanOptions(overrides));

        Assert.Equal("100/true", sequenceBefore);
        Assert.Equal(sequenceBefore, await bed.ScalarAsync("SELECT last_value || '/' || is_called FROM serials"));
        Assert.Equal(shapeBefore, await bed.ShapeAsync());
        Assert.Equal(rowsBefore, await bed.DumpAsync("products", "id", "name"));
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname LIKE 'dbadapter%'"));
        foreach (var column in new[] { "serial_no", "token", "stamp" })
        {
            var step = plan.Steps.Single(s => s.Column == column);
            var hazard = Assert.Single(step.Hazards, h => h.Kind == FixHazardKinds.RewritesTable);
            Assert.Contains("is volatile", hazard.Message, StringComparison.Ordinal);
        }

        Assert.Equal(plan.Steps.Select(s => s.Sql), again.Steps.Select(s => s.Sql));
    }

    [Fact]
    public async Task Planning_while_other_sessions_read_and_write_the_tables_finishes_promptly()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Products);

        // A long report holds ACCESS SHARE on products; an open write transaction holds ROW EXCLUSIVE.
        await using var reader = new NpgsqlConnection(bed.ConnectionString);
        await reader.OpenAsync();
        await using var reading = await reader.BeginTransactionAsync();
        await using (var select = new NpgsqlCommand("SELECT count(*) FROM products", reader, reading))
        {
            await select.ExecuteScalarAsync();
        }

        await using var writer = new NpgsqlConnection(bed.ConnectionString);
        await writer.OpenAsync();
        await using var writing = await writer.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE products SET name = name || '!' WHERE id = 1", writer, writing))
        {
            await update.ExecuteNonQueryAsync();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var plan = await FixPlanner.PlanAsync(
            bed.Client,
            SchemaSqlReader.Read("CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT, price INTEGER DEFAULT 0, token UUID DEFAULT gen_random_uuid());"),
            RepairTestBed.Public,
            new FixPlanOptions(),
            NullReporter.Instance,
            limit.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Planning took {clock.Elapsed}.");
        Assert.Equal(["price", "token"], plan.Steps.Select(s => s.Column!).ToArray());
        Assert.Equal(
            "0",
            await bed.ScalarAsync("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'products' AND l.mode NOT IN ('AccessShareLock', 'RowExclusiveLock')"));
    }
}
