namespace DbAdapter.Core.Backup;

/// <summary>What <see cref="BackupFileReader.ReadAsync"/> found next in a backup file.</summary>
internal enum BackupFileToken
{
    /// <summary>The "metadata" value (in <see cref="BackupFileReader.Value"/>).</summary>
    Metadata,

    /// <summary>A top-level key holding an array: a table's rows follow.</summary>
    TableStart,

    /// <summary>A row object of the current table (in <see cref="BackupFileReader.Value"/>).</summary>
    Row,

    /// <summary>An element of a table's array that is not an object.</summary>
    NotARow,

    /// <summary>The end of the current table's array.</summary>
    TableEnd,

    /// <summary>A top-level key holding neither the metadata nor an array.</summary>
    OtherValue,

    /// <summary>The end of the file.</summary>
    End,
}
