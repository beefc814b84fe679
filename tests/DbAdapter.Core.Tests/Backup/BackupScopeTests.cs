using System.Text.Json;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Backup;

/// <summary>Which rows a backup takes, where its schema and user come from, and what it refuses before reading a row.</summary>
public sealed class BackupScopeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string A = BackupTestBed.UserA;
    private const string B = BackupTestBed.UserB;

    private static Dictionary<string, List<string>> Slugs(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateObject().Where(p => p.Name != "metadata")
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(r => r.GetProperty("slug").GetString() ?? "<null>").Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Only_the_users_rows_with_children_under_null_or_backed_up_parents_and_a_warning_for_the_rest()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson);
        await bed.ExecuteAsync("source", $"""
            INSERT INTO categories (slug, user_id) VALUES ('mine', '{A}'), ('theirs', '{B}');
            INSERT INTO products (slug, category_id, user_id) VALUES
                ('a-in-mine', 1, '{A}'), ('a-no-parent', NULL, '{A}'), ('a-in-theirs', 2, '{A}'),
                ('b-in-mine', 1, '{B}'), ('b-in-theirs', 2, '{B}');
            """);
        var reporter = new RecordingReporter();

        var result = await bed.BackupAsync(reporter: reporter);

        Assert.Equal([("categories", 1L), ("products", 2L)], result.Tables.Select(t => (t.Key, t.Value)).ToArray());
        var slugs = Slugs(result.Path);
        Assert.Equal(["mine"], slugs["categories"]);
        Assert.Equal(["a-in-mine", "a-no-parent"], slugs["products"]);
        Assert.Contains(reporter.Warnings, w => w.StartsWith("1 row(s) of products owned by the user hang under a categories row that is not in the backup", StringComparison.Ordinal));
        Assert.Equal(["processing", "completed"], ProgressKinds(reporter));
        Assert.True(result.Bytes > 0 && result.Bytes == new FileInfo(result.Path).Length);
        Assert.Equal("source", result.Profile);
    }

    private static string[] ProgressKinds(RecordingReporter reporter) =>
        reporter.ProgressRecords.Select(p => p.Completed ? "completed" : "processing").Distinct().ToArray();

    [Fact]
    public async Task Table_takes_the_named_tables_and_their_ancestors_and_says_which_it_added()
    {
        using var bed = await BackupTestBed.CreateAsync(database, EveryTypeSchema.Sql, EveryTypeSchema.BackupSchemaJson);
        await bed.ExecuteAsync("source", EveryTypeSchema.Seed(A, "a-"));
        var reporter = new RecordingReporter();

        var result = await bed.BackupAsync(tables: ["notes"], reporter: reporter);

        Assert.Equal(["categories", "products", "notes"], result.Tables.Select(t => t.Key).ToArray());
        Assert.Equal(["categories", "products", "notes"], Slugs(result.Path).Keys.ToArray());
        using var document = JsonDocument.Parse(File.ReadAllBytes(result.Path));
        Assert.False(document.RootElement.GetProperty("metadata").TryGetProperty("tags_count", out _));
        Assert.Contains(reporter.Warnings, w => w.StartsWith("Also backing up products, categories:", StringComparison.Ordinal));

        var unknown = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync(path: bed.File("other.json"), tables: ["nope"]));
        Assert.Equal(ErrorIds.BackupSchemaInvalid, unknown.ErrorId);
        Assert.Contains("The table 'nope' asked for is not a table of the backup schema", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_user_comes_from_UserId_then_user_id_env_and_otherwise_UserIdRequired_names_the_variable()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson);
        await bed.ExecuteAsync("source", ShopSchema.Seed(B));

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync(userId: null));
        Assert.Equal(ErrorIds.UserIdRequired, error.ErrorId);
        Assert.Contains($"the environment variable {BackupTestBed.UserEnv} (named by [defaults] user_id_env in {bed.ConfigPath}) is not set", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorHint.GiveUserId, error.Hint);
        Assert.False(File.Exists(bed.File("backup.json")));

        bed.Environment[BackupTestBed.UserEnv] = B;
        Assert.Equal(B, (await bed.BackupAsync(userId: null)).UserId);
        Assert.Equal(5, (await bed.BackupAsync(userId: null, path: bed.File("again.json"))).Tables[1].Value);
    }

    [Fact]
    public async Task The_schema_comes_from_BackupSchema_then_backup_schema_then_backup_tables_and_otherwise_BackupSchemaRequired()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson);
        await bed.ExecuteAsync("source", ShopSchema.Seed(A));
        bed.WriteFile("only-categories.json", """{"tables": [{"name": "categories"}]}""");

        Assert.Equal(["categories"], (await bed.BackupAsync(path: bed.File("1.json"), backupSchema: bed.File("only-categories.json"))).Tables.Select(t => t.Key).ToArray());
        Assert.Equal(["categories", "products"], (await bed.BackupAsync(path: bed.File("2.json"))).Tables.Select(t => t.Key).ToArray());

        bed.WriteConfig("[[backup.tables]]\nname = \"categories\"\nslug_field = \"name\"\n");
        Assert.Equal(["categories"], (await bed.BackupAsync(path: bed.File("3.json"))).Tables.Select(t => t.Key).ToArray());

        bed.WriteConfig(string.Empty);
        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync(path: bed.File("4.json")));
        Assert.Equal(ErrorIds.BackupSchemaRequired, error.ErrorId);
        Assert.Equal(ErrorHint.NameBackupSchema, error.Hint);
    }

    [Theory]
    [InlineData("""{"tables": [{"name": "categories"}, {"name": "nope"}]}""", "tables[1] (nope): the table 'nope' does not exist in schema public of")]
    [InlineData("""{"tables": [{"name": "categories", "slug_field": "handle"}]}""", "tables[0] (categories): slug_field 'handle' is not a column of public.categories (its columns: id, slug, name, user_id)")]
    [InlineData("""{"tables": [{"name": "products", "parent": {"table": "categories", "field": "category_id"}}, {"name": "categories"}]}""", "tables[0] (products): the parent table 'categories' is listed after 'products': list every table after the tables it refers to")]
    [InlineData("""{"tables": [{"name": "products", "parent": {"table": "shops", "field": "category_id"}}]}""", "tables[0] (products): the parent table 'shops' is not in the backup schema")]
    [InlineData("""{"tables": [{"name": "products", "user_field": 3}]}""", "tables[0] (products): \"user_field\" must be a string, found a number.")]
    [InlineData("{\"tables\": [\n  {\"name\": \"categories\",,}\n]}", "line 2, position 25: not valid JSON: ',' is an invalid start of a property name. Expected a '\"'.")]
    public async Task A_bad_backup_schema_is_BackupSchemaInvalid_naming_the_entry_and_nothing_is_written(string json, string expected)
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson);
        var schema = bed.WriteFile("bad.json", json);

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync(backupSchema: schema));

        Assert.Equal(ErrorIds.BackupSchemaInvalid, error.ErrorId);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
        Assert.StartsWith($"Backup schema {schema}", error.Message, StringComparison.Ordinal);
        Assert.Equal(["backup-schema.json", "bad.json", "db.toml"], Directory.GetFiles(bed.Folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task An_existing_file_is_BackupFileExists_without_Force_and_replaced_with_it()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson);
        var path = bed.WriteFile("backup.json", "precious");

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync(path: path));

        Assert.Equal(ErrorIds.BackupFileExists, error.ErrorId);
        Assert.Equal(path, error.Target);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(path));

        await bed.BackupAsync(path: path, force: true);
        Assert.StartsWith("{\"metadata\":", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(bed.Folder, "*.tmp"));
    }

    [Fact]
    public async Task A_cancelled_backup_leaves_neither_the_file_nor_a_temporary_file()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson);
        await bed.ExecuteAsync("source", $"""
            INSERT INTO categories (slug, user_id) VALUES ('c', '{A}');
            INSERT INTO products (slug, category_id, user_id) SELECT 'p' || g, 1, '{A}' FROM generate_series(1, 30000) g;
            """);
        using var cancel = new CancellationTokenSource();
        var reporter = new RecordingReporter { OnProgress = p => { if (p.Status.StartsWith("products: 5,000", StringComparison.Ordinal)) { cancel.Cancel(); } } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.BackupAsync(reporter: reporter, ct: cancel.Token));

        Assert.Equal(["backup-schema.json", "db.toml"], Directory.GetFiles(bed.Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        Assert.True(reporter.ProgressRecords[^1].Completed);
    }

    [Fact]
    public async Task A_backup_whose_connection_is_killed_fails_and_leaves_no_file()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson);
        await bed.ExecuteAsync("source", ShopSchema.Seed(A));

        // Another session holds products, so the backup waits inside its snapshot; its server
        // process is then ended, as an administrator (or a failover) would end it.
        var holder = Task.Run(() => bed.ExecuteAsync("source", "BEGIN; LOCK TABLE products IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(20); COMMIT;"));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await bed.ScalarAsync("source", "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'products' AND l.mode = 'AccessExclusiveLock' AND l.granted") == "0")
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "the other session never took its lock");
            await Task.Delay(50);
        }

        var backup = bed.BackupAsync();
        while (await bed.ScalarAsync("source", "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'DbAdapter' AND wait_event_type = 'Lock'") == "0")
        {
            Assert.False(backup.IsCompleted, "the backup ended before it waited for the lock");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "the backup never waited for the lock");
            await Task.Delay(50);
        }

        await bed.ExecuteAsync("source", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'DbAdapter'");
        var error = await Assert.ThrowsAsync<DbAdapterException>(() => backup);

        Assert.Equal(ErrorIds.ConnectionFailed, error.ErrorId);
        Assert.Equal(["backup-schema.json", "db.toml"], Directory.GetFiles(bed.Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        await bed.ExecuteAsync("source", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()");
        await Record.ExceptionAsync(() => holder);
    }

    [Fact]
    public void The_default_file_is_backups_backup_PROFILE_UTC_under_the_location_or_in_a_given_folder()
    {
        var name = BackupPaths.UserBackupFileName("prod eu", new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)));
        Assert.Equal(Path.Combine("/x", "backups", "backup-prod_eu-20260304-030607.json"), BackupPaths.PathFor(null, "/x", name));
        Assert.Equal(Path.Combine(Path.GetTempPath(), name), BackupPaths.PathFor(Path.GetTempPath(), "/x", name));
    }
}
