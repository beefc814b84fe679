namespace DbAdapter.Core.Sql;

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
        // Types and defaults are mostly one token ("INTEGER", "0"): its text is already a string, shared
        // with every other token of that text.
        if (to - from == 1)
        {
            return tokens[from].Text;
        }

        if (to <= from)
        {
            return string.Empty;
        }

        // Measure first, then write the string in place: no builder and no intermediate copies.
        var length = 0;
        for (var i = from; i < to; i++)
        {
            length += tokens[i].Text.Length + (i > from && tokens[i].Start > tokens[i - 1].End ? 1 : 0);
        }

        return string.Create(length, (tokens, from, to), static (chars, range) =>
        {
            var (tokens, from, to) = range;
            var at = 0;
            for (var i = from; i < to; i++)
            {
                if (i > from && tokens[i].Start > tokens[i - 1].End)
                {
                    chars[at++] = ' ';
                }

                var text = tokens[i].Text;
                text.CopyTo(chars[at..]);
                at += text.Length;
            }
        });
    }
}
