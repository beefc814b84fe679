using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>Get-DbFixPlan | Invoke-DbFix through the built module, against real databases that each test drifts on its own.</summary>
public sealed class FixCmdletTests(SchemaDatabases db) : IClassFixture<SchemaDatabases>
{
    private const string ItemsDump = "SELECT a, c, d, g FROM items ORDER BY a";
    private const string ProductsDump = "SELECT id, slug, name, category_id, user_id FROM products ORDER BY id";

    /// <summary>A fresh drifted database and a folder whose db.toml names it "target".</summary>
    private async Task<(string Database, string Folder)> DriftedAsync(string? sql = null, string extraToml = "")
    {
        var name = await db.CreateOwnedAsync("fix", sql ?? SchemaDatabases.DriftedSql);
        var folder = db.NewFolder(db.SchemaToml() + $"\n[profiles.target]\nurl = \"{db.Url(name)}\"\npassword_env = \"DBADAPTER_TEST_SCHEMA_PW\"\n{extraToml}");
        return (name, folder);
    }

    private Task<IReadOnlyList<string>> Dump(string database, string sql) => db.Server.QueryAsync(database, sql);

    [Fact]
    public async Task Plan_for_the_drifted_database_is_five_AddColumn_steps_and_applying_it_keeps_every_row()
    {
        var (name, folder) = await DriftedAsync();
        var items = await Dump(name, ItemsDump);
        var products = await Dump(name, ProductsDump);
        using var host = new ModuleHost(folder);

        var plan = Assert.Single(host.Run("Get-DbFixPlan -Profile target").ShouldSucceed().Output);
        Assert.True((bool)plan.Properties["HasChanges"].Value);
        var steps = ((object[])plan.Properties["Steps"].Value).Select(PSObject.AsPSObject).ToList();
        Assert.Equal(5, steps.Count);
        Assert.All(steps, s => Assert.Equal("AddColumn", s.Properties["Operation"].Value));
        Assert.Equal(
            ["items.b", "items.e", "items.f", "products.active", "products.price"],
            steps.Select(s => $"{s.Properties["Table"].Value}.{s.Properties["Column"].Value}").OrderBy(x => x, StringComparer.Ordinal).ToArray());
        Assert.Equal(Enumerable.Range(1, 5).ToArray(), steps.Select(s => (int)s.Properties["Order"].Value).ToArray());

        var b = steps.Single(s => (string)s.Properties["Column"].Value == "b");
        var hazard = PSObject.AsPSObject(Assert.Single((object[])b.Properties["Hazards"].Value));
        Assert.Equal("NotNullDeferred", hazard.Properties["Kind"].Value);
        Assert.False((bool)hazard.Properties["Blocking"].Value);
        Assert.Contains("5", (string)hazard.Properties["Message"].Value, StringComparison.Ordinal);
        Assert.Contains("SET NOT NULL", (string)hazard.Properties["Message"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT NULL", (string)b.Properties["Sql"].Value, StringComparison.Ordinal);

        var apply = host.Run("Get-DbFixPlan -Profile target | Invoke-DbFix -Confirm:$false").ShouldSucceed();
        var result = Assert.Single(apply.Output);
        Assert.Equal("DbAdapter.DbFixResult", result.BaseObject.GetType().FullName);
        Assert.True((bool)result.Properties["Success"].Value);
        Assert.Equal(5, result.Properties["ColumnsAdded"].Value);
        Assert.Equal(0, result.Properties["TablesCreated"].Value);
        Assert.Null(result.Properties["BackupPath"].Value);
        Assert.Contains(apply.Warnings, w => w.Message.Contains("NotNullDeferred", StringComparison.Ordinal));

        // Progress: one record per step, then Completed.
        var progress = apply.Progress;
        Assert.True(progress.Count(p => p.RecordType == ProgressRecordType.Processing) >= 5, string.Join("; ", progress.Select(p => p.StatusDescription)));
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);

        Assert.True((bool)Assert.Single(host.Run("Test-DbSchema -Profile target").ShouldSucceed().Output).Properties["IsValid"].Value);
        Assert.Equal(items, await Dump(name, ItemsDump));
        Assert.Equal(products, await Dump(name, ProductsDump));
        Assert.Equal(["0|t", "0|t", "0|t"], await Dump(name, "SELECT price, active FROM products ORDER BY id"));

        var strict = Assert.Single(host.Run("Test-DbSchema -Profile target -Strict").ShouldSucceed().Output);
        var differences = ((object[])strict.Properties["Differences"].Value).Select(PSObject.AsPSObject).ToList();
        Assert.Contains(differences, d => (string)d.Properties["Column"].Value == "b" && (string)d.Properties["Kind"].Value == "Nullability");
    }

    [Fact]
    public async Task A_dropped_foreign_key_is_a_missing_object_an_extra_index_is_reported_and_the_fix_brings_the_key_back_validated()
    {
        var (name, folder) = await DriftedAsync(SchemaDatabases.SchemaSql + """
            INSERT INTO categories (slug, name) VALUES ('c1', 'One');
            INSERT INTO products (slug, name, category_id) VALUES ('p1', 'P1', 1), ('p2', 'P2', NULL);
            ALTER TABLE products DROP CONSTRAINT products_category_id_fkey;
            CREATE INDEX items_c_idx ON items (c);
            """);
        using var host = new ModuleHost(folder);

        var report = Assert.Single(host.Run("Test-DbSchema -Profile target").ShouldSucceed().Output);
        Assert.False((bool)report.Properties["IsValid"].Value);
        Assert.Equal(1, report.Properties["ErrorCount"].Value);
        var missing = PSObject.AsPSObject(Assert.Single((object[])report.Properties["MissingObjects"].Value));
        Assert.Equal("DbAdapter.DbObjectRef", missing.BaseObject.GetType().FullName);
        Assert.Equal(
            ("ForeignKey", "public", "products", "products_category_id_fkey", "FOREIGN KEY (category_id) REFERENCES categories(id)"),
            ((string)missing.Properties["Kind"].Value, (string)missing.Properties["Schema"].Value, (string)missing.Properties["Table"].Value, (string)missing.Properties["Name"].Value, (string)missing.Properties["Definition"].Value));
        var extra = PSObject.AsPSObject(Assert.Single((object[])report.Properties["ExtraObjects"].Value));
        Assert.Equal(("Index", "items_c_idx"), ((string)extra.Properties["Kind"].Value, (string)extra.Properties["Name"].Value));

        // The summaries the table view shows, and the display form, are there but hidden from Format-List.
        Assert.DoesNotContain("MissingSummary", report.Properties.Select(p => p.Name));
        Assert.Equal("1 fk", host.Run("(Test-DbSchema -Profile target).MissingSummary").ShouldSucceed().Output.Single().BaseObject);

        var plan = Assert.Single(host.Run("$report = Test-DbSchema -Profile target; $report | Get-DbFixPlan").ShouldSucceed().Output);
        var step = PSObject.AsPSObject(Assert.Single((object[])plan.Properties["Steps"].Value));
        Assert.Equal(("AddConstraint", "products"), ((string)step.Properties["Operation"].Value, (string)step.Properties["Table"].Value));
        var hazard = PSObject.AsPSObject(Assert.Single((object[])step.Properties["Hazards"].Value));
        Assert.Equal(("ValidatesExistingRows", false), ((string)hazard.Properties["Kind"].Value, (bool)hazard.Properties["Blocking"].Value));

        var result = Assert.Single(host.Run("Get-DbFixPlan -Profile target | Invoke-DbFix -Confirm:$false").ShouldSucceed().Output);
        Assert.Equal((1, 0, 0), ((int)result.Properties["ObjectsCreated"].Value, (int)result.Properties["ColumnsAdded"].Value, (int)result.Properties["TablesCreated"].Value));
        var after = Assert.Single(host.Run("Test-DbSchema -Profile target").ShouldSucceed().Output);
        Assert.True((bool)after.Properties["IsValid"].Value);
        Assert.Single((object[])after.Properties["ExtraObjects"].Value);
        Assert.Equal(["t"], await Dump(name, "SELECT convalidated FROM pg_constraint WHERE conname = 'products_category_id_fkey'"));
    }

    [Fact]
    public async Task A_column_defs_value_carrying_a_second_statement_is_refused_and_nothing_is_planned_or_dropped()
    {
        var (name, folder) = await DriftedAsync(SchemaDatabases.DriftedSql + "\nCREATE TABLE victims (id int); INSERT INTO victims VALUES (1), (2);");
        File.WriteAllText(Path.Combine(folder, "defs.json"), "{\n  \"products.price\": \"INTEGER; DROP TABLE victims\"\n}");
        using var host = new ModuleHost(folder);

        var result = host.Run("Get-DbFixPlan -Profile target -ColumnDefinitionsPath ./defs.json | Invoke-DbFix -Confirm:$false");

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ColumnDefinitionsInvalid", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("defs.json: line 2: the definition of \"products.price\" is not exactly one column definition: it holds a ';'", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(["2"], await Dump(name, "SELECT count(*) FROM victims"));
        Assert.Equal(["0"], await Dump(name, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'price'"));
    }

    [Fact]
    public async Task A_schema_file_column_carrying_a_second_statement_refuses_the_file_and_nothing_is_dropped()
    {
        var (name, folder) = await DriftedAsync(SchemaDatabases.DriftedSql + "\nCREATE TABLE victims2 (id int); INSERT INTO victims2 VALUES (1);");
        File.WriteAllText(
            Path.Combine(folder, "schema.sql"),
            SchemaDatabases.SchemaSql.Replace("price INTEGER DEFAULT 0,", "price integer; DROP TABLE victims2); CREATE TABLE x (y int,", StringComparison.Ordinal));
        using var host = new ModuleHost(folder);

        foreach (var command in new[] { "Test-DbSchema -Profile target", "Get-DbFixPlan -Profile target | Invoke-DbFix -Confirm:$false" })
        {
            var result = host.Run(command);
            Assert.Empty(result.Output);
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("SchemaFileInvalid", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("schema.sql: line 8: CREATE TABLE products (line 3) holds a ';' inside its parentheses", error.Exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal(["1"], await Dump(name, "SELECT count(*) FROM victims2"));
    }

    [Fact]
    public async Task WhatIf_changes_nothing_writes_nothing_and_still_describes_the_run()
    {
        var (name, folder) = await DriftedAsync();
        var capture = new CapturingHost();
        using var host = new ModuleHost(folder, capture);
        var before = await Dump(name, "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1");

        var result = host.Run("Get-DbFixPlan -Profile target | Invoke-DbFix -WhatIf").ShouldSucceed();
        var fix = Assert.Single(result.Output);
        Assert.True((bool)fix.Properties["WhatIf"].Value);
        Assert.Equal(5, fix.Properties["ColumnsAdded"].Value);
        var whatIf = capture.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, whatIf.Count);
        Assert.Contains(whatIf, l => l.Contains("public.products", StringComparison.Ordinal) && l.Contains("price", StringComparison.Ordinal));

        Assert.Equal(before, await Dump(name, "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1"));
        Assert.Empty(Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories));

        // The same plan object, piped again without -WhatIf, applies.
        var applied = host.Run("$plan = Get-DbFixPlan -Profile target; $plan | Invoke-DbFix -WhatIf | Out-Null; $plan | Invoke-DbFix -Confirm:$false").ShouldSucceed();
        Assert.True((bool)Assert.Single(applied.Output).Properties["Success"].Value);
        Assert.True((bool)Assert.Single(host.Run("Test-DbSchema -Profile target -Quiet").ShouldSucceed().Output).BaseObject);
    }

    [Fact]
    public async Task A_report_pipes_into_a_plan_and_a_valid_database_plans_nothing()
    {
        var (_, folder) = await DriftedAsync();
        using var host = new ModuleHost(folder);
        var result = host.Run("Test-DbSchema -Profile target | Get-DbFixPlan | Invoke-DbFix -Confirm:$false; Get-DbFixPlan -Profile target").ShouldSucceed();
        Assert.True((bool)result.Output[0].Properties["Success"].Value);
        var empty = result.Output[1];
        Assert.False((bool)empty.Properties["HasChanges"].Value);
        Assert.Empty((object[])empty.Properties["Steps"].Value);
    }

    [Fact]
    public async Task Missing_table_and_column_are_created_and_extra_tables_untouched()
    {
        const string sql = """
            CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
            CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), active BOOLEAN DEFAULT TRUE, user_id UUID);
            CREATE TABLE legacy (id int, note text);
            INSERT INTO categories (slug, name) VALUES ('c1', 'One');
            INSERT INTO products (slug, name, category_id) VALUES ('p1', 'P1', 1), ('p2', 'P2', 1);
            INSERT INTO legacy VALUES (1, 'keep me');
            """;
        var (name, folder) = await DriftedAsync(sql);
        using var host = new ModuleHost(folder);
        var plan = Assert.Single(host.Run("Get-DbFixPlan -Profile target").ShouldSucceed().Output);
        var steps = ((object[])plan.Properties["Steps"].Value).Select(PSObject.AsPSObject)
            .Select(s => $"{s.Properties["Operation"].Value} {s.Properties["Table"].Value}{(s.Properties["Column"].Value is string c ? "." + c : string.Empty)}").ToArray();
        Assert.Equal(2, steps.Length);
        Assert.Contains("CreateTable items", steps);
        Assert.Contains("AddColumn products.price", steps);

        host.Run("Get-DbFixPlan -Profile target | Invoke-DbFix -Confirm:$false").ShouldSucceed();
        Assert.Equal(["1|keep me"], await Dump(name, "SELECT id, note FROM legacy"));
        Assert.Equal(["1|p1|0", "2|p2|0"], await Dump(name, "SELECT id, slug, price FROM products ORDER BY id"));
        Assert.Equal("0", await db.Server.ScalarAsync(name, "SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task A_failing_step_rolls_back_every_step()
    {
        var (name, folder) = await DriftedAsync(extraToml: string.Empty);
        File.WriteAllText(Path.Combine(folder, "defs.json"), """{ "products.price": "NOT_A_TYPE DEFAULT 0" }""");
        await db.Server.ExecuteAsync(name, "DROP TABLE items");
        using var host = new ModuleHost(folder);
        var result = host.Run("Get-DbFixPlan -Profile target -ColumnDefinitionsPath ./defs.json | Invoke-DbFix -Confirm:$false");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("FixFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("not_a_type", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("0", await db.Server.ScalarAsync(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'items'"));
        Assert.Equal("0", await db.Server.ScalarAsync(name, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'products' AND column_name IN ('price', 'active')"));
    }

    [Fact]
    public async Task A_database_changed_after_planning_is_caught_and_nothing_is_committed()
    {
        var (name, folder) = await DriftedAsync();
        using var host = new ModuleHost(folder);
        host.Run("$plan = Get-DbFixPlan -Profile target").ShouldSucceed();
        await db.Server.ExecuteAsync(name, "ALTER TABLE products DROP COLUMN name");
        var result = host.Run("$plan | Invoke-DbFix -Confirm:$false");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("FixPlanStale", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("column name of public.products was dropped (it was: text)", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("Make a new plan with Get-DbFixPlan, review it, and export it again with Export-DbFixPlan.", error.ErrorDetails.RecommendedAction);
        Assert.Equal("0", await db.Server.ScalarAsync(name, "SELECT count(*) FROM information_schema.columns WHERE table_name IN ('items', 'products') AND column_name IN ('b', 'e', 'f', 'price', 'active')"));

        // The progress bar of the failed apply is closed, not left on screen.
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Processing);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public async Task Recreate_is_refused_without_Force_and_keeps_every_row_with_it()
    {
        var (name, folder) = await DriftedAsync(SchemaDatabases.SchemaSql + """
            INSERT INTO categories (slug, name) VALUES ('c1', 'One'), ('c2', 'Two');
            INSERT INTO products (slug, name, category_id, price) VALUES ('p1', 'P1', 1, 10), ('p2', 'P2', 2, 20), ('p3', 'P3', 1, 30);
            DELETE FROM products WHERE slug = 'p2';
            CREATE TABLE reviews (id serial PRIMARY KEY, product_id int REFERENCES products(id) ON DELETE CASCADE, body text);
            INSERT INTO reviews (product_id, body) VALUES (3, 'great');
            """);
        var before = await Dump(name, "SELECT id, slug, name, category_id, price, active FROM products ORDER BY id");
        using var host = new ModuleHost(folder);

        var refused = host.Run("Get-DbFixPlan -Profile target -RecreateTable products | Invoke-DbFix -Confirm:$false");
        var error = Assert.Single(refused.Errors);
        Assert.StartsWith("FixPlanHasHazards", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("RewritesTable", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(refused.Output);

        var backup = Path.Combine(folder, "before-recreate.json");
        var applied = host.Run($"Get-DbFixPlan -Profile target -RecreateTable products | Invoke-DbFix -Force -Confirm:$false -BackupPath '{backup}'").ShouldSucceed();
        var result = Assert.Single(applied.Output);
        Assert.Equal(1, result.Properties["TablesRecreated"].Value);
        Assert.Equal(backup, result.Properties["BackupPath"].Value);
        Assert.True(File.Exists(backup));
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(backup)))
        {
            Assert.Equal("pre-fix", json.RootElement.GetProperty("metadata").GetProperty("backup_type").GetString());
            Assert.Equal(2, json.RootElement.GetProperty("products").GetArrayLength());
        }

        Assert.Equal(before, await Dump(name, "SELECT id, slug, name, category_id, price, active FROM products ORDER BY id"));
        await db.Server.ExecuteAsync(name, "INSERT INTO products (slug, name) VALUES ('p4', 'P4')");
        Assert.Equal("4", await db.Server.ScalarAsync(name, "SELECT id FROM products WHERE slug = 'p4'"));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => db.Server.ExecuteAsync(name, "INSERT INTO reviews (product_id, body) VALUES (999, 'orphan')"));
        Assert.Equal("1", await db.Server.ScalarAsync(name, "SELECT count(*) FROM reviews"));
    }

    [Fact]
    public async Task The_default_pre_fix_backup_goes_to_the_backups_folder_of_the_current_location()
    {
        var (_, folder) = await DriftedAsync(SchemaDatabases.SchemaSql + "INSERT INTO categories (slug, name) VALUES ('c1', 'One');");
        using var host = new ModuleHost(folder);
        var result = Assert.Single(host.Run("Get-DbFixPlan -Profile target -RecreateTable categories | Invoke-DbFix -Force -Confirm:$false").ShouldSucceed().Output);
        var path = (string)result.Properties["BackupPath"].Value;
        Assert.StartsWith(Path.Combine(folder, "backups", "pre-fix-target-"), path, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Stopping_the_pipeline_during_apply_rolls_back()
    {
        var (name, folder) = await DriftedAsync();
        using var host = new ModuleHost(folder, new CapturingHost());
        host.Run("$plan = Get-DbFixPlan -Profile target").ShouldSucceed();
        var locker = Task.Run(() => db.Server.ExecuteAsync(name, "BEGIN; LOCK TABLE items IN ACCESS SHARE MODE; SELECT pg_sleep(20); COMMIT;"));
        await LockWaiter.WaitForLockAsync(db.Server, name, "items", "AccessShareLock");
        var (shell, handle) = host.Start("$plan | Invoke-DbFix -Confirm:$false");
        var capture = host.Capture;
        using (shell)
        {
            await Task.Delay(2000);
            Assert.False(handle.IsCompleted, handle.IsCompleted ? string.Join("; ", shell.Streams.Error.Select(e => e.ToString())) + " / " + string.Join("; ", shell.EndInvoke(handle).Select(o => o.ToString())) : string.Empty);
            shell.Stop();
            await Assert.ThrowsAnyAsync<PipelineStoppedException>(() => Task.Factory.FromAsync(handle, shell.EndInvoke));

            // The apply's progress bar is closed on Ctrl+C too: on the stream when the runtime still
            // takes it, else on the host itself.
            var records = shell.Streams.Progress.Concat(capture?.Host.Progress ?? []).ToList();
            Assert.Contains(records, p => p.RecordType == ProgressRecordType.Processing);
            Assert.Contains(records, p => p.RecordType == ProgressRecordType.Completed);
        }

        await db.Server.ExecuteAsync(name, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND datname = current_database() AND pid <> pg_backend_pid()");
        await Assert.ThrowsAnyAsync<Exception>(() => locker);
        Assert.Equal("0", await db.Server.ScalarAsync(name, "SELECT count(*) FROM information_schema.columns WHERE table_name IN ('items', 'products') AND column_name IN ('b', 'e', 'f', 'price', 'active')"));
    }
}
