using System.IO.Compression;
using System.Text;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.Backup;

/// <summary>Test-DbBackup's checks, offline: no db.toml, no server.</summary>
public sealed class BackupFileValidationTests : IDisposable
{
    private const string Metadata = "\"metadata\": {\"created_at\": \"2025-06-01T14:03:22\", \"user_id\": \"u1\", \"backup_type\": \"full\", \"version\": \"1.1\", \"categories_count\": 2, \"products_count\": 2}";

    private readonly TempFolder _folder = new();
    private readonly string _schema;

    public BackupFileValidationTests()
    {
        _schema = _folder.Write("backup-schema.json", ShopSchema.BackupSchemaJson);
    }

    private static string PythonSample => Path.Combine(AppContext.BaseDirectory, "Backup", "python-backup-1.1.json");

    private Task<BackupValidation> CheckAsync(string json, bool withSchema = true) =>
        BackupTestOperation.RunAsync(_folder.Write("file.json", json), withSchema ? _schema : null, CancellationToken.None);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_file_written_by_the_Python_tool_is_valid_with_and_without_the_schema()
    {
        foreach (var schema in new[] { _schema, null })
        {
            var result = await BackupTestOperation.RunAsync(PythonSample, schema, CancellationToken.None);
            Assert.True(result.IsValid, string.Join("\n", result.Errors));
            Assert.Empty(result.Errors);
            Assert.Empty(result.Warnings);
            Assert.Equal(PythonSample, result.Path);
        }
    }

    [Fact]
    public async Task A_gzip_copy_is_read_the_same_whatever_its_name()
    {
        var path = _folder.Combine("python.backup");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(await File.ReadAllBytesAsync(PythonSample));
        }

        var result = await BackupTestOperation.RunAsync(path, _schema, CancellationToken.None);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public async Task Malformed_JSON_is_a_finding_naming_line_and_position()
    {
        var result = await CheckAsync("{\n  " + Metadata + ",\n  \"categories\": [\n    {\"id\": 1 \"slug\": \"x\"}\n  ]\n}");

        Assert.False(result.IsValid);
        Assert.Equal(["not valid JSON at line 4, position 14: '\"' is invalid after a value. Expected either ',', '}', or ']'."], result.Errors);
    }

    [Fact]
    public async Task Each_rule_is_a_finding_naming_table_row_and_field()
    {
        var result = await CheckAsync($$"""
            {{{Metadata.Replace("\"1.1\"", "\"1.0\"", StringComparison.Ordinal)}},
             "categories": [{"id": 1, "slug": "a", "user_id": "u1"}, {"id": 1, "slug": "b", "user_id": "u1"}, {"id": null, "slug": "c", "user_id": "u1"}, 7],
             "products": [{"id": 1, "slug": "p", "category_id": 1}, {"id": 2, "slug": "p", "category_id": 1}, {"id": 3, "category_id": 5, "extra": true}, {"slug": "q", "category_id": 9, "id": ""}],
             "stray": {"a": 1} }
            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                "unsupported backup version \"1.0\" (expected \"1.1\").",
                "categories[1]: the key \"id\" 1 repeats categories[0].",
                "categories[2]: the key \"id\" is empty.",
                "categories[3] is a number, not a row object.",
                "products[1]: the natural key \"slug\" \"p\" under the same category_id repeats products[0]; a restore could not tell the two rows apart.",
                "products[2]: the field \"extra\" is not in products[0]; every row of a table must have the same fields.",
                "products[2]: the field \"slug\" of products[0] is missing; every row of a table must have the same fields.",
                "products[3]: the key \"id\" is empty.",
            ],
            result.Errors);
        Assert.Equal(
            [
                "metadata \"categories_count\" says 2 row(s), the file holds 4.",
                "metadata \"products_count\" says 2 row(s), the file holds 4.",
                "orphaned products[2]: category_id 5 is not a key of categories in the backup; a restore fails this row.",
                "orphaned products[3] \"q\": category_id 9 is not a key of categories in the backup; a restore fails this row.",
            ],
            result.Warnings.Where(w => !w.Contains("stray", StringComparison.Ordinal)).ToArray());
        Assert.Contains("the top-level key \"stray\" is neither the metadata nor a table; it is ignored.", result.Warnings);
    }

    [Fact]
    public async Task Without_a_schema_only_what_the_file_says_about_itself_is_checked()
    {
        var result = await CheckAsync($$"""{{{Metadata}}, "categories": [{"x": 1}, {"x": 2}], "products": "nope"}""", withSchema: false);

        Assert.Equal(["the table \"products\" must be an array of row objects, found a string.", "metadata says the backup holds 2 row(s) of \"products\", but the file has no \"products\" table."], result.Errors);
    }

    [Fact]
    public async Task Missing_metadata_and_a_file_that_is_not_an_object_are_findings()
    {
        Assert.Equal(["the file has no \"metadata\" object (required: created_at, user_id, backup_type, version)."], (await CheckAsync("""{"categories": []}""", withSchema: false)).Errors);
        Assert.Equal(["a backup file is one JSON object ({\"metadata\": {...}, \"<table>\": [...]}), but this one starts with something else."], (await CheckAsync("[1, 2]")).Errors);
        Assert.Equal(["the file is empty; a backup file is one JSON object."], (await CheckAsync(string.Empty)).Errors);
        var warnings = await CheckAsync("""{"metadata": {"version": "1.1"}}""", withSchema: false);
        Assert.True(warnings.IsValid);
        Assert.Equal(["metadata has no \"created_at\".", "metadata has no \"user_id\".", "metadata has no \"backup_type\"."], warnings.Warnings);
    }

    [Fact]
    public async Task A_missing_file_is_BackupFileNotFound_and_a_bad_schema_is_BackupSchemaInvalid()
    {
        var missing = await Assert.ThrowsAsync<DbAdapterException>(() => BackupTestOperation.RunAsync(_folder.Combine("nope.json"), null, CancellationToken.None));
        Assert.Equal(ErrorIds.BackupFileNotFound, missing.ErrorId);
        Assert.Equal(DbErrorKind.ObjectNotFound, missing.Kind);
        Assert.Contains(_folder.Combine("nope.json"), missing.Message, StringComparison.Ordinal);

        var schema = _folder.Write("bad-schema.json", "{\"tables\": 3}");
        var bad = await Assert.ThrowsAsync<DbAdapterException>(() => BackupTestOperation.RunAsync(PythonSample, schema, CancellationToken.None));
        Assert.Equal(ErrorIds.BackupSchemaInvalid, bad.ErrorId);
    }

    [Fact]
    public async Task A_row_larger_than_the_read_buffer_and_a_byte_order_mark_are_read()
    {
        var big = new string('x', 300_000);
        var json = $$"""{{{Metadata}}, "categories": [{"id": 1, "slug": "{{big}}", "user_id": "u"}, {"id": 2, "slug": "b", "user_id": "u"}], "products": [{"id": 1, "slug": "p", "category_id": 2}, {"id": 2, "slug": "p", "category_id": 1}]}""";
        var path = _folder.Combine("bom.json");
        await File.WriteAllTextAsync(path, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = await BackupTestOperation.RunAsync(path, _schema, CancellationToken.None);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }
}
