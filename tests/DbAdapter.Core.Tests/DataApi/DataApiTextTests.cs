using DbAdapter.Core.DataApi;

namespace DbAdapter.Core.Tests.DataApi;

/// <summary>The texts of the Data API's URLs and answers: PostgREST literals, and PostgreSQL's ISO times in any zone.</summary>
public sealed class DataApiTextTests
{
    [Theory]
    [InlineData("42", "42")]
    [InlineData("aaaaaaaa-0000-0000-0000-00000000000a", "aaaaaaaa-0000-0000-0000-00000000000a")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("v1.2", "\"v1.2\"")]
    [InlineData("12:00", "\"12:00\"")]
    [InlineData("f(x)", "\"f(x)\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("", "\"\"")]
    [InlineData("or=(id.gt.0)", "\"or=(id.gt.0)\"")]
    public void A_value_that_holds_a_reserved_character_is_quoted_and_escaped(string value, string literal)
    {
        Assert.Equal(literal, DataApiLiteral.Quote(value));
        Assert.Equal(Uri.EscapeDataString(literal), DataApiLiteral.Encode(value));
        Assert.DoesNotContain("&", DataApiLiteral.Encode(value + "&x=1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59.123456+05:30", "2024-02-29T18:29:59.1234560Z")]
    [InlineData("2024-02-29T23:59:59.5-03:30", "2024-03-01T03:29:59.5000000Z")]
    [InlineData("1900-01-01T00:00:00+00:19:32", "1899-12-31T23:40:28.0000000Z")]
    [InlineData("2024-01-01T00:00:00+02", "2023-12-31T22:00:00.0000000Z")]
    [InlineData("1970-01-01T00:00:00+00:00", "1970-01-01T00:00:00.0000000Z")]
    public void A_timestamptz_in_any_offset_comes_back_in_UTC(string text, string utc)
    {
        var value = DataApiTimestamps.Parse(text, withOffset: true);

        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(utc, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Infinities_times_of_day_and_broken_texts()
    {
        Assert.Equal(DateTime.MaxValue, DataApiTimestamps.Parse("infinity", withOffset: true));
        Assert.Equal(DateTime.MinValue, DataApiTimestamps.Parse("-infinity", withOffset: false));
        Assert.Equal(new DateTime(2024, 2, 29, 12, 0, 0).AddTicks(10), DataApiTimestamps.Parse("2024-02-29T12:00:00.000001", withOffset: false));
        Assert.Equal(TimeSpan.FromHours(24), DataApiTimestamps.ParseTime("24:00:00"));
        Assert.Equal(new TimeSpan(0, 12, 34, 56).Add(TimeSpan.FromTicks(5_000_000)), DataApiTimestamps.ParseTime("12:34:56.5"));
        Assert.Throws<FormatException>(() => DataApiTimestamps.Parse("2024-02-29T12:00:00", withOffset: true));
        Assert.Throws<FormatException>(() => DataApiTimestamps.Parse("10000-01-01T00:00:00+00:00", withOffset: true));
        Assert.Throws<FormatException>(() => DataApiTimestamps.ParseTime("12:00"));
    }
}
