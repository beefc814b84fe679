using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// ALTER TABLE: changes to columns and constraints are applied to the model; actions that cannot
/// change the table's shape (RLS, owner, triggers on/off...) are passed over.
/// </summary>
internal sealed partial class SchemaStatementReader
{
    private void ReadAlterTable(SqlStatement statement, TokenCursor c)
    {
        RequireOneStatement(statement);
        c.AcceptWords("if", "exists");
        c.AcceptWord("only");
        if (c.AreWords("all", "in"))
        {
            return;
        }

        var (schema, name) = c.ReadQualifiedName(_defaultSchema);
        c.AcceptSymbol("*");
        var table = FindTable(schema, name);

        // Read every action before applying any: a statement is applied whole or reported whole.
        var changes = new List<Action<TableModel>>();
        var notApplied = new List<string>();
        foreach (var (start, end) in TokenCursor.SplitTopLevel(c.Tokens, c.Position, c.End))
        {
            var action = new TokenCursor(c.Tokens, start, end);
            if (action.AtEnd)
            {
                throw c.Unexpected("an ALTER TABLE action");
            }

            ReadAlterAction(action, schema, name, changes, notApplied);
        }

        if (table is null)
        {
            if (changes.Count > 0 || notApplied.Count > 0)
            {
                Warn(statement.Line, $"skipped ALTER TABLE {schema}.{name}: the table is not created earlier in this file.");
            }

            return;
        }

        var problems = new List<string>();
        foreach (var change in changes)
        {
            try
            {
                change(table);
            }
            catch (SqlReadException ex)
            {
                problems.Add(ex.Message);
            }
        }

        foreach (var problem in problems.Concat(notApplied))
        {
            Warn(statement.Line, $"ALTER TABLE {table}: {problem}.");
        }

        table.AlterStatements.Add(statement.Text);
    }

    private void ReadAlterAction(TokenCursor a, string schema, string name, List<Action<TableModel>> changes, List<string> notApplied)
    {
        var first = a.Current;
        if (a.AcceptWord("add"))
        {
            var isColumn = a.AcceptWord("column");
            var ifNotExists = a.AcceptWords("if", "not", "exists");
            var delta = new TableModel { Schema = schema, Name = name };
            if (!isColumn && TableElementReader.StartsTableConstraint(a))
            {
                TableElementReader.ReadTableConstraint(a, delta, _defaultSchema);
                changes.Add(table => MergeConstraints(table, delta));
            }
            else
            {
                var column = TableElementReader.ReadColumn(a, delta, _defaultSchema);
                changes.Add(table =>
                {
                    if (table.FindColumn(column.Name) is not null)
                    {
                        if (!ifNotExists)
                        {
                            throw new SqlReadException(first.Line, $"ADD COLUMN {column.Name} not applied: the column already exists");
                        }

                        return;
                    }

                    table.Columns.Add(column);
                    MergeConstraints(table, delta);
                });
            }
        }
        else if (a.AcceptWord("drop"))
        {
            if (a.AcceptWord("constraint"))
            {
                a.AcceptWords("if", "exists");
                var constraint = a.ReadName("a constraint name");
                changes.Add(table => DropConstraint(table, constraint));
            }
            else
            {
                a.AcceptWord("column");
                var ifExists = a.AcceptWords("if", "exists");
                var column = a.ReadName("a column name");
                changes.Add(table => DropColumn(table, column, ifExists, first.Line));
            }
        }
        else if (a.AcceptWord("alter"))
        {
            if (a.AcceptWord("constraint"))
            {
                return;
            }

            a.AcceptWord("column");
            var column = a.ReadName("a column name");
            ReadAlterColumn(a, column, changes);
        }
        else if (a.IsWord("rename") || a.AreWords("set", "schema") || a.IsWord("attach") || a.IsWord("detach"))
        {
            notApplied.Add($"{a.Render(a.Position, a.End)} is not applied to the expected schema");
        }
        else if (a.IsWord("enable") || a.IsWord("disable") || a.IsWord("force") || a.IsWord("no") || a.IsWord("owner")
                 || a.IsWord("replica") || a.IsWord("cluster") || a.IsWord("set") || a.IsWord("reset")
                 || a.IsWord("inherit") || a.IsWord("validate") || a.IsWord("of") || a.AreWords("not", "of"))
        {
            // RLS, ownership, storage and similar settings do not change columns or constraints.
        }
        else
        {
            throw a.Unexpected("an ALTER TABLE action (ADD, DROP, ALTER COLUMN, ENABLE ROW LEVEL SECURITY...)");
        }
    }

