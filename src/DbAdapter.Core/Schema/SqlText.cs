namespace DbAdapter.Core.Schema;

/// <summary>Turns a run of tokens back into SQL text.</summary>
internal static class SqlText
{
    /// <summary>
    /// The tokens as written, with each gap (whitespace, newlines, comments) reduced to one space and
    /// no space where the source had none, so "NOW()" and "VARCHAR(100)" come back unchanged and a
    /// "--" comment can never end up commenting out the rest of a one-line statement.
    /// </summary>
    public static string Render(IReadOnlyList<SqlToken> tokens, int from, int to)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = from; i < to; i++)
        {
            if (i > from && tokens[i].Start > tokens[i - 1].End)
            {
                builder.Append(' ');
            }

            builder.Append(tokens[i].Text);
        }

        return builder.ToString();
    }
}
