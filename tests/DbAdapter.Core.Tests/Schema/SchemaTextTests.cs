using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>The type-text fallbacks, used when the server cannot canonicalise a type.</summary>
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
}