    private static void ReadAlterColumn(TokenCursor a, string column, List<Action<TableModel>> changes)
    {
        var line = a.Line;
        Action<ColumnModel>? change = null;
        if (a.AcceptWords("set", "default"))
        {
            var expression = a.Render(a.Position, a.End);
            change = col => col.Default = expression;
        }
        else if (a.AcceptWords("drop", "default"))
        {
            change = col => col.Default = null;
        }
        else if (a.AcceptWords("set", "not", "null"))
        {
            change = col => col.NotNull = true;
        }
        else if (a.AcceptWords("drop", "not", "null"))
        {
            change = col => col.NotNull = false;
        }
        else if (a.AcceptWord("type") || a.AcceptWords("set", "data", "type"))
        {
            var start = a.Position;
            while (!a.AtEnd && !a.IsWord("collate") && !a.IsWord("using"))
            {
                a.SkipItem();
            }

            var type = a.Render(start, a.Position);
            change = col => col.Type = type;
        }
        else if (a.AcceptWords("drop", "identity"))
        {
            change = col => col.Identity = null;
        }
        else if (a.AcceptWords("drop", "expression"))
        {
            change = col => col.Generated = null;
        }
        else if (a.AcceptWord("add") && a.AcceptWord("generated"))
        {
            var identity = a.AcceptWord("always") ? "a" : a.AcceptWords("by", "default") ? "d" : throw a.Unexpected("ALWAYS or BY DEFAULT");
            change = col =>
            {
                col.Identity = identity;
                col.NotNull = true;
            };
        }

        // Anything else (SET STATISTICS, SET STORAGE, SET GENERATED, options) leaves the column's shape alone.
        if (change is null)
        {
            return;
        }

        changes.Add(table =>
        {
            var target = table.FindColumn(column)
                ?? throw new SqlReadException(line, $"ALTER COLUMN {column} not applied: the table has no such column");
            change(target);
        });
    }

    private static void MergeConstraints(TableModel table, TableModel delta)
    {
        if (delta.PrimaryKey.Count > 0)
        {
            if (table.PrimaryKey.Count > 0)
            {
                throw new SqlReadException(table.Line, "ADD PRIMARY KEY not applied: the table already has a primary key");
            }

            table.PrimaryKey.AddRange(delta.PrimaryKey);
            foreach (var name in delta.PrimaryKey)
            {
                if (table.FindColumn(name) is { } column)
                {
                    column.IsPrimaryKey = true;
                    column.NotNull = true;
                }
            }
        }

        table.Uniques.AddRange(delta.Uniques);
        table.Checks.AddRange(delta.Checks);
        table.ForeignKeys.AddRange(delta.ForeignKeys);
        table.Exclusions.AddRange(delta.Exclusions);
    }

    private static void DropConstraint(TableModel table, string name)
    {
        table.Uniques.RemoveAll(u => u.Name == name);
        table.Checks.RemoveAll(k => k.Name == name);
        table.ForeignKeys.RemoveAll(f => f.Name == name);
        table.Exclusions.RemoveAll(x => x.Name == name);

        // An unnamed primary key is named "<table>_pkey" by the server.
        if (name == $"{table.Name}_pkey")
        {
            foreach (var column in table.Columns)
            {
                column.IsPrimaryKey = false;
            }

            table.PrimaryKey.Clear();
        }
    }

    private static void DropColumn(TableModel table, string name, bool ifExists, int line)
    {
        var column = table.FindColumn(name);
        if (column is null)
        {
            if (!ifExists)
            {
                throw new SqlReadException(line, $"DROP COLUMN {name} not applied: the table has no such column");
            }

            return;
        }

        // The server drops every constraint and index that uses the column along with it.
        table.Columns.Remove(column);
        if (table.PrimaryKey.Contains(name))
        {
            table.PrimaryKey.Clear();
        }

        table.Uniques.RemoveAll(u => u.Columns.Contains(name));
        table.ForeignKeys.RemoveAll(f => f.Columns.Contains(name));
    }
}
