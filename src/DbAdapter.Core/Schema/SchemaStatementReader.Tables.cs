using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>CREATE TABLE: columns, table constraints, LIKE, INHERITS and PARTITION OF.</summary>
internal sealed partial class SchemaStatementReader
{
    // LIKE options, as named after INCLUDING / EXCLUDING.
    private static readonly string[] LikeOptions =
        ["comments", "compression", "constraints", "defaults", "generated", "identity", "indexes", "statistics", "storage"];

    private void ReadCreateTable(SqlStatement statement, TokenCursor c, string? persistence)
    {
        RequireOneStatement(statement);
        var ifNotExists = c.AcceptWords("if", "not", "exists");
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema);
        var kept = Keep(statement);
        var table = new TableModel
        {
            Schema = schema,
            Name = name,
            Create = kept,
            Line = statement.Line,
            Persistence = persistence,
        };
        Name(kept, statement, nameStart, c.Position, table);

        // Set when columns come from a table this file does not define: checks on column names are then off.
        var incomplete = false;
        var parents = new List<(TableModel Table, bool Partition)>();
        if (c.AcceptWords("partition", "of"))
        {
            incomplete = ReadPartitionOf(statement, c, table, parents);
        }
        else if (c.IsSymbol("("))
        {
            var (start, end) = c.ReadParenthesized();
            incomplete = ReadTableElements(statement, c.Tokens, start, end, table);
            incomplete |= ReadTableOptions(statement, c, table, parents);
        }
        else if (c.IsWord("of"))
        {
            throw c.Error("a typed table (CREATE TABLE ... OF type) takes its columns from a composite type, which is not read");
        }
        else if (c.IsWord("as"))
        {
            throw c.Error("CREATE TABLE ... AS takes its columns from a query, which is not run");
        }
        else
        {
            throw c.Unexpected("'(' opening the column list");
        }

        CheckConstraintColumns(table, incomplete);
        if (FindTable(schema, name) is { } earlier)
        {
            // IF NOT EXISTS makes the server keep the first definition; without it the server fails.
            if (!ifNotExists)
            {
                Warn("duplicate table", statement.Line, $"skipped CREATE TABLE {table}: the table is already created on line {earlier.Line}.");
            }

            return;
        }

        foreach (var column in table.Columns)
        {
            column.SearchPath ??= _searchPath;
        }

        SetPaths(table);
        AddTable(table);
        foreach (var (parent, partition) in parents)
        {
            Link(table, parent, partition);
        }

