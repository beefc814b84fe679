using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Sql;

/// <summary>
/// The one check that a fragment taken from a user file (a column type, a default expression, a whole
/// column definition) is exactly one item before it becomes part of SQL text the server sees. Read by
/// the tokenizer (the same one that reads schema.sql), the fragment must hold no <c>;</c>, no comment,
/// no psql meta-command and no <c>,</c> outside parentheses, and its parentheses and brackets must
/// pair up. A string or a dollar-quoted body may hold any of those characters: it is one token.
/// </summary>
/// <remarks>
/// This keeps a fragment from closing the clause it is put in ("INTEGER, DROP COLUMN name" inside
/// an ALTER TABLE ... ADD COLUMN is one statement with two actions). A second statement is refused
/// twice over: here, and by the server, because every statement is sent as its own command.
/// </remarks>
internal static class SqlItem
{
    /// <summary>Null when <paramref name="text"/> is one item; otherwise what is wrong with it, as a clause ("it holds a ';' ...").</summary>
    public static string? FindProblem(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "it is empty";
        }

        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(text);
        }
        catch (DbAdapterException)
        {
            return "it holds an unterminated string, quoted name, comment or dollar quote";
        }

        var open = new Stack<char>();
        var gapStart = 0;
        foreach (var token in tokens)
        {
            // The tokenizer turns everything but white space and comments into tokens: anything
            // else between two tokens is a comment.
            if (!IsWhiteSpace(text, gapStart, token.Start))
            {
                return "it holds a comment";
            }

            gapStart = token.End;
            if (token.Kind == SqlTokenKind.MetaCommand)
            {
                return $"it holds a psql meta-command ('{token.Text}')";
            }

            if (token.Kind is not (SqlTokenKind.Punctuation or SqlTokenKind.Operator))
            {
                continue;
            }

            switch (token.Text)
            {
                case ";":
                    return "it holds a ';' (the end of a statement)";
                case "(":
                    open.Push(')');
                    break;
                case "[":
                    open.Push(']');
                    break;
                case ")" or "]":
                    if (open.Count == 0 || open.Pop() != token.Text[0])
                    {
                        return $"its parentheses do not pair up (an unexpected '{token.Text}')";
                    }

                    break;
                case "," when open.Count == 0:
                    return "it holds a ',' outside parentheses (the start of another item)";
            }
        }

        if (!IsWhiteSpace(text, gapStart, text.Length))
        {
            return "it holds a comment";
        }

        return open.Count > 0 ? "its parentheses do not pair up (a '(' or '[' is never closed)" : null;
    }

    /// <summary>
    /// Null when <paramref name="text"/> is (the rest of) exactly one statement, as the statement splitter
    /// that reads schema.sql cuts statements (a ';' ends one, except inside parentheses or a BEGIN
    /// ATOMIC body); otherwise what is wrong with it. Unlike <see cref="FindProblem"/> it allows a list at
    /// the top level (a query's select list, a function's SET clause).
    /// </summary>
    public static string? FindStatementProblem(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "it is empty";
        }

        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(text);
        }
        catch (DbAdapterException)
        {
            return "it holds an unterminated string, quoted name, comment or dollar quote";
        }

        if (tokens.FirstOrDefault(t => t.Kind == SqlTokenKind.MetaCommand) is { Text: { } meta } && meta.Length > 0)
        {
            return $"it holds a psql meta-command ('{meta}')";
        }

        var statements = SqlStatementSplitter.Split(text, tokens);
        if (statements.Count != 1 || statements[0].End != tokens.Count)
        {
            return "it holds a ';' (the end of a statement)";
        }

        // The splitter does not end a statement at a ';' inside parentheses (psql does not either);
        // only a SQL-standard function body (BEGIN ATOMIC ... END) may hold one here.
        var depth = 0;
        var atomic = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsSymbol("(") || token.IsSymbol("["))
            {
                depth++;
            }
            else if (token.IsSymbol(")") || token.IsSymbol("]"))
            {
                if (--depth < 0)
                {
                    return $"its parentheses do not pair up (an unexpected '{token.Text}')";
                }
            }
            else if (depth == 0 && token.IsWord("begin") && i + 1 < tokens.Count && tokens[i + 1].IsWord("atomic"))
            {
                atomic++;
            }
            else if (atomic > 0 && depth == 0 && token.IsWord("case"))
            {
                atomic++;
            }
            else if (atomic > 0 && depth == 0 && token.IsWord("end"))
            {
                atomic--;
            }
            else if (atomic == 0 && token.IsSymbol(";"))
            {
                return "it holds a ';' (the end of a statement)";
            }
        }

        return depth > 0 ? "its parentheses do not pair up (a '(' or '[' is never closed)" : null;
    }

    /// <summary>True when <paramref name="text"/> is one item (see <see cref="FindProblem"/>).</summary>
    public static bool IsOne(string text) => FindProblem(text) is null;

    private static bool IsWhiteSpace(string text, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
