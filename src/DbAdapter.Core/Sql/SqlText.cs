using System.Text;

namespace DbAdapter.Core.Sql;

/// <summary>Turns a run of tokens back into SQL text.</summary>
internal static class SqlText
{
    /// <summary>All of <paramref name="sql"/> rendered as its tokens (see the overload): no comment survives.</summary>
    public static string Render(string sql)
    {
        var tokens = SqlTokenizer.Tokenize(sql);
        return Render(tokens, 0, tokens.Count);
    }

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

    /// <summary>
    /// <paramref name="text"/> with every name <paramref name="from"/> (a column: not a function call)
    /// written as <paramref name="to"/>, found by tokens so strings and comments are never touched.
    /// </summary>
    public static string RenameName(string text, string from, string to)
    {
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(text);
        }
        catch (Diagnostics.DbAdapterException)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.IsName || !string.Equals(token.Value, from, StringComparison.Ordinal) || (i + 1 < tokens.Count && tokens[i + 1].IsSymbol("(")))
            {
                continue;
            }

            builder.Append(text, position, token.Start - position).Append(SqlIdentifier.QuoteIfNeeded(to));
            position = token.End;
        }

        return position == 0 ? text : builder.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>Removes the given character ranges and tidies the gaps they leave.</summary>
    public static string Cut(string text, IEnumerable<(int Start, int End)> cuts)
    {
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (start, end) in cuts.OrderBy(c => c.Start))
        {
            if (start < position)
            {
                continue;
            }

            builder.Append(text, position, start - position);
            position = end;
        }

        builder.Append(text, position, text.Length - position);
        return Normalize(builder.ToString());
    }

    private static string Normalize(string text)
    {
        // Collapse runs of spaces left by a cut; line breaks of multi-line statements stay.
        var builder = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            var trimmedEnd = line.TrimEnd();
            var indent = trimmedEnd.Length - trimmedEnd.TrimStart().Length;
            builder.Append(trimmedEnd, 0, indent);
            var previousSpace = false;
            foreach (var c in trimmedEnd.AsSpan(indent))
            {
                if (c == ' ' && previousSpace)
                {
                    continue;
                }

                previousSpace = c == ' ';
                builder.Append(c);
            }
        }

        return builder.ToString().Replace(" ,", ",", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal).Trim();
    }
}
