using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Reads the parts of a table definition shared by CREATE TABLE and ALTER TABLE ... ADD: a column
/// definition with its constraints, and a table constraint. Each reader gets a cursor bounded to one
/// element (the text between two top-level commas), so it can never run into the next column.
/// </summary>
internal static class TableElementReader
{
    // Words that end a column's type: after the type only constraints and options follow.
    private static readonly HashSet<string> ColumnConstraintWords =
    [
        "constraint", "not", "null", "default", "primary", "unique", "check", "references", "generated",
        "collate", "deferrable", "initially", "compression", "storage",
    ];


    /// <summary>True when the element is a table constraint rather than a column.</summary>
    public static bool StartsTableConstraint(TokenCursor c) =>
        c.IsWord("constraint") || c.IsWord("primary") || c.IsWord("unique") || c.IsWord("check")
        || (c.IsWord("foreign") && c.IsWord("key", 1))
        || (c.IsWord("exclude") && (c.IsWord("using", 1) || c.IsSymbol("(", 1)));

    /// <summary>True when the cursor is at a word that ends a column's type: a column constraint starts there.</summary>
    public static bool StartsColumnConstraint(TokenCursor c) =>
        c.Peek() is { Kind: SqlTokenKind.Identifier } token && ColumnConstraintWords.Contains(token.Value);

    /// <summary>
    /// Reads "name type [constraints]". Inline constraints are recorded on <paramref name="table"/>;
    /// the column itself is returned, not added, so the caller decides about duplicates.
    /// </summary>
    public static ColumnModel ReadColumn(TokenCursor c, TableModel table, string defaultSchema)
    {
        if (c.AtEnd)
        {
            throw c.Unexpected("a column name");
        }

        var nameToken = c.Current;
        var name = c.ReadName("a column name");
        var definitionStart = c.Position;
        while (!c.AtEnd && !StartsColumnConstraint(c))
        {
            c.SkipItem();
        }

        if (c.Position == definitionStart)
        {
            throw new SqlReadException(nameToken.Line, $"column {name} has no type");
        }

        var column = new ColumnModel { Name = name, Type = c.Render(definitionStart, c.Position), Line = nameToken.Line };
        ReadColumnConstraints(c, table, column, defaultSchema);
        column.Definition = c.Render(definitionStart, c.End);

        // PostgreSQL makes a serial column NOT NULL by itself; the model states what the server will hold.
        if (TypeText.IsSerial(column.Type))
        {
            column.NotNull = true;
        }

        return column;
    }

    /// <summary>
    /// Reads a column definition given as text on its own (a column-defs value: everything after the
    /// column name). It must be exactly one column definition (see <see cref="SqlItem"/>) and read to
    /// its end; inline constraints are recorded on <paramref name="table"/>.
    /// </summary>
    /// <exception cref="SqlReadException">What is wrong with the definition.</exception>
    public static ColumnModel ReadColumnText(string name, string definition, TableModel table, string defaultSchema)
    {
        if (SqlItem.FindProblem(definition) is { } problem)
        {
            throw new SqlReadException(1, problem);
        }

        var tokens = SqlTokenizer.Tokenize(SqlIdentifier.Quote(name) + " " + definition);
        return ReadColumn(new TokenCursor(tokens), table, defaultSchema);
    }

    /// <summary>
    /// Reads column constraints up to the end of the cursor and applies them. When
    /// <paramref name="clauses"/> is given, each clause's kind and token range (its CONSTRAINT name
    /// included) is added to it, so a definition can be edited clause by clause.
    /// </summary>
    public static void ReadColumnConstraints(TokenCursor c, TableModel table, ColumnModel column, string defaultSchema, List<ColumnClause>? clauses = null)
    {
        string? constraintName = null;
        var clauseStart = c.Position;
        while (!c.AtEnd)
        {
            var line = c.Current.Line;
            if (c.AcceptWord("constraint"))
            {
                constraintName = c.ReadName("a constraint name");
                continue;
            }

            var kind = ColumnClauseKind.Other;
            if (c.AcceptWords("not", "null"))
            {
                column.NotNull = true;
                kind = ColumnClauseKind.NotNull;
            }
            else if (c.AcceptWord("null"))
            {
                column.NotNull = false;
                kind = ColumnClauseKind.Null;
            }
            else if (c.AcceptWord("default"))
            {
                column.Default = ReadDefaultExpression(c);
                kind = ColumnClauseKind.Default;
            }
            else if (c.AcceptWords("primary", "key"))
            {
                column.IsPrimaryKey = true;
                column.NotNull = true;
                SetPrimaryKey(table, [column.Name], line);
                SkipIndexParameters(c);
            }
            else if (c.AcceptWord("unique"))
            {
                SkipNullsDistinct(c);
                SkipIndexParameters(c);
                column.IsUnique = true;
                table.Uniques.Add(new UniqueModel { Name = constraintName, Columns = { column.Name } });
            }
            else if (c.AcceptWord("check"))
            {
                table.Checks.Add(ReadCheck(c, constraintName));
            }
            else if (c.AcceptWord("references"))
            {
                var foreignKey = ReadReferences(c, defaultSchema);
                foreignKey.Name = constraintName;
                foreignKey.Columns.Add(column.Name);
                table.ForeignKeys.Add(foreignKey);
            }
            else if (c.AcceptWord("generated"))
            {
                ReadGenerated(c, column);
                kind = ColumnClauseKind.Generated;
            }
            else if (c.AcceptWord("collate"))
            {
                c.ReadQualifiedName(string.Empty, "a collation name");
            }
            else if (c.AcceptWords("not", "deferrable") || c.AcceptWord("deferrable"))
            {
                // Timing of constraint checks does not change the table's shape.
            }
            else if (c.AcceptWord("initially"))
            {
                if (!c.AcceptWord("deferred") && !c.AcceptWord("immediate"))
                {
                    throw c.Unexpected("DEFERRED or IMMEDIATE");
                }
            }
            else if (c.AcceptWord("compression") || c.AcceptWord("storage"))
            {
                c.ReadName("a compression or storage method");
            }
            else
            {
                throw c.Unexpected("a column constraint (NOT NULL, DEFAULT, PRIMARY KEY, UNIQUE, CHECK, REFERENCES...)");
            }

            clauses?.Add(new ColumnClause(kind, clauseStart, c.Position));
            clauseStart = c.Position;
            constraintName = null;
        }
    }

