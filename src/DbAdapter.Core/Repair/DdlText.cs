using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Edits schema.sql text by tokens, never by patterns over raw text, so that a "REFERENCES" or a
/// "NOT NULL" inside a string, a comment, a CHECK or a default expression is never touched: cuts
/// NOT NULL out of a column definition and foreign keys out of a CREATE TABLE or a column definition.
/// </summary>
internal static class DdlText
{
    /// <summary>
    /// The definition without its NOT NULL constraint (and the CONSTRAINT name that labels it);
    /// everything else stays as written.
    /// </summary>
    public static string RemoveNotNull(string definition) => ColumnDefinitionText.WithoutNotNull(definition);

    /// <summary>True when the definition spells NOT NULL as a constraint.</summary>
    public static bool HasNotNull(string definition) => ColumnDefinitionText.HasNotNull(definition);

    /// <summary>
    /// The inline REFERENCES clauses of a column definition (with their CONSTRAINT names), located in
    /// <paramref name="text"/>; <paramref name="column"/> is the referencing column.
    /// </summary>
    public static List<ForeignKeyClause> FindColumnReferences(string text, string column)
    {
        var tokens = SqlTokenizer.Tokenize(text);
        return FindInlineReferences(text, tokens, 0, tokens.Count, column);
    }

    /// <summary>
    /// Every foreign key of a CREATE TABLE statement: inline REFERENCES of its columns and FOREIGN KEY
    /// table constraints. A table constraint's cut covers the whole element and one comma next to it.
    /// </summary>
    public static List<ForeignKeyClause> FindCreateTableForeignKeys(string createStatement)
    {
        var tokens = SqlTokenizer.Tokenize(createStatement);
        var result = new List<ForeignKeyClause>();
        var open = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol("("))
            {
                open = i;
                break;
            }
        }

        if (open < 0)
        {
            return result;
        }

        var close = MatchingClose(tokens, open);
        var elements = TokenCursor.SplitTopLevel(tokens, open + 1, close);
        for (var e = 0; e < elements.Count; e++)
        {
            var (start, end) = elements[e];
            if (start >= end)
            {
                continue;
            }

            var cursor = new TokenCursor(tokens, start, end);
            string? name = null;
            if (cursor.IsWord("constraint") && cursor.Peek(1) is { IsName: true } nameToken)
            {
                name = nameToken.Value;
                cursor.Position += 2;
            }

            if (cursor.AreWords("foreign", "key"))
            {
                cursor.Position += 2;
                var (listStart, listEnd) = cursor.ReadParenthesized();
                var columns = Names(tokens, listStart, listEnd);
                var references = cursor.Position;
                var (schema, table) = ReadReferencedTable(tokens, references + 1, end);

                // Cut the element with the comma before it, or after it when it is the first element.
                int cutStart, cutEnd;
                if (e > 0)
                {
                    cutStart = tokens[start - 1].Start;
                    cutEnd = tokens[end - 1].End;
                }
                else
                {
                    cutStart = tokens[start].Start;
                    cutEnd = elements.Count > 1 ? tokens[elements[1].Start].Start : tokens[end - 1].End;
                }

                result.Add(new ForeignKeyClause(
                    cutStart, cutEnd, name, columns, schema, table, Slice(createStatement, tokens, references, end)));
            }
            else if (!TableElementReader.StartsTableConstraint(new TokenCursor(tokens, start, end)) && tokens[start].IsName)
            {
                result.AddRange(FindInlineReferences(createStatement, tokens, start + 1, end, tokens[start].Value));
            }
        }

        return result;
    }

    /// <summary>The tables a statement names after REFERENCES (schema null when unqualified).</summary>
    public static List<(string? Schema, string Table)> ReferencedTables(string statement)
    {
        var tokens = SqlTokenizer.Tokenize(statement);
        var result = new List<(string?, string)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsWord("references") && i + 1 < tokens.Count && tokens[i + 1].IsName)
            {
                result.Add(ReadReferencedTable(tokens, i + 1, tokens.Count));
            }
        }

        return result;
    }

    private static List<ForeignKeyClause> FindInlineReferences(string text, IReadOnlyList<SqlToken> tokens, int start, int end, string column)
    {
        var result = new List<ForeignKeyClause>();
        var depth = 0;
        for (var i = start; i < end; i++)
        {
            depth += Depth(tokens[i]);
            if (depth != 0 || !tokens[i].IsWord("references"))
            {
                continue;
            }

            var first = i;
            string? name = null;
            if (i - 2 >= start && tokens[i - 2].IsWord("constraint") && tokens[i - 1].IsName)
            {
                first = i - 2;
                name = tokens[i - 1].Value;
            }

            var (schema, table) = ReadReferencedTable(tokens, i + 1, end);
            var last = ClauseEnd(tokens, i + 1, end);
            result.Add(new ForeignKeyClause(tokens[first].Start, tokens[last - 1].End, name, [column], schema, table, Slice(text, tokens, i, last)));
            i = last - 1;
        }

        return result;
    }

    /// <summary>Index just past a REFERENCES clause that starts (after the key word) at <paramref name="i"/>.</summary>
    private static int ClauseEnd(IReadOnlyList<SqlToken> tokens, int i, int end)
    {
        var cursor = new TokenCursor(tokens, i, end);
        cursor.ReadQualifiedName(string.Empty);
        if (cursor.IsSymbol("("))
        {
            cursor.SkipItem();
        }

        while (!cursor.AtEnd)
        {
            if (cursor.AcceptWord("match"))
            {
                cursor.Position++;
            }
            else if (cursor.AreWords("on", "delete") || cursor.AreWords("on", "update"))
            {
                cursor.Position += 2;
                if (cursor.AcceptWords("no", "action") || cursor.AcceptWord("restrict") || cursor.AcceptWord("cascade"))
                {
                    continue;
                }

                if (cursor.AcceptWords("set", "null") || cursor.AcceptWords("set", "default"))
                {
                    if (cursor.IsSymbol("("))
                    {
                        cursor.SkipItem();
                    }
                }
            }
            else if (cursor.AcceptWords("not", "deferrable") || cursor.AcceptWord("deferrable"))
            {
            }
            else if (cursor.AcceptWord("initially"))
            {
                cursor.Position++;
            }
            else
            {
                break;
            }
        }

        return Math.Min(cursor.Position, end);
    }

    private static (string? Schema, string Table) ReadReferencedTable(IReadOnlyList<SqlToken> tokens, int i, int end)
    {
        var parts = new List<string>();
        while (i < end && tokens[i].IsName)
        {
            parts.Add(tokens[i].Value);
            if (i + 1 < end && tokens[i + 1].IsSymbol("."))
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        return parts.Count switch
        {
            0 => (null, string.Empty),
            1 => (null, parts[0]),
            _ => (parts[^2], parts[^1]),
        };
    }

    private static List<string> Names(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var names = new List<string>();
        for (var i = start; i < end; i++)
        {
            if (tokens[i].IsName)
            {
                names.Add(tokens[i].Value);
            }
        }

        return names;
    }

    private static int MatchingClose(IReadOnlyList<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            depth += Depth(tokens[i]);
            if (depth == 0)
            {
                return i;
            }
        }

        return tokens.Count;
    }

    private static int Depth(SqlToken token) =>
        token.IsSymbol("(") || token.IsSymbol("[") ? 1 : token.IsSymbol(")") || token.IsSymbol("]") ? -1 : 0;

    private static string Slice(string text, IReadOnlyList<SqlToken> tokens, int from, int to) =>
        text[tokens[from].Start..tokens[to - 1].End];
}
