using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Changes to the model that reach beyond one table, made the way the server makes them: partitions
/// and inheritance children follow their parents, and a rename or a drop updates every object that
/// points at what was renamed or dropped.
/// </summary>
internal sealed partial class SchemaStatementReader
{
    private void AddTable(TableModel table)
    {
        _model.Tables.Add(table);
        _tables.Add((table.Schema, table.Name), table);
    }

    /// <summary>Makes <paramref name="child"/> a partition or an inheritance child of <paramref name="parent"/>.</summary>
    private void Link(TableModel child, TableModel parent, bool partition)
    {
        if (!child.Parents.Contains(parent.QualifiedName))
        {
            child.Parents.Add(parent.QualifiedName);
        }

        child.IsPartition = partition;
        if (!_children.TryGetValue(parent, out var children))
        {
            _children[parent] = children = [];
        }

        if (!children.Contains(child))
        {
            children.Add(child);
        }

        // The server marks a column a parent also has as inherited: dropping it from the parent drops it here.
        foreach (var column in child.Columns)
        {
            if (parent.FindColumn(column.Name) is not null && partition)
            {
                column.IsLocal = false;
            }
        }
    }

    private void Unlink(TableModel child, TableModel parent)
    {
        child.Parents.Remove(parent.QualifiedName);
        child.IsPartition = false;
        if (_children.TryGetValue(parent, out var children))
        {
            children.Remove(child);
        }

        foreach (var column in child.Columns)
        {
            column.IsLocal = true;
        }
    }

    /// <summary>The partitions and inheritance children of <paramref name="table"/>, at every depth.</summary>
    private List<TableModel> Descendants(TableModel table)
    {
        var result = new List<TableModel>();
        var queue = new Queue<TableModel>();
        queue.Enqueue(table);
        while (queue.Count > 0)
        {
            foreach (var child in _children.GetValueOrDefault(queue.Dequeue()) ?? [])
            {
                if (child != table && !result.Contains(child))
                {
                    result.Add(child);
                    queue.Enqueue(child);
                }
            }
        }

        return result;
    }

    /// <summary>The table and, unless <paramref name="only"/>, its descendants: what an ALTER TABLE reaches.</summary>
    private List<TableModel> Reach(TableModel table, bool only)
    {
        var reach = new List<TableModel> { table };
        if (!only)
        {
            reach.AddRange(Descendants(table));
        }

        return reach;
    }

    private void DropTable(TableModel table)
    {
        // Partitions go with their table; an inheritance child only loses its parent.
        foreach (var child in _children.GetValueOrDefault(table)?.ToList() ?? [])
        {
            if (child.IsPartition)
            {
                DropTable(child);
            }
            else
            {
                Unlink(child, table);
            }
        }

        foreach (var parent in ParentsOf(table))
        {
            Unlink(table, parent);
        }

        _children.Remove(table);
        _tables.Remove((table.Schema, table.Name));

        // Rare (a file seldom drops what it creates), so scanning the lists here is fine.
        _model.Tables.Remove(table);
        _model.Indexes.RemoveAll(i =>
        {
            var dropped = i.Schema == table.Schema && i.Table == table.Name;
            if (dropped)
            {
                _indexes.Remove((i.Schema, i.Name));
            }

            return dropped;
        });
        _model.Triggers.RemoveAll(t =>
        {
            var dropped = t.Schema == table.Schema && t.Table == table.Name;
            if (dropped)
            {
                _triggers.Remove((t.Schema, t.Table, t.Name));
            }

            return dropped;
        });
        DropOwnedSequences(table, column: null);

        List<TableModel> ParentsOf(TableModel t) =>
            t.Parents.Select(p => FindTable(p.Schema, p.Name)).OfType<TableModel>().ToList();
    }

    /// <summary>Drops the sequences owned by a column of <paramref name="table"/> (every column when null), as the server does.</summary>
    private void DropOwnedSequences(TableModel table, string? column)
    {
        _model.Sequences.RemoveAll(s =>
        {
            var dropped = s.OwnedBy is { } owner && owner.Schema == table.Schema && owner.Table == table.Name && (column is null || owner.Column == column);
            if (dropped)
            {
                _sequences.Remove((s.Schema, s.Name));
            }

            return dropped;
        });
    }

