using DbAdapter.Core.Schema;
using DbAdapter.TestSupport;
using Npgsql;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// The work is a fixed number of catalog queries and round trips: the same for 10 tables and 1,000,
/// with their constraints, indexes, triggers and views, and the probe that reads schema.sql's.
/// </summary>
public sealed class IntrospectionScaleTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_thousand_tables_cost_the_same_queries_as_ten_and_compare_identical()
    {
        var (small, smallStatistics) = await BuildAndCompareAsync(10);
        var (large, largeStatistics) = await BuildAndCompareAsync(1000);

        Assert.Equal(10, small.Tables.Count);
        Assert.Equal(1000, large.Tables.Count);
        Assert.All(large.Tables, t => Assert.Equal(20, t.Columns.Count));
        Assert.Equal(999, large.Tables.Sum(t => t.ForeignKeys.Count));
        Assert.Equal(1000 * 4, large.Indexes.Count);
        Assert.Equal(1000, large.Triggers.Count);
        Assert.Equal(1000, large.Views.Count);
        Assert.Equal(["id", "parent_id", "col_02"], large.FindTable("public", "t0999")!.Columns.Take(3).Select(c => c.Name).ToArray());

        Assert.Equal(smallStatistics.Statements, largeStatistics.Statements);
        Assert.Equal(smallStatistics.RoundTrips, largeStatistics.RoundTrips);

        // The catalog; the file's view queries; the rest of the probe (sent while the server parses the queries).
        Assert.Equal(3, largeStatistics.RoundTrips);
    }

    private async Task<(SchemaModel Live, SchemaQueryStatistics Statistics)> BuildAndCompareAsync(int tables)
    {
        var (ddl, expected) = SyntheticSchema.Generate(tables, 20);
        var name = await database.CreateSiblingAsync($"scale{tables}");
        await database.Server.ExecuteAsync(name, ddl);

        await using var connection = new NpgsqlConnection(database.Server.ConnectionString(name));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var statistics = new SchemaQueryStatistics();
        var live = await SchemaIntrospector.ReadAsync(connection, Public, statistics, CancellationToken.None);
        var comparison = await SchemaComparer.CompareAsync(expected, live, connection, Public, statistics, CancellationToken.None);
        AssertIdentical(comparison);
        return (live, statistics);
    }
}
