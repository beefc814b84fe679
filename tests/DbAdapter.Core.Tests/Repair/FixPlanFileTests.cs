using System.Text;
using System.Text.Json;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>A plan written to a file and read back is the same plan, and a file changed after export is refused.</summary>
public sealed class FixPlanFileTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_plan_file_reads_back_into_the_same_plan_and_applies()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await PlanFromFileAsync(bed);
        var document = FixPlanExportOperation.Document(plan, "prod", _folder.Combine("plans"));
        var bytes = FixPlanJson.Write(document);

        var read = FixPlanJson.Read(bytes, "plan.json");

        Assert.Equal(bytes, FixPlanJson.Write(read));
        Assert.Equal("../schema.sql", read.SchemaFile);
        Assert.Equal(plan.Expected.SourceSha256, read.SchemaSha256);
        Assert.Equal(plan.Steps.Select(s => (s.Order, s.Operation, s.Target, s.Sql, string.Join("|", s.Hazards))), read.Steps.Select(s => (s.Order, s.Operation, s.Target, s.Sql, string.Join("|", s.Hazards))));
        Assert.Equal(plan.Fingerprint!.Sha256, read.Fingerprint.Sha256);
        Assert.Equal(["public.items", "public.products"], read.Fingerprint.TableNames.Select(t => t.ToString()));
        using (var json = JsonDocument.Parse(bytes))
        {
            Assert.Equal(["format", "version", "plan", "sha256"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(
                ["profile", "created_at", "schema_file", "schemas", "options", "steps", "warnings", "fingerprint"],
                json.RootElement.GetProperty("plan").EnumerateObject().Select(p => p.Name));
        }

        // Exactly the exported statements run, with the file's fingerprint checked first.
        var imported = new FixPlan(plan.Expected, read.Schemas, read.Steps, read.Warnings, null, read.Fingerprint);
        Assert.Equal(5, (await bed.ApplyAsync(imported)).ColumnsAdded);
        Assert.True((await bed.CompareAsync(LiveSuiteSchema.Full)).IsValid(strict: false));
    }

    [Theory]
    [InlineData("ADD COLUMN \\\"price\\\" INTEGER DEFAULT 0\"", "ADD COLUMN \\\"price\\\" INTEGER DEFAULT 1\"", "its content does not match its sha256")]
    [InlineData("\"blocking\": false", "\"blocking\": false, \"skip\": true", "plan.steps[0].hazards[0].skip: unknown key")]
    [InlineData("\"column\": \"b\"", "\"column\": \"b\", \"column\": \"x\"", "plan.steps[0].column: the key appears twice")]
    [InlineData("\"version\": 1", "\"version\": 2", "it is a plan file of format version 2, and this DbAdapter reads version 1")]
    [InlineData("\"format\": \"dbadapter-fix-plan\"", "\"format\": \"something-else\"", "this is not a DbAdapter fix plan file (it has no \"format\": \"dbadapter-fix-plan\")")]
    [InlineData("\"operation\": \"AddColumn\"", "\"operation\": \"DropTable\"", "plan.steps[0].operation: 'DropTable' is not a kind of step this DbAdapter knows")]
    [InlineData("\"plan\": {", "\"plan\": {,", "line 4: not valid JSON")]
    public void A_file_changed_after_export_is_refused_naming_what_is_wrong(string find, string replace, string problem)
    {
        var text = Encoding.UTF8.GetString(FixPlanJson.Write(Sample()));
        Assert.Contains(find, text, StringComparison.Ordinal);
        var changed = Encoding.UTF8.GetBytes(ReplaceFirst(text, find, replace));

        var error = Assert.Throws<DbAdapterException>(() => FixPlanJson.Read(changed, "plan.json"));

        Assert.Equal(ErrorIds.FixPlanInvalid, error.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, error.Kind);
        Assert.StartsWith("Plan file plan.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reformatting_a_plan_file_keeps_it_valid()
    {
        var document = Sample();
        var compact = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(JsonDocument.Parse(FixPlanJson.Write(document)).RootElement));

        Assert.Equal(FixPlanJson.Hash(document), FixPlanJson.Hash(FixPlanJson.Read(compact, "plan.json")));
    }

    [Fact]
    public async Task The_script_runs_every_statement_in_one_transaction_behind_the_lock_timeout()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await PlanFromFileAsync(bed);
        var document = FixPlanExportOperation.Document(plan, "prod", _folder.Path);
        var withComment = document with
        {
            Steps = [.. document.Steps.Take(4), Step(document.Steps[4], "ALTER TABLE products ADD COLUMN active BOOLEAN DEFAULT TRUE -- kept as written")],
        };

        var script = FixPlanScript.Write(withComment, TimeSpan.FromSeconds(2)).Split('\n');

        Assert.StartsWith("-- DbAdapter fix plan for profile prod, made ", script[0], StringComparison.Ordinal);
        var begin = Array.IndexOf(script, "BEGIN;");
        Assert.Equal("SET LOCAL lock_timeout = '2s';", script[begin + 1]);
        Assert.Contains("ALTER TABLE \"public\".\"items\" ADD COLUMN \"b\" VARCHAR(100);", script);
        Assert.Contains("-- Hazard NotNullDeferred: Column b is declared NOT NULL without a default, and items has 5 row(s) without a value for it: it is added without NOT NULL. Fill it, then run: ALTER TABLE \"public\".\"items\" ALTER COLUMN \"b\" SET NOT NULL", script);
        var comment = Array.IndexOf(script, "ALTER TABLE products ADD COLUMN active BOOLEAN DEFAULT TRUE -- kept as written");
        Assert.Equal(";", script[comment + 1]);
        Assert.Equal(5, script.Count(l => l.StartsWith("ALTER TABLE", StringComparison.Ordinal)));
        Assert.StartsWith("-- Validation: ", script[^3], StringComparison.Ordinal);
        Assert.Equal(["COMMIT;", string.Empty], script[^2..]);
    }

    private async Task<FixPlan> PlanFromFileAsync(RepairTestBed bed)
    {
        var schemaFile = _folder.Write("schema.sql", LiveSuiteSchema.Full);
        var expected = await SchemaSqlReader.ReadFileAsync(schemaFile, "public", CancellationToken.None);
        return await FixPlanner.PlanAsync(bed.Client, expected, RepairTestBed.Public, new FixPlanOptions(), NullReporter.Instance, CancellationToken.None);
    }

    /// <summary>A plan file's content as the live suite's drifted database gives it, without a database.</summary>
    private static FixPlanDocument Sample()
    {
        FixStep Add(int order, string table, string column, string definition, params FixHazard[] hazards) => new()
        {
            Order = order,
            Operation = FixOperation.AddColumn,
            Schema = "public",
            Table = table,
            Column = column,
            Statements = [$"ALTER TABLE \"public\".\"{table}\" ADD COLUMN \"{column}\" {definition}"],
            Hazards = hazards,
            Description = $"Add column {column} {definition}",
        };

        return new FixPlanDocument(
            "prod",
            new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero),
            "schema.sql",
            new string('a', 64),
            ["public"],
            null,
            null,
            [],
            [Add(1, "items", "b", "VARCHAR(100)", new FixHazard(FixHazardKinds.NotNullDeferred, false, "added without NOT NULL")), Add(2, "products", "price", "INTEGER DEFAULT 0")],
            ["items stays locked"],
            new CatalogFingerprint([new TableFingerprint(new("public", "items"), true, [new("a", "integer NOT NULL")], []), new TableFingerprint(new("public", "products"), true, [], [])]));
    }

    private static FixStep Step(FixStep step, string statement) => new()
    {
        Order = step.Order,
        Operation = step.Operation,
        Schema = step.Schema,
        Table = step.Table,
        Column = step.Column,
        Statements = [statement],
        Hazards = step.Hazards,
        Description = step.Description,
    };

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }
}
