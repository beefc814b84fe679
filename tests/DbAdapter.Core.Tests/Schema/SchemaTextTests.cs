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
    [InlineData("now()", true)]
    [InlineData("'a;b'", true)]
    [InlineData("'it''s'", true)]
    [InlineData("$$x;y$$", true)]
    [InlineData("E'\\';'", true)]
    [InlineData("0; DROP TABLE x", false)]
    [InlineData("0 -- comment", false)]
    [InlineData("0 /* c */", false)]
    [InlineData("'unterminated", false)]
    [InlineData("$a$ unterminated", false)]
    public void Self_contained_fragments_are_told_from_ones_that_could_end_a_statement(string text, bool selfContained) =>
        Assert.Equal(selfContained, SqlFragment.IsSelfContained(text));

    [Theory]
    [InlineData("NOW( )", "now()")]
    [InlineData("'A'::TEXT", "'A'::text")]
    [InlineData("  nextval ( 'S' )  ", "nextval('S')")]
    public void Folding_ignores_case_and_spacing_outside_quotes(string text, string folded) =>
        Assert.Equal(folded, SqlFragment.Fold(text));
}
