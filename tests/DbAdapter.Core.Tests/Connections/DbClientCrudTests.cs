using System.Text.Json;
using System.Text.Json.Nodes;
using DbAdapter.Core.Connections;
using DbAdapter.Core.Diagnostics;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Connections.TestTargets;

namespace DbAdapter.Core.Tests.Connections;

/// <summary>CRUD, quoting, filters, ordering, JSON and arrays against the real server.</summary>
public sealed class DbClientCrudTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TableName Items = new("public", "items");
    private static readonly TableName Odd = new("Odd Schema", "Odd \"Name\"");

    public Task InitializeAsync() => database.ExecuteAsync(""""
        DROP TABLE IF EXISTS items;
        CREATE TABLE items (id serial PRIMARY KEY, name text, qty int, category text,
                            doc json, docb jsonb, tags text[], nums int[], ref uuid);
        INSERT INTO items (name, qty, category) VALUES
          ('apple', 3, 'fruit'), ('banana', 1, 'fruit'), ('carrot', 3, 'veg'), ('dill', 2, NULL), ('egg', 1, NULL);
        CREATE SCHEMA IF NOT EXISTS "Odd Schema";
        DROP TABLE IF EXISTS "Odd Schema"."Odd ""Name""";
        CREATE TABLE "Odd Schema"."Odd ""Name""" ("Key Col" int PRIMARY KEY, "MixedCase" text, "quote""d" text);
        """");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Select_all_returns_rows_in_column_order_with_nulls()
    {
        await using var client = Client(database.ConnectionString);
        var rows = await client.SelectAsync(Items, orderBy: [new OrderBy("id")]);
        Assert.Equal(5, rows.Count);
        Assert.Equal(["id", "name", "qty", "category", "doc", "docb", "tags", "nums", "ref"], rows[0].Keys);
        Assert.Equal("apple", rows[0]["name"]);
        Assert.Null(rows[3]["category"]);
    }

    [Fact]
    public async Task Select_with_columns_filter_order_and_limit()
    {
        await using var client = Client(database.ConnectionString);
        var rows = await client.SelectAsync(Items, Row(("qty", 3)), ["name", "qty"], [new OrderBy("name", Descending: true)], limit: 1);
        var row = Assert.Single(rows);
        Assert.Equal(["name", "qty"], row.Keys);
        Assert.Equal("carrot", row["name"]);
    }

    [Fact]
    public async Task Null_filter_value_matches_is_null()
    {
        await using var client = Client(database.ConnectionString);
        var rows = await client.SelectAsync(Items, Row(("category", null)), orderBy: [new OrderBy("name")]);
        Assert.Equal(["dill", "egg"], rows.Select(r => (string)r["name"]!));
    }

    [Fact]
    public async Task Ordering_is_multi_column_ascending_and_descending()
    {
        await using var client = Client(database.ConnectionString);
        var rows = await client.SelectAsync(Items, columns: ["name"], orderBy: [new OrderBy("qty", Descending: true), new OrderBy("name")]);
        Assert.Equal(["apple", "carrot", "dill", "banana", "egg"], rows.Select(r => (string)r["name"]!));

        rows = await client.SelectAsync(Items, columns: ["name"], orderBy: [new OrderBy("qty"), new OrderBy("name", Descending: true)]);
        Assert.Equal(["egg", "banana", "dill", "carrot", "apple"], rows.Select(r => (string)r["name"]!));
    }

    [Fact]
    public async Task Limit_zero_and_negative()
    {
        await using var client = Client(database.ConnectionString);
        Assert.Empty(await client.SelectAsync(Items, limit: 0));
        Assert.Equal(2, (await client.SelectAsync(Items, limit: 2)).Count);
        var refused = await Assert.ThrowsAsync<DbAdapterException>(() => client.SelectAsync(Items, limit: -1));
        Assert.Equal(ErrorIds.InvalidQuery, refused.ErrorId);
    }

    [Fact]
    public async Task Injection_in_a_filter_key_is_an_unknown_column_and_leaks_nothing()
    {
        await using var client = Client(database.ConnectionString);
        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.SelectAsync(Items, Row(("1=1 OR id", 0))));
        Assert.Equal(ErrorIds.InvalidQuery, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("1=1 OR id", ex.Message);

        // Also through ORDER BY and the column list, and a real column name with SQL glued on.
        await Assert.ThrowsAsync<DbAdapterException>(() => client.SelectAsync(Items, orderBy: [new OrderBy("id; DROP TABLE items")]));
        await Assert.ThrowsAsync<DbAdapterException>(() => client.SelectAsync(Items, columns: ["name FROM items --"]));
        Assert.Equal(0, await client.DeleteAsync(Items, Row(("name", "x' OR '1'='1"))));
        Assert.Equal("5", await database.ScalarAsync("SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task Unknown_table_is_refused_with_its_name()
    {
        await using var client = Client(database.ConnectionString);
        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.SelectAsync(new TableName("public", "nope")));
        Assert.Equal(DbErrorKind.ObjectNotFound, ex.Kind);
        Assert.Contains("public.nope", ex.Message);
    }

    [Fact]
    public async Task Odd_identifiers_work_in_every_operation()
    {
        await using var client = Client(database.ConnectionString);
        var inserted = await client.InsertAsync(Odd, Row(("Key Col", 1), ("MixedCase", "A"), ("quote\"d", "q")));
        Assert.Equal("q", inserted["quote\"d"]);
        await client.InsertAsync(Odd, Row(("Key Col", 2), ("MixedCase", "B"), ("quote\"d", null)));

        var rows = await client.SelectAsync(Odd, Row(("quote\"d", null)), ["Key Col", "MixedCase"], [new OrderBy("MixedCase", true)]);
        Assert.Equal(2, Assert.Single(rows)["Key Col"]);

        Assert.Equal(1, await client.UpdateAsync(Odd, Row(("MixedCase", "C")), Row(("Key Col", 2))));
        Assert.Equal(1, await client.DeleteAsync(Odd, Row(("MixedCase", "A"))));
        var left = await client.SelectAsync(Odd);
        Assert.Equal("C", Assert.Single(left)["MixedCase"]);

        // Case matters: "mixedcase" is not "MixedCase".
        await Assert.ThrowsAsync<DbAdapterException>(() => client.SelectAsync(Odd, Row(("mixedcase", "C"))));
    }

    [Fact]
    public async Task Insert_returns_the_row_with_defaults()
    {
        await using var client = Client(database.ConnectionString);
        var row = await client.InsertAsync(Items, Row(("name", "fig"), ("qty", 7)));
        Assert.IsType<int>(row["id"]);
        Assert.Equal("fig", row["name"]);
        Assert.Null(row["category"]);
        Assert.Equal("7", await database.ScalarAsync("SELECT qty FROM items WHERE name = 'fig'"));
    }

    [Fact]
    public async Task Update_and_delete_match_their_filter_only()
    {
        await using var client = Client(database.ConnectionString);
        Assert.Equal(2, await client.UpdateAsync(Items, Row(("qty", 10)), Row(("category", "fruit"))));
        Assert.Equal(2, await client.UpdateAsync(Items, Row(("category", "none")), Row(("category", null))));
        Assert.Equal("10,10,3,2,1", await database.ScalarAsync("SELECT string_agg(qty::text, ',' ORDER BY id) FROM items"));
        Assert.Equal(1, await client.DeleteAsync(Items, Row(("name", "egg"), ("category", "none"))));
        Assert.Equal("4", await database.ScalarAsync("SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task Update_and_delete_without_filter_are_refused_and_change_nothing()
    {
        await using var client = Client(database.ConnectionString);
        foreach (var filter in new[] { null!, Row() })
        {
            var update = await Assert.ThrowsAsync<DbAdapterException>(() => client.UpdateAsync(Items, Row(("qty", 0)), filter));
            Assert.Equal(ErrorIds.InvalidQuery, update.ErrorId);
            Assert.Equal(DbErrorKind.InvalidArgument, update.Kind);
            var delete = await Assert.ThrowsAsync<DbAdapterException>(() => client.DeleteAsync(Items, filter));
            Assert.Equal(ErrorIds.InvalidQuery, delete.ErrorId);
        }

        Assert.Equal("5|10", await database.ScalarAsync("SELECT count(*), sum(qty) FROM items"));
    }

    [Fact]
    public async Task Json_and_jsonb_take_lists_dictionaries_and_json_values()
    {
        await using var client = Client(database.ConnectionString);
        var list = new List<object?> { 1, "two", null, new Dictionary<string, object?> { ["k"] = true } };
        var dict = new Dictionary<string, object?> { ["a"] = 1, ["b"] = new List<string> { "x", "y" }, ["c"] = null };

        var id1 = (await client.InsertAsync(Items, Row(("name", "j1"), ("doc", list), ("docb", list))))["id"];
        var id2 = (await client.InsertAsync(Items, Row(("name", "j2"), ("doc", dict), ("docb", dict))))["id"];
        var node = JsonNode.Parse("""{"n":[1,2,{"m":null}]}""")!;
        var element = JsonDocument.Parse("[true, 1.5]").RootElement;
        var id3 = (await client.InsertAsync(Items, Row(("name", "j3"), ("doc", node), ("docb", element))))["id"];

        Assert.Equal("array|array", await database.ScalarAsync($"SELECT json_typeof(doc) || '|' || jsonb_typeof(docb) FROM items WHERE id = {id1}"));
        var row1 = Assert.Single(await client.SelectAsync(Items, Row(("id", id1))));
        var expectedList = JsonSerializer.SerializeToElement(list);
        Assert.True(JsonElement.DeepEquals(expectedList, (JsonElement)row1["doc"]!));
        Assert.True(JsonElement.DeepEquals(expectedList, (JsonElement)row1["docb"]!));

        var row2 = Assert.Single(await client.SelectAsync(Items, Row(("id", id2))));
        var expectedDict = JsonSerializer.SerializeToElement(dict);
        Assert.True(JsonElement.DeepEquals(expectedDict, (JsonElement)row2["doc"]!));
        Assert.True(JsonElement.DeepEquals(expectedDict, (JsonElement)row2["docb"]!));

        var row3 = Assert.Single(await client.SelectAsync(Items, Row(("id", id3))));
        Assert.True(JsonNode.DeepEquals(node, JsonNode.Parse(((JsonElement)row3["doc"]!).GetRawText())));
        Assert.True(JsonElement.DeepEquals(element, (JsonElement)row3["docb"]!));

        // A jsonb filter with a dictionary, and an update with a read-back value.
        Assert.Equal(1, await client.UpdateAsync(Items, Row(("docb", row1["docb"])), Row(("docb", dict))));
        Assert.Equal("j1,j2,j3", await database.ScalarAsync("SELECT string_agg(name, ',' ORDER BY name) FROM items WHERE jsonb_typeof(docb) = 'array'"));
    }

    [Fact]
    public async Task Array_columns_take_lists()
    {
        await using var client = Client(database.ConnectionString);
        var tags = new List<string> { "a", "b c", "d\"e", "f\\g" };
        var nums = new List<object?> { 1, null, 3 };
        var row = await client.InsertAsync(Items, Row(("name", "arr"), ("tags", tags), ("nums", nums)));
        Assert.Equal(tags, (string[])row["tags"]!);
        Assert.Equal(new int?[] { 1, null, 3 }, ((Array)row["nums"]!).Cast<int?>());
        Assert.Equal("4", await database.ScalarAsync("SELECT array_length(tags, 1) FROM items WHERE name = 'arr'"));

        await client.UpdateAsync(Items, Row(("tags", new List<object?>())), Row(("name", "arr")));
        Assert.Equal("{}", await database.ScalarAsync("SELECT tags FROM items WHERE name = 'arr'"));
        var found = await client.SelectAsync(Items, Row(("nums", new[] { 1, 2 })));
        Assert.Empty(found);
    }

    [Fact]
    public async Task Strings_bind_to_non_text_columns()
    {
        await using var client = Client(database.ConnectionString);
        var id = Guid.NewGuid();
        await client.InsertAsync(Items, Row(("name", "u"), ("ref", id.ToString()), ("qty", "42")));
        var row = Assert.Single(await client.SelectAsync(Items, Row(("ref", id.ToString()))));
        Assert.Equal(id, row["ref"]);
        Assert.Equal(42, row["qty"]);
    }

    [Fact]
    public async Task Execute_and_query_bind_positional_parameters()
    {
        await using var client = Client(database.ConnectionString);
        Assert.Equal(2, await client.ExecuteAsync("UPDATE items SET qty = $1 WHERE category = $2", [99, "fruit"]));
        var rows = await client.QueryAsync("SELECT name, qty FROM items WHERE qty = $1 ORDER BY name", [99]);
        Assert.Equal(["apple", "banana"], rows.Select(r => (string)r["name"]!));
        var dup = await Assert.ThrowsAsync<DbAdapterException>(() => client.QueryAsync("SELECT 1 AS a, 2 AS a"));
        Assert.Equal(ErrorIds.InvalidQuery, dup.ErrorId);
    }

    [Fact]
    public async Task Server_errors_become_query_failed_with_the_inner_exception()
    {
        await using var client = Client(database.ConnectionString);
        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.InsertAsync(Items, Row(("id", 1), ("name", "dup"))));
        Assert.Equal(ErrorIds.QueryFailed, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.Equal("23505", Assert.IsType<Npgsql.PostgresException>(ex.InnerException).SqlState);
        Assert.Contains("public.items", ex.Message);
    }

    [Fact]
    public async Task Server_version_is_major_dot_minor()
    {
        await using var client = Client(database.ConnectionString);
        var version = await client.GetServerVersionAsync(CancellationToken.None);
        var expected = await database.ScalarAsync("SHOW server_version");
        Assert.Matches(@"^\d+\.\d+$", version);
        Assert.StartsWith(version, expected);
    }

    [Fact]
    public async Task Count_rows_is_exact_across_schemas_and_case()
    {
        await database.ExecuteAsync("""
            CREATE SCHEMA IF NOT EXISTS other;
            DROP TABLE IF EXISTS other."MixedCount", other.plain, other.parted;
            CREATE TABLE other."MixedCount" (x int);
            INSERT INTO other."MixedCount" SELECT generate_series(1, 1234);
            CREATE TABLE other.plain (x int);
            CREATE TABLE other.parted (x int) PARTITION BY RANGE (x);
            CREATE TABLE other.parted_1 PARTITION OF other.parted FOR VALUES FROM (0) TO (100);
            INSERT INTO other.parted SELECT generate_series(0, 9);
            CREATE VIEW other.not_a_table AS SELECT 1;
            """);
        await using var client = Client(database.ConnectionString);
        var counts = await client.CountRowsAsync(["public", "other"], CancellationToken.None);
        Assert.Equal(
            [
                new TableRowCount("other", "MixedCount", 1234),
                new TableRowCount("other", "parted", 10),
                new TableRowCount("other", "parted_1", 10),
                new TableRowCount("other", "plain", 0),
                new TableRowCount("public", "items", 5),
            ],
            counts);
        Assert.Empty(await client.CountRowsAsync(["no_such_schema"], CancellationToken.None));
    }
}
