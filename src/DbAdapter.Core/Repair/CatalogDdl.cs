using System.Globalization;
using System.Text;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// DDL built from a catalog model (shadow mode's throwaway database), never from text a reader could
/// not model: names through the one quoter, and types, defaults, check expressions, partition keys and
/// bounds and index definitions exactly as the server printed them under the introspector's print
/// path, so the statements run under that path mean what the catalog holds.
/// </summary>
/// <remarks>
/// A partition is created as a table of its own and attached afterwards (as pg_dump does): the table
/// then has its own defaults, and attaching brings the parent's keys, foreign keys and indexes. An
/// inheritance child lists every column (the server merges those of its parents) with its own checks.
/// </remarks>
internal static class CatalogDdl
{
    /// <summary>CREATE TABLE for <paramref name="table"/>.</summary>
    public static string CreateTable(TableModel table)
    {
        var elements = new List<string>();
        foreach (var column in table.Columns)
        {
            elements.Add($"{SqlIdentifier.Quote(column.Name)} {Shape(column)}");
        }

        if (table.PrimaryKey.Count > 0 && !table.PrimaryKeyInherited)
        {
            elements.Add(ConstraintDdl.Named(table.PrimaryKeyName) + ConstraintDdl.PrimaryKey(table.PrimaryKey, table.PrimaryKeyTiming));
        }

        foreach (var unique in table.Uniques.Where(u => !u.IsInherited))
        {
            elements.Add(ConstraintDdl.Named(unique.Name) + ConstraintDdl.Unique(unique));
        }

        // A partition must have its parent's checks before it can be attached; an inheritance child
        // receives them from INHERITS.
        foreach (var check in table.Checks.Where(k => table.IsPartition || !k.IsInherited))
        {
            elements.Add(ConstraintDdl.Named(check.Name) + check.Expression);
        }

        foreach (var foreignKey in table.ForeignKeys.Where(f => !f.IsInherited))
        {
            elements.Add(ConstraintDdl.Named(foreignKey.Name) + ConstraintDdl.ForeignKey(foreignKey));
        }

        foreach (var exclusion in table.Exclusions.Where(x => !x.IsInherited))
        {
            elements.Add(ConstraintDdl.Named(exclusion.Name) + exclusion.Definition);
        }

        var text = new StringBuilder(table.Persistence == "UNLOGGED" ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ");
        text.Append(table.QualifiedName.Quoted).Append(" (\n    ").Append(string.Join(",\n    ", elements)).Append("\n)");
        if (!table.IsPartition && table.Parents.Count > 0)
        {
            text.Append(" INHERITS (").Append(string.Join(", ", table.Parents.Select(p => p.Quoted))).Append(')');
        }

        if (table.PartitionKey is { } key)
        {
            text.Append(" PARTITION BY ").Append(key);
        }

        return text.ToString();
    }

    /// <summary>ALTER TABLE parent ATTACH PARTITION for a partition, or null for any other table.</summary>
    public static string? AttachPartition(TableModel table) =>
        table is { IsPartition: true, Parents.Count: > 0, PartitionBound: { } bound }
            ? $"ALTER TABLE {table.Parents[0].Quoted} ATTACH PARTITION {table.QualifiedName.Quoted} {bound}"
            : null;

    /// <summary>
    /// The definition an added column gets: its shape, and the constraints that concern only it (a
    /// single-column key, unique, foreign key or check), so the step's hazards see them.
    /// </summary>
    public static string ColumnDefinition(TableModel table, ColumnModel column)
    {
        var text = new StringBuilder(Shape(column));
        var only = new[] { column.Name };
        foreach (var constraint in MadeByColumn(table, column.Name))
        {
            text.Append(' ').Append(ConstraintDdl.Named(constraint.Name)).Append(constraint switch
            {
                UniqueModel unique => "UNIQUE" + unique.Timing.Suffix,
                ForeignKeyModel foreignKey => ConstraintDdl.References(foreignKey),
                CheckModel check => check.Expression,
                _ => string.Empty,
            });
        }

        if (table.PrimaryKey.SequenceEqual(only) && !table.PrimaryKeyInherited)
        {
            text.Append(' ').Append(ConstraintDdl.Named(table.PrimaryKeyName)).Append("PRIMARY KEY").Append(table.PrimaryKeyTiming.Suffix);
        }

        return text.ToString();
    }

    /// <summary>
    /// The constraints <see cref="ColumnDefinition"/> writes into a column's definition: the unique,
    /// foreign key and check constraints that concern only that column (a single-column primary key too,
    /// see <see cref="ColumnDefinition"/>).
    /// </summary>
    public static IEnumerable<ConstraintModel> MadeByColumn(TableModel table, string column)
    {
        string[] only = [column];
        foreach (var unique in table.Uniques.Where(u => !u.IsInherited && !u.NullsNotDistinct && u.Columns.SequenceEqual(only)))
        {
            yield return unique;
        }

        foreach (var foreignKey in table.ForeignKeys.Where(f => !f.IsInherited && f.Columns.SequenceEqual(only)))
        {
            yield return foreignKey;
        }

        foreach (var check in table.Checks.Where(k => !k.IsInherited && k.Columns.SequenceEqual(only)))
        {
            yield return check;
        }
    }

    /// <summary>The indexes of <paramref name="table"/> that no constraint and no parent index makes.</summary>
    public static IEnumerable<string> Indexes(SchemaModel model, TableModel table) =>
        model.Indexes
            .Where(i => i.Schema == table.Schema && i.Table == table.Name && !i.IsConstraint && !i.IsInherited)
            .Select(i => i.Definition);

    /// <summary>CREATE SEQUENCE with every option the catalog holds.</summary>
    public static string CreateSequence(SequenceModel sequence)
    {
        var text = new StringBuilder("CREATE SEQUENCE ").Append(sequence.QualifiedName.Quoted);
        if (sequence.DataType is { } type)
        {
            text.Append(" AS ").Append(type);
        }

        text.Append(CultureInfo.InvariantCulture, $" INCREMENT BY {sequence.Increment}");
        text.Append(sequence.MinValue is { } min ? string.Create(CultureInfo.InvariantCulture, $" MINVALUE {min}") : " NO MINVALUE");
        text.Append(sequence.MaxValue is { } max ? string.Create(CultureInfo.InvariantCulture, $" MAXVALUE {max}") : " NO MAXVALUE");
        text.Append(CultureInfo.InvariantCulture, $" START WITH {sequence.Start} CACHE {sequence.Cache}");
        text.Append(sequence.Cycle ? " CYCLE" : " NO CYCLE");
        return text.ToString();
    }

    /// <summary>ALTER SEQUENCE ... OWNED BY its column, or null when no column owns it.</summary>
    public static string? OwnedBy(SequenceModel sequence) =>
        sequence.OwnedBy is { } owner
            ? $"ALTER SEQUENCE {sequence.QualifiedName.Quoted} OWNED BY {new TableName(owner.Schema, owner.Table).Quoted}.{SqlIdentifier.Quote(owner.Column)}"
            : null;

    /// <summary>Type, generation or identity, default and NOT NULL, as the catalog has them.</summary>
    private static string Shape(ColumnModel column)
    {
        var text = new StringBuilder(column.Type);
        if (column.Generated is { } generated)
        {
            text.Append(" GENERATED ALWAYS AS (").Append(generated).Append(") STORED");
        }

        if (column.Identity is { } identity)
        {
            text.Append(identity == "a" ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY");
        }

        if (column.Default is { } @default)
        {
            text.Append(" DEFAULT ").Append(@default);
        }

        if (column.NotNull)
        {
            text.Append(" NOT NULL");
        }

        return text.ToString();
    }

    /// <summary>CREATE [MATERIALIZED] VIEW with the query as the catalog prints it.</summary>
    public static string CreateView(ViewModel view) =>
        $"CREATE {(view.IsMaterialized ? "MATERIALIZED " : string.Empty)}VIEW {view.QualifiedName.Quoted} AS {view.Query.Trim().TrimEnd(';').TrimEnd()}";

    /// <summary>CREATE TYPE ... AS ENUM with every label in order.</summary>
    public static string CreateEnum(EnumModel type) =>
        $"CREATE TYPE {type.QualifiedName.Quoted} AS ENUM ({string.Join(", ", type.Labels.Select(SqlLiteral.Quote))})";

    /// <summary>CREATE DOMAIN with its base type, default, NOT NULL and named checks as the catalog has them.</summary>
    public static string CreateDomain(DomainModel domain)
    {
        var text = new StringBuilder("CREATE DOMAIN ").Append(domain.QualifiedName.Quoted).Append(" AS ").Append(domain.BaseType);
        if (domain.Default is { } @default)
        {
            text.Append(" DEFAULT ").Append(@default);
        }

        if (domain.NotNull)
        {
            text.Append(" NOT NULL");
        }

        foreach (var check in domain.Checks)
        {
            text.Append(' ').Append(ConstraintDdl.Named(check.Name)).Append(check.Expression);
        }

        return text.ToString();
    }

}
