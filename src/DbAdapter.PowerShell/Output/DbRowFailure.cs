namespace DbAdapter;

/// <summary>A row Restore-Database could not write.</summary>
public sealed class DbRowFailure
{
    internal DbRowFailure(string table, long rowIndex, string key, string error)
    {
        Table = table;
        RowIndex = rowIndex;
        Key = key;
        Error = error;
    }

    /// <summary>The table's name as the backup schema writes it.</summary>
    public string Table { get; }

    /// <summary>0-based position of the row in the table's array in the backup file.</summary>
    public long RowIndex { get; }

    /// <summary>The row's key in the backup file.</summary>
    public string Key { get; }

    /// <summary>What failed, in the server's words where the server refused the row.</summary>
    public string Error { get; }

    public override string ToString() => $"{Table}[{RowIndex}] (key {Key}): {Error}";
}
