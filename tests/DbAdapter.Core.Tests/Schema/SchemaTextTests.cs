using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>The text-only fallbacks, used when the server cannot canonicalise a fragment.</summary>
public sealed class SchemaTextTests
{
    [Theory]
    [InlineData("INT", "integer")]
    [InlineData("int4", "integer")]
    [InlineData("VARCHAR(50)", "character varying(50)")]
    [InlineData("varchar (50)", "character varying(50)")]
    [InlineData("TIMESTAMPTZ", "timestamp with time zone")]
    [InlineData("timestamp", "timestamp without time zone")]
    [InlineData("TIMESTAMP(3)", "timestamp(3) without time zone")]
    [InlineData("timestamp(3) WITH TIME ZONE", "timestamp(3) with time zone")]
    [InlineData("NUMERIC(10, 2)", "numeric(10,2)")]
    [InlineData("DECIMAL(10,2)", "numeric(10,2)")]
    [InlineData("int[]", "integer[]")]
    [InlineData("TEXT[3][]", "text[][]")]
    [InlineData("double precision", "double precision")]
    [InlineData("mood", "mood")]
    public void Canonical_type_text_resolves_documented_aliases(string written, string canonical) =>
        Assert.Equal(canonical, TypeText.Canonical(written));

    [Theory]
    [InlineData("SERIAL", "integer")]
    [InlineData("serial4", "integer")]
    [InlineData("BIGSERIAL", "bigint")]
    [InlineData("smallserial", "smallint")]
    [InlineData("INTEGER", null)]
    public void Serial_types_map_to_their_integer(string written, string? integer) =>
        Assert.Equal(integer, TypeText.SerialBase(written));

    [Theory]
    [InlineData("now()", null)]
    [InlineData("'a;b'", null)]
    [InlineData("'it''s'", null)]
    [InlineData("$$x;y$$", null)]
    [InlineData("$q$a, 'b'; c -- d$q$", null)]
    [InlineData("E'\\';'", null)]
    [InlineData("numeric(10, 2)", null)]
    [InlineData("ARRAY[1, 2]", null)]
    [InlineData("x$q$;DROP TABLE t;--$q$", "holds a ';'")]
    [InlineData("0; DROP TABLE x", "holds a ';'")]
    [InlineData("0, DROP COLUMN y", "holds a ','")]
    [InlineData("0 -- comment", "holds a comment")]
    [InlineData("0 /* c */", "holds a comment")]
    [InlineData("(0]", "do not pair up")]
    [InlineData("0)", "do not pair up")]
    [InlineData("(0", "never closed")]
    [InlineData("'unterminated", "unterminated")]
    [InlineData("$a$ unterminated", "unterminated")]
    [InlineData("  ", "empty")]
    public void One_item_is_told_from_text_that_could_end_or_extend_the_statement_it_is_put_in(string text, string? problem)
    {
        var found = SqlItem.FindProblem(text);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("NOW( )", "now()")]
    [InlineData("'A'::TEXT", "'A'::text")]
    [InlineData("  nextval ( 'S' )  ", "nextval('S')")]
    public void Folding_ignores_case_and_spacing_outside_quotes(string text, string folded) =>
        Assert.Equal(folded, SqlFragment.Fold(text));
}
