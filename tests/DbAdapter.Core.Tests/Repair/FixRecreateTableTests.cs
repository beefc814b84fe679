using System.Text.Json;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>RecreateTable: refused without Force; with it, rows, keys, sequences and foreign keys survive.</summary>
public sealed class FixRecreateTableTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Schema = """
        CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
        CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT,
                               category_id INTEGER REFERENCES categories(id), price INTEGER DEFAULT 0,
                               active BOOLEAN DEFAULT TRUE, user_id UUID);
        CREATE INDEX products_name_idx ON products (name);
        CREATE TABLE reviews (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE, stars INTEGER);
        """;

    // Same columns, another order: valid, but not schema.sql's column order.
    private const string Live = """
        CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
        CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT, user_id UUID, slug TEXT UNIQUE, active BOOLEAN DEFAULT TRUE,
                               price INTEGER DEFAULT 0, category_id INTEGER REFERENCES categories(id));
        CREATE INDEX products_name_idx ON products (name);
        CREATE TABLE reviews (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE, stars INTEGER);
        INSERT INTO categories (slug) VALUES ('tools');
        INSERT INTO products (name, user_id, slug, active, price, category_id)
            SELECT 'P' || g, CASE WHEN g % 2 = 0 THEN '11111111-1111-1111-1111-111111111111'::uuid END, 's' || g, g % 3 = 0, g * 100, CASE WHEN g < 4 THEN 1 END
              FROM generate_series(1, 8) AS g;
        DELETE FROM products WHERE id = 8;
        INSERT INTO reviews (product_id, stars) VALUES (1, 5), (7, 3);
        """;

    private static readonly string[] ProductColumns = ["id", "slug", "name", "category_id", "price", "active", "user_id"];

    [Fact]
    public async Task A_recreate_is_refused_without_force_listing_the_blocking_hazard()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Live);
        var plan = await bed.PlanAsync(Schema, new FixPlanOptions(RecreateTables: ["products"]));

        var step = Assert.Single(plan.Steps);
        Assert.Equal(FixOperation.RecreateTable, step.Operation);
        Assert.Equal("Recreate table products in schema.sql's column order, keeping its 7 rows", step.Description);
        Assert.Equal([FixHazardKinds.RewritesTable], step.Hazards.Select(h => h.Kind).ToArray());
        Assert.True(plan.HasBlockingHazards);
        Assert.True(plan.NeedsBackup);

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Equal(ErrorIds.FixPlanHasHazards, error.ErrorId);
        Assert.Equal(DbErrorKind.InvalidOperation, error.Kind);
        Assert.Contains("step 1 (Recreate table products in schema.sql's column order, keeping its 7 rows) on public.products: RewritesTable: Recreating products copies all 7 row(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal("products_pkey", await bed.ScalarAsync("SELECT conname FROM pg_constraint WHERE conrelid = 'products'::regclass AND contype = 'p'"));
        Assert.Equal("name", await bed.ScalarAsync("SELECT column_name FROM information_schema.columns WHERE table_name = 'products' AND ordinal_position = 2"));
    }

    [Fact]
    public async Task A_forced_recreate_keeps_every_row_key_sequence_position_and_incoming_foreign_key_and_writes_a_pre_fix_backup()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Live);
        using var folder = new TempFolder();
        var before = await bed.DumpAsync("products", ProductColumns);
        var plan = await bed.PlanAsync(Schema, new FixPlanOptions(RecreateTables: ["public.products"]));

        var result = await bed.ApplyAsync(plan, new FixApplyOptions(Force: true, BackupPath: folder.Path, ProfileName: "prod"));

        Assert.Equal((0, 0, 1), (result.TablesCreated, result.ColumnsAdded, result.TablesRecreated));
        Assert.Equal(before, await bed.DumpAsync("products", ProductColumns));
        Assert.Equal(
            ProductColumns,
            await bed.QueryAsync("SELECT column_name FROM information_schema.columns WHERE table_name = 'products' ORDER BY ordinal_position"));
        Assert.True((await bed.CompareAsync(Schema)).IsValid(strict: true));

        // The old sequence had reached 8 (row 8 was deleted): the next id is 9, from a sequence with the usual name.
        Assert.Equal("9", await bed.ScalarAsync("INSERT INTO products (slug) VALUES ('new') RETURNING id"));
        Assert.Equal("public.products_id_seq", await bed.ScalarAsync("SELECT pg_get_serial_sequence('products', 'id')"));
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname LIKE '%dbadapter_old%'"));
        Assert.Equal(
            ["products_name_idx", "products_pkey", "products_slug_key"],
            await bed.QueryAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'products' ORDER BY 1"));

        // reviews' foreign key was re-created, same name and action, on the new table.
        Assert.Equal(
            "reviews_product_id_fkey|products|c",
            await bed.ScalarAsync("SELECT conname || '|' || confrelid::regclass::text || '|' || confdeltype::text FROM pg_constraint WHERE conrelid = 'reviews'::regclass AND contype = 'f'"));
        var violation = await Assert.ThrowsAsync<InvalidOperationException>(() => bed.ExecuteAsync("INSERT INTO reviews (product_id) VALUES (999)"));
        Assert.Contains("violates foreign key constraint \"reviews_product_id_fkey\"", violation.Message, StringComparison.Ordinal);
        Assert.Equal(["1|5", "7|3"], await bed.QueryAsync("SELECT product_id, stars FROM reviews ORDER BY id"));

        // The pre-fix backup: metadata first, then every product row with all columns.
        Assert.NotNull(result.BackupPath);
        Assert.Equal(folder.Path, Path.GetDirectoryName(result.BackupPath));
        Assert.Matches(@"^pre-fix-prod-\d{8}T\d{6}Z\.json$", Path.GetFileName(result.BackupPath));
        using var backup = JsonDocument.Parse(await File.ReadAllBytesAsync(result.BackupPath!));
        var properties = backup.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["metadata", "products"], properties);
        var metadata = backup.RootElement.GetProperty("metadata");
        Assert.Equal(
            ["created_at", "user_id", "backup_type", "version", "products_count", "profile"],
            metadata.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("pre-fix", metadata.GetProperty("backup_type").GetString());
        Assert.Equal("1.1", metadata.GetProperty("version").GetString());
        Assert.Equal(7, metadata.GetProperty("products_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("user_id").ValueKind);
        Assert.Equal("prod", metadata.GetProperty("profile").GetString());
        Assert.EndsWith("Z", metadata.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        var rows = backup.RootElement.GetProperty("products").EnumerateArray().ToList();
        Assert.Equal(7, rows.Count);
        var second = rows.Single(r => r.GetProperty("id").GetInt32() == 2);
        Assert.Equal(
            """{"id":2,"name":"P2","user_id":"11111111-1111-1111-1111-111111111111","slug":"s2","active":false,"price":200,"category_id":1}""",
            second.GetRawText());
    }

    [Fact]
    public async Task A_recreate_that_would_drop_a_live_column_also_carries_DeletesData_naming_it()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Live + "ALTER TABLE products ADD COLUMN legacy_code TEXT;");

        var plan = await bed.PlanAsync(Schema, new FixPlanOptions(RecreateTables: ["products"]));

        var hazard = Assert.Single(plan.Steps.Single().Hazards, h => h.Kind == FixHazardKinds.DeletesData);
        Assert.True(hazard.Blocking);
        Assert.StartsWith("products has column(s) legacy_code that schema.sql does not declare", hazard.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_is_required_unless_NoBackup_and_an_unknown_table_is_refused()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Live);
        var plan = await bed.PlanAsync(Schema, new FixPlanOptions(RecreateTables: ["products"]));

        var missingPath = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan, new FixApplyOptions(Force: true)));
        Assert.Equal((ErrorIds.FixFailed, DbErrorKind.InvalidArgument), (missingPath.ErrorId, missingPath.Kind));

        var unknown = await Assert.ThrowsAsync<DbAdapterException>(() => bed.PlanAsync(Schema, new FixPlanOptions(RecreateTables: ["nope"])));
        Assert.Equal((ErrorIds.FixFailed, DbErrorKind.InvalidArgument), (unknown.ErrorId, unknown.Kind));
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);

        var result = await bed.ApplyAsync(plan, new FixApplyOptions(Force: true, NoBackup: true));
        Assert.Null(result.BackupPath);
        Assert.Equal(1, result.TablesRecreated);
    }

    [Fact]
    public async Task The_pre_fix_backup_writes_each_type_as_its_JSON_kind()
    {
        const string table = """
            CREATE TABLE measurements (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, amount NUMERIC(30,10), taken_at TIMESTAMPTZ,
                                       local_at TIMESTAMP, day DATE, at_time TIME, doc JSONB, tags TEXT[], grid INTEGER[], raw BYTEA,
                                       ref UUID, ok BOOLEAN, ratio DOUBLE PRECISION, small REAL, span INTERVAL, empty TEXT);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, table + """
            INSERT INTO measurements (amount, taken_at, local_at, day, at_time, doc, tags, grid, raw, ref, ok, ratio, small, span)
            VALUES (12345678901234567890.0123456789, '2024-03-01 10:30:00.123456+02', '2024-03-01 10:30:00', '2024-02-29', '23:59:58.5',
                    '{"a": [1, 2.5, null], "b": "x"}', ARRAY['x', NULL, 'z'], ARRAY[[1, 2], [3, 4]], '\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                    true, 0.5, 0.1, '1 day 02:00:00');
            """);
        using var folder = new TempFolder();
        var plan = await bed.PlanAsync(table, new FixPlanOptions(RecreateTables: ["measurements"]));

        var result = await bed.ApplyAsync(plan, new FixApplyOptions(Force: true, BackupPath: folder.Combine("pre.json"), ProfileName: "p"));

        Assert.Equal(folder.Combine("pre.json"), result.BackupPath);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
        using var backup = JsonDocument.Parse(await File.ReadAllBytesAsync(result.BackupPath!));
        var row = Assert.Single(backup.RootElement.GetProperty("measurements").EnumerateArray().ToList());
        Assert.Equal(
            """
            {"id":1,"amount":"12345678901234567890.0123456789","taken_at":"2024-03-01T08:30:00.123456+00:00","local_at":"2024-03-01T10:30:00","day":"2024-02-29","at_time":"23:59:58.500000","doc":{"a": [1, 2.5, null], "b": "x"},"tags":["x",null,"z"],"grid":[[1,2],[3,4]],"raw":"AP8Q","ref":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","ok":true,"ratio":0.5,"small":0.1,"span":"1 day 02:00:00","empty":null}
            """,
            row.GetRawText());
        Assert.Equal(
            [JsonValueKind.Number, JsonValueKind.String, JsonValueKind.String, JsonValueKind.String, JsonValueKind.String, JsonValueKind.String,
             JsonValueKind.Object, JsonValueKind.Array, JsonValueKind.Array, JsonValueKind.String, JsonValueKind.String, JsonValueKind.True,
             JsonValueKind.Number, JsonValueKind.Number, JsonValueKind.String, JsonValueKind.Null],
            row.EnumerateObject().Select(p => p.Value.ValueKind).ToArray());
        Assert.Equal("2", await bed.ScalarAsync("INSERT INTO measurements DEFAULT VALUES RETURNING id"));
    }
}
