using System.Text;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// Names and values as they go into a PostgREST URL: a value (or a column name) holding one of
/// PostgREST's reserved characters (, . : ( ) " \) or white space is written between double quotes
/// with " and \ escaped by a backslash, and the result is percent-encoded. Nothing is ever pasted
/// into a URL as given: an id such as "a,b" or "1)" cannot change the filter it is part of.
/// </summary>
internal static class DataApiLiteral
{
    /// <summary>The percent-encoded PostgREST literal for <paramref name="value"/>.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(Quote(value));

    /// <summary>The PostgREST literal for <paramref name="value"/>, quoted when it needs to be (not yet percent-encoded).</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && !value.Any(NeedsQuotes))
        {
            return value;
        }

        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }

    private static bool NeedsQuotes(char c) => c is ',' or '.' or ':' or '(' or ')' or '"' or '\\' || char.IsWhiteSpace(c);
}