    /// <summary>
    /// ALTER TABLE ... RENAME TO / SET SCHEMA: the table keeps its identity, so whatever points at it
    /// (foreign keys, indexes, triggers, owned sequences, children) follows.
    /// </summary>
    private void MoveTable(TableModel table, string schema, string name, int line)
    {
        var old = table.QualifiedName;
        if (FindTable(schema, name) is not null)
        {
            throw new SqlReadException(line, $"{old} cannot become {schema}.{name}: a table of that name is already created earlier in this file");
        }

        _tables.Remove((old.Schema, old.Name));
        table.Schema = schema;
        table.Name = name;
        _tables.Add((schema, name), table);
        var moved = table.QualifiedName;

        foreach (var child in _children.GetValueOrDefault(table) ?? [])
        {
            var at = child.Parents.IndexOf(old);
            if (at >= 0)
            {
                child.Parents[at] = moved;
            }
        }

        foreach (var other in _model.Tables)
        {
            foreach (var foreignKey in other.ForeignKeys)
            {
                if (foreignKey.ReferencedSchema == old.Schema && foreignKey.ReferencedTable == old.Name)
                {
                    foreignKey.ReferencedSchema = schema;
                    foreignKey.ReferencedTable = name;
                }
            }
        }

        foreach (var index in _model.Indexes.Where(i => i.Schema == old.Schema && i.Table == old.Name).ToList())
        {
            // Indexes move with their table to its new schema.
            _indexes.Remove((index.Schema, index.Name));
            index.Schema = schema;
            index.Table = name;
            _indexes[(schema, index.Name)] = index;
        }

        foreach (var trigger in _model.Triggers.Where(t => t.Schema == old.Schema && t.Table == old.Name).ToList())
        {
            _triggers.Remove((trigger.Schema, trigger.Table, trigger.Name));
            trigger.Schema = schema;
            trigger.Table = name;
            _triggers[(schema, name, trigger.Name)] = trigger;
        }

        foreach (var sequence in _model.Sequences)
        {
            if (sequence.OwnedBy is { } owner && owner.Schema == old.Schema && owner.Table == old.Name)
            {
                sequence.OwnedBy = owner with { Schema = schema, Table = name };
            }
        }
    }

