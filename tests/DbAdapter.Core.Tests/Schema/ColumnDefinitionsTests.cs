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

    [Theory]
    [InlineData("INTEGER; DROP TABLE victims", "holds a ';'")]
    [InlineData("INTEGER, DROP COLUMN name", "holds a ',' outside parentheses")]
    [InlineData("INTEGER DEFAULT 0 -- the price", "holds a comment")]
    [InlineData("INTEGER /* cents */ DEFAULT 0", "holds a comment")]
    [InlineData("NUMERIC(10, 2", "parentheses do not pair up")]
    [InlineData("NUMERIC(10, 2))", "parentheses do not pair up")]
    [InlineData("INTEGER DEFAULT 'unterminated", "unterminated")]
    [InlineData("INTEGER NOT NULL trailing words", "expected a column constraint")]
    [InlineData("INTEGER\n\\! rm -rf /", "meta-command")]
    public void A_definition_that_is_not_exactly_one_column_definition_is_refused_naming_file_line_and_key(string definition, string problem)
    {
        var json = "{\n  \"products.name\": \"TEXT\",\n  \"products.price\": " + System.Text.Json.JsonSerializer.Serialize(definition) + "\n}";

        var ex = Assert.Throws<DbAdapterException>(() => ColumnDefinitions.Parse(json, "defs.json"));

        Assert.Equal(ErrorIds.ColumnDefinitionsInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith("defs.json: line 3: the definition of \"products.price\" is not exactly one column definition: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("nothing was planned.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("defs.json", ex.Target);
    }

    [Theory]
    [InlineData("TEXT DEFAULT 'a;b'")]
    [InlineData("TEXT DEFAULT $$a;b -- c$$")]
    [InlineData("TEXT DEFAULT $q$a, 'b'; c$q$")]
    [InlineData("TEXT CHECK (note <> 'x; DROP TABLE y') DEFAULT 'z'")]
    [InlineData("NUMERIC(10, 2) NOT NULL DEFAULT 0.5")]
    [InlineData("INTEGER[] DEFAULT ARRAY[1, 2]")]
    [InlineData("TEXT COLLATE \"C\" DEFAULT E'it\\'s'")]
    public void Semicolons_commas_and_dashes_inside_strings_and_dollar_quotes_are_one_item(string definition)
    {
        var json = "{\"products.note\": " + System.Text.Json.JsonSerializer.Serialize(definition) + "}";

        var defs = ColumnDefinitions.Parse(json, "defs.json");

        Assert.Equal(definition, defs.Find("public", "products", "note"));
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
