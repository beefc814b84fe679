using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// ALTER TABLE: changes to columns and constraints, renames, schema moves and partition attachment are
/// applied to the model the way the server applies them (a change without ONLY reaches partitions and
/// inheritance children); actions that cannot change the table's shape (RLS, owner, storage...) are
/// passed over.
/// </summary>
internal sealed partial class SchemaStatementReader
{
    private void ReadAlterTable(SqlStatement statement, TokenCursor c)
    {
        RequireOneStatement(statement);
        var ifExists = c.AcceptWords("if", "exists");
        var only = c.AcceptWord("only");
        if (c.AreWords("all", "in"))
        {
            return;
        }

        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema);
        var nameEnd = c.Position;
        c.AcceptSymbol("*");
        var table = FindTable(schema, name);

        // Read every action before applying any: a statement is applied whole or reported whole.
        var alter = new AlterReading(statement, Keep(statement), only);
        foreach (var (start, end) in TokenCursor.SplitTopLevel(c.Tokens, c.Position, c.End))
        {
            var action = new TokenCursor(c.Tokens, start, end);
            if (action.AtEnd)
            {
                throw c.Unexpected("an ALTER TABLE action");
            }

            ReadAlterAction(action, schema, name, alter);
        }

        if (table is null)
        {
            // IF EXISTS says the author expects the table may be missing: pg_dump --clean's prelude
            // drops constraints and defaults of tables it creates further down.
            if ((alter.Changes.Count > 0 || alter.NotApplied.Count > 0) && !ifExists)
            {
                Warn("unknown table", statement.Line, $"skipped ALTER TABLE {schema}.{name}: the table is not created earlier in this file.");
            }

            return;
        }

        var problems = new List<string>();
        foreach (var change in alter.Changes)
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

        foreach (var problem in problems.Concat(alter.NotApplied))
        {
            Warn("not applied", statement.Line, $"ALTER TABLE {table}: {problem}.");
        }

        if (!alter.Store)
        {
            return;
        }

        Name(alter.Kept, statement, nameStart, nameEnd, table);
        NameReferences(alter.Kept, statement);