    /// <summary>
    /// ALTER TABLE ... RENAME COLUMN: keys, foreign keys on both ends, indexes and owned sequences follow,
    /// and so do the children that inherit the column.
    /// </summary>
    private void RenameColumn(TableModel table, string from, string to, int line)
    {
        foreach (var target in Reach(table, only: false))
        {
            var column = target.FindColumn(from);
            if (column is null)
            {
                if (target == table)
                {
                    throw new SqlReadException(line, $"RENAME COLUMN {from} not applied: the table has no such column");
                }

                continue;
            }

            if (target.FindColumn(to) is not null)
            {
                throw new SqlReadException(line, $"RENAME COLUMN {from} TO {to} not applied: {target} already has a column {to}");
            }

            column.Name = to;
            Replace(target.PrimaryKey, from, to);
            foreach (var unique in target.Uniques)
            {
                Replace(unique.Columns, from, to);
            }

            foreach (var foreignKey in target.ForeignKeys)
            {
                Replace(foreignKey.Columns, from, to);
            }

            foreach (var other in _model.Tables)
            {
                foreach (var foreignKey in other.ForeignKeys)
                {
                    if (foreignKey.ReferencedSchema == target.Schema && foreignKey.ReferencedTable == target.Name)
                    {
                        Replace(foreignKey.ReferencedColumns, from, to);
                    }
                }
            }

            foreach (var index in _model.Indexes)
            {
                if (index.Schema == target.Schema && index.Table == target.Name)
                {
                    for (var k = 0; k < index.Columns.Count; k++)
                    {
                        index.Columns[k] = index.Columns[k] == from ? to : SqlText.RenameName(index.Columns[k], from, to);
                    }

                    index.Predicate = index.Predicate is null ? null : SqlText.RenameName(index.Predicate, from, to);
                    Replace(index.Include, from, to);
                    for (var k = 0; k < index.Keys.Count; k++)
                    {
                        if (index.Keys[k].Column == from)
                        {
                            index.Keys[k] = index.Keys[k] with { Column = to };
                        }
                    }
                }
            }

            foreach (var trigger in _model.Triggers)
            {
                if (trigger.Schema == target.Schema && trigger.Table == target.Name)
                {
                    Replace(trigger.UpdateColumns, from, to);
                }
            }

            foreach (var exclusion in target.Exclusions)
            {
                Replace(exclusion.Columns, from, to);
            }

            // Expressions name the column too: the server follows the rename in what it stores.
            foreach (var check in target.Checks)
            {
                check.Expression = SqlText.RenameName(check.Expression, from, to);
            }

            foreach (var sequence in _model.Sequences)
            {
                if (sequence.OwnedBy is { } owner && owner.Schema == target.Schema && owner.Table == target.Name && owner.Column == from)
                {
                    sequence.OwnedBy = owner with { Column = to };
                }
            }
        }

        static void Replace(List<string> names, string from, string to)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] == from)
                {
                    names[i] = to;
                }
            }
        }
    }

    /// <summary>
    /// ALTER TABLE ... ADD COLUMN: the column goes on the table and, unless ONLY, on every descendant
    /// that does not have it yet (one that has it keeps its own, as the server merges them).
    /// </summary>
    private static void AddColumnTo(List<TableModel> reach, ColumnModel column, bool ifNotExists, int line)
    {
        var table = reach[0];
        if (table.FindColumn(column.Name) is not null)
        {
            if (!ifNotExists)
            {
                throw new SqlReadException(line, $"ADD COLUMN {column.Name} not applied: the column already exists");
            }

            return;
        }

        table.Columns.Add(column);
        foreach (var child in reach.Skip(1))
        {
            if (child.FindColumn(column.Name) is null)
            {
                child.Columns.Add(CopyColumn(column, column.Line, local: false));
            }
        }
    }

    /// <summary>
    /// ALTER TABLE ... DROP COLUMN: the server drops every constraint and index that uses the column,
    /// the sequences it owns, and the column in descendants that only inherit it.
    /// </summary>
    private void DropColumnFrom(List<TableModel> reach, string name, bool ifExists, int line)
    {
        var table = reach[0];
        if (table.FindColumn(name) is null)
        {
            if (!ifExists)
            {
                throw new SqlReadException(line, $"DROP COLUMN {name} not applied: the table has no such column");
            }

            return;
        }

        foreach (var target in reach)
        {
            var column = target.FindColumn(name);
            if (column is null || (target != table && column.IsLocal))
            {
                continue;
            }

            target.Columns.Remove(column);
            if (target.PrimaryKey.Contains(name))
            {
                target.PrimaryKey.Clear();
            }

            target.Uniques.RemoveAll(u => u.Columns.Contains(name));
            target.ForeignKeys.RemoveAll(f => f.Columns.Contains(name));

            // Checks, exclusion constraints and indexes that use the column go with it.
            target.Checks.RemoveAll(k => ConstraintNames.ColumnsIn(k.Expression, [name]).Count > 0);
            target.Exclusions.RemoveAll(x => x.Columns.Contains(name) || ConstraintNames.ColumnsIn(x.Definition, [name]).Count > 0);
            _model.Indexes.RemoveAll(i =>
            {
                var dropped = i.Schema == target.Schema && i.Table == target.Name &&
                    (i.Columns.Any(k => k == name || ConstraintNames.ColumnsIn(k, [name]).Count > 0) || i.Include.Contains(name) ||
                     (i.Predicate is { } predicate && ConstraintNames.ColumnsIn(predicate, [name]).Count > 0));
                if (dropped)
                {
                    _indexes.Remove((i.Schema, i.Name));
                }

                return dropped;
            });
            DropOwnedSequences(target, name);
        }
    }

    /// <summary>A column copied from a parent or a LIKE source, its definition rebuilt from its shape.</summary>
    private static ColumnModel CopyColumn(ColumnModel column, int line, bool local) => new()
    {
        Name = column.Name,
        Type = column.Type,
        NotNull = column.NotNull,
        Default = column.Default,
        Identity = column.Identity,
        Generated = column.Generated,
        Definition = column.Definition,
        SearchPath = column.SearchPath,
        Line = line,
        IsLocal = local,
    };
}
