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

        // DEFERRABLE and INITIALLY belong to the key, unique or foreign key just before them.
        Action<ConstraintTiming>? setTiming = null;
        var timing = default(ConstraintTiming);
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
                table.PrimaryKeyName = constraintName;
                table.PrimaryKeyInline = column.Name;
                SkipIndexParameters(c);
                timing = default;
                setTiming = t => table.PrimaryKeyTiming = t;
            }
            else if (c.AcceptWord("unique"))
            {
                var unique = new UniqueModel { Name = constraintName, Columns = { column.Name }, InlineColumn = column.Name, Line = line, NullsNotDistinct = ReadNullsNotDistinct(c) };
                SkipIndexParameters(c);
                column.IsUnique = true;
                table.Uniques.Add(unique);
                timing = default;
                setTiming = t => unique.Timing = t;
            }
            else if (c.AcceptWord("check"))
            {
                var check = ReadCheck(c, constraintName);
                check.InlineColumn = column.Name;
                check.Line = line;
                table.Checks.Add(check);
                setTiming = null;
            }
            else if (c.AcceptWord("references"))
            {
                var foreignKey = ReadReferences(c, defaultSchema);
                foreignKey.Name = constraintName;
                foreignKey.Columns.Add(column.Name);
                foreignKey.InlineColumn = column.Name;
                foreignKey.Line = line;
                table.ForeignKeys.Add(foreignKey);
                timing = default;
                setTiming = t => foreignKey.Timing = t;
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
            else if (ReadTiming(c, ref timing))
            {
                setTiming?.Invoke(timing);
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
        Action<ConstraintTiming>? setTiming = null;
        if (c.AcceptWords("primary", "key"))
        {
            SetPrimaryKey(table, ReadColumnList(c), line);
            table.PrimaryKeyName = name;
            SkipIndexParameters(c);
            setTiming = t => table.PrimaryKeyTiming = t;
        }
        else if (c.AcceptWord("unique"))
        {
            var nullsNotDistinct = ReadNullsNotDistinct(c);
            if (c.AreWords("using", "index"))
            {
                throw c.Error("UNIQUE USING INDEX names an existing index whose columns this file does not show");
            }

            var unique = new UniqueModel { Name = name, Line = line, NullsNotDistinct = nullsNotDistinct };
            unique.Columns.AddRange(ReadColumnList(c));
            table.Uniques.Add(unique);
            SkipIndexParameters(c);
            setTiming = t => unique.Timing = t;
        }
        else if (c.AcceptWord("check"))
        {
            var check = ReadCheck(c, name);
            check.Line = line;
            table.Checks.Add(check);
        }
        else if (c.AcceptWords("foreign", "key"))
        {
            var columns = ReadColumnList(c);
            c.ExpectWord("references");
            var foreignKey = ReadReferences(c, defaultSchema);
            foreignKey.Name = name;
            foreignKey.Line = line;
            foreignKey.Columns.AddRange(columns);
            if (foreignKey.ReferencedColumns.Count > 0 && foreignKey.ReferencedColumns.Count != columns.Count)
            {
                throw new SqlReadException(line, $"the foreign key has {columns.Count} column(s) but references {foreignKey.ReferencedColumns.Count}");
            }

            table.ForeignKeys.Add(foreignKey);
            setTiming = t => foreignKey.Timing = t;
        }
        else if (c.IsWord("exclude"))
        {
            table.Exclusions.Add(ReadExclusion(c, name, line));
            return;
        }
        else
        {
            throw c.Unexpected("PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY or EXCLUDE");
        }

        var timing = default(ConstraintTiming);
        while (!c.AtEnd)
        {
            if (ReadTiming(c, ref timing))
            {
                setTiming?.Invoke(timing);
                continue;
            }

            if (c.AcceptWords("not", "valid"))
            {
                continue;
            }

            if (c.AcceptWords("no", "inherit"))
            {
                if (table.Checks.Count > 0)
                {
                    table.Checks[^1].NoInherit = true;
                }

                continue;
            }

            throw c.Unexpected($"the end of the constraint that starts with '{c.Tokens[start].Text}'");
        }
    }

    /// <summary>
    /// EXCLUDE [USING method] (element WITH operator, ...) [INCLUDE ...] [WHERE (...)] [DEFERRABLE...]:
    /// kept as written up to its timing; the plain column elements are its columns.
    /// </summary>
    private static ExclusionModel ReadExclusion(TokenCursor c, string? name, int line)
    {
        var definitionStart = c.Position;
        c.ExpectWord("exclude");
        if (c.AcceptWord("using"))
        {
            c.ReadName("an index method");
        }

        var columns = new List<string>();
        var (start, end) = c.ReadParenthesized();
        foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(c.Tokens, start, end))
        {
            var first = c.Tokens[partStart];
            columns.Add(first.IsName && partStart + 1 < partEnd && c.Tokens[partStart + 1].Kind == SqlTokenKind.Identifier ? first.Value : "expr");
        }

        // Everything up to DEFERRABLE / INITIALLY is the constraint itself.
        while (!c.AtEnd && !c.IsWord("deferrable") && !c.AreWords("not", "deferrable") && !c.IsWord("initially"))
        {
            c.SkipItem();
        }

        var exclusion = new ExclusionModel { Name = name, Definition = c.Render(definitionStart, c.Position), Line = line };
        exclusion.Columns.AddRange(columns);
        var timing = default(ConstraintTiming);
        while (!c.AtEnd)
        {
            if (!ReadTiming(c, ref timing))
            {
                throw c.Unexpected("DEFERRABLE, INITIALLY or the end of the exclusion constraint");
            }
        }

        exclusion.Timing = timing;
        return exclusion;
    }

    /// <summary>
    /// [NOT] DEFERRABLE and INITIALLY DEFERRED | IMMEDIATE, folded into <paramref name="timing"/>;
    /// false when the cursor is at neither.
    /// </summary>
    private static bool ReadTiming(TokenCursor c, ref ConstraintTiming timing)
    {
        if (c.AcceptWords("not", "deferrable"))
        {
            timing = default;
            return true;
        }

        if (c.AcceptWord("deferrable"))
        {
            timing = timing with { Deferrable = true };
            return true;
        }

        if (c.AcceptWord("initially"))
        {
            if (c.AcceptWord("deferred"))
            {
                // INITIALLY DEFERRED implies DEFERRABLE.
                timing = new ConstraintTiming(true, true);
            }
            else if (c.AcceptWord("immediate"))
            {
                timing = timing with { InitiallyDeferred = false };
            }
            else
            {
                throw c.Unexpected("DEFERRED or IMMEDIATE");
            }

            return true;
        }

        return false;
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
        check.NoInherit = c.AcceptWords("no", "inherit");
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
                foreignKey.Match = c.AcceptWord("full") ? "FULL" : c.AcceptWord("partial") ? "PARTIAL" : c.AcceptWord("simple") ? "SIMPLE"
                    : throw c.Unexpected("FULL, PARTIAL or SIMPLE after MATCH");
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

    /// <summary>NULLS [NOT] DISTINCT after UNIQUE: true for NOT DISTINCT.</summary>
    private static bool ReadNullsNotDistinct(TokenCursor c)
    {
        if (c.AcceptWords("nulls", "not", "distinct"))
        {
            return true;
        }

        c.AcceptWords("nulls", "distinct");
        return false;
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
