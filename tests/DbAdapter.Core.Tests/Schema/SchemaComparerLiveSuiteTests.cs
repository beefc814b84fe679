using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.Expected;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>The Python tool's live-suite scenario: a full database, then a drifted one.</summary>
public sealed class SchemaComparerLiveSuiteTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>The expected model as the schema.sql reader will produce it: names folded, types as written.</summary>
    private static SchemaModel ExpectedModel() => Model(
        Table(
            "items",
            Col("a", "SERIAL", pk: true),
            Col("b", "VARCHAR(100)", notNull: true),
            Col("c", "TEXT"),
            Col("d", "INTEGER", @default: "0"),
            Col("e", "BOOLEAN", @default: "FALSE"),
            Col("f", "TIMESTAMP", @default: "NOW()"),
            Col("g", "VARCHAR(50)")),
        Table("categories", Col("id", "SERIAL", pk: true), Col("slug", "TEXT", unique: true), Col("name", "TEXT"), Col("user_id", "UUID")),
        Table(
            "products",
            Col("id", "SERIAL", pk: true),
            Col("slug", "TEXT", unique: true),
            Col("name", "TEXT"),
            Col("category_id", "INTEGER"),
            Col("price", "INTEGER", @default: "0"),
            Col("active", "BOOLEAN", @default: "TRUE"),
            Col("user_id", "UUID")));

    [Fact]
    public async Task A_database_built_from_the_schema_is_valid_with_no_difference_even_strict()
    {
        await database.ExecuteAsync(LiveSuiteSchema.Full);

        var statistics = new SchemaQueryStatistics();
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var live = await SchemaIntrospector.ReadAsync(connection, Public, statistics, CancellationToken.None);
        var comparison = await SchemaComparer.CompareAsync(ExpectedModel(), live, connection, Public, statistics, CancellationToken.None);

        AssertSameColumns(comparison);
        Assert.Empty(comparison.Warnings);
        Assert.Equal(2, statistics.RoundTrips);
    }

    [Fact]
    public async Task A_drifted_database_lacks_exactly_the_five_dropped_columns()
    {
        var name = await database.CreateSiblingAsync("drifted");
        await database.Server.ExecuteAsync(name, LiveSuiteSchema.Drifted);

        var comparison = await CompareAsync(database.Server.ConnectionString(name), ExpectedModel());

        Assert.False(comparison.IsValid(strict: false));
        Assert.Equal(5, comparison.ErrorCount(strict: false));
        Assert.Equal(5, comparison.ErrorCount(strict: true));
        Assert.Equal(
            ["items.b", "items.e", "items.f", "products.price", "products.active"],
            comparison.MissingColumns.Select(comparison.Display).ToArray());
        Assert.Empty(comparison.MissingTables);
        Assert.Empty(comparison.ExtraTables);
        Assert.Empty(comparison.ExtraColumns);
        Assert.Empty(comparison.Differences);
    }

    [Fact]
    public async Task Missing_and_extra_tables_and_extra_columns_are_reported()
    {
        var name = await database.CreateSiblingAsync("extra");
        await database.Server.ExecuteAsync(name, """
            CREATE TABLE items (a SERIAL PRIMARY KEY, b VARCHAR(100) NOT NULL, c TEXT, d INTEGER DEFAULT 0,
                                e BOOLEAN DEFAULT FALSE, f TIMESTAMP DEFAULT NOW(), g VARCHAR(50), h JSONB, i INT);
            CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
            CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY);
            """);

        var comparison = await CompareAsync(database.Server.ConnectionString(name), ExpectedModel());

        Assert.Equal([new TableName("public", "products")], comparison.MissingTables);
        Assert.Equal(["audit_log"], comparison.ExtraTables.Select(comparison.Display).ToArray());
        Assert.Equal(["items.h", "items.i"], comparison.ExtraColumns.Select(comparison.Display).ToArray());

        // A missing table is one error, not one per column; extras are not errors.
        Assert.Empty(comparison.MissingColumns);
        Assert.Equal(1, comparison.ErrorCount(strict: true));
        Assert.Empty(comparison.Differences);
    }
}
