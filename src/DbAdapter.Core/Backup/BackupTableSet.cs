using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Backup;

/// <summary>A backup schema bound to a live database: the tables in backup order, parents first.</summary>
internal sealed class BackupTableSet(BackupSchema schema, IReadOnlyList<BackupTable> tables)
{
    public BackupSchema Schema { get; } = schema;

    public IReadOnlyList<BackupTable> Tables { get; } = tables;

    /// <summary>The table whose file key is <paramref name="key"/>, or null.</summary>
    public BackupTable? Find(string key) => Tables.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.Ordinal));

    /// <summary>
    /// The tables named in <paramref name="names"/> and every ancestor they need (parent, parent's
    /// parent...), in backup order; <paramref name="added"/> lists the ancestors that were not named.
    /// </summary>
    /// <exception cref="DbAdapterException">BackupSchemaInvalid: a name is not a table of the schema.</exception>
    public IReadOnlyList<BackupTable> Select(IReadOnlyList<string> names, out IReadOnlyList<string> added)
    {
        var chosen = new HashSet<BackupTable>();
        foreach (var name in names)
        {
            var table = Find(name) ?? throw new DbAdapterException(
                ErrorIds.BackupSchemaInvalid,
                DbErrorKind.InvalidArgument,
                $"The table '{name}' asked for is not a table of the backup schema {Schema.Source} (its tables: {string.Join(", ", Tables.Select(t => t.Key))}).",
                name,
                hint: ErrorHint.NameBackupTables);
            chosen.Add(table);
        }

        var named = chosen.ToList();
        var ancestors = new List<string>();
        foreach (var table in named)
        {
            for (var parent = table.Parent?.Table; parent is not null; parent = parent.Parent?.Table)
            {
                if (chosen.Add(parent))
                {
                    ancestors.Add(parent.Key);
                }
            }
        }

        added = ancestors;
        return Tables.Where(chosen.Contains).ToList();
    }
}
