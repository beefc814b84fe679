using System.Globalization;

namespace DbAdapter.Bench.Shared;

/// <summary>
/// The command-line options and the min/median figures every benchmark reports. Linked into both bench
/// projects, so it uses neither DbAdapter.Core nor Npgsql (the cmdlet bench must not load them).
/// </summary>
internal static class BenchStatistics
{
    /// <summary>The smallest value, in whole units.</summary>
    public static string Min(IEnumerable<double> values) => values.Min().ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>The median, to a tenth.</summary>
    public static string Median(IEnumerable<double> values) => MedianOf(values).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>The middle value, or the mean of the two middle ones.</summary>
    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The whole number after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The comma-separated whole numbers after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static int[] OptionList(string[] args, string name, int[] fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length
            ? args[index + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : fallback;
    }
}
