namespace DbAdapter.Core.Sql;

/// <summary>
/// Cuts a token stream into statements at top-level <c>;</c>. Strings, comments and dollar bodies are
/// already single tokens, so only parentheses and SQL-standard function bodies (<c>BEGIN ATOMIC ... END</c>)
/// can hold a semicolon that does not end a statement.
/// </summary>
internal static class SqlStatementSplitter
{
    public static List<SqlStatement> Split(string sql, IReadOnlyList<SqlToken> tokens)
    {
        var statements = new List<SqlStatement>();
        var index = 0;
        while (index < tokens.Count)
        {
            index = ReadOne(sql, tokens, index, statements);
        }

        return statements;
    }

    /// <summary>Reads one statement starting at <paramref name="start"/>; returns where the next one starts.</summary>
    private static int ReadOne(string sql, IReadOnlyList<SqlToken> tokens, int start, List<SqlStatement> statements)
    {
        // The statement is the range [first, i) of the token list, minus meta-commands inside it.
        var first = start;
        var firstInnerMetaCommand = -1;
        var depth = 0;
        var atomicDepth = 0;
        var firstNestedSemicolon = -1;
        var statementsAtNestedSemicolon = -1;
        for (var i = start; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.MetaCommand)
            {
                // psql runs a meta-command on its own line without ending the statement around it.
                statements.Add(new SqlStatement(tokens, i, i + 1, sql));
                if (i == first)
                {
                    first = i + 1;
                }
                else if (firstInnerMetaCommand < 0)
                {
                    firstInnerMetaCommand = i;
                }

                continue;
            }

            if (token.IsSymbol(";"))
            {
                if (depth == 0 && atomicDepth == 0)
                {
                    Emit(sql, tokens, first, i, firstInnerMetaCommand, statements);
                    return i + 1;
                }

                if (firstNestedSemicolon < 0)
                {
                    firstNestedSemicolon = i;
                    statementsAtNestedSemicolon = statements.Count;
                }
            }
            else if (token.IsSymbol("(") || token.IsSymbol("["))
            {
                depth++;
            }
            else if (token.IsSymbol(")") || token.IsSymbol("]"))
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && token.IsWord("begin") && i + 1 < tokens.Count && tokens[i + 1].IsWord("atomic"))
            {
                atomicDepth++;
            }
            else if (atomicDepth > 0 && depth == 0 && token.IsWord("case"))
            {
                atomicDepth++;
            }
            else if (atomicDepth > 0 && depth == 0 && token.IsWord("end"))
            {
                atomicDepth--;
            }
        }

        // An unclosed '(' would otherwise swallow every later statement; cut at its first ';' so the broken
        // statement is reported on its own and the rest of the file is still read.
        if ((depth > 0 || atomicDepth > 0) && firstNestedSemicolon >= 0)
        {
            // Meta-commands seen after the cut are read again with the rest of the file.
            statements.RemoveRange(statementsAtNestedSemicolon, statements.Count - statementsAtNestedSemicolon);
            Emit(sql, tokens, first, firstNestedSemicolon, firstInnerMetaCommand, statements);
            return firstNestedSemicolon + 1;
        }

        Emit(sql, tokens, first, tokens.Count, firstInnerMetaCommand, statements);
        return tokens.Count;
    }

    private static void Emit(string sql, IReadOnlyList<SqlToken> tokens, int start, int end, int firstInnerMetaCommand, List<SqlStatement> statements)
    {
        if (firstInnerMetaCommand < 0 || firstInnerMetaCommand >= end)
        {
            if (end > start)
            {
                statements.Add(new SqlStatement(tokens, start, end, sql));
            }

            return;
        }

        // Rare: a meta-command line in the middle of a statement. Only then are the statement's own
        // tokens copied out, so the readers never see the meta-command.
        var own = new List<SqlToken>(end - start);
        for (var i = start; i < end; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.MetaCommand)
            {
                own.Add(tokens[i]);
            }
        }

        if (own.Count > 0)
        {
            statements.Add(new SqlStatement(own, 0, own.Count, sql));
        }
    }
}
