using DbAdapter.Core.Client;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Backup;

/// <summary>A reference from a backed-up table to another one: the referencing column and the table referred to.</summary>
/// <param name="Table">The table referred to.</param>
/// <param name="Field">The column of the referencing table that holds the other table's key.</param>
internal sealed record BackupReference(BackupTable Table, ColumnInfo Field);

/// <summary>
/// One entry of a backup schema bound to a live table: its columns, and the key, natural-key, owner
/// and reference columns resolved (validated by <see cref="BackupSchemaBinder"/>).
/// </summary>
internal sealed class BackupTable
{
    public BackupTable(int index, BackupTableConfig spec, TableName name, TableColumns columns, ColumnInfo pk, ColumnInfo? slug, ColumnInfo user)
    {
        Index = index;
        Spec = spec;
        Name = name;
        Columns = columns;
        Pk = pk;
        Slug = slug;
        User = user;
    }

    /// <summary>Position in the backup schema.</summary>
    public int Index { get; }

    public BackupTableConfig Spec { get; }

    /// <summary>The table's key in a backup file (its name as the schema writes it).</summary>
    public string Key => Spec.Name;

    public TableName Name { get; }

    public TableColumns Columns { get; }

    public ColumnInfo Pk { get; }

    /// <summary>The natural-key column, or null when slug_field is empty (rows then match on their key).</summary>
    public ColumnInfo? Slug { get; }

    public ColumnInfo User { get; }

    public BackupReference? Parent { get; set; }

    public List<BackupReference> OptionalRefs { get; } = [];

    public override string ToString() => Key;
}