        // An ATTACH PARTITION belongs to the partition: repair reruns it when the partition is created.
        (alter.Attached ?? table).AlterStatements.Add(alter.Kept);
    }

    private void ReadAlterAction(TokenCursor a, string schema, string name, AlterReading alter)
    {
        var first = a.Current;
        var only = alter.Only;
        if (a.AcceptWord("add"))
        {
            var isColumn = a.AcceptWord("column");
            var ifNotExists = a.AcceptWords("if", "not", "exists");
            var delta = new TableModel { Schema = schema, Name = name };
            if (!isColumn && TableElementReader.StartsTableConstraint(a))
            {
                TableElementReader.ReadTableConstraint(a, delta, _defaultSchema);
                SetPaths(delta);
                alter.Changes.Add(table => MergeConstraints(table, delta));
            }
            else
            {
                var column = TableElementReader.ReadColumn(a, delta, _defaultSchema);
                column.SearchPath = _searchPath;
                SetPaths(delta);
                alter.Changes.Add(table =>
                {
                    AddColumnTo(Reach(table, only), column, ifNotExists, first.Line);
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
                alter.Changes.Add(table => DropConstraint(table, constraint));
            }
            else
            {
                a.AcceptWord("column");
                var ifExists = a.AcceptWords("if", "exists");
                var column = a.ReadName("a column name");
                alter.Changes.Add(table => DropColumnFrom(Reach(table, only), column, ifExists, first.Line));
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
            ReadAlterColumn(a, column, alter);
        }
        else if (a.AcceptWord("rename"))
        {
            ReadRename(a, alter);
        }
        else if (a.AcceptWords("set", "schema"))
        {
            var target = a.ReadName("a schema name");
            alter.Store = false;
            alter.Changes.Add(table => MoveTable(table, target, table.Name, first.Line));
        }
        else if (a.AcceptWords("attach", "partition"))
        {
            ReadAttachPartition(a, alter);
        }
        else if (a.AcceptWords("detach", "partition"))
        {
            var (childSchema, childName) = a.ReadQualifiedName(_defaultSchema, "a partition");
            alter.Store = false;
            alter.Changes.Add(table =>
            {
                if (FindTable(childSchema, childName) is { } child)
                {
                    Unlink(child, table);
                    child.AlterStatements.RemoveAll(s => s.AttachesPartition);
                }
            });
        }
        else if (a.AcceptWord("inherit") || a.AcceptWords("no", "inherit"))
        {
            var inherit = first.IsWord("inherit");
            var parentStart = a.Position;
            var (parentSchema, parentName) = a.ReadQualifiedName(_defaultSchema, "a parent table");
            var parentEnd = a.Position;
            alter.Changes.Add(table =>
            {
                var parent = FindTable(parentSchema, parentName)
                    ?? throw new SqlReadException(first.Line, $"{(inherit ? "INHERIT" : "NO INHERIT")} {parentSchema}.{parentName} not applied: the table is not created earlier in this file");
                Name(alter.Kept, alter.Statement, parentStart, parentEnd, parent);
                if (inherit)
                {
                    Link(table, parent, partition: false);
                    foreach (var column in parent.Columns)
                    {
                        table.FindColumn(column.Name)?.IsLocal = true;
                    }
                }
                else
                {
                    Unlink(table, parent);
                }
            });
        }
        else if (a.IsWord("enable") || a.IsWord("disable") || a.IsWord("force") || a.IsWord("no") || a.IsWord("owner")
                 || a.IsWord("replica") || a.IsWord("cluster") || a.IsWord("set") || a.IsWord("reset")
                 || a.IsWord("validate") || a.IsWord("of") || a.AreWords("not", "of"))
        {
            // RLS, ownership, storage and similar settings do not change columns or constraints.
        }
        else
        {
            throw a.Unexpected("an ALTER TABLE action (ADD, DROP, ALTER COLUMN, RENAME, ATTACH PARTITION, ENABLE ROW LEVEL SECURITY...)");
        }
    }

    /// <summary>
    /// RENAME TO and RENAME [COLUMN] a TO b. A renamed table is created under its final name by repair,
    /// so its RENAME TO is not kept; a renamed column is, because the CREATE TABLE still names the old one.
    /// </summary>
    private void ReadRename(TokenCursor a, AlterReading alter)
    {
        var line = a.Line;
        if (a.AcceptWord("to"))
        {
            var target = a.ReadName("the new table name");
            alter.Store = false;
            alter.Changes.Add(table => MoveTable(table, table.Schema, target, line));
            return;
        }

        if (a.AcceptWord("constraint"))
        {
            var from = a.ReadName("a constraint name");
            a.ExpectWord("to");
            var to = a.ReadName("the new constraint name");
            alter.Changes.Add(table => RenameConstraint(table, from, to));
            return;
        }

        a.AcceptWord("column");
        var column = a.ReadName("a column name");
        a.ExpectWord("to");
        var newName = a.ReadName("the new column name");
        alter.Changes.Add(table => RenameColumn(table, column, newName, line));
    }

    /// <summary>ATTACH PARTITION: the attached table becomes a partition; the statement is kept with it.</summary>
    private void ReadAttachPartition(TokenCursor a, AlterReading alter)
    {
        var line = a.Line;
        var childStart = a.Position;
        var (childSchema, childName) = a.ReadQualifiedName(_defaultSchema, "a partition");
        var childEnd = a.Position;
        if (a.AcceptWords("for", "values"))
        {
            while (!a.AtEnd)
            {
                a.SkipItem();
            }
        }
        else
        {
            a.ExpectWord("default");
        }

        var child = FindTable(childSchema, childName);
        if (child is null)
        {
            alter.NotApplied.Add($"ATTACH PARTITION {childSchema}.{childName} is not applied: the partition is not created earlier in this file");
            return;
        }

        alter.Kept.AttachesPartition = true;
        alter.Attached = child;
        Name(alter.Kept, alter.Statement, childStart, childEnd, child);
        alter.Changes.Add(table =>
        {
            if (child == table)
            {
                throw new SqlReadException(line, $"{table} cannot be a partition of itself");
            }

            Link(child, table, partition: true);
        });
    }

    private void ReadAlterColumn(TokenCursor a, string column, AlterReading alter)
    {
        var line = a.Line;
        var path = _searchPath;

        // Whether the change reaches the descendants: a type always does (they must agree), others unless ONLY.
        var recurse = !alter.Only;
        Action<ColumnModel>? change = null;
        if (a.AcceptWords("set", "default"))
        {
            var expression = a.Render(a.Position, a.End);
            change = col =>
            {
                col.Default = expression;
                col.SearchPath = path;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithDefault(d, expression));
            };
        }
        else if (a.AcceptWords("drop", "default"))
        {
            change = col =>
            {
                col.Default = null;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithDefault(d, null));
            };
        }
        else if (a.AcceptWords("set", "not", "null"))
        {
            change = col =>
            {
                col.NotNull = true;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithNotNull(d, true));
            };
        }
        else if (a.AcceptWords("drop", "not", "null"))
        {
            change = col =>
            {
                col.NotNull = false;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithNotNull(d, false));
            };
        }
        else if (a.AcceptWord("type") || a.AcceptWords("set", "data", "type"))
        {
            var start = a.Position;
            while (!a.AtEnd && !a.IsWord("collate") && !a.IsWord("using"))
            {
                a.SkipItem();
            }

            var type = a.Render(start, a.Position);
            recurse = true;
            change = col =>
            {
                col.Type = type;
                col.SearchPath = path;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithType(d, type));
            };
        }
        else if (a.AcceptWords("drop", "identity"))
        {
            recurse = false;
            change = col =>
            {
                col.Identity = null;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithGenerated(d, null));
            };
        }
        else if (a.AcceptWords("drop", "expression"))
        {
            change = col =>
            {
                col.Generated = null;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithGenerated(d, null));
            };
        }
        else if (a.AreWords("add", "generated") || a.AreWords("set", "generated"))
        {
            a.Position += 2;
            var identity = a.AcceptWord("always") ? "a" : a.AcceptWords("by", "default") ? "d" : throw a.Unexpected("ALWAYS or BY DEFAULT");
            var clause = identity == "a" ? "GENERATED ALWAYS AS IDENTITY" : "GENERATED BY DEFAULT AS IDENTITY";
            recurse = false;
            change = col =>
            {
                col.Identity = identity;
                col.NotNull = true;
                col.Definition = Edit(col.Definition, d => ColumnDefinitionText.WithNotNull(ColumnDefinitionText.WithGenerated(d, clause), true));
            };
        }

        // Anything else (SET STATISTICS, SET STORAGE, options) leaves the column's shape alone.
        if (change is null)
        {
            return;
        }

        alter.Changes.Add(table =>
        {
            var reach = recurse ? Reach(table, only: false) : [table];
            foreach (var target in reach)
            {
                if (target.FindColumn(column) is { } found)
                {
                    change(found);
                }
                else if (target == table)
                {
                    throw new SqlReadException(line, $"ALTER COLUMN {column} not applied: the table has no such column");
                }
            }
        });

        static string? Edit(string? definition, Func<string, string> edit) => definition is null ? null : edit(definition);
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
            table.PrimaryKeyName = delta.PrimaryKeyName;
            table.PrimaryKeyTiming = delta.PrimaryKeyTiming;
            table.PrimaryKeyInline = delta.PrimaryKeyInline;
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
        // An unnamed constraint goes by the name the server gave it.
        table.Uniques.RemoveAll(u => NameOf(table, u) == name);
        table.Checks.RemoveAll(k => NameOf(table, k) == name);
        table.ForeignKeys.RemoveAll(f => NameOf(table, f) == name);
        table.Exclusions.RemoveAll(x => NameOf(table, x) == name);
        if (name == (table.PrimaryKeyName ?? ConstraintNames.PrimaryKey(table.Name)))
        {
            foreach (var column in table.Columns)
            {
                column.IsPrimaryKey = false;
            }

            table.PrimaryKey.Clear();
            table.PrimaryKeyName = null;
            table.PrimaryKeyInline = null;
        }
    }

    /// <summary>A constraint's name: the one the file gives it, or the one the server chooses.</summary>
    internal static string NameOf(TableModel table, ConstraintModel constraint) => constraint.Name ?? constraint switch
    {
        UniqueModel unique => ConstraintNames.Unique(table.Name, unique.Columns),
        ForeignKeyModel foreignKey => ConstraintNames.ForeignKey(table.Name, foreignKey.Columns),
        ExclusionModel exclusion => ConstraintNames.Exclusion(table.Name, exclusion.Columns),
        CheckModel check => ConstraintNames.Check(table.Name, check.Expression, table.Columns.Select(c => c.Name)),
        _ => throw new ArgumentOutOfRangeException(nameof(constraint)),
    };

    /// <summary>The search_path the constraints just read were written under, where none is set yet.</summary>
    private void SetPaths(TableModel table)
    {
        foreach (var constraint in table.Uniques.Concat<ConstraintModel>(table.Checks).Concat(table.ForeignKeys).Concat(table.Exclusions))
        {
            constraint.SearchPath ??= _searchPath;
        }
    }

    private static void RenameConstraint(TableModel table, string from, string to)
    {
        foreach (var constraint in table.Uniques.Concat<ConstraintModel>(table.Checks).Concat(table.ForeignKeys).Concat(table.Exclusions))
        {
            if (NameOf(table, constraint) == from)
            {
                constraint.Name = to;
            }
        }

        if (table.PrimaryKey.Count > 0 && (table.PrimaryKeyName ?? ConstraintNames.PrimaryKey(table.Name)) == from)
        {
            table.PrimaryKeyName = to;
        }
    }

    /// <summary>One ALTER TABLE statement while its actions are read.</summary>
    private sealed class AlterReading(SqlStatement statement, FileStatement kept, bool only)
    {
        public SqlStatement Statement { get; } = statement;

        /// <summary>The statement as the model keeps it.</summary>
        public FileStatement Kept { get; } = kept;

        /// <summary>ALTER TABLE ONLY: changes do not reach partitions and children (where the server allows that).</summary>
        public bool Only { get; } = only;

        /// <summary>The changes, applied once every action is read.</summary>
        public List<Action<TableModel>> Changes { get; } = [];

        public List<string> NotApplied { get; } = [];

        /// <summary>False when repair must not rerun the statement (a rename or move it already writes as the final name).</summary>
        public bool Store { get; set; } = true;

        /// <summary>The partition an ATTACH PARTITION attaches: the statement is kept with it.</summary>
        public TableModel? Attached { get; set; }
    }
}
