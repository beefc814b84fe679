using System.Text;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Sql;

/// <summary>
/// Folding of SQL fragments (a type or a default expression taken from schema.sql), to compare two
/// fragments as text when the server cannot canonicalise them. It reads the fragment with the one
/// tokenizer, as <see cref="SqlItem"/> does, so a quote or a comment means the same thing to both.
/// </summary>
internal static class SqlFragment
{
    /// <summary>
    /// Lower-cases everything outside quotes and drops white space except between two words, so
    /// "NOW( )" and "now()" or "'A'::TEXT" and "'A'::text" compare equal while 'A' and 'a' do not.
    /// Comments are dropped. A fragment the tokenizer cannot read (an unterminated quote) is only trimmed.
    /// </summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(text);
        }
        catch (DbAdapterException)
        {
            return text.Trim();
        }

        var folded = new StringBuilder(text.Length);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];

            // A space only matters between two words ("timestamp with"); around punctuation
            // ("now ( )", "numeric(10, 2)") it is noise.
            if (i > 0 && IsWord(tokens[i - 1]) && IsWord(token))
            {
                folded.Append(' ');
            }

            folded.Append(token.Kind is SqlTokenKind.Identifier or SqlTokenKind.Number or SqlTokenKind.Operator or SqlTokenKind.Punctuation
                ? token.Text.ToLowerInvariant()
                : token.Text);
        }

        return folded.ToString();
    }

    private static bool IsWord(SqlToken token) => token.Kind is not (SqlTokenKind.Operator or SqlTokenKind.Punctuation);
}
