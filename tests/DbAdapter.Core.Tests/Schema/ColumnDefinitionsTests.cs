using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

public sealed class ColumnDefinitionsTests
{
    [Fact]
    public void Two_and_three_part_keys_are_looked_up_by_schema_table_and_column()
    {
        var defs = ColumnDefinitions.Parse("""
            {
              "products.price": "INTEGER DEFAULT 0",
              "app.items.name": "TEXT NOT NULL DEFAULT ''",
              "\"Odd.Schema\".\"Items\".\"Name\"": "text"
            }
            """);

        Assert.Equal(3, defs.Count);
        Assert.Equal("INTEGER DEFAULT 0", defs.Find("public", "products", "price"));
        Assert.Equal("TEXT NOT NULL DEFAULT ''", defs.Find("app", "items", "name"));
        Assert.Equal("text", defs.Find("Odd.Schema", "Items", "Name"));
        Assert.Null(defs.Find("app", "products", "price"));
        Assert.Null(defs.Find("public", "items", "name"));
    }

    [Fact]
    public void Keys_written_in_another_case_still_match_when_unambiguous()
    {
        var defs = ColumnDefinitions.Parse("""{"Products.Price": "int"}""", defaultSchema: "public");

        Assert.Equal("int", defs.Find("public", "products", "price"));
    }

    [Fact]
    public void Invalid_json_names_file_and_line()
    {
        var ex = Assert.Throws<DbAdapterException>(() => ColumnDefinitions.Parse("{\n  \"a.b\": \"int\",\n  oops\n}", "defs.json"));

        Assert.Equal(ErrorIds.ColumnDefinitionsInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith("defs.json: line 3: not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Equal("defs.json", ex.Target);
    }

    [Theory]
    [InlineData("{\n\"a.b\": \"int\",\n\"a.c\": 5\n}", 3, "\"a.c\" is not a string")]
    [InlineData("{\n\"a.b\": {\"x\": 1}\n}", 2, "\"a.b\" is not a string")]
    [InlineData("{\"justcolumn\": \"int\"}", 1, "\"justcolumn\" is not \"table.column\"")]
    [InlineData("{\"a.b.c.d\": \"int\"}", 1, "\"a.b.c.d\" is not")]
    [InlineData("{\"a.b\": \"  \"}", 1, "\"a.b\" is empty")]
    [InlineData("{\"a.b\": \"int\",\n \"a.b\": \"text\"}", 2, "\"a.b\" appears twice")]
    [InlineData("[1, 2]", 1, "expected a JSON object")]
    public void Bad_entries_name_file_line_and_key(string json, int line, string problem)
    {
        var ex = Assert.Throws<DbAdapterException>(() => ColumnDefinitions.Parse(json, "defs.json"));

        Assert.Equal(ErrorIds.ColumnDefinitionsInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"defs.json: line {line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loads_from_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"defs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"items.d": "INTEGER DEFAULT 0"}""");
        try
        {
            var defs = await ColumnDefinitions.LoadAsync(path, "app", CancellationToken.None);
            Assert.Equal("INTEGER DEFAULT 0", defs.Find("app", "items", "d"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ColumnDefinitions.LoadAsync(path, "public", CancellationToken.None));

        Assert.Equal(ErrorIds.ColumnDefinitionsInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.ObjectNotFound, ex.Kind);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