        NameReferences(kept, statement);
    }

    /// <summary>Reads the column list; returns true when a LIKE source was unknown.</summary>
    private bool ReadTableElements(SqlStatement statement, IReadOnlyList<SqlToken> tokens, int start, int end, TableModel table)
    {
        var incomplete = false;
        if (start == end)
        {
            return false;
        }

        foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(tokens, start, end))
        {
            var element = new TokenCursor(tokens, partStart, partEnd);
            if (element.AtEnd)
            {
                throw new SqlReadException(tokens[Math.Max(partStart - 1, 0)].Line, "empty entry in the column list (two commas in a row, or a comma before ')')");
            }

            if (element.AcceptWord("like"))
            {
                incomplete |= !ReadLike(statement, element, table);
            }
            else if (TableElementReader.StartsTableConstraint(element))
            {
                TableElementReader.ReadTableConstraint(element, table, _defaultSchema);
            }
            else
            {
                AddColumn(table, TableElementReader.ReadColumn(element, table, _defaultSchema));
            }
        }

        return incomplete;
    }

    private static void AddColumn(TableModel table, ColumnModel column)
    {
        if (table.FindColumn(column.Name) is not null)
        {
            throw new SqlReadException(column.Line, $"column {column.Name} is declared twice");
        }

        table.Columns.Add(column);
    }

    /// <summary>
    /// LIKE is handled, not just reported: when the source table is defined earlier in the file its
    /// columns are copied the way the server copies them (names, types and NOT NULL always; defaults,
    /// identity, generation, CHECKs and keys only with the matching INCLUDING option). A source that is
    /// not in the file is a warning, and the table keeps its other columns. Returns false in that case.
    /// </summary>
    private bool ReadLike(SqlStatement statement, TokenCursor c, TableModel table)
    {
        var line = c.Line;
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "the LIKE source table");
        var nameEnd = c.Position;
        var options = new HashSet<string>();
        while (!c.AtEnd)
        {
            var including = c.AcceptWord("including");
            if (!including)
            {
                c.ExpectWord("excluding");
            }

            var option = c.ReadName("a LIKE option");
            var affected = option == "all" ? LikeOptions : [option];
            if (option != "all" && !LikeOptions.Contains(option))
            {
                throw new SqlReadException(line, $"unknown LIKE option {option.ToUpperInvariant()}");
            }

            foreach (var item in affected)
            {
                if (including)
                {
                    options.Add(item);
                }
                else
                {
                    options.Remove(item);
                }
            }
        }

        var source = FindTable(schema, name);
        if (source is null)
        {
            Warn("unknown source", line, $"CREATE TABLE {table}: LIKE {schema}.{name} names a table not created earlier in this file; its columns are not in the expected schema.");
            return false;
        }

        Name(table.Create!, statement, nameStart, nameEnd, source);
        foreach (var column in source.Columns)
        {
            var copy = CopyColumn(column, line, local: true);
            copy.Default = options.Contains("defaults") ? column.Default : null;
            copy.Identity = options.Contains("identity") ? column.Identity : null;
            copy.Generated = options.Contains("generated") ? column.Generated : null;
            copy.Definition = BuildDefinition(copy);
            AddColumn(table, copy);
        }

        if (options.Contains("constraints"))
        {
            table.Checks.AddRange(source.Checks.Select(k => new CheckModel { Name = k.Name, Expression = k.Expression }));
        }

        if (options.Contains("indexes"))
        {
            if (source.PrimaryKey.Count > 0 && table.PrimaryKey.Count == 0)
            {
                table.PrimaryKey.AddRange(source.PrimaryKey);
            }

            foreach (var unique in source.Uniques)
            {
                var copy = new UniqueModel();
                copy.Columns.AddRange(unique.Columns);
                table.Uniques.Add(copy);
            }

            foreach (var column in table.Columns)
            {
                column.IsUnique |= source.FindColumn(column.Name)?.IsUnique == true;
            }
        }

        return true;
    }

    /// <summary>A definition for a column that has none written in this statement (copied by LIKE or PARTITION OF).</summary>
    private static string BuildDefinition(ColumnModel column)
    {
        var text = column.Type;
        if (column.Generated is not null)
        {
            text += $" GENERATED ALWAYS AS ({column.Generated}) STORED";
        }

        if (column.Identity is not null)
        {
            text += column.Identity == "a" ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY";
        }
        else if (column.NotNull)
        {
            text += " NOT NULL";
        }

        if (column.Default is not null)
        {
            text += " DEFAULT " + column.Default;
        }

        return text;
    }

    /// <summary>
    /// PARTITION OF is handled: a partition has exactly its parent's columns and keys, so they are copied
    /// from the parent when the file defines it; otherwise a warning says the columns are unknown and the
    /// table is kept (it still has to exist). Returns true when the parent was unknown.
    /// </summary>
    private bool ReadPartitionOf(SqlStatement statement, TokenCursor c, TableModel table, List<(TableModel, bool)> parents)
    {
        var line = c.Line;
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "the parent table");
        var parent = FindTable(schema, name);
        if (parent is null)
        {
            Warn("unknown parent", line, $"CREATE TABLE {table}: PARTITION OF {schema}.{name} names a table not created earlier in this file; the partition's columns are not in the expected schema.");
        }
        else
        {
            Name(table.Create!, statement, nameStart, c.Position, parent);
            parents.Add((parent, true));
            foreach (var column in parent.Columns)
            {
                // A partition's identity is its parent's: the server gives the partition's column none.
                var copy = CopyColumn(column, line, local: false);
                copy.Identity = null;
                copy.IsPrimaryKey = column.IsPrimaryKey;
                copy.IsUnique = column.IsUnique;
                copy.Definition = BuildDefinition(copy);
                table.Columns.Add(copy);
            }

            table.PrimaryKey.AddRange(parent.PrimaryKey);
            table.Uniques.AddRange(parent.Uniques);
            table.Checks.AddRange(parent.Checks);
            table.ForeignKeys.AddRange(parent.ForeignKeys);
        }

        // The optional list only adds constraints and defaults to inherited columns.
        if (c.IsSymbol("("))
        {
            var (start, end) = c.ReadParenthesized();
            foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(c.Tokens, start, end))
            {
                var element = new TokenCursor(c.Tokens, partStart, partEnd);
                if (TableElementReader.StartsTableConstraint(element))
                {
                    TableElementReader.ReadTableConstraint(element, table, _defaultSchema);
                    continue;
                }

                var columnName = element.ReadName("a column name");
                element.AcceptWords("with", "options");
                var target = table.FindColumn(columnName)
                    ?? (parent is null ? new ColumnModel { Name = columnName, Type = string.Empty } : throw element.Error($"column {columnName} is not a column of {schema}.{name}"));
                TableElementReader.ReadColumnConstraints(element, table, target, _defaultSchema);
                target.Definition = BuildDefinition(target);
            }
        }

        if (c.AcceptWords("for", "values"))
        {
            if (c.AcceptWord("in") || c.AcceptWord("with"))
            {
                c.ReadParenthesized();
            }
            else if (c.AcceptWord("from"))
            {
                c.ReadParenthesized();
                c.ExpectWord("to");
                c.ReadParenthesized();
            }
            else
            {
                throw c.Unexpected("IN, FROM or WITH after FOR VALUES");
            }
        }
        else if (!c.AcceptWord("default"))
        {
            throw c.Unexpected("FOR VALUES or DEFAULT");
        }

        return ReadTableOptions(statement, c, table, parents) || parent is null;
    }

    /// <summary>Reads what may follow the column list; returns true when an INHERITS parent was unknown.</summary>
    private bool ReadTableOptions(SqlStatement statement, TokenCursor c, TableModel table, List<(TableModel, bool)> parents)
    {
        var incomplete = false;
        while (!c.AtEnd)
        {
            if (c.AcceptWord("inherits"))
            {
                incomplete |= ReadInherits(statement, c, table, parents);
            }
            else if (c.AcceptWords("partition", "by"))
            {
                c.ReadName("RANGE, LIST or HASH");
                c.ReadParenthesized();
            }
            else if (c.AcceptWord("using"))
            {
                c.ReadName("a table access method");
            }
            else if (c.AcceptWord("with"))
            {
                if (c.IsSymbol("("))
                {
                    c.ReadParenthesized();
                }
                else
                {
                    c.ExpectWord("oids");
                }
            }
            else if (c.AcceptWords("without", "oids"))
            {
                continue;
            }
            else if (c.AcceptWords("on", "commit"))
            {
                if (!c.AcceptWords("preserve", "rows") && !c.AcceptWords("delete", "rows") && !c.AcceptWord("drop"))
                {
                    throw c.Unexpected("PRESERVE ROWS, DELETE ROWS or DROP after ON COMMIT");
                }
            }
            else if (c.AcceptWord("tablespace"))
            {
                c.ReadName("a tablespace name");
            }
            else
            {
                throw c.Unexpected("the end of CREATE TABLE (or INHERITS, PARTITION BY, WITH, TABLESPACE...)");
            }
        }

        return incomplete;
    }

    /// <summary>
    /// INHERITS puts each parent's columns first, in order, merging a child column of the same name
    /// into the parent's position the way the server does. Unknown parents are a warning.
    /// </summary>
    private bool ReadInherits(SqlStatement statement, TokenCursor c, TableModel table, List<(TableModel, bool)> parents)
    {
        var line = c.Line;
        var (start, end) = c.ReadParenthesized();
        var inherited = new List<ColumnModel>();
        var incomplete = false;
        foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(c.Tokens, start, end))
        {
            var part = new TokenCursor(c.Tokens, partStart, partEnd);
            var (schema, name) = part.ReadQualifiedName(_defaultSchema, "a parent table");
            var parent = FindTable(schema, name);
            if (parent is null)
            {
                Warn("unknown parent", line, $"CREATE TABLE {table}: INHERITS {schema}.{name} names a table not created earlier in this file; the inherited columns are not in the expected schema.");
                incomplete = true;
                continue;
            }

            Name(table.Create!, statement, partStart, part.Position, parent);
            parents.Add((parent, false));
            foreach (var column in parent.Columns)
            {
                if (inherited.Exists(i => i.Name == column.Name))
                {
                    continue;
                }

                var own = table.FindColumn(column.Name);
                ColumnModel copy;
                if (own is null)
                {
                    // Identity is not inherited; the rest of the column's shape is.
                    copy = CopyColumn(column, line, local: false);
                    copy.Identity = null;
                    copy.Definition = BuildDefinition(copy);
                }
                else
                {
                    copy = own;
                }

                copy.NotNull |= column.NotNull;
                inherited.Add(copy);
            }

            table.Checks.AddRange(parent.Checks);
        }

        var rest = table.Columns.Where(col => !inherited.Contains(col)).ToList();
        table.Columns.Clear();
        table.Columns.AddRange(inherited);
        table.Columns.AddRange(rest);
        return incomplete;
    }

    /// <summary>
    /// Marks key columns and rejects keys naming columns the table does not have (the server would
    /// refuse the statement), unless some columns come from a table this file does not define.
    /// </summary>
    private static void CheckConstraintColumns(TableModel table, bool incomplete)
    {
        foreach (var name in table.PrimaryKey)
        {
            if (table.FindColumn(name) is { } column)
            {
                column.IsPrimaryKey = true;
                column.NotNull = true;
            }
            else if (!incomplete)
            {
                throw new SqlReadException(table.Line, $"the primary key names column {name}, which the table does not have");
            }
        }

        if (incomplete)
        {
            return;
        }

        foreach (var name in table.Uniques.SelectMany(u => u.Columns).Concat(table.ForeignKeys.SelectMany(f => f.Columns)))
        {
            if (table.FindColumn(name) is null)
            {
                throw new SqlReadException(table.Line, $"a constraint names column {name}, which the table does not have");
            }
        }
    }
}
