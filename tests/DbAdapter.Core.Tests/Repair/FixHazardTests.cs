using DbAdapter.Core.Repair;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>Hazards computed against the live rows: rewrites from the server's own answer, unique and lock warnings.</summary>
public sealed class FixHazardTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Schema = """
        CREATE TABLE t (id SERIAL PRIMARY KEY, token UUID DEFAULT gen_random_uuid(), stamp TIMESTAMPTZ DEFAULT now(),
                        code TEXT UNIQUE, seq SERIAL, kind TEXT DEFAULT 'a' CHECK (kind <> ''));
        """;

    [Fact]
    public async Task Hazards_on_a_table_with_rows_follow_what_the_server_would_do()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, "CREATE TABLE t (id SERIAL PRIMARY KEY); INSERT INTO t DEFAULT VALUES; INSERT INTO t DEFAULT VALUES;");

        var plan = await bed.PlanAsync(Schema);

        var kinds = plan.Steps.ToDictionary(s => s.Column!, s => s.Hazards.Select(h => h.Kind).ToArray());
        Assert.Equal([FixHazardKinds.RewritesTable], kinds["token"]);
        Assert.Empty(kinds["stamp"]);
        Assert.Equal([FixHazardKinds.UniqueOnExistingRows, FixHazardKinds.LocksTable], kinds["code"]);
        Assert.Equal([FixHazardKinds.RewritesTable], kinds["seq"]);
        Assert.Equal([FixHazardKinds.LocksTable], kinds["kind"]);
        Assert.Contains("default gen_random_uuid() is volatile", plan.Steps.Single(s => s.Column == "token").Hazards[0].Message, StringComparison.Ordinal);
        Assert.Contains("existing rows get NULL, which UNIQUE allows", plan.Steps.Single(s => s.Column == "code").Hazards[0].Message, StringComparison.Ordinal);
        Assert.True(plan.HasBlockingHazards);
        Assert.Contains(plan.Warnings, w => w.StartsWith("The fix runs in one transaction: t (with rows) stay locked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_columns_on_an_empty_table_have_no_hazard()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, "CREATE TABLE t (id SERIAL PRIMARY KEY);");

        var plan = await bed.PlanAsync(Schema);

        Assert.Equal(5, plan.Steps.Count);
        Assert.All(plan.Steps, s => Assert.Empty(s.Hazards));
        Assert.Empty(plan.Warnings);
        await bed.ApplyAsync(plan);
        Assert.True((await bed.CompareAsync(Schema)).IsValid(strict: true));
    }
}