    /// <summary>Reads a table constraint (with its optional CONSTRAINT name) and records it on the table.</summary>
    public static void ReadTableConstraint(TokenCursor c, TableModel table, string defaultSchema)
    {
        string? name = null;
        var start = c.Position;
        if (c.AcceptWord("constraint"))
        {
            name = c.ReadName("a constraint name");
        }

        var line = c.Line;
        if (c.AcceptWords("primary", "key"))
        {
            SetPrimaryKey(table, ReadColumnList(c), line);
            SkipIndexParameters(c);
        }
        else if (c.AcceptWord("unique"))
        {
            SkipNullsDistinct(c);
            if (c.AreWords("using", "index"))
            {
                throw c.Error("UNIQUE USING INDEX names an existing index whose columns this file does not show");
            }

            var unique = new UniqueModel { Name = name };
            unique.Columns.AddRange(ReadColumnList(c));
            table.Uniques.Add(unique);
            SkipIndexParameters(c);
        }
        else if (c.AcceptWord("check"))
        {
            table.Checks.Add(ReadCheck(c, name));
        }
        else if (c.AcceptWords("foreign", "key"))
        {
            var columns = ReadColumnList(c);
            c.ExpectWord("references");
            var foreignKey = ReadReferences(c, defaultSchema);
            foreignKey.Name = name;
            foreignKey.Columns.AddRange(columns);
            if (foreignKey.ReferencedColumns.Count > 0 && foreignKey.ReferencedColumns.Count != columns.Count)
            {
                throw new SqlReadException(line, $"the foreign key has {columns.Count} column(s) but references {foreignKey.ReferencedColumns.Count}");
            }

            table.ForeignKeys.Add(foreignKey);
        }
        else if (c.IsWord("exclude"))
        {
            // Nothing compares exclusion constraints part by part; the text is all repair needs.
            var definitionStart = c.Position;
            c.Position = c.End;
            table.Exclusions.Add(new ExclusionModel { Name = name, Definition = c.Render(definitionStart, c.End) });
            return;
        }
        else
        {
            throw c.Unexpected("PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY or EXCLUDE");
        }

        while (!c.AtEnd)
        {
            if (c.AcceptWords("not", "deferrable") || c.AcceptWord("deferrable") || c.AcceptWords("not", "valid") || c.AcceptWords("no", "inherit"))
            {
                continue;
            }

            if (c.AcceptWord("initially") && (c.AcceptWord("deferred") || c.AcceptWord("immediate")))
            {
                continue;
            }

            throw c.Unexpected($"the end of the constraint that starts with '{c.Tokens[start].Text}'");
        }
    }

    /// <summary>
    /// A DEFAULT expression: every token up to the next column constraint at the top level, so commas
    /// and parentheses inside function calls stay part of it.
    /// </summary>
    public static string ReadDefaultExpression(TokenCursor c)
    {
        if (c.AtEnd)
        {
            throw c.Unexpected("an expression after DEFAULT");
        }

        var start = c.Position;
        c.SkipItem();
        while (!c.AtEnd && !EndsDefault(c))
        {
            c.SkipItem();
        }

        return c.Render(start, c.Position);
    }

    private static bool EndsDefault(TokenCursor c)
    {
        var token = c.Current;
        if (token.Kind != SqlTokenKind.Identifier)
        {
            return false;
        }

        var previous = c.Tokens[c.Position - 1];
        return token.Value switch
        {
            "constraint" or "primary" or "unique" or "check" or "references" or "generated" or "collate"
                or "deferrable" or "initially" or "default" => true,

            // "x IS NOT NULL" is an expression; "... NOT NULL" after anything else is the constraint.
            "not" => (c.IsWord("null", 1) || c.IsWord("deferrable", 1)) && !previous.IsWord("is"),
            "null" => !previous.IsWord("is") && !previous.IsWord("not"),
            _ => false,
        };
    }

