using System.Collections;
using System.Reflection;
using System.Text;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Repair;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// The process keeps the model of a schema file's bytes (<see cref="SchemaFileCache"/>): the same bytes
/// give the same model, a changed byte a new one, and nothing a comparison, a plan or a fix does changes
/// the model it shares. Other tests read files at the same time, so these only look at their own files.
/// </summary>
public sealed class SchemaFileCacheTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private const string TwoTables = """
        CREATE TABLE a (id int PRIMARY KEY, name text);
        CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Task<SchemaModel> ReadAsync(string path, string defaultSchema = "public") =>
        SchemaSqlReader.ReadFileAsync(path, defaultSchema, CancellationToken.None);

    [Fact]
    public async Task The_same_bytes_give_the_same_model_and_a_changed_byte_a_new_one()
    {
        var path = _folder.Write("schema.sql", TwoTables);
        var first = await ReadAsync(path);

        Assert.Same(first, await ReadAsync(path));

        // Written again with the same bytes (a checkout, a copy): the bytes are the key, not the time.
        File.WriteAllText(path, TwoTables);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));
        Assert.Same(first, await ReadAsync(path));

        // One byte more, within the same second: a new model, and the old one is as it was.
        File.WriteAllText(path, TwoTables.Replace("name text", "name text, note text", StringComparison.Ordinal));
        var edited = await ReadAsync(path);
        Assert.NotSame(first, edited);
        Assert.Equal(["id", "name", "note"], edited.FindTable("public", "a")!.Columns.Select(c => c.Name));
        Assert.Equal(["id", "name"], first.FindTable("public", "a")!.Columns.Select(c => c.Name));
        Assert.NotEqual(first.SourceSha256, edited.SourceSha256);
        Assert.Equal(ContentHash.Sha256(File.ReadAllBytes(path)), edited.SourceSha256);

        // Another path with the same bytes, or another default schema: a model of its own.
        var copy = _folder.Write("copy.sql", TwoTables);
        Assert.NotSame(first, await ReadAsync(copy));
        var inApp = await ReadAsync(path, "app");
        Assert.NotSame(edited, inApp);
        Assert.NotNull(inApp.FindTable("app", "a"));
    }

    [Fact]
    public async Task The_readers_warnings_are_reported_on_every_read()
    {
        var path = _folder.Write("schema.sql", TwoTables + "\nDO $$ BEGIN PERFORM 1; END $$;\n");
        var first = new RecordingReporter();
        var second = new RecordingReporter();

        var model = await ExpectedSchema.ReadAsync(path, ["public"], first, CancellationToken.None);
        Assert.Same(model, await ExpectedSchema.ReadAsync(path, ["public"], second, CancellationToken.None));

        Assert.NotEmpty(first.Warnings);
        Assert.Equal(first.Warnings, second.Warnings);
    }

    [Fact]
    public async Task It_keeps_few_models_and_no_model_of_a_large_file()
    {
        var path = _folder.Write("schema.sql", TwoTables);
        var first = await ReadAsync(path);
        for (var i = 0; i < SchemaFileCache.MaxEntries; i++)
        {
            await ReadAsync(_folder.Write($"other{i}.sql", TwoTables));
        }

        Assert.NotSame(first, await ReadAsync(path));

        // A file beyond the bound is read each time.
        var large = new StringBuilder(TwoTables).Append("\n-- ").Append('x', (int)SchemaFileCache.MaxBytes).Append('\n').ToString();
        var largePath = _folder.Write("large.sql", large);
        Assert.NotSame(await ReadAsync(largePath), await ReadAsync(largePath));
    }

    [Fact]
    public async Task Comparing_planning_and_fixing_leave_the_shared_model_as_it_was_read()
    {
        var path = _folder.Write("schema.sql", ObjectComparisonTests.Schema);
        var model = await ReadAsync(path);
        var asRead = Dump(model);
        await using var bed = await RepairTestBed.CreateAsync(database, ObjectComparisonTests.Schema);
        await bed.ExecuteAsync("""
            DROP VIEW big_orders; DROP INDEX orders_recent_idx; DROP TRIGGER orders_touch ON orders;
            ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey, DROP COLUMN total CASCADE;
            """);

        var before = await bed.CompareAsync(model, RepairTestBed.Public);
        Assert.False(before.IsValid(strict: false));
        var plan = await bed.PlanAsync(model, RepairTestBed.Public);
        Assert.NotEmpty(plan.Steps);
        await bed.ApplyAsync(plan);
        var after = await bed.CompareAsync(model, RepairTestBed.Public);
        Assert.True(after.IsValid(strict: false), Describe(after));

        Assert.Same(model, await ReadAsync(path));
        Assert.Equal(asRead, Dump(model));
    }

    /// <summary>Every public property of the model and of everything it holds, as "path = value" lines.</summary>
    private static string Dump(SchemaModel model)
    {
        var lines = new StringBuilder();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        void Walk(string path, object? value, int depth)
        {
            if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
            {
                lines.Append(path).Append(" = ").Append(value ?? "(null)").Append('\n');
                return;
            }

            if (depth > 12 || !seen.Add(value))
            {
                lines.Append(path).Append(" -> ").Append(value.GetType().Name).Append('\n');
                return;
            }

            if (value is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    Walk($"{path}[{i++}]", item, depth + 1);
                }

                lines.Append(path).Append(".Count = ").Append(i).Append('\n');
                return;
            }

            foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0)
                {
                    Walk($"{path}.{property.Name}", property.GetValue(value), depth + 1);
                }
            }
        }

        Walk("model", model, 0);
        return lines.ToString();
    }
}
