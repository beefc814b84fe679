using System.Text;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// Names and values as they go into a PostgREST URL, following its query grammar
/// (PostgREST's QueryParams: a filter's single value is everything after "eq.", taken as it is; a
/// column name is an identifier, or any text in double quotes with " and \ escaped). A value is
/// therefore percent-encoded and never quoted (quotes would become part of it and match nothing); a
/// name other than letters, digits, _ and $ is quoted, then percent-encoded. Nothing is pasted into a
/// URL as given: an id such as "a,b&amp;x=1" or "1)" cannot change the request it is part of.
/// </summary>
internal static class DataApiLiteral
{
    /// <summary>A filter's value (after "eq.", "gt."...), percent-encoded.</summary>
    public static string Value(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Uri.EscapeDataString(value);
    }

    /// <summary>A column name for a filter or order, quoted when PostgREST would not read it as one identifier, percent-encoded.</summary>
    public static string Name(string name) => Uri.EscapeDataString(QuoteName(name));

    /// <summary>The name as PostgREST reads it: as it is when it is letters, digits, _ and $ only, else in double quotes.</summary>
    public static string QuoteName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$'))
        {
            return name;
        }

        var quoted = new StringBuilder(name.Length + 2).Append('"');
        foreach (var c in name)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }
}