    private static CheckModel ReadCheck(TokenCursor c, string? name)
    {
        var (start, end) = c.ReadParenthesized();
        if (start == end)
        {
            throw c.Error("CHECK () has no expression");
        }

        var check = new CheckModel { Name = name, Expression = c.Render(start, end) };
        c.AcceptWords("no", "inherit");
        return check;
    }

    private static void ReadGenerated(TokenCursor c, ColumnModel column)
    {
        string kind;
        if (c.AcceptWord("always"))
        {
            kind = "a";
        }
        else if (c.AcceptWords("by", "default"))
        {
            kind = "d";
        }
        else
        {
            throw c.Unexpected("ALWAYS or BY DEFAULT after GENERATED");
        }

        c.ExpectWord("as");
        if (c.AcceptWord("identity"))
        {
            // An identity column is NOT NULL on the server whether or not the file says so.
            column.Identity = kind;
            column.NotNull = true;
            if (c.IsSymbol("("))
            {
                c.ReadParenthesized();
            }
        }
        else if (kind == "a" && c.IsSymbol("("))
        {
            var (start, end) = c.ReadParenthesized();
            column.Generated = c.Render(start, end);
            if (!c.AcceptWord("stored"))
            {
                c.AcceptWord("virtual");
            }
        }
        else
        {
            throw c.Unexpected("IDENTITY or a parenthesised expression after GENERATED ... AS");
        }
    }

    /// <summary>Reads "REFERENCES"'s target: table [(columns)] [MATCH ...] [ON DELETE ...] [ON UPDATE ...].</summary>
    private static ForeignKeyModel ReadReferences(TokenCursor c, string defaultSchema)
    {
        var (schema, name) = c.ReadQualifiedName(defaultSchema, "the referenced table");
        var foreignKey = new ForeignKeyModel { ReferencedSchema = schema, ReferencedTable = name };
        if (c.IsSymbol("("))
        {
            foreignKey.ReferencedColumns.AddRange(ReadColumnList(c));
        }

        while (!c.AtEnd)
        {
            if (c.AcceptWord("match"))
            {
                if (!c.AcceptWord("full") && !c.AcceptWord("partial") && !c.AcceptWord("simple"))
                {
                    throw c.Unexpected("FULL, PARTIAL or SIMPLE after MATCH");
                }
            }
            else if (c.AcceptWords("on", "delete"))
            {
                foreignKey.OnDelete = ReadReferentialAction(c);
            }
            else if (c.AcceptWords("on", "update"))
            {
                foreignKey.OnUpdate = ReadReferentialAction(c);
            }
            else
            {
                break;
            }
        }

        return foreignKey;
    }

    private static string ReadReferentialAction(TokenCursor c)
    {
        if (c.AcceptWords("no", "action"))
        {
            return "NO ACTION";
        }

        if (c.AcceptWord("restrict"))
        {
            return "RESTRICT";
        }

        if (c.AcceptWord("cascade"))
        {
            return "CASCADE";
        }

        string? action = c.AcceptWords("set", "null") ? "SET NULL" : c.AcceptWords("set", "default") ? "SET DEFAULT" : null;
        if (action is null)
        {
            throw c.Unexpected("NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT");
        }

        // PostgreSQL 15: SET NULL (col, ...) limits the action to some columns; the action is what ordering needs.
        if (c.IsSymbol("("))
        {
            c.ReadParenthesized();
        }

        return action;
    }

    /// <summary>Reads "(a, b, ...)" where every item must be a plain column name.</summary>
    public static List<string> ReadColumnList(TokenCursor c)
    {
        var (start, end) = c.ReadParenthesized();
        var names = new List<string>();
        foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(c.Tokens, start, end))
        {
            var part = new TokenCursor(c.Tokens, partStart, partEnd);
            names.Add(part.ReadName("a column name"));
            if (!part.AtEnd)
            {
                throw part.Unexpected("',' or ')' after a column name");
            }
        }

        return names;
    }

    private static void SetPrimaryKey(TableModel table, List<string> columns, int line)
    {
        if (table.PrimaryKey.Count > 0)
        {
            throw new SqlReadException(line, $"table {table.Name} declares a second primary key");
        }

        table.PrimaryKey.AddRange(columns);
    }

    private static void SkipNullsDistinct(TokenCursor c)
    {
        if (!c.AcceptWords("nulls", "not", "distinct"))
        {
            c.AcceptWords("nulls", "distinct");
        }
    }

    private static void SkipIndexParameters(TokenCursor c)
    {
        while (true)
        {
            if (c.AcceptWord("include") || c.AcceptWord("with"))
            {
                c.ReadParenthesized();
            }
            else if (c.AcceptWords("using", "index", "tablespace"))
            {
                c.ReadName("a tablespace name");
            }
            else
            {
                return;
            }
        }
    }
}
