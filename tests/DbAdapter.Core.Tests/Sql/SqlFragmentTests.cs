using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Tests.Sql;

/// <summary>The one-item check every fragment from a user file passes before the server sees it, and text folding.</summary>
public sealed class SqlFragmentTests
{
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
