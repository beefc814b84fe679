using System.IO.Compression;
using System.Text.Json;
using DbAdapter.Core.Rows;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Backup;

/// <summary>Backup, delete, restore: every value of every type comes back, children point at their new parents, other users' rows do not move.</summary>
public sealed class BackupRoundTripTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string A = BackupTestBed.UserA;
    private const string B = BackupTestBed.UserB;

    private async Task<BackupTestBed> SeededAsync(params string[] profiles)
    {
        var bed = await BackupTestBed.CreateAsync(database, EveryTypeSchema.Sql, EveryTypeSchema.BackupSchemaJson, profiles.Length == 0 ? ["source"] : profiles);
        await bed.ExecuteAsync(bed.Profiles.Keys.First(), EveryTypeSchema.Seed(B, "b-") + EveryTypeSchema.Seed(A, "a-"));
        return bed;
    }

    [Fact]
    public async Task Every_type_round_trips_through_backup_delete_restore_and_the_other_user_is_untouched_byte_for_byte()
    {
        using var bed = await SeededAsync();
        var before = await bed.QueryAsync("source", EveryTypeSchema.Dump(A));
        var otherBefore = await bed.QueryAsync("source", EveryTypeSchema.Exact(B));

        var backup = await bed.BackupAsync();
        Assert.Equal([("categories", 3L), ("products", 4L), ("notes", 3L), ("tags", 2L)], backup.Tables.Select(t => (t.Key, t.Value)).ToArray());

        await bed.ExecuteAsync("source", EveryTypeSchema.DeleteUser(A));
        var restored = await bed.RestoreAsync("source");

        Assert.True(restored.Committed);
        Assert.Equal([("categories", 3L), ("products", 4L), ("notes", 3L), ("tags", 2L)], restored.Tables.Select(t => (t.Table, t.Inserted)).ToArray());
        Assert.All(restored.Tables, t => Assert.Equal((0L, 0L, 0L), (t.Updated, t.Skipped, t.Failed)));
        Assert.Equal(before, await bed.QueryAsync("source", EveryTypeSchema.Dump(A)));
        Assert.Equal(otherBefore, await bed.QueryAsync("source", EveryTypeSchema.Exact(B)));
    }

    [Fact]
    public async Task A_restore_into_an_empty_database_takes_new_keys_from_the_sequences_so_a_plain_insert_works_afterwards()
    {
        using var bed = await SeededAsync("source", "empty");
        await bed.BackupAsync();

        var restored = await bed.RestoreAsync("empty");

        Assert.Equal(12, restored.Tables.Sum(t => t.Inserted));
        Assert.Equal(await bed.QueryAsync("source", EveryTypeSchema.Dump(A)), await bed.QueryAsync("empty", EveryTypeSchema.Dump(A)));

        // Keys came from the destination's own sequences, identity and gen_random_uuid(): the next plain inserts do not collide.
        Assert.Equal("4", await bed.ScalarAsync("empty", $"INSERT INTO categories (slug, user_id) VALUES ('new', '{A}') RETURNING id"));
        Assert.Equal("5", await bed.ScalarAsync("empty", $"INSERT INTO products (slug, user_id) VALUES ('new', '{A}') RETURNING id"));
        Assert.Equal("1", await bed.ScalarAsync("empty", "SELECT count(*) FROM notes WHERE id::text LIKE '________-____-4___-____-____________' AND slug = 'a-n1'"));

        // A key without default keeps the backup's key.
        Assert.Equal(["a-T1", "a-T2"], await bed.QueryAsync("empty", "SELECT code FROM tags ORDER BY code"));
    }

    [Fact]
    public async Task A_gzip_backup_is_written_when_the_path_ends_in_gz_and_restores_the_same()
    {
        using var bed = await SeededAsync("source", "empty");
        var path = bed.File("nested/folder/backup.json.gz");

        var backup = await bed.BackupAsync(path: path);

        Assert.Equal(path, backup.Path);
        Assert.Equal(new FileInfo(path).Length, backup.Bytes);
        await using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        {
            using var document = await JsonDocument.ParseAsync(gzip);
            Assert.Equal("1.1", document.RootElement.GetProperty("metadata").GetProperty("version").GetString());
        }

        await bed.RestoreAsync("empty", path);
        Assert.Equal(await bed.QueryAsync("source", EveryTypeSchema.Dump(A)), await bed.QueryAsync("empty", EveryTypeSchema.Dump(A)));
    }

    [Fact]
    public async Task The_file_follows_design_section_7_metadata_first_every_column_and_values_typed()
    {
        using var bed = await SeededAsync();
        await bed.BackupAsync();

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(bed.File("backup.json")));
        var root = document.RootElement;
        Assert.Equal(["metadata", "categories", "products", "notes", "tags"], root.EnumerateObject().Select(p => p.Name).ToArray());
        var metadata = root.GetProperty("metadata");
        Assert.Equal(
            ["created_at", "user_id", "backup_type", "version", "categories_count", "products_count", "notes_count", "tags_count", "profile"],
            metadata.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$", metadata.GetProperty("created_at").GetString());
        Assert.Equal((A, "full", "1.1", "source"), (metadata.GetProperty("user_id").GetString(), metadata.GetProperty("backup_type").GetString(), metadata.GetProperty("version").GetString(), metadata.GetProperty("profile").GetString()));

        var hammer = root.GetProperty("products").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "a-hammer");
        Assert.Equal(30, hammer.EnumerateObject().Count());
        Assert.Equal("12.3456", hammer.GetProperty("price").GetString());
        Assert.Equal("123456789012345678901234567890.123456789", hammer.GetProperty("huge").GetString());
        Assert.Equal("0.1", hammer.GetProperty("ratio").GetRawText());
        Assert.Equal("0.1", hammer.GetProperty("ratio4").GetRawText());
        Assert.Equal("9007199254740993", hammer.GetProperty("big").GetRawText());
        Assert.Equal("2024-02-29T18:29:59.123456+00:00", hammer.GetProperty("created").GetString());
        Assert.Equal("2024-02-29T12:00:00.000001", hammer.GetProperty("local_ts").GetString());
        Assert.Equal("2024-02-29", hammer.GetProperty("day").GetString());
        Assert.Equal("24:00:00", hammer.GetProperty("at_time").GetString());
        Assert.Equal("c0ffee00-0000-4000-8000-000000000001", hammer.GetProperty("ext_id").GetString());
        Assert.Equal(JsonValueKind.Object, hammer.GetProperty("doc").ValueKind);
        Assert.Equal("{ \"keep\" :  \"spacing\" , \"dup\": 1, \"dup\": 2 }", hammer.GetProperty("doc_json").GetRawText());
        Assert.Equal("AP8Q", hammer.GetProperty("raw").GetString());
        Assert.Equal("[\"a,b\",\"quote\\\"d\",\"back\\\\slash\",null,\"NULL\",\"\",\"{brace}\"]", hammer.GetProperty("tags").GetRawText());
        Assert.Equal("[[1,2],[3,4]]", hammer.GetProperty("matrix").GetRawText());
        Assert.Equal("[{\"k\": 1},[1, 2],\"s\"]", hammer.GetProperty("docs").GetRawText());
        var nulls = root.GetProperty("products").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "a-nulls");
        Assert.Equal(JsonValueKind.Null, nulls.GetProperty("doc").ValueKind);
        Assert.Equal(JsonValueKind.Null, nulls.GetProperty("category_id").ValueKind);
        var edges = root.GetProperty("products").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "a-edges");
        Assert.Equal(("NaN", "Infinity", "-Infinity"), (edges.GetProperty("huge").GetString(), edges.GetProperty("ratio").GetString(), edges.GetProperty("ratio4").GetString()));
        Assert.Equal(("infinity", "-infinity"), (edges.GetProperty("created").GetString(), edges.GetProperty("local_ts").GetString()));
    }

    [Fact]
    public async Task Restoring_twice_skips_every_row_the_second_time_and_overwrite_updates_them_in_place()
    {
        using var bed = await SeededAsync();
        await bed.BackupAsync();
        var keys = await bed.QueryAsync("source", $"SELECT id FROM products WHERE user_id = '{A}' ORDER BY id");

        var skipped = await bed.RestoreAsync("source");
        Assert.Equal([3L, 4L, 2L, 2L], skipped.Tables.Select(t => t.Skipped).ToArray());

        // The note without a slug has no natural key: it can only be inserted again.
        Assert.Equal([0L, 0L, 1L, 0L], skipped.Tables.Select(t => t.Inserted).ToArray());

        await bed.ExecuteAsync("source", $"UPDATE products SET price = 1, doc = '{{}}' WHERE user_id = '{A}'");
        var overwritten = await bed.RestoreAsync("source", mode: RestoreMode.Overwrite);
        Assert.Equal([3L, 4L, 2L, 2L], overwritten.Tables.Select(t => t.Updated).ToArray());
        Assert.Equal([0L, 0L, 1L, 0L], overwritten.Tables.Select(t => t.Inserted).ToArray());
        Assert.Equal(keys, await bed.QueryAsync("source", $"SELECT id FROM products WHERE user_id = '{A}' ORDER BY id"));
        Assert.Equal("12.3456", await bed.ScalarAsync("source", "SELECT price FROM products WHERE slug = 'a-hammer'"));
    }
}
