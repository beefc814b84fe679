using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>The Python suite's drifted database: five missing columns on two tables with rows.</summary>
public sealed class FixLiveSuiteTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Schema = LiveSuiteSchema.Full;

    [Fact]
    public async Task Five_missing_columns_become_five_AddColumn_steps_and_every_row_survives()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var itemsBefore = await bed.DumpAsync("items", "a", "c", "d", "g");
        var productsBefore = await bed.DumpAsync("products", "id", "slug", "name", "category_id", "user_id");

        var plan = await bed.PlanAsync(Schema);

        Assert.True(plan.HasChanges);
        Assert.False(plan.HasBlockingHazards);
        Assert.All(plan.Steps, s => Assert.Equal(FixOperation.AddColumn, s.Operation));
        Assert.Equal(
            ["public.items.b", "public.items.e", "public.items.f", "public.products.price", "public.products.active"],
            plan.Steps.Select(s => $"{s.Target}.{s.Column}").ToArray());
        Assert.Equal([1, 2, 3, 4, 5], plan.Steps.Select(s => s.Order).ToArray());
        Assert.Equal("ALTER TABLE \"public\".\"products\" ADD COLUMN \"price\" INTEGER DEFAULT 0;", plan.Steps[3].Sql);
        Assert.Equal("Add column price INTEGER DEFAULT 0", plan.Steps[3].Description);
        Assert.Equal("public.products", plan.Steps[3].Target);

        // now() is stable: the server stores it once, no rewrite, so nothing blocks.
        Assert.Empty(plan.Steps[2].Hazards);

        var result = await bed.ApplyAsync(plan);

        Assert.True(result.Success);
        Assert.Equal((0, 5, 0), (result.TablesCreated, result.ColumnsAdded, result.TablesRecreated));
        Assert.Null(result.BackupPath);
        Assert.True((await bed.CompareAsync(Schema)).IsValid(strict: false));
        Assert.Equal(itemsBefore, await bed.DumpAsync("items", "a", "c", "d", "g"));
        Assert.Equal(productsBefore, await bed.DumpAsync("products", "id", "slug", "name", "category_id", "user_id"));
        Assert.Equal(["0|t", "0|t", "0|t"], await bed.QueryAsync("SELECT price, active FROM products ORDER BY id"));
        Assert.Equal("5", await bed.ScalarAsync("SELECT count(*) FROM items WHERE e = false AND f IS NOT NULL AND b IS NULL"));
    }

    [Fact]
    public async Task A_not_null_column_without_default_on_a_table_with_rows_is_added_nullable_with_the_statement_that_finishes_the_job()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);

        var plan = await bed.PlanAsync(Schema);

        var b = plan.Steps.Single(s => s.Column == "b");
        Assert.Equal("ALTER TABLE \"public\".\"items\" ADD COLUMN \"b\" VARCHAR(100);", b.Sql);
        var hazard = Assert.Single(b.Hazards);
        Assert.Equal(FixHazardKinds.NotNullDeferred, hazard.Kind);
        Assert.False(hazard.Blocking);
        Assert.Contains("items has 5 row(s) without a value", hazard.Message, StringComparison.Ordinal);
        Assert.EndsWith("ALTER TABLE \"public\".\"items\" ALTER COLUMN \"b\" SET NOT NULL", hazard.Message, StringComparison.Ordinal);
        Assert.Equal("Add column b VARCHAR(100) (NOT NULL deferred: existing rows have no value yet)", b.Description);

        await bed.ApplyAsync(plan);

        var comparison = await bed.CompareAsync(Schema);
        Assert.True(comparison.IsValid(strict: false));
        Assert.False(comparison.IsValid(strict: true));
        var difference = Assert.Single(comparison.Differences);
        Assert.Equal(new ColumnDifference("public", "items", "b", DifferenceKind.Nullability, "NOT NULL", "NULL"), difference);
    }

    [Fact]
    public async Task The_same_column_on_an_empty_table_is_added_not_null()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, "CREATE TABLE items (a SERIAL PRIMARY KEY, c TEXT, d INTEGER DEFAULT 0, e BOOLEAN DEFAULT FALSE, f TIMESTAMP DEFAULT NOW(), g VARCHAR(50));");

        var plan = await bed.PlanAsync(Schema.Split(';')[0] + ";");

        var step = Assert.Single(plan.Steps);
        Assert.Equal("ALTER TABLE \"public\".\"items\" ADD COLUMN \"b\" VARCHAR(100) NOT NULL;", step.Sql);
        Assert.Empty(step.Hazards);
        await bed.ApplyAsync(plan);
        Assert.Equal("NO", await bed.ScalarAsync("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'b'"));
        Assert.True((await bed.CompareAsync(Schema.Split(';')[0] + ";")).IsValid(strict: true));
    }

    [Fact]
    public async Task A_valid_database_gives_a_plan_without_steps_and_applying_it_opens_no_transaction()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);

        var plan = await bed.PlanAsync(Schema);

        Assert.False(plan.HasChanges);
        Assert.Empty(plan.Steps);
        Assert.False(plan.HasBlockingHazards);
        Assert.Empty(plan.Warnings);
        var result = await bed.ApplyAsync(plan);
        Assert.Equal(new FixResult(true, 0, 0, 0, null, result.Duration), result);
    }

    [Fact]
    public async Task A_missing_table_is_created_a_missing_column_added_and_an_extra_table_left_alone()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, """
            CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
            CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT,
                                   category_id INTEGER REFERENCES categories(id), active BOOLEAN DEFAULT TRUE, user_id UUID);
            CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY, note TEXT);
            INSERT INTO audit_log (note) VALUES ('keep me');
            INSERT INTO categories (slug) VALUES ('c');
            INSERT INTO products (slug, name, category_id, active) VALUES ('p1', 'One', 1, false), ('p2', 'Two', NULL, true);
            """);
        var productsBefore = await bed.DumpAsync("products", "id", "slug", "name", "category_id", "active");

        var plan = await bed.PlanAsync(Schema);

        Assert.Equal(
            [(FixOperation.CreateTable, "public.items", (string?)null), (FixOperation.AddColumn, "public.products", "price")],
            plan.Steps.Select(s => (s.Operation, s.Target, s.Column)).ToArray());
        Assert.Equal("Create table items", plan.Steps[0].Description);
        Assert.StartsWith("CREATE TABLE \"public\".\"items\" (A SERIAL PRIMARY KEY", plan.Steps[0].Sql, StringComparison.Ordinal);

        var result = await bed.ApplyAsync(plan);

        Assert.Equal((1, 1, 0), (result.TablesCreated, result.ColumnsAdded, result.TablesRecreated));
        Assert.True((await bed.CompareAsync(Schema)).IsValid(strict: true));
        Assert.Equal(["1|keep me"], await bed.QueryAsync("SELECT id, note FROM audit_log"));
        Assert.Equal(productsBefore, await bed.DumpAsync("products", "id", "slug", "name", "category_id", "active"));
        Assert.Equal(["0", "0"], await bed.QueryAsync("SELECT price FROM products ORDER BY id"));
    }

    [Fact]
    public async Task A_column_defs_entry_overrides_the_definition_of_schema_sql()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var overrides = ColumnDefinitions.Parse("""{"products.price": "NUMERIC(10,2) DEFAULT 9.99", "items.b": "TEXT DEFAULT 'n/a' NOT NULL"}""");

        var plan = await bed.PlanAsync(Schema, new FixPlanOptions(overrides));

        Assert.Equal("ALTER TABLE \"public\".\"products\" ADD COLUMN \"price\" NUMERIC(10,2) DEFAULT 9.99;", plan.Steps.Single(s => s.Column == "price").Sql);
        var b = plan.Steps.Single(s => s.Column == "b");
        Assert.Equal("ALTER TABLE \"public\".\"items\" ADD COLUMN \"b\" TEXT DEFAULT 'n/a' NOT NULL;", b.Sql);
        Assert.Empty(b.Hazards);
        await bed.ApplyAsync(plan);
        Assert.Equal(["9.99", "9.99", "9.99"], await bed.QueryAsync("SELECT price FROM products ORDER BY id"));
        Assert.Equal("5", await bed.ScalarAsync("SELECT count(*) FROM items WHERE b = 'n/a'"));
    }
}
