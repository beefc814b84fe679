using System.Globalization;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// Reads the ISO-8601 texts PostgreSQL's JSON gives dates and times ("2024-05-01T10:00:00.5+02:00";
/// the fraction has only the digits it needs, the offset is the session's time zone, sometimes with
/// seconds) back into the values a backup writes: timestamptz in UTC, the others as they are.
/// </summary>
internal static class DataApiTimestamps
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    /// <exception cref="FormatException">Not such a text (a year past 9999 or BC, which .NET cannot hold either).</exception>
    public static DateTime Parse(string text, bool withOffset)
    {
        switch (text)
        {
            case "infinity":
                return DateTime.MaxValue;
            case "-infinity":
                return DateTime.MinValue;
        }

        var local = text;
        var offset = TimeSpan.Zero;
        if (withOffset)
        {
            var sign = text.LastIndexOfAny(['+', '-']);
            if (sign <= text.IndexOf('T', StringComparison.Ordinal))
            {
                throw new FormatException($"'{text}' has no time zone offset");
            }

            offset = Offset(text[sign..]);
            local = text[..sign];
        }

        var moment = DateTime.ParseExact(local, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None);
        return withOffset ? DateTime.SpecifyKind(moment - offset, DateTimeKind.Utc) : moment;
    }

    /// <summary>A time of day ("10:00:00.25", up to 24:00:00).</summary>
    public static TimeSpan ParseTime(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            throw new FormatException($"'{text}' is not a time of day");
        }

        var seconds = decimal.Parse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return new TimeSpan(
            (int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture) * 3600L + int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture) * 60L) * TimeSpan.TicksPerSecond
            + (long)(seconds * TimeSpan.TicksPerSecond));
    }

    // "+02", "+02:00", "+05:53:28", "-03:30".
    private static TimeSpan Offset(string text)
    {
        var parts = text[1..].Split(':');
        var total = TimeSpan.Zero;
        for (var i = 0; i < parts.Length && i < 3; i++)
        {
            var n = int.Parse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture);
            total += i switch { 0 => TimeSpan.FromHours(n), 1 => TimeSpan.FromMinutes(n), _ => TimeSpan.FromSeconds(n) };
        }

        return text[0] == '-' ? -total : total;
    }
}
