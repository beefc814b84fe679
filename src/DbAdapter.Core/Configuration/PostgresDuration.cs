using System.Globalization;
using System.Text.RegularExpressions;

namespace DbAdapter.Core.Configuration;

/// <summary>
/// Durations written as PostgreSQL writes time settings (<c>lock_timeout = '2s'</c>): a number, optionally
/// fractional, then one of the units us, ms, s, min, h, d (case-sensitive, as the server has them); a
/// bare number means milliseconds. So a value copied from postgresql.conf means the same here.
/// </summary>
public static partial class PostgresDuration
{
    /// <summary>The longest value a PostgreSQL time setting in milliseconds takes (INT_MAX ms, about 24.8 days).</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>Reads <paramref name="text"/>; false when it is not a duration PostgreSQL would take or exceeds <see cref="Maximum"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = text is null ? null : Syntax().Match(text);
        if (match is not { Success: true } || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var milliseconds = match.Groups["unit"].Value switch
        {
            "us" => number / 1000m,
            "" or "ms" => number,
            "s" => number * 1000m,
            "min" => number * 60_000m,
            "h" => number * 3_600_000m,
            _ => number * 86_400_000m,
        };
        if (milliseconds > int.MaxValue)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond));
        return true;
    }

    [GeneratedRegex(@"^\s*(?<number>\d+(\.\d+)?|\.\d+)\s*(?<unit>us|ms|s|min|h|d)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
