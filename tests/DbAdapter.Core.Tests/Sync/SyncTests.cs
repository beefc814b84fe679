using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Rows;
using DbAdapter.Core.Sync;
using DbAdapter.Core.Tests.Backup;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Sync;

/// <summary>
/// Sync between two real databases of one server: WhatIf counts against a direct SQL comparison,
/// matching and remapping through the restore's engine, new keys from the destination's sequences,
/// modes, one transaction, refusals before anything is read or written, Ctrl+C.
/// </summary>
public sealed class SyncTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string A = BackupTestBed.UserA;
    private const string B = BackupTestBed.UserB;

    private const string BackupSchemaToml = "[schema]\nbackup_schema = \"backup-schema.json\"\n";

    /// <summary>
    /// Source: user B's categories first (so A's keys differ between the databases), then A's two
    /// categories and five products, and one product of A under B's category (not A's to copy).
    /// </summary>
    private static readonly string SourceSeed = $"""
        INSERT INTO categories (slug, name, user_id) SELECT 'b' || g, 'B ' || g, '{B}' FROM generate_series(1, 3) g;
        INSERT INTO categories (slug, name, user_id) VALUES ('tools', 'Tools', '{A}'), ('garden', 'Garden', '{A}');
        INSERT INTO products (slug, name, category_id, price, created_at, released, attrs, user_id)
        SELECT 'p' || g, 'Product ' || g, (SELECT id FROM categories WHERE user_id = '{A}' AND slug = CASE WHEN g <= 3 THEN 'tools' ELSE 'garden' END), g * 1.5,
               '2025-01-01 00:00:00+00'::timestamptz + g * interval '1 hour', '2025-01-01'::date + g, jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)), '{A}'
          FROM generate_series(1, 5) g;
        INSERT INTO products (slug, category_id, user_id) VALUES ('stray', 1, '{A}'), ('loose', NULL, '{A}');
        INSERT INTO products (slug, category_id, price, user_id) VALUES ('b-p', 1, 9, '{B}');
        """;

    private async Task<BackupTestBed> BedAsync(string destinationSql = "", string config = BackupSchemaToml)
    {
        var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson, "source", "target");
        await bed.ExecuteAsync("source", SourceSeed);
        if (destinationSql.Length > 0)
        {
            await bed.ExecuteAsync("target", destinationSql);
        }

        bed.WriteConfig(config);
        return bed;
    }

    [Fact]
    public async Task WhatIf_counts_equal_a_direct_SQL_comparison_and_nothing_is_written_on_either_side()
    {
        using var bed = await BedAsync($"""
            INSERT INTO categories (slug, name, user_id) VALUES ('garden', 'Mine', '{A}'), ('tools', 'B''s tools', '{B}'), ('attic', 'Only here', '{A}');
            INSERT INTO products (slug, category_id, user_id) VALUES ('p4', 1, '{A}'), ('p1', 1, '{A}'), ('p2', 2, '{B}'), ('loose', NULL, '{A}'), ('p9', 3, '{A}');
            """);
        var source = await bed.QueryAsync("source", ShopSchema.Fingerprint());
        var target = await bed.QueryAsync("target", ShopSchema.Fingerprint());

        var result = await bed.SyncAsync(whatIf: true);

        Assert.False(result.Committed);
        Assert.Equal(source, await bed.QueryAsync("source", ShopSchema.Fingerprint()));
        Assert.Equal(target, await bed.QueryAsync("target", ShopSchema.Fingerprint()));

        // The comparison a person would write: the user's natural keys (a product's includes its
        // category's slug) on each side; a product under another user's category is not the user's to copy.
        const string Categories = "SELECT slug FROM categories WHERE user_id = '{0}'";
        const string Products = "SELECT coalesce(c.slug, '-') || '/' || p.slug FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.user_id = '{0}' AND (p.category_id IS NULL OR c.user_id = '{0}')";
        foreach (var (table, sql) in new[] { ("categories", Categories), ("products", Products) })
        {
            var inSource = await bed.QueryAsync("source", string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, A));
            var inTarget = await bed.QueryAsync("target", string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, A));
            var owned = long.Parse(await bed.ScalarAsync("target", $"SELECT count(*) FROM {table} WHERE user_id = '{A}'"), System.Globalization.CultureInfo.InvariantCulture);
            var counts = result.Tables.Single(t => t.Table == table);
            Assert.Equal(
                (inSource.Count, owned, inSource.Count(k => !inTarget.Contains(k)), inSource.Count(inTarget.Contains)),
                ((int)counts.SourceRows, counts.DestinationRows, (int)counts.New, (int)counts.Existing));
        }

        Assert.Equal(
            ["categories 2/2 1 new 1 existing", "products 6/4 4 new 2 existing"],
            result.Tables.Select(t => $"{t.Table} {t.SourceRows}/{t.DestinationRows} {t.New} new {t.Existing} existing").ToArray());
        Assert.All(result.Tables, t => Assert.Equal((t.New, 0L, t.Existing, 0L), (t.Inserted, t.Updated, t.Skipped, t.Failed)));

        // And the real run does what WhatIf said.
        var real = await bed.SyncAsync();
        Assert.Equal(
            result.Tables.Select(t => (t.Table, t.SourceRows, t.DestinationRows, t.New, t.Existing, t.Inserted, t.Skipped)).ToArray(),
            real.Tables.Select(t => (t.Table, t.SourceRows, t.DestinationRows, t.New, t.Existing, t.Inserted, t.Skipped)).ToArray());
    }

    [Fact]
    public async Task Skip_copies_the_users_rows_under_remapped_parents_with_keys_from_the_destinations_sequences_and_moves_nothing_else()
    {
        using var bed = await BedAsync($"""
            INSERT INTO categories (slug, user_id) SELECT 'filler' || g, '{B}' FROM generate_series(1, 20) g;
            INSERT INTO categories (slug, name, user_id) VALUES ('garden', 'Existing garden', '{A}');
            INSERT INTO products (slug, category_id, user_id) SELECT 'f' || g, 1, '{B}' FROM generate_series(1, 10) g;
            """);
        var source = await bed.QueryAsync("source", ShopSchema.Fingerprint());
        var others = await bed.QueryAsync("target", ShopSchema.Fingerprint(B));
        var reporter = new RecordingReporter();

        var result = await bed.SyncAsync(reporter: reporter);

        Assert.True(result.Committed);
        Assert.Equal(("source", "target", A, SyncMode.Skip), (result.Source, result.Destination, result.UserId, result.Mode));
        Assert.Equal(["categories 1+1", "products 6+0"], result.Tables.Select(t => $"{t.Table} {t.Inserted}+{t.Skipped}").ToArray());

        // Garden kept its key and name (Skip), tools got 22 from the sequence, the products follow
        // their categories' keys in the destination and took 11 to 16; the loose one stays loose.
        Assert.Equal(
            ["garden|21|Existing garden|p4", "garden|21|Existing garden|p5", "tools|22|Tools|p1", "tools|22|Tools|p2", "tools|22|Tools|p3"],
            await bed.QueryAsync("target", $"SELECT c.slug || '|' || c.id || '|' || c.name || '|' || p.slug FROM products p JOIN categories c ON c.id = p.category_id WHERE p.user_id = '{A}' ORDER BY 1"));
        Assert.Equal(["11,12,13,14,15,16|loose"], await bed.QueryAsync("target", $"SELECT string_agg(id::text, ',' ORDER BY id) || '|' || string_agg(slug, ',') FILTER (WHERE category_id IS NULL) FROM products WHERE user_id = '{A}'"));
        const string Values = "SELECT p.slug || p.price || p.created_at || p.released || p.attrs FROM products p WHERE p.user_id = '" + A + "' AND p.slug LIKE 'p_' ORDER BY 1";
        Assert.Equal(await bed.QueryAsync("source", Values), await bed.QueryAsync("target", Values));

        // The sequences moved with the rows: a plain INSERT works afterwards.
        Assert.Equal("23", await bed.ScalarAsync("target", $"INSERT INTO categories (slug, user_id) VALUES ('new', '{A}') RETURNING id"));
        Assert.Equal("17", await bed.ScalarAsync("target", $"INSERT INTO products (slug, user_id) VALUES ('new', '{A}') RETURNING id"));

        // Nothing but the user's rows moved: the source not at all, the destination's other user neither.
        Assert.Equal(source, await bed.QueryAsync("source", ShopSchema.Fingerprint()));
        Assert.Equal(others, await bed.QueryAsync("target", ShopSchema.Fingerprint(B)));
        Assert.Contains(reporter.Warnings, w => w.StartsWith("1 row(s) of products owned by the user hang under a categories row that is not the user's", StringComparison.Ordinal));
        foreach (var side in new[] { "source", "target" })
        {
            Assert.Equal("0", await bed.ScalarAsync(side, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"));
        }

        // Progress: per table while copying and writing, closed at the end.
        Assert.Contains(reporter.ProgressRecords, p => p.ActivityId == SyncOperation.ProgressActivityId && p.Status.StartsWith("Copying products: 6 rows", StringComparison.Ordinal));
        Assert.Contains(reporter.ProgressRecords, p => p.Status.StartsWith("products: converting, remapping and matching (6 rows, table 2 of 2)", StringComparison.Ordinal));
        Assert.True(reporter.ProgressRecords[^1].Completed);

        // Run again: every row matches and is left alone.
        var again = await bed.SyncAsync();
        Assert.Equal(["categories 0+2", "products 0+6"], again.Tables.Select(t => $"{t.Table} {t.Inserted}+{t.Skipped}").ToArray());
    }

    [Fact]
    public async Task Every_type_arrives_as_the_source_holds_it_whatever_either_servers_output_settings_and_the_other_user_stays()
    {
        using var bed = await BackupTestBed.CreateAsync(database, EveryTypeSchema.Sql, EveryTypeSchema.BackupSchemaJson, "source", "target");
        await bed.ExecuteAsync("source", EveryTypeSchema.Seed(B, "b-") + EveryTypeSchema.Seed(A, "a-"));
        await bed.ExecuteAsync("target", EveryTypeSchema.Seed(B, "b-"));

        // Settings that change how values print: dates day first, intervals SQL-style, floats rounded,
        // bytea escaped, another time zone. Read back as text by the destination's other settings,
        // they would turn 2024-02-29 into an error and the largest double into an overflow.
        await bed.ExecuteAsync("source", $"""
            ALTER DATABASE "{bed.Profiles["source"]}" SET datestyle = 'SQL, DMY';
            ALTER DATABASE "{bed.Profiles["source"]}" SET intervalstyle = 'sql_standard';
            ALTER DATABASE "{bed.Profiles["source"]}" SET extra_float_digits = -3;
            ALTER DATABASE "{bed.Profiles["source"]}" SET bytea_output = 'escape';
            ALTER DATABASE "{bed.Profiles["source"]}" SET timezone = 'Asia/Kolkata';
            ALTER DATABASE "{bed.Profiles["target"]}" SET datestyle = 'Postgres, MDY';
            ALTER DATABASE "{bed.Profiles["target"]}" SET intervalstyle = 'iso_8601';
            ALTER DATABASE "{bed.Profiles["target"]}" SET timezone = 'America/New_York';
            """);
        const string Same = "SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres'; SET extra_float_digits = 3; SET bytea_output = 'hex'; SET timezone = 'UTC'; ";
        var others = await bed.QueryAsync("target", Same + EveryTypeSchema.Exact(B));

        var result = await bed.SyncAsync(backupSchema: null);

        Assert.Equal([("categories", 3L), ("products", 4L), ("notes", 3L), ("tags", 2L)], result.Tables.Select(t => (t.Table, t.Inserted)).ToArray());
        Assert.Equal(await bed.QueryAsync("source", Same + EveryTypeSchema.Dump(A)), await bed.QueryAsync("target", Same + EveryTypeSchema.Dump(A)));
        Assert.Equal(others, await bed.QueryAsync("target", Same + EveryTypeSchema.Exact(B)));
    }

    [Fact]
    public async Task Overwrite_really_updates_the_non_key_columns_of_matched_rows_and_keeps_their_keys()
    {
        using var bed = await BedAsync($$"""
            INSERT INTO categories (slug, name, user_id) VALUES ('garden', 'Old garden', '{{A}}');
            INSERT INTO products (slug, name, category_id, price, active, attrs, user_id) VALUES ('p4', 'Old p4', 1, 99, false, '{"old": true}', '{{A}}');
            """);

        var result = await bed.SyncAsync(mode: SyncMode.Overwrite);

        Assert.Equal(["categories 1+1", "products 5+1"], result.Tables.Select(t => $"{t.Table} {t.Inserted}+{t.Updated}").ToArray());
        Assert.Equal(
            ["1|garden|Garden", "2|tools|Tools"],
            await bed.QueryAsync("target", "SELECT id || '|' || slug || '|' || name FROM categories ORDER BY id"));
        Assert.Equal(
            ["1|p4|Product 4|6.00|true|{\"n\": 4, \"tags\": [\"a\", 4]}|1"],
            await bed.QueryAsync("target", "SELECT id || '|' || slug || '|' || name || '|' || price || '|' || active || '|' || attrs || '|' || category_id FROM products WHERE slug = 'p4'"));
    }

    [Fact]
    public async Task A_row_the_destination_refuses_in_the_second_table_leaves_the_first_unsynced_and_SyncFailed_names_table_row_and_message()
    {
        using var bed = await BedAsync($"ALTER TABLE products ADD CONSTRAINT no_p3 CHECK (slug <> 'p3'); INSERT INTO categories (slug, user_id) VALUES ('other', '{B}');");
        var others = await bed.QueryAsync("target", ShopSchema.Fingerprint(B));

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync());

        Assert.Equal(ErrorIds.SyncFailed, error.ErrorId);
        var key = await bed.ScalarAsync("source", "SELECT id FROM products WHERE slug = 'p3'");
        Assert.StartsWith(
            $"Sync into 'target' failed at the products row with key {key} of 'source', inserting it: new row for relation \"products\" violates check constraint \"no_p3\" (SQLSTATE 23514).",
            error.Message,
            StringComparison.Ordinal);
        Assert.EndsWith("Nothing was committed.", error.Message, StringComparison.Ordinal);
        var failure = Assert.IsType<RowFailure>(error.Target);
        Assert.Equal(("products", key), (failure.Table, failure.Key));

        // The categories written before the refused product are gone with it (the sequences the
        // new keys came from stay drawn: PostgreSQL never rolls a sequence back).
        Assert.Equal(["0|0"], await bed.QueryAsync("target", $"SELECT (SELECT count(*) FROM categories WHERE user_id = '{A}') || '|' || (SELECT count(*) FROM products WHERE user_id = '{A}')"));
        Assert.Equal(others, await bed.QueryAsync("target", ShopSchema.Fingerprint(B)));
    }

    [Fact]
    public async Task One_database_as_source_and_destination_is_SameProfile_before_anything_is_read()
    {
        using var bed = await BedAsync();
        var url = "postgresql://nobody@127.0.0.1:1/nowhere";
        bed.WriteConfig($"""
            [profiles.twin]
            url = "{url}"

            [profiles.twin-again]
            url = "{url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)}"

            {BackupSchemaToml}
            """);

        // Port 1 answers nothing: a connection attempt would be ConnectionFailed.
        foreach (var (source, destination) in new[] { ("twin", "twin"), ("twin", "twin-again") })
        {
            var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync(source, destination));
            Assert.Equal(ErrorIds.SameProfile, error.ErrorId);
            Assert.Equal(ErrorHint.NameTwoProfiles, error.Hint);
            Assert.Contains($"'{destination}'", error.Message, StringComparison.Ordinal);
            Assert.Contains(":1/nowhere", error.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was read or written.", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(
            "The source and the destination are both profile 'twin' (127.0.0.1:1/nowhere): a sync copies rows from one database into another. Nothing was read or written.",
            (await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("twin", "twin"))).Message);
    }

    [Fact]
    public async Task An_unreachable_source_or_destination_is_ConnectionFailed_naming_that_profile_and_nothing_changes()
    {
        using var bed = await BedAsync();
        bed.WriteConfig("[profiles.down]\nurl = \"postgresql://nobody@127.0.0.1:1/nowhere?timeout=3\"\n\n" + BackupSchemaToml);
        var target = await bed.QueryAsync("target", ShopSchema.Fingerprint());

        var source = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("down", "target"));
        var destination = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("source", "down"));

        Assert.Equal((ErrorIds.ConnectionFailed, "down"), (source.ErrorId, source.Target));
        Assert.Contains("'down' (127.0.0.1:1/nowhere)", source.Message, StringComparison.Ordinal);
        Assert.Equal((ErrorIds.ConnectionFailed, "down"), (destination.ErrorId, destination.Target));
        Assert.Contains("'down' (127.0.0.1:1/nowhere)", destination.Message, StringComparison.Ordinal);
        Assert.Equal(target, await bed.QueryAsync("target", ShopSchema.Fingerprint()));

        var unknown = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("nope", "target"));
        Assert.Equal((ErrorIds.ProfileNotFound, ErrorHint.NameSyncProfiles), (unknown.ErrorId, unknown.Hint));
    }

    [Fact]
    public async Task Tables_asked_for_come_first_then_sync_tables_then_the_backup_schemas_and_parents_are_pulled_in_with_a_warning()
    {
        using var bed = await BedAsync(config: BackupSchemaToml + "\n[sync]\ntables = [\"categories\"]\n");

        var configured = await bed.SyncAsync(whatIf: true);
        var reporter = new RecordingReporter();
        var asked = await bed.SyncAsync(whatIf: true, tables: ["products"], reporter: reporter);
        bed.WriteConfig(BackupSchemaToml);
        var all = await bed.SyncAsync(whatIf: true);

        Assert.Equal(["categories"], configured.Tables.Select(t => t.Table).ToArray());
        Assert.Equal(["categories", "products"], asked.Tables.Select(t => t.Table).ToArray());
        Assert.Contains("Also syncing categories: the tables asked for hang under them, and their rows need their parents' new keys.", reporter.Warnings);
        Assert.Equal(["categories", "products"], all.Tables.Select(t => t.Table).ToArray());

        var unknown = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync(tables: ["orders"]));
        Assert.Equal((ErrorIds.BackupSchemaInvalid, ErrorHint.NameBackupTables), (unknown.ErrorId, unknown.Hint));
    }

    [Fact]
    public async Task Without_a_backup_schema_the_default_keys_apply_and_a_foreign_key_between_synced_tables_is_refused_naming_table_and_column()
    {
        using var bed = await BedAsync($"INSERT INTO categories (slug, name, user_id) VALUES ('garden', 'Mine', '{A}');", config: "[sync]\ntables = [\"categories\", \"products\"]\n");
        var target = await bed.QueryAsync("target", ShopSchema.Fingerprint());

        var refused = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync());

        Assert.Equal((ErrorIds.BackupSchemaRequired, "products.category_id"), (refused.ErrorId, refused.Target));
        Assert.StartsWith("products.category_id refers to categories (foreign key products_category_id_fkey of 'target'), which is synced too:", refused.Message, StringComparison.Ordinal);
        Assert.Equal(target, await bed.QueryAsync("target", ShopSchema.Fingerprint()));

        // The same foreign key in a backup schema that does not declare it.
        bed.WriteFile("flat.json", """{"tables": [{"name": "categories"}, {"name": "products"}]}""");
        var undeclared = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync(backupSchema: bed.File("flat.json")));
        Assert.Equal((ErrorIds.BackupSchemaInvalid, "products.category_id"), (undeclared.ErrorId, undeclared.Target));
        Assert.Contains("Declare category_id as the parent of products, or as one of its optional_refs, or leave categories out.", undeclared.Message, StringComparison.Ordinal);

        // A table that refers to no other synced table syncs with the default keys, matched by slug.
        var categories = await bed.SyncAsync(tables: ["categories"]);
        Assert.Equal(["categories 1 new 1 existing"], categories.Tables.Select(t => $"{t.Table} {t.New} new {t.Existing} existing").ToArray());
        Assert.Equal(["garden|Mine", "tools|Tools"], await bed.QueryAsync("target", $"SELECT slug || '|' || name FROM categories WHERE user_id = '{A}' ORDER BY 1"));

        bed.WriteConfig(string.Empty);
        var nothing = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync());
        Assert.Equal((ErrorIds.BackupSchemaRequired, ErrorHint.NameSyncTables), (nothing.ErrorId, nothing.Hint));
    }

    [Fact]
    public async Task A_source_column_the_destination_lacks_is_SyncFailed_before_a_row_is_copied()
    {
        using var bed = await BedAsync("ALTER TABLE products DROP COLUMN released;");
        var target = await bed.QueryAsync("target", ShopSchema.Fingerprint());

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync());

        Assert.Equal(ErrorIds.SyncFailed, error.ErrorId);
        Assert.StartsWith("public.products of 'source' has column(s) released, which public.products of 'target' lacks: nothing was copied", error.Message, StringComparison.Ordinal);
        Assert.Equal(target, await bed.QueryAsync("target", ShopSchema.Fingerprint()));
    }

    [Fact]
    public async Task Natural_keys_the_source_repeats_are_SyncFailed_naming_both_rows_by_key()
    {
        using var bed = await BedAsync();
        await bed.ExecuteAsync("source", $"ALTER TABLE categories DROP CONSTRAINT categories_user_id_slug_key; INSERT INTO categories (slug, user_id) VALUES ('tools', '{A}');");
        var (first, second) = (await bed.ScalarAsync("source", $"SELECT min(id) FROM categories WHERE slug = 'tools'"), await bed.ScalarAsync("source", $"SELECT max(id) FROM categories WHERE slug = 'tools'"));

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync());

        Assert.Equal(ErrorIds.SyncFailed, error.ErrorId);
        Assert.Equal(
            $"The categories rows of 'source' cannot be synced: the categories row with key {second} has the natural key \"slug\" 'tools' of the categories row with key {first}; a sync could not tell the two rows apart. Nothing was committed.",
            error.Message);
    }

    [Fact]
    public async Task A_source_that_waits_longer_than_its_lock_timeout_stops_naming_the_blocking_session_and_nothing_is_written()
    {
        using var bed = await BedAsync();
        bed.WriteFile("db.toml", string.Concat(bed.Profiles.Select(p => $"[profiles.{p.Key}]\nurl = \"{database.Server.Uri(p.Value)}\"\nlock_timeout = \"300ms\"\n\n")) + BackupSchemaToml);
        await using var blocker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Server.DirectConnectionString(bed.Profiles["source"])) { ApplicationName = "blocker" }.ConnectionString);
        await blocker.OpenAsync();
        await using var holding = await blocker.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("LOCK TABLE products IN ACCESS EXCLUSIVE MODE", blocker, holding))
        {
            await take.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync());

        Assert.Equal(ErrorIds.LockTimeout, error.ErrorId);
        Assert.StartsWith("Work on 'source' waited longer than its lock timeout (0.3 s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("application 'blocker'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["0"], await bed.QueryAsync("target", "SELECT count(*) FROM categories"));
    }

    [Fact]
    public async Task Cancelling_mid_sync_commits_nothing_and_leaves_no_open_transaction_on_either_side()
    {
        using var bed = await BedAsync();
        await bed.ExecuteAsync("source", $$"""INSERT INTO products (slug, category_id, attrs, user_id) SELECT 'bulk' || g, 4, '{"x": 1}', '{{A}}' FROM generate_series(1, 20000) g""");
        using var cancel = new CancellationTokenSource();
        var reporter = new RecordingReporter { OnProgress = p => { if (p.Status.StartsWith("Copying products", StringComparison.Ordinal)) { cancel.Cancel(); } } };

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(reporter: reporter, ct: cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        Assert.True(reporter.ProgressRecords[^1].Completed);
        Assert.Equal(["0|0"], await bed.QueryAsync("target", "SELECT (SELECT count(*) FROM categories) || '|' || (SELECT count(*) FROM products)"));
        foreach (var side in new[] { "source", "target" })
        {
            Assert.Equal("0", await bed.ScalarAsync(side, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"));
        }
    }
}
