using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Rows;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Backup;

/// <summary>Restore: matching, modes, atomicity, isolated rows, WhatIf, files of the Python tool, Ctrl+C.</summary>
public sealed class RestoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string A = BackupTestBed.UserA;
    private const string B = BackupTestBed.UserB;
    private const string PythonUser = "00000000-0000-0000-0000-000000000042";

    private static string PythonSample => Path.Combine(AppContext.BaseDirectory, "Backup", "python-backup-1.1.json");

    private async Task<BackupTestBed> ShopAsync(params string[] profiles)
    {
        var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson, profiles);
        await bed.ExecuteAsync("source", ShopSchema.Seed(A));
        await bed.BackupAsync();
        return bed;
    }

    [Fact]
    public async Task A_file_written_by_the_Python_tool_restores_with_its_user_and_children_under_their_new_parents()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson, "target");
        await bed.ExecuteAsync("target", $"INSERT INTO categories (slug, user_id) SELECT 'filler' || g, '{B}' FROM generate_series(1, 20) g");
        var reporter = new RecordingReporter();

        var result = await bed.RestoreAsync("target", PythonSample, userId: null, reporter: reporter);

        Assert.Equal(PythonUser, result.UserId);
        Assert.Contains(reporter.Warnings, w => w.Contains($"restored as user {PythonUser}, the user_id of the backup's metadata", StringComparison.Ordinal));
        Assert.Equal([("categories", 2L), ("products", 3L)], result.Tables.Select(t => (t.Table, t.Inserted)).ToArray());
        Assert.Equal(
            [
                "hammer|tools|12.50|true|2025-05-31 08:15:00+00|2025-05-01|{\"color\": \"red\", \"sizes\": [1, 2]}",
                "loose|<none>|<null>|<null>|<null>|<null>|<null>",
                "rake|garden|7.00|false|2025-05-31 09:00:00.25+00|<null>|[\"a\", null]",
            ],
            await bed.QueryAsync("target", $"""
                SET TIME ZONE 'UTC';
                SELECT p.slug || '|' || coalesce(c.slug, '<none>') || '|' || coalesce(p.price::text, '<null>') || '|' || coalesce(p.active::text, '<null>') || '|' ||
                       coalesce(p.created_at::text, '<null>') || '|' || coalesce(p.released::text, '<null>') || '|' || coalesce(p.attrs::text, '<null>')
                  FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.user_id = '{PythonUser}' ORDER BY 1
                """));

        // New keys from the sequences, not the file's 7/9/101...: the 20 filler rows took 1 to 20.
        Assert.Equal(["21|Tools", "22|Garten äöü"], await bed.QueryAsync("target", $"SELECT id || '|' || name FROM categories WHERE user_id = '{PythonUser}' ORDER BY id"));
    }

    [Fact]
    public async Task Parents_match_existing_rows_with_other_keys_and_the_children_point_at_them()
    {
        using var bed = await ShopAsync("source", "target");
        await bed.ExecuteAsync("target", $"""
            INSERT INTO categories (slug, user_id) SELECT 'other' || g, '{B}' FROM generate_series(1, 5) g;
            INSERT INTO categories (slug, name, user_id) VALUES ('garden', 'Existing garden', '{A}');
            """);

        var result = await bed.RestoreAsync("target");

        Assert.Equal((1L, 1L), (result.Tables[0].Inserted, result.Tables[0].Skipped));
        Assert.Equal(5L, result.Tables[1].Inserted);
        Assert.Equal(
            ["garden|6|Existing garden|p4", "garden|6|Existing garden|p5", "tools|7|Tools|p1", "tools|7|Tools|p2", "tools|7|Tools|p3"],
            await bed.QueryAsync("target", $"SELECT c.slug || '|' || c.id || '|' || c.name || '|' || p.slug FROM products p JOIN categories c ON c.id = p.category_id WHERE p.user_id = '{A}' ORDER BY 1"));
    }

    [Fact]
    public async Task Mode_Fail_stops_at_the_first_match_naming_table_and_key_and_commits_nothing()
    {
        using var bed = await ShopAsync("source", "target");
        await bed.ExecuteAsync("target", $"INSERT INTO categories (slug, user_id) VALUES ('garden', '{A}')");

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target", mode: RestoreMode.Fail));

        Assert.Equal(ErrorIds.RestoreConflict, error.ErrorId);
        Assert.Contains("categories[1] (key 2) matches the existing row 1 of public.categories by its natural key \"slug\" 'garden'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["1"], await bed.QueryAsync("target", "SELECT count(*) FROM categories"));
        Assert.Equal(["0"], await bed.QueryAsync("target", "SELECT count(*) FROM products"));
    }

    [Fact]
    public async Task A_failing_row_in_the_middle_rolls_everything_back_and_the_error_names_table_row_key_and_the_servers_message()
    {
        using var bed = await ShopAsync("source", "target");
        await bed.ExecuteAsync("target", "ALTER TABLE products ADD CONSTRAINT no_p3 CHECK (slug <> 'p3')");

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target"));

        Assert.Equal(ErrorIds.RestoreFailed, error.ErrorId);
        Assert.StartsWith("Restore failed at products[2] (key 3), inserting it: new row for relation \"products\" violates check constraint \"no_p3\" (SQLSTATE 23514).", error.Message, StringComparison.Ordinal);
        var failure = Assert.IsType<RowFailure>(error.Target);
        Assert.Equal((2L, "3"), (failure.RowIndex, failure.Key));
        Assert.Equal(["0|0"], await bed.QueryAsync("target", "SELECT (SELECT count(*) FROM categories) || '|' || (SELECT count(*) FROM products)"));

        // Nothing was left open: the next restore into the same database works.
        await bed.ExecuteAsync("target", "ALTER TABLE products DROP CONSTRAINT no_p3");
        Assert.Equal(5, (await bed.RestoreAsync("target")).Tables[1].Inserted);
    }

    [Fact]
    public async Task SkipFailedRows_isolates_each_refused_row_commits_the_others_and_fails_the_children_of_a_failed_parent()
    {
        using var bed = await ShopAsync("source", "target");
        await bed.ExecuteAsync("target", """
            ALTER TABLE categories ADD CONSTRAINT no_garden CHECK (slug <> 'garden');
            ALTER TABLE products ADD CONSTRAINT no_p2 CHECK (slug <> 'p2');
            """);

        var result = await bed.RestoreAsync("target", skipFailedRows: true);

        Assert.True(result.Committed);
        var categories = result.Tables[0];
        Assert.Equal((1L, 1L), (categories.Inserted, categories.Failed));
        var garden = Assert.Single(categories.Failures);
        Assert.Equal((1L, "2"), (garden.RowIndex, garden.Key));
        Assert.StartsWith("inserting it: new row for relation \"categories\" violates check constraint \"no_garden\"", garden.Error, StringComparison.Ordinal);

        var products = result.Tables[1];
        Assert.Equal((2L, 3L), (products.Inserted, products.Failed));
        Assert.Equal(
            ["1|2|inserting it: new row for relation \"products\" violates check constraint \"no_p2\"", "3|4|attaching it to its parent: its parent categories row with key 2 failed.", "4|5|attaching it to its parent: its parent categories row with key 2 failed."],
            products.Failures.Select(f => $"{f.RowIndex}|{f.Key}|{f.Error.Split(" (SQLSTATE")[0]}").ToArray());
        Assert.Equal(["p1", "p3"], await bed.QueryAsync("target", "SELECT slug FROM products ORDER BY slug"));
    }

    [Fact]
    public async Task WhatIf_counts_are_the_counts_of_the_real_run_and_nothing_is_written()
    {
        using var bed = await ShopAsync("source", "skip", "overwrite");
        foreach (var (mode, profile) in new[] { (RestoreMode.Skip, "skip"), (RestoreMode.Overwrite, "overwrite") })
        {
            await bed.ExecuteAsync(profile, $"""
                INSERT INTO categories (slug, user_id) VALUES ('tools', '{A}');
                INSERT INTO products (slug, category_id, user_id) VALUES ('p1', 1, '{A}'), ('p2', 1, '{A}');
                """);
            const string Everything = "SELECT to_jsonb(c)::text FROM categories c UNION ALL SELECT to_jsonb(p)::text FROM products p ORDER BY 1";
            var before = await bed.QueryAsync(profile, Everything);
            var sequence = await bed.ScalarAsync(profile, "SELECT last_value FROM products_id_seq");

            var whatIf = await bed.RestoreAsync(profile, mode: mode, whatIf: true);

            Assert.False(whatIf.Committed);
            Assert.Equal(before, await bed.QueryAsync(profile, Everything));
            Assert.Equal(sequence, await bed.ScalarAsync(profile, "SELECT last_value FROM products_id_seq"));
            Assert.Equal("0", await bed.ScalarAsync(profile, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"));

            var real = await bed.RestoreAsync(profile, mode: mode);
            Assert.True(real.Committed);
            Assert.Equal(
                real.Tables.Select(t => (t.Table, t.Inserted, t.Updated, t.Skipped, t.Failed)).ToArray(),
                whatIf.Tables.Select(t => (t.Table, t.Inserted, t.Updated, t.Skipped, t.Failed)).ToArray());
            Assert.Equal(mode == RestoreMode.Skip ? (1L, 3L, 1L, 2L) : (1L, 3L, 0L, 0L), (whatIf.Tables[0].Inserted, whatIf.Tables[1].Inserted, whatIf.Tables[0].Skipped, whatIf.Tables[1].Skipped));
        }
    }

    [Fact]
    public async Task A_child_whose_parent_is_not_in_the_file_fails_the_restore_with_its_row_and_key()
    {
        using var bed = await ShopAsync("source", "target");
        var text = await File.ReadAllTextAsync(bed.File("backup.json"));
        await File.WriteAllTextAsync(bed.File("backup.json"), text.Replace("\"category_id\":2", "\"category_id\":99", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target"));

        Assert.Equal(ErrorIds.RestoreFailed, error.ErrorId);
        Assert.StartsWith("Restore failed at products[3] (key 4), attaching it to its parent: its parent categories row with key 99 is not in the backup", error.Message, StringComparison.Ordinal);
        Assert.Equal(["0"], await bed.QueryAsync("target", "SELECT count(*) FROM categories"));
    }

    [Fact]
    public async Task A_file_that_breaks_the_rules_is_refused_before_anything_is_touched()
    {
        using var bed = await ShopAsync("source", "target");
        var text = await File.ReadAllTextAsync(bed.File("backup.json"));
        bed.WriteFile("dup.json", text.Replace("\"slug\":\"p2\"", "\"slug\":\"p1\"", StringComparison.Ordinal));
        bed.WriteFile("version.json", text.Replace("\"version\":\"1.1\"", "\"version\":\"1.0\"", StringComparison.Ordinal));
        bed.WriteFile("broken.json", text[..(text.Length / 2)]);
        var second = text.IndexOf("\"id\":2,", StringComparison.Ordinal);
        bed.WriteFile("dupkey.json", string.Concat(text.AsSpan(0, second), "\"id\":1,", text.AsSpan(second + "\"id\":2,".Length)));

        var dup = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target", bed.File("dup.json")));
        var version = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target", bed.File("version.json")));
        var broken = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target", bed.File("broken.json")));
        var missing = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target", bed.File("nope.json")));
        var dupKey = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target", bed.File("dupkey.json")));

        Assert.Equal(ErrorIds.BackupFileInvalid, dup.ErrorId);
        Assert.Contains("products[1] has the natural key \"slug\" 'p1' under the same category_id of products[0]", dup.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.BackupFileInvalid, version.ErrorId);
        Assert.Contains("unsupported backup version \"1.0\" (expected \"1.1\")", version.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.BackupFileInvalid, broken.ErrorId);
        Assert.Contains("broken.json: not valid JSON at line 1, position ", broken.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.BackupFileNotFound, missing.ErrorId);
        Assert.Equal(ErrorIds.BackupFileInvalid, dupKey.ErrorId);
        Assert.Contains("categories[1] has the key \"id\" 1 of categories[0]; a restore could not tell their children apart.", dupKey.Message, StringComparison.Ordinal);
        Assert.Equal(["0|0"], await bed.QueryAsync("target", "SELECT (SELECT count(*) FROM categories) || '|' || (SELECT count(*) FROM products)"));
    }

    [Fact]
    public async Task Cancelling_mid_restore_commits_nothing_and_leaves_no_open_transaction()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson, "source", "target");
        await bed.ExecuteAsync("source", $$"""
            INSERT INTO categories (slug, user_id) VALUES ('c', '{{A}}');
            INSERT INTO products (slug, category_id, attrs, user_id) SELECT 'p' || g, 1, '{"x": 1}', '{{A}}' FROM generate_series(1, 20000) g;
            """);
        await bed.BackupAsync();
        using var cancel = new CancellationTokenSource();
        var reporter = new RecordingReporter { OnProgress = p => { if (p.Status.Contains("writing", StringComparison.Ordinal)) { cancel.Cancel(); } } };

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.RestoreAsync("target", reporter: reporter, ct: cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        Assert.True(reporter.ProgressRecords[^1].Completed);
        Assert.Equal(["0|0"], await bed.QueryAsync("target", "SELECT (SELECT count(*) FROM categories) || '|' || (SELECT count(*) FROM products)"));
        Assert.Equal("0", await bed.ScalarAsync("target", "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"));
    }
}
