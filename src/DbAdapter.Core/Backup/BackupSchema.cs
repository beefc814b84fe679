using DbAdapter.Core.Configuration;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Which tables a backup holds, in what order, and how they hang together (DESIGN section 7): the
/// Python tool's backup-schema JSON, or [[backup.tables]] of db.toml. Parents come before children.
/// </summary>
public sealed class BackupSchema
{
    public BackupSchema(string source, IReadOnlyList<BackupTableConfig> tables, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tables);
        Source = source;
        Tables = tables;
        Warnings = warnings ?? [];
    }

    /// <summary>Where the schema was read from, for messages: a file path, or "db.toml [[backup.tables]]".</summary>
    public string Source { get; }

    /// <summary>The tables in backup order (parents first).</summary>
    public IReadOnlyList<BackupTableConfig> Tables { get; }

    /// <summary>Non-fatal findings of reading it (unknown keys).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Index of the entry named <paramref name="name"/> (as written), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Tables.Count; i++)
        {
            if (string.Equals(Tables[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
