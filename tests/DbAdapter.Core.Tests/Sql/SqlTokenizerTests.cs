using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Tests.Sql;

public sealed class SqlTokenizerTests
{
    private static List<(SqlTokenKind Kind, string Text)> Lex(string sql) =>
        SqlTokenizer.Tokenize(sql).Select(t => (t.Kind, t.Text)).ToList();

    [Fact]
    public void Line_comments_are_dropped()
    {
        Assert.Equal(
            [(SqlTokenKind.Identifier, "a"), (SqlTokenKind.Operator, "="), (SqlTokenKind.Number, "1")],
            Lex("a -- b c ;\n= -- x\n1"));
    }

    [Fact]
    public void Block_comments_nest()
    {
        Assert.Equal([(SqlTokenKind.Identifier, "a"), (SqlTokenKind.Identifier, "b")], Lex("a /* x /* y */ still ; comment */ b"));
    }

    [Fact]
    public void Comment_start_ends_an_operator()
    {
        Assert.Equal([(SqlTokenKind.Identifier, "a"), (SqlTokenKind.Operator, "="), (SqlTokenKind.Number, "1")], Lex("a=--c\n1"));
    }

    [Fact]
    public void String_with_doubled_quote_keeps_its_text_and_value()
    {
        var token = Assert.Single(SqlTokenizer.Tokenize("'it''s; -- not a comment'"));
        Assert.Equal(SqlTokenKind.String, token.Kind);
        Assert.Equal("'it''s; -- not a comment'", token.Text);
        Assert.Equal("it's; -- not a comment", token.Value);
    }

    [Fact]
    public void E_string_honours_backslash_escapes()
    {
        var tokens = SqlTokenizer.Tokenize(@"E'a\'b\\' x");
        Assert.Equal(SqlTokenKind.String, tokens[0].Kind);
        Assert.Equal(@"E'a\'b\\'", tokens[0].Text);
        Assert.Equal(@"a'b\", tokens[0].Value);
        Assert.Equal("x", tokens[1].Value);
    }

    [Fact]
    public void Plain_string_does_not_treat_backslash_as_escape()
    {
        var tokens = SqlTokenizer.Tokenize(@"'C:\' x");
        Assert.Equal(@"'C:\'", tokens[0].Text);
        Assert.Equal("x", tokens[1].Text);
    }

    [Fact]
    public void Dollar_quotes_with_and_without_tag_are_one_token()
    {
        var tokens = SqlTokenizer.Tokenize("AS $$ a; 'b $x$ $$ , $body$ c $$ d; $body$ ;");
        Assert.Equal(
            [SqlTokenKind.Identifier, SqlTokenKind.DollarString, SqlTokenKind.Punctuation, SqlTokenKind.DollarString, SqlTokenKind.Punctuation],
            tokens.Select(t => t.Kind));
        Assert.Equal(" a; 'b $x$ ", tokens[1].Value);
        Assert.Equal(" c $$ d; ", tokens[3].Value);
    }

    [Fact]
    public void Positional_parameter_is_not_a_dollar_quote()
    {
        Assert.Equal([(SqlTokenKind.Parameter, "$1"), (SqlTokenKind.Operator, "+"), (SqlTokenKind.Parameter, "$2")], Lex("$1+$2"));
    }

    [Fact]
    public void Identifiers_fold_and_quoted_identifiers_keep_case()
    {
        var tokens = SqlTokenizer.Tokenize("Items \"Items\" \"a\"\"b\" user$id");
        Assert.Equal(["items", "Items", "a\"b", "user$id"], tokens.Select(t => t.Value));
        Assert.Equal(
            [SqlTokenKind.Identifier, SqlTokenKind.QuotedIdentifier, SqlTokenKind.QuotedIdentifier, SqlTokenKind.Identifier],
            tokens.Select(t => t.Kind));
    }

    [Fact]
    public void Numbers_and_punctuation()
    {
        Assert.Equal(
            [
                (SqlTokenKind.Number, "1.5e3"), (SqlTokenKind.Punctuation, ","), (SqlTokenKind.Number, ".5"),
                (SqlTokenKind.Punctuation, ","), (SqlTokenKind.Number, "0x1F"), (SqlTokenKind.Punctuation, ","),
                (SqlTokenKind.Number, "1_000"), (SqlTokenKind.Identifier, "x"), (SqlTokenKind.Punctuation, "::"),
                (SqlTokenKind.Identifier, "int"), (SqlTokenKind.Punctuation, "["), (SqlTokenKind.Punctuation, "]"),
            ],
            Lex("1.5e3, .5, 0x1F, 1_000 x::int[]"));
    }

    [Fact]
    public void Operators_follow_the_server_rules()
    {
        Assert.Equal(
            [(SqlTokenKind.Identifier, "days"), (SqlTokenKind.Operator, "=>"), (SqlTokenKind.Number, "1")],
            Lex("days => 1"));
        Assert.Equal(
            [(SqlTokenKind.Identifier, "a"), (SqlTokenKind.Operator, "="), (SqlTokenKind.Operator, "-"), (SqlTokenKind.Number, "1")],
            Lex("a=-1"));
        Assert.Equal([(SqlTokenKind.Identifier, "a"), (SqlTokenKind.Operator, "<>"), (SqlTokenKind.Identifier, "b")], Lex("a<>b"));
    }

    [Fact]
    public void Every_token_has_its_line()
    {
        var tokens = SqlTokenizer.Tokenize("a\n/* 1\n2 */ b\r\n'x\ny' c\n$$\n$$ d");
        Assert.Equal([1, 3, 4, 5, 6, 7], tokens.Select(t => t.Line));
    }

    [Fact]
    public void Meta_command_runs_to_end_of_line()
    {
        var tokens = SqlTokenizer.Tokenize("\\restrict abc  \nSELECT 1");
        Assert.Equal(SqlTokenKind.MetaCommand, tokens[0].Kind);
        Assert.Equal("\\restrict abc", tokens[0].Text);
        Assert.Equal("select", tokens[1].Value);
    }

    [Theory]
    [InlineData("SELECT 1;\nSELECT 'abc", 2, "string")]
    [InlineData("SELECT 1;\n\n/* a /* b */ c", 3, "comment")]
    [InlineData("x\nAS $fn$ body $$ ;", 2, "$fn$")]
    [InlineData("\"Items", 1, "quoted identifier")]
    [InlineData("E'abc\\'", 1, "string")]
    public void Unterminated_constructs_name_file_and_line(string sql, int line, string what)
    {
        var ex = Assert.Throws<DbAdapterException>(() => SqlTokenizer.Tokenize(sql, "schema.sql"));
        Assert.Equal(ErrorIds.SchemaFileInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"schema.sql: line {line}: unterminated", ex.Message);
        Assert.Contains(what, ex.Message);
        Assert.Equal("schema.sql", ex.Target);
    }
}
