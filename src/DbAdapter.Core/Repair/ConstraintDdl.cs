using System.Text;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// A key, unique or foreign key constraint as SQL a step runs, built from the model's parts with every
/// name quoted by the one quoter: nothing of a file's text is needed for these, so schema.sql's and a
/// catalog's models give the same statement.
/// </summary>
internal static class ConstraintDdl
{
    /// <summary>"CONSTRAINT "name" " or nothing, so the server chooses the name as it would have.</summary>
    public static string Named(string? name) => name is null ? string.Empty : $"CONSTRAINT {SqlIdentifier.Quote(name)} ";

    public static string PrimaryKey(IEnumerable<string> columns, ConstraintTiming timing) => $"PRIMARY KEY ({Columns(columns)}){timing.Suffix}";

    public static string Unique(UniqueModel unique) =>
        $"UNIQUE {(unique.NullsNotDistinct ? "NULLS NOT DISTINCT " : string.Empty)}({Columns(unique.Columns)}){unique.Timing.Suffix}";

    public static string ForeignKey(ForeignKeyModel foreignKey) => $"FOREIGN KEY ({Columns(foreignKey.Columns)}) {References(foreignKey)}";

    /// <summary>"REFERENCES "s"."t" ("id") MATCH FULL ON UPDATE ... ON DELETE ... DEFERRABLE".</summary>
    public static string References(ForeignKeyModel foreignKey)
    {
        var text = new StringBuilder("REFERENCES ")
            .Append(new TableName(foreignKey.ReferencedSchema, foreignKey.ReferencedTable).Quoted);
        if (foreignKey.ReferencedColumns.Count > 0)
        {
            text.Append(" (").Append(Columns(foreignKey.ReferencedColumns)).Append(')');
        }

        if (foreignKey.Match != "SIMPLE")
        {
            text.Append(" MATCH ").Append(foreignKey.Match);
        }

        text.Append(" ON UPDATE ").Append(foreignKey.OnUpdate).Append(" ON DELETE ").Append(foreignKey.OnDelete);
        return text.Append(foreignKey.Timing.Suffix).ToString();
    }

    private static string Columns(IEnumerable<string> names) => string.Join(", ", names.Select(SqlIdentifier.Quote));
}
