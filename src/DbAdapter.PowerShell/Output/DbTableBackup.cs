namespace DbAdapter;

/// <summary>How many rows of one table a backup holds.</summary>
public sealed class DbTableBackup
{
    internal DbTableBackup(string table, long rows)
    {
        Table = table;
        Rows = rows;
    }

    /// <summary>The table's name as the backup schema writes it (its key in the file).</summary>
    public string Table { get; }

    public long Rows { get; }

    public override string ToString() => $"{Table}: {Rows}";
}
