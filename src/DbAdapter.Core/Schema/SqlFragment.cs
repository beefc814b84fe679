using System.Text;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Light lexical checks and folding of SQL fragments (a type or a default expression taken from
/// schema.sql). Not a parser: just enough to know a fragment cannot end the statement it is put in,
/// and to compare two fragments as text when the server cannot canonicalise them.
/// </summary>
internal static class SqlFragment
{
    /// <summary>
    /// True when <paramref name="text"/> holds no statement separator and no comment outside quotes
    /// and closes every quote it opens. Fragments that fail are compared as text only, never sent.
    /// </summary>
    public static bool IsSelfContained(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case ';':
                    return false;
                case '-' when Next(text, i) == '-':
                case '/' when Next(text, i) == '*':
                    return false;
                case '\'':
                    var escapes = i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e');
                    i = SkipQuoted(text, i, '\'', escapes);
                    break;
                case '"':
                    i = SkipQuoted(text, i, '"', backslashEscapes: false);
                    break;
                case '$':
                    i = SkipDollarQuoted(text, i);
                    break;
                default:
                    i++;
                    break;
            }

            if (i < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Lower-cases everything outside quotes and collapses white space, so "NOW( )" and "now()" or
    /// "'A'::TEXT" and "'A'::text" compare equal while 'A' and 'a' do not.
    /// </summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        var pendingSpace = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                i++;
                continue;
            }

            if (pendingSpace && NeedsSpace(sb[^1], c))
            {
                sb.Append(' ');
            }

            pendingSpace = false;
            if (c is '\'' or '"')
            {
                var end = SkipQuoted(text, i, c, backslashEscapes: false);
                end = end < 0 ? text.Length : end;
                sb.Append(text, i, end - i);
                i = end;
                continue;
            }

            sb.Append(char.ToLowerInvariant(c));
            i++;
        }

        return sb.ToString();
    }

    // A space only matters between two word characters ("timestamp with"); around punctuation
    // ("now ( )", "numeric(10, 2)") it is noise.
    private static bool NeedsSpace(char before, char after) => IsWordChar(before) && IsWordChar(after);

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '"' or '\'';

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    /// <summary>Index after the closing quote, or -1 when unterminated.</summary>
    private static int SkipQuoted(string text, int start, char quote, bool backslashEscapes)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (Next(text, i) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return -1;
    }

    /// <summary>Index after a $tag$...$tag$ string, after a lone '$' (a positional parameter), or -1 when unterminated.</summary>
    private static int SkipDollarQuoted(string text, int start)
    {
        var tagEnd = start + 1;
        while (tagEnd < text.Length && (char.IsLetterOrDigit(text[tagEnd]) || text[tagEnd] == '_'))
        {
            tagEnd++;
        }

        if (tagEnd >= text.Length || text[tagEnd] != '$' || (tagEnd > start + 1 && char.IsDigit(text[start + 1])))
        {
            return start + 1;
        }

        var tag = text[start..(tagEnd + 1)];
        var close = text.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
        return close < 0 ? -1 : close + tag.Length;
    }
}
