using System.Text;

namespace DbAdapter.Core.Sql;

/// <summary>
/// Folding of SQL fragments (a type or a default expression taken from schema.sql), to compare two
/// fragments as text when the server cannot canonicalise them. Whether a fragment may be sent to the
/// server at all is <see cref="SqlItem"/>'s decision, made with the tokenizer.
/// </summary>
internal static class SqlFragment
{
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
}
