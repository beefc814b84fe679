using DbAdapter.Core.DataApi;

namespace DbAdapter.Core.Tests.DataApi;

/// <summary>The texts of the Data API's URLs and answers: names and values as PostgREST's grammar reads them, and PostgreSQL's ISO times in any zone.</summary>
public sealed class DataApiTextTests
{
    [Theory]
    [InlineData("user_id", "user_id")]
    [InlineData("Ünïcode_$1", "Ünïcode_$1")]
    [InlineData("information.cpe", "\"information.cpe\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("json->key", "\"json->key\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("", "\"\"")]
    public void A_name_that_is_not_one_plain_identifier_is_quoted_and_escaped(string name, string quoted)
    {
        Assert.Equal(quoted, DataApiLiteral.QuoteName(name));
        Assert.Equal(Uri.EscapeDataString(quoted), DataApiLiteral.Name(name));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("a,b")]
    [InlineData("\"quoted\"")]
    [InlineData("x&id=gt.0")]
    [InlineData("or=(id.gt.0)")]
    public void A_value_is_sent_as_it_is_percent_encoded_so_it_cannot_add_a_parameter(string value)
    {
        var encoded = DataApiLiteral.Value(value);

        Assert.Equal(value, Uri.UnescapeDataString(encoded));
        Assert.DoesNotContain("&", encoded, StringComparison.Ordinal);
        Assert.DoesNotContain("=", encoded, StringComparison.Ordinal);
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
