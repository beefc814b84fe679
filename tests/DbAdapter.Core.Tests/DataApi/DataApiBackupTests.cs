using System.Text;
using System.Text.RegularExpressions;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Tests.Backup;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.DataApi;

/// <summary>
/// Backup-Database through the Data API of a profile without a database url, against
/// <see cref="DataApiEndpoint"/> (PostgREST's read subset over the real test database): the same
/// rows, paged, filtered and ordered on the server, and the same file as a backup read from
/// PostgreSQL itself.
/// </summary>
public sealed partial class DataApiBackupTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string KeyVariable = "DBADAPTER_TEST_SUPABASE_KEY";
    private const string Key = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.dGVzdC1zZXJ2aWNlLXJvbGUta2V5";
    private const string A = BackupTestBed.UserA;
    private const string B = BackupTestBed.UserB;

    [Fact]
    public async Task The_same_backup_through_the_Data_API_and_through_PostgreSQL_is_byte_identical_but_for_created_at()
    {
        using var bed = await BackupTestBed.CreateAsync(database, EveryTypeSchema.Sql, EveryTypeSchema.BackupSchemaJson, "shop");
        await bed.ExecuteAsync("shop", EveryTypeSchema.Seed(B, "b-") + EveryTypeSchema.Seed(A, "a-"));

        // Two types whose cast to text (what the database side writes) is not their JSON: padding, and a netmask added.
        await bed.ExecuteAsync("shop", $"""
            ALTER TABLE tags ADD COLUMN fixed character(6), ADD COLUMN hosts inet[], ADD COLUMN host inet;
            UPDATE tags SET fixed = 'ab', hosts = ARRAY['10.0.0.1'::inet, '::1', '10.1.0.0/16', NULL], host = '172.16.0.9' WHERE code = 'a-T1';
            """);
        await using var api = Endpoint(bed, "shop");

        // Rendered in a far-off time zone and capped at two rows an answer: offsets are converted and pages joined.
        api.TimeZone = "Asia/Kolkata";
        api.MaxRows = 2;

        // The same profile name both times, so the metadata differs only in created_at.
        var fromDatabase = await bed.BackupAsync("shop", path: bed.File("db.json"));
        WriteApiConfig(bed, api);
        var fromApi = await bed.BackupAsync("shop", path: bed.File("api.json"));

        Assert.Equal(fromDatabase.Tables, fromApi.Tables);
        Assert.Equal([("categories", 3L), ("products", 4L), ("notes", 3L), ("tags", 2L)], fromApi.Tables.Select(t => (t.Key, t.Value)).ToArray());
        var databaseBytes = WithoutCreatedAt(await File.ReadAllBytesAsync(fromDatabase.Path));
        var apiBytes = WithoutCreatedAt(await File.ReadAllBytesAsync(fromApi.Path));
        Assert.Equal(Encoding.UTF8.GetString(databaseBytes), Encoding.UTF8.GetString(apiBytes));
        Assert.Equal(databaseBytes, apiBytes);

        // Every read was a GET with the key in both headers, JSON asked for; pages of two needed more than one request per table.
        var requests = api.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        Assert.All(requests, r => Assert.Equal((Key, $"Bearer {Key}", "application/json"), (r.Headers["apikey"], r.Headers["Authorization"], r.Headers["Accept"])));
        Assert.True(requests.Count(r => r.Url.StartsWith("/rest/v1/products?", StringComparison.Ordinal)) >= 3);
    }

    [Fact]
    public async Task Rows_are_filtered_ordered_and_paged_on_the_server_for_a_user_id_full_of_reserved_characters()
    {
        const string Odd = "\"o'neil, the\" (first).user:1 \\x&id=gt.0";
        using var bed = await BackupTestBed.CreateAsync(database, ItemsSql, ItemsSchema, "items");
        await bed.ExecuteAsync("items", $"""
            INSERT INTO items (id, slug, user_id, body) SELECT i, 's' || i, $q${Odd}$q$, 'row ' || i FROM generate_series(25, 1, -1) i;
            INSERT INTO items (id, slug, user_id, body) SELECT i, 's' || i, v, 'other' FROM generate_series(101, 104) i,
                unnest(ARRAY[$q$o'neil, the (first).user:1 \x&id=gt.0$q$, $q$"o'neil, the" (first).user:1 \x$q$, $q$o'neil$q$, '']) WITH ORDINALITY AS u(v, n) WHERE n = i - 100;
            """);
        await using var api = Endpoint(bed, "items");
        api.MaxRows = 10;
        WriteApiConfig(bed, api);

        var result = await bed.BackupAsync("items", userId: Odd);

        Assert.Equal(25L, result.Tables.Single().Value);
        var text = await File.ReadAllTextAsync(result.Path);
        var ids = IdField().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 25), ids);
        Assert.DoesNotContain("other", text, StringComparison.Ordinal);

        // Three capped pages of 10, 10 and 5 rows, then the empty page that ends the table; each page after the first starts after the last key.
        var pages = api.Requests.Where(r => r.Url.StartsWith("/rest/v1/items?", StringComparison.Ordinal)).Select(r => r.Url).ToList();
        Assert.Equal(4, pages.Count);
        var filter = "user_id=eq." + Uri.EscapeDataString(Odd);
        Assert.All(pages, p => Assert.Contains(filter, p, StringComparison.Ordinal));
        Assert.All(pages, p => Assert.Contains("select=*", p, StringComparison.Ordinal));
        Assert.All(pages, p => Assert.Contains("order=id.asc", p, StringComparison.Ordinal));
        Assert.Equal(["", "&id=gt.10", "&id=gt.20", "&id=gt.25"], pages.Select(p => Regex.Match(p, "&id=gt\\.[0-9]+").Value));
    }

    [Fact]
    public async Task Ctrl_C_stops_a_Data_API_backup_between_pages_and_leaves_no_file_and_no_spool()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ItemsSql, ItemsSchema, "items");
        await bed.ExecuteAsync("items", $"INSERT INTO items SELECT i, 's' || i, '{A}', 'x' FROM generate_series(1, 200) i");
        await using var api = Endpoint(bed, "items");
        api.MaxRows = 1;
        WriteApiConfig(bed, api);
        using var cancel = new CancellationTokenSource();
        var reporter = new RecordingReporter();
        api.OnRequest = count =>
        {
            if (count == 5)
            {
                cancel.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.BackupAsync("items", userId: A, reporter: reporter, ct: cancel.Token));

        Assert.True(api.Requests.Count < 20);
        Assert.Equal(["backup-schema.json", "db.toml"], Directory.GetFiles(bed.Folder).Select(Path.GetFileName).Order());
        Assert.True(reporter.ProgressRecords[^1].Completed);
    }

    [Fact]
    public async Task A_wrong_key_is_AuthenticationFailed_naming_the_variable_never_the_key_and_no_file_is_left()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ItemsSql, ItemsSchema, "items");
        await using var api = Endpoint(bed, "items");
        WriteApiConfig(bed, api);
        const string Wrong = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.d3Jvbmcta2V5LXNpZ25hdHVyZQ";
        bed.Environment[KeyVariable] = Wrong;

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync("items"));

        Assert.Equal(ErrorIds.AuthenticationFailed, ex.ErrorId);
        Assert.Equal(DbErrorKind.AuthenticationError, ex.Kind);
        Assert.Contains(KeyVariable, ex.Message, StringComparison.Ordinal);
        Assert.Contains("PGRST301", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(["db.toml", "backup-schema.json"], Directory.GetFiles(bed.Folder).Select(Path.GetFileName).Order().Reverse());
    }

    [Fact]
    public async Task Restore_and_sync_into_a_Data_API_profile_are_refused_before_anything_is_read_or_written()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ItemsSql, ItemsSchema, "items");
        await bed.ExecuteAsync("items", $"INSERT INTO items VALUES (1, 's1', '{A}', 'kept')");
        await using var api = Endpoint(bed, "items");
        var backup = await bed.BackupAsync("items", userId: A);
        WriteApiConfig(bed, api, keepDatabase: true);

        var restore = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("api", backup.Path, userId: B));
        var sync = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("items", "api", userId: A));

        foreach (var ex in new[] { restore, sync })
        {
            Assert.Equal(ErrorIds.DatabaseUrlRequired, ex.ErrorId);
            Assert.Contains("Profile 'api'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("database", ex.Message, StringComparison.Ordinal);
            Assert.Equal(ErrorHint.AddDatabaseUrl, ex.Hint);
        }

        Assert.Empty(api.Requests);
        Assert.Equal(["1|s1|" + A + "|kept"], await bed.QueryAsync("items", "SELECT * FROM items"));
    }

    [Fact]
    public async Task A_sync_from_a_Data_API_profile_writes_the_same_rows_as_a_sync_from_its_database()
    {
        using var bed = await BackupTestBed.CreateAsync(database, EveryTypeSchema.Sql, EveryTypeSchema.BackupSchemaJson, "source", "viadb", "viaapi");
        await bed.ExecuteAsync("source", EveryTypeSchema.Seed(B, "b-") + EveryTypeSchema.Seed(A, "a-"));
        await using var api = Endpoint(bed, "source");
        api.TimeZone = "America/St_Johns";
        api.MaxRows = 2;
        WriteApiConfig(bed, api, keepDatabase: true);

        var fromDatabase = await bed.SyncAsync("source", "viadb");
        var fromApi = await bed.SyncAsync("api", "viaapi");

        Assert.True(fromApi.Committed);
        Assert.Equal(
            fromDatabase.Tables.Select(t => (t.Table, t.SourceRows, t.Inserted)),
            fromApi.Tables.Select(t => (t.Table, t.SourceRows, t.Inserted)));
        Assert.Equal([3L, 4L, 3L, 2L], fromApi.Tables.Select(t => t.Inserted));
        var expected = await bed.QueryAsync("source", EveryTypeSchema.Dump(A));
        Assert.Equal(expected, await bed.QueryAsync("viadb", EveryTypeSchema.Dump(A)));
        Assert.Equal(expected, await bed.QueryAsync("viaapi", EveryTypeSchema.Dump(A)));
        Assert.Empty(await bed.QueryAsync("viaapi", EveryTypeSchema.Dump(B)));
        Assert.All(api.Requests, r => Assert.Equal("GET", r.Method));

        // Again from both: rows with a natural key are matched and skipped, the same way from either source.
        var againDatabase = await bed.SyncAsync("source", "viadb");
        var againApi = await bed.SyncAsync("api", "viaapi");
        Assert.Equal(againDatabase.Tables.Select(t => (t.Inserted, t.Skipped)), againApi.Tables.Select(t => (t.Inserted, t.Skipped)));
        Assert.Equal(3L, againApi.Tables[0].Skipped);
        Assert.Equal(await bed.QueryAsync("viadb", EveryTypeSchema.Dump(A)), await bed.QueryAsync("viaapi", EveryTypeSchema.Dump(A)));
    }

    [Fact]
    public async Task A_sync_whose_Data_API_source_refuses_the_key_writes_nothing()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ItemsSql, ItemsSchema, "source", "target");
        await bed.ExecuteAsync("source", $"INSERT INTO items VALUES (1, 's1', '{A}', 'x')");
        await using var api = Endpoint(bed, "source");
        WriteApiConfig(bed, api, keepDatabase: true);
        bed.Environment[KeyVariable] = "sb_secret_not-the-right-one-0123456789";

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("api", "target", userId: A));

        Assert.Equal(ErrorIds.AuthenticationFailed, ex.ErrorId);
        Assert.DoesNotContain("sb_secret_not-the-right-one", ex.Message, StringComparison.Ordinal);
        Assert.Equal("0", await bed.ScalarAsync("target", "SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task A_key_that_row_level_security_applies_to_stops_the_backup_before_a_row_is_read_unless_allowed()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ItemsSql, ItemsSchema, "items");
        await bed.ExecuteAsync("items", $"INSERT INTO items VALUES (1, 's1', '{A}', 'x'), (2, 's2', '{A}', 'y')");

        // An anon key the endpoint accepts: PostgREST would run as anon, under the tables' policies.
        const string Anon = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.YW5vbi1rZXktc2lnbmF0dXJl";
        await using var api = DataApiEndpoint.Start(bed.Server, bed.Profiles["items"], Anon);
        WriteApiConfig(bed, api);
        bed.Environment[KeyVariable] = Anon;

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync("items"));

        Assert.Equal(ErrorIds.RowLevelSecurityActive, ex.ErrorId);
        Assert.Equal(DbErrorKind.PermissionDenied, ex.Kind);
        Assert.Contains("role 'anon'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(KeyVariable, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Anon, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(ErrorHint.AllowRowLevelSecurity, ex.Hint);
        Assert.DoesNotContain(api.Requests, r => r.Url.StartsWith("/rest/v1/items?", StringComparison.Ordinal));
        Assert.Equal(["backup-schema.json", "db.toml"], Directory.GetFiles(bed.Folder).Select(Path.GetFileName).Order());

        // Asked for: exactly what the key is shown, with a warning naming its role.
        var reporter = new RecordingReporter();
        var taken = await bed.BackupAsync("items", reporter: reporter, allowRowLevelSecurity: true);
        Assert.Equal(2, taken.Tables.Single().Value);
        Assert.Contains(reporter.Warnings, w => w.Contains("role 'anon'", StringComparison.Ordinal) && !w.Contains(Anon, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sync_from_a_publishable_key_is_refused_and_writes_nothing()
    {
        using var bed = await BackupTestBed.CreateAsync(database, ItemsSql, ItemsSchema, "source", "target");
        await bed.ExecuteAsync("source", $"INSERT INTO items VALUES (1, 's1', '{A}', 'x')");
        const string Publishable = "sb_publishable_0123456789abcdefghij";
        await using var api = DataApiEndpoint.Start(bed.Server, bed.Profiles["source"], Publishable);
        WriteApiConfig(bed, api, keepDatabase: true);
        bed.Environment[KeyVariable] = Publishable;

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("api", "target", userId: A));

        Assert.Equal(ErrorIds.RowLevelSecurityActive, ex.ErrorId);
        Assert.Contains("role 'anon'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Publishable, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal("0", await bed.ScalarAsync("target", "SELECT count(*) FROM items"));
    }

    private const string ItemsSql = "CREATE TABLE items (id integer PRIMARY KEY, slug text, user_id text NOT NULL, body text);";

    private const string ItemsSchema = """{ "tables": [ { "name": "items" } ] }""";

    private static DataApiEndpoint Endpoint(BackupTestBed bed, string profile) =>
        DataApiEndpoint.Start(bed.Server, bed.Profiles[profile], Key);

    /// <summary>
    /// Every profile of the bed becomes a Data API profile of the same name (no url); with
    /// <paramref name="keepDatabase"/> the database profiles stay and "api" is added.
    /// </summary>
    private static void WriteApiConfig(BackupTestBed bed, DataApiEndpoint api, bool keepDatabase = false)
    {
        bed.Environment[KeyVariable] = Key;
        var apiProfile = $"provider = \"supabase\"\nsupabase_url = \"{api.ProjectUrl}\"\nsupabase_key_env = \"{KeyVariable}\"\n\n";
        var profiles = keepDatabase
            ? $"[profiles.api]\n{apiProfile}"
            : string.Concat(bed.Profiles.Keys.Select(p => $"[profiles.{p}]\n{apiProfile}"));
        bed.WriteConfig(profiles + "[schema]\nbackup_schema = \"backup-schema.json\"\n", keepDatabase);
    }

    /// <summary>The file with created_at's value blanked: the one byte range two backups taken at different moments may differ in.</summary>
    private static byte[] WithoutCreatedAt(byte[] file)
    {
        var text = Encoding.UTF8.GetString(file);
        var blanked = CreatedAt().Replace(text, "\"created_at\":\"\"", 1);
        Assert.NotEqual(text, blanked);
        return Encoding.UTF8.GetBytes(blanked);
    }

    [GeneratedRegex("\"created_at\":\"[^\"]*\"")]
    private static partial Regex CreatedAt();

    [GeneratedRegex("\\{\"id\":([0-9]+),")]
    private static partial Regex IdField();
}
